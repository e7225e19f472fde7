"""Session limits and the second factor, applied to every request of a signed-in browser session.

Runs after Django's authentication and django-otp's middleware (request.user.is_verified()).
API calls with a bearer token carry no session: their user is not known here and the token's own
rules apply.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .access import requires_second_factor

MESSAGES = {
    "idle": _("You were logged out after %(idle)s without activity. Please log in again."),
    "lifetime": _("Your session reached its maximum length of %(lifetime)s. Please log in again."),
}


def duration_text(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


class SessionPolicyMiddleware:
    # Pages a user who still owes the second factor may open (and the static files).
    OPEN_NAMES = ("accounts:verify", "accounts:enrol", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_NAMES}
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            answer = self.enforce(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def enforce(self, request, user):
        now = timezone.now()
        session = request.session
        if services.SIGNED_IN_AT not in session:  # a session from before these limits: its clock starts now
            services.start_session_clock(session, now)
        reason = services.session_expired(session, now)
        if reason:
            logout(request)
            messages.info(request, MESSAGES[reason] % {"idle": duration_text(settings.DIVIDEND_SESSION_IDLE),
                                                       "lifetime": duration_text(settings.DIVIDEND_SESSION_MAX_AGE)})
            return None  # the request goes on as anonymous: pages send it to the login page, the API answers 401
        if now.timestamp() - session[services.LAST_SEEN] >= services.SEEN_GRANULARITY.total_seconds():
            session[services.LAST_SEEN] = now.timestamp()
        if requires_second_factor(user) and not user.is_verified():
            return self.second_factor_missing(request, user)
        return None

    def second_factor_missing(self, request, user):
        if request.path in self.open_paths() or request.path.startswith(f"/{_static_prefix()}"):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Your role needs a second factor: complete it on the web page "
                                           f"{reverse('accounts:verify')} first, or use an API token.",
                                 "errors": {}, "problems": []}, status=403)
        name = "accounts:verify" if services.has_second_factor(user) else "accounts:enrol"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def _static_prefix() -> str:
    return settings.STATIC_URL.lstrip("/")
