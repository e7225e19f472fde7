"""Who may do what with the audit log. Reading it is for auditors and administrators (national roles)
and superusers: the audit page, the API, the Django admin and `AuditEntry.objects.visible_to` ask
this one rule."""

from dividend.pools.access import holds, is_superuser
from dividend.pools.models import Role


def can_read_audit_log(user) -> bool:
    return is_superuser(user) or holds(user, Role.AUDITOR, Role.ADMINISTRATOR)


def can_purge_audit_log(user) -> bool:
    # Retention is an operator's task, not a role's: only a superuser (or the system, actor None).
    return bool(getattr(user, "is_superuser", False))
