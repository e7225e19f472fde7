"""503 Service Unavailable with Retry-After when the database cannot answer (down, restarting,
unreachable, disk full, SQLite busy beyond its timeout), instead of a 500.

Two places catch it: `DatabaseUnavailableMiddleware.process_exception` for exceptions raised in
views (also with DEBUG), and `server_error` (the project's handler500) for those raised in
middleware, e.g. loading the session. The connection is not kept: Django opens a new one for the
next request (CONN_HEALTH_CHECKS checks a kept one before use), so the app recovers on the first
request after the database is back.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

# SQLite reports schema mistakes as OperationalError too: those are bugs (500), not unavailability.
_NOT_UNAVAILABILITY = ("no such table", "no such column", "has no column", "syntax error")


def retry_after() -> int:
    return getattr(settings, "DIVIDEND_RETRY_AFTER_SECONDS", 5)


def is_unavailable(exc) -> bool:
    """Whether an exception says the database cannot answer now (a retry later may succeed)."""
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        message = str(exc).lower()
        return not any(words in message for words in _NOT_UNAVAILABILITY)
    return False


def unavailable_response(request) -> HttpResponse:
    seconds = retry_after()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": f"The database is unavailable; try again in {seconds} seconds.",
                                 "errors": {}, "problems": []}, status=503)
    else:
        response = HttpResponse(render_to_string("common/unavailable.html", {"retry_after": seconds}),
                                status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return unavailable_response(request)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 when the exception being handled is the database's unavailability."""
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
