"""API token workflows: issue, revoke one, revoke all of a user's (on password change, role change
and deactivation). Each is audited through the `token_issued` / `token_revoked` hooks
(`dividend.pools.signals`), which the audit app fills in."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import can_issue_token, can_revoke_token
from .models import ApiGroup, ApiToken
from .signals import token_issued, token_revoked

# Why tokens were revoked without their owner asking (the reasons stored on the token and logged).
PASSWORD_CHANGED = "password changed"  # noqa: S105 - a revocation reason, not a password # nosec B105
ROLE_GRANTED = "role granted"
ROLE_WITHDRAWN = "role withdrawn"
DEACTIVATED = "account deactivated"
BY_OWNER = "revoked by its owner"


def issue_token(*, actor, user, name: str, access: str = ApiToken.Access.READ, groups=(), days: int | None = None
                ) -> tuple[ApiToken, str]:
    """Issue an API token for `user`; returns it with the clear key (shown once, never stored).

    Steps: 1. check the actor may issue it (their own tokens only; actor None: a management
    command run by the server's operator); 2. validate name, access, groups and lifetime (1 to
    DIVIDEND_API_TOKEN_MAX_DAYS days; default DIVIDEND_API_TOKEN_DAYS); 3. one transaction: create
    it and announce it (the audit log records "issue").
    """
    if actor is not None and not can_issue_token(actor, user):
        raise PermissionDenied(_("You can only create API tokens for yourself."))
    days = settings.DIVIDEND_API_TOKEN_DAYS if days is None else days
    groups = sorted(set(groups))
    errors = {}
    if not user.is_active:
        errors["__all__"] = [f"{user.get_username()} is deactivated."]
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the token a name (what it is for)."]
    if access not in ApiToken.Access.values:
        errors["access"] = [f"Unknown access '{access}': read or write."]
    unknown = [g for g in groups if g not in ApiGroup.values]
    if unknown:
        errors["groups"] = [f"Unknown endpoint group(s): {', '.join(unknown)}."]
    if not 1 <= days <= settings.DIVIDEND_API_TOKEN_MAX_DAYS:
        errors["days"] = [f"A token lasts 1 to {settings.DIVIDEND_API_TOKEN_MAX_DAYS} days."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        token = ApiToken(user=user, name=name, access=access, groups=groups)
        token.full_clean(exclude=["key_hash", "expires_at"])
        token, key = ApiToken.issue(user=user, name=name, access=access, groups=groups, days=days)
        token_issued.send(sender=ApiToken, actor=actor, token=token)
    return token, key


def revoke_token(*, actor, token: ApiToken, reason: str = BY_OWNER) -> bool:
    """Revoke one token; False if it was revoked already (nothing changes then).

    Steps: 1. check the actor may revoke it (its owner, or a command: actor None); 2. one
    transaction: lock the row, stamp it revoked with the reason, announce it (audit "revoke").
    """
    if actor is not None and not can_revoke_token(actor, token):
        raise PermissionDenied(_("You can only revoke your own API tokens."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return False
        _revoke(actor, locked, reason)
    token.refresh_from_db()
    return True


def revoke_tokens(*, actor, user, reason: str) -> int:
    """Revoke every unrevoked token of `user` (expired ones too: a clock change must not bring one
    back); the number revoked. Called by the role workflows (`dividend.roles.services`) and when a
    user's password changes or the user is deactivated (`dividend.pools.apps`).

    Steps: 1. no permission check: the calling workflow has made it; 2. one transaction: lock the
    user's unrevoked tokens, stamp each revoked with the reason and announce it (audit "revoke").
    """
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at=None).order_by("id"))
        for token in tokens:
            _revoke(actor, token, reason)
    return len(tokens)


def _revoke(actor, token: ApiToken, reason: str) -> None:
    token.revoked_at, token.revoked_reason = timezone.now(), reason[:100]
    token.save(update_fields=["revoked_at", "revoked_reason"])
    token_revoked.send(sender=ApiToken, actor=actor, token=token, reason=reason)
