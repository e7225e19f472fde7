"""Who may read the audit log: auditors and administrators (national roles) and superusers.
The audit page, the API, the Django admin and `AuditEntry.objects.visible_to` ask this one rule."""

from dividend.pools.access import holds, is_superuser
from dividend.pools.models import Role


def can_read_audit_log(user) -> bool:
    return is_superuser(user) or holds(user, Role.AUDITOR, Role.ADMINISTRATOR)
