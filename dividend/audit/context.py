"""Where a change comes from: the request (web/API) or a command, kept in a context variable."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    channel: str
    ip_address: str = ""
    path: str = ""


_current = contextvars.ContextVar("dividend_audit_context", default=AuditContext(channel="system"))  # noqa: B039 - frozen


def current() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(*, channel: str, ip_address: str = "", path: str = ""):
    token = _current.set(AuditContext(channel=channel, ip_address=ip_address, path=path[:300]))
    try:
        yield
    finally:
        _current.reset(token)
