"""The audit log's side of lower apps' hooks: API tokens issued and revoked (`dividend.pools`)."""

from dividend.pools.models import ApiToken
from dividend.pools.signals import token_issued, token_revoked

from .services import record

TOKEN_FIELDS = ["name", "access", "groups", "expires_at"]


def _token_detail(token: ApiToken) -> dict:
    return {"user": token.user.get_username(), "access": token.access, "groups": list(token.groups),
            "expires_at": token.expires_at.isoformat()}


def record_token_issued(sender, *, actor, token, **kwargs):
    record(actor=actor, action="issue", obj=token, object_repr=str(token)[:200], fields=TOKEN_FIELDS,
           detail=_token_detail(token))


def record_token_revoked(sender, *, actor, token, reason, **kwargs):
    record(actor=actor, action="revoke", obj=token, object_repr=str(token)[:200], fields=["revoked_at"],
           detail=_token_detail(token) | {"reason": reason})


def connect():
    token_issued.connect(record_token_issued, sender=ApiToken, dispatch_uid="audit.token_issued")
    token_revoked.connect(record_token_revoked, sender=ApiToken, dispatch_uid="audit.token_revoked")
