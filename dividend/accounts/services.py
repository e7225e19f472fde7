"""Workflows of signing in and staying signed in. Each writes the audit log.

Views and commands call these; the lockout counting itself is django-axes's (settings: AXES_*).
"""

import datetime as dt
import math
from dataclasses import dataclass
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.pools.access import can_manage_roles
from dividend.pools.models import RoleAssignment
from dividend.roles.services import withdraw_role

from .access import can_unlock_logins
from .models import SignIn

Action = AuditEntry.Action
# Session keys: when the user signed in and when they were last seen (seconds since the epoch).
SIGNED_IN_AT = "dividend_signed_in_at"
LAST_SEEN = "dividend_last_seen"
DEVICE_NAME = "Authenticator app"


class _Anonymous:
    """The actor of a failed login: nobody is signed in."""

    is_authenticated = False
    label = "anonymous"


def client_ip(request) -> str:
    """The client's address as the audit log records it (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR,
    which a deployment behind a proxy sets from the proxy's header (docs/operations.md)."""
    return request.META.get("REMOTE_ADDR", "")


def start_session_clock(session, now=None) -> None:
    """Mark the session's start and last activity (the idle and absolute limits count from here)."""
    stamp = (now or timezone.now()).timestamp()
    session[SIGNED_IN_AT] = stamp
    session[LAST_SEEN] = stamp


def signed_in(*, actor, request) -> None:
    """After a correct password (the login view has called `login()`).

    Steps: 1. start the session's clock; 2. remember the session as the user's (for "log out
    everywhere"), forgetting those of theirs that have ended; 3. audit the login.
    """
    now = timezone.now()
    start_session_clock(request.session, now)
    request.session.save()
    with transaction.atomic():
        live = Session.objects.filter(expire_date__gt=now).values("session_key")
        SignIn.objects.filter(user=actor).exclude(session_key__in=live).delete()
        SignIn.objects.update_or_create(session_key=request.session.session_key, defaults={
            "user": actor, "started_at": now, "ip_address": client_ip(request)})
        record(actor=actor, action=Action.LOGIN, obj=actor)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A refused password (signal `user_login_failed`): audit it, as a lockout when this failure
    reached the limit. Axes has counted it already and left the count on the request."""
    if request is None:  # authenticate() called outside a request: nothing to throttle or trace
        return
    username = str(credentials.get("username") or "")[:150]
    failures = getattr(request, "axes_failures_since_start", None)
    locked = bool(getattr(request, "axes_locked_out", False))
    user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    action = Action.LOCKOUT if failures == settings.AXES_FAILURE_LIMIT else Action.LOGIN_FAILED
    record(actor=_Anonymous(), action=action, object_type="auth.user", object_id=user_id or "",
           object_repr=username, detail={"username": username, "failures": failures, "locked_out": locked})


def open_sessions(*, user):
    """The user's sessions that have not ended (the idle limit is checked at their next request)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignIn.objects.filter(user=user, session_key__in=live)


def _end_sessions(keys) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


def log_out_everywhere(*, actor) -> int:
    """End every session of the user, this one included; the number ended.

    Steps: 1. the user's sessions (SignIn rows); 2. one transaction: delete them and their rows,
    audit.
    """
    with transaction.atomic():
        keys = list(SignIn.objects.filter(user=actor).values_list("session_key", flat=True))
        ended = _end_sessions(keys)
        SignIn.objects.filter(user=actor).delete()
        record(actor=actor, action=Action.LOGOUT_ALL, obj=actor, detail={"sessions": ended})
    return ended


def password_changed(*, actor, request, old_session_key: str) -> None:
    """After Django's password change form saved (it keeps this session under a new key).

    Steps: 1. end the user's other sessions (their old password hash no longer matches anyway);
    2. this session keeps its sign-in row under its new key; 3. audit.
    """
    new_key = request.session.session_key
    with transaction.atomic():
        others = list(SignIn.objects.filter(user=actor).exclude(session_key__in=[old_session_key, new_key])
                      .values_list("session_key", flat=True))
        _end_sessions(others)
        SignIn.objects.filter(session_key__in=others).delete()
        SignIn.objects.filter(session_key=old_session_key).update(session_key=new_key)
        record(actor=actor, action=Action.PASSWORD, obj=actor, detail={"other_sessions_ended": len(others)})


def unlock_login(*, actor, username: str, ip_address: str = "") -> int:
    """Lift a lockout: the failure records of `username` (from `ip_address` only, if given).

    Steps: 1. national administrators (or a command, actor None); 2. reset axes's records; 3. audit.
    """
    if actor is not None and not can_unlock_logins(actor):
        raise PermissionDenied(_("Only a national administrator may lift a login lockout."))
    with transaction.atomic():
        removed = axes_reset(username=username, ip=ip_address or None)
        record(actor=actor, action=Action.UNLOCK, object_type="auth.user", object_repr=username[:150],
               detail={"username": username, "ip_address": ip_address, "records_removed": removed})
    return removed


def delete_user(*, actor, user) -> None:
    """Delete a user account (the Django admin's delete): their roles go through the audited
    withdrawal first, since a database cascade would remove them without a trace.

    Steps: 1. check the actor manages roles and is not deleting themself; 2. one transaction: withdraw
    each role assignment (`roles.services.withdraw_role`: audited, tokens revoked), record the
    deletion (username, roles withdrawn), delete the account (an officer record linked to it stays,
    unlinked; its sessions end).
    """
    if not can_manage_roles(actor):
        raise PermissionDenied(_("Only a national administrator may delete user accounts."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("You may not delete your own account."))
    with transaction.atomic():
        withdrawn = []
        for assignment in RoleAssignment.objects.filter(user=user).order_by("pk"):
            withdrawn.append(assignment.pk)
            withdraw_role(actor=actor, assignment=assignment)
        _end_sessions(list(SignIn.objects.filter(user=user).values_list("session_key", flat=True)))
        record(actor=actor, action=Action.DELETE, obj=user,
               detail={"username": user.get_username(), "role_assignments_withdrawn": withdrawn})
        user.delete()


# --- Second factor ---------------------------------------------------------------------------------

def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(*, actor) -> TOTPDevice:
    """The authenticator being set up: a new secret, kept until confirmed (a reload shows the same)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)


@dataclass(frozen=True)
class CodeCheck:
    """A code's verdict; after repeated wrong codes the device refuses to check for `retry_in` seconds."""

    ok: bool
    retry_in: int = 0


def _check_code(device, token: str) -> CodeCheck:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        locked_until = (data or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(ok=False, retry_in=max(1, math.ceil(wait)))
    return CodeCheck(ok=device.verify_token(token))


def confirm_enrolment(*, actor, request, token: str) -> CodeCheck:
    """Set up the authenticator whose secret the user was shown, with a code it generated.

    Steps: 1. the pending device; 2. check the code (django-otp throttles repeated failures); a
    wrong one is audited and changes nothing; 3. one transaction: confirm it, remove the devices
    it replaces, audit; 4. this session counts as verified.
    """
    device = pending_device(actor=actor)
    check = _check_code(device, token)
    if not check.ok:
        record(actor=actor, action=Action.OTP_FAILURE, obj=actor,
               detail={"stage": "enrolment", "throttled": bool(check.retry_in)})
        return check
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk)
        count = replaced.count()
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(actor=actor, action=Action.OTP_ENROL, obj=actor, detail={"replaced": count})
    otp_login(request, device)
    return check


def verify_second_factor(*, actor, request, token: str) -> CodeCheck:
    """Prove the second factor for this session with a current code.

    Steps: 1. the user's authenticator (one: setting up a new one replaces the old); 2. check the
    code, unless too many wrong ones came just before (django-otp's throttling: 1, 2, 4, ... seconds);
    3. a wrong or throttled code is audited; a right one marks the session verified.
    """
    device = TOTPDevice.objects.filter(user=actor, confirmed=True).order_by("-id").first()
    check = _check_code(device, token) if device is not None else CodeCheck(ok=False)
    if not check.ok:
        record(actor=actor, action=Action.OTP_FAILURE, obj=actor,
               detail={"stage": "verification", "throttled": bool(check.retry_in)})
        return check
    otp_login(request, device)
    return check


def reset_second_factor(*, actor, user) -> int:
    """Remove a user's authenticators (a lost phone): they set up a new one at their next login.

    Steps: 1. national administrators (or a command, actor None); 2. one transaction: delete the
    devices, end the user's sessions, audit.
    """
    if actor is not None and not can_unlock_logins(actor):
        raise PermissionDenied(_("Only a national administrator may reset a second factor."))
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        keys = list(SignIn.objects.filter(user=user).values_list("session_key", flat=True))
        _end_sessions(keys)
        SignIn.objects.filter(user=user).delete()
        record(actor=actor, action=Action.OTP_RESET, obj=user, detail={"devices_removed": count})
    return count


def session_expired(session, now=None) -> str:
    """Why this signed-in session must end now ("idle", "lifetime") or "" (it goes on)."""
    now = (now or timezone.now()).timestamp()
    started = session.get(SIGNED_IN_AT)
    seen = session.get(LAST_SEEN)
    if started is not None and now - started > settings.DIVIDEND_SESSION_MAX_AGE.total_seconds():
        return "lifetime"
    if seen is not None and now - seen > settings.DIVIDEND_SESSION_IDLE.total_seconds():
        return "idle"
    return ""


# The last activity is written at most this often: a session is not saved on every request.
SEEN_GRANULARITY = dt.timedelta(seconds=60)
