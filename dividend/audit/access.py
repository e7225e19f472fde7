"""Who may do what with the audit log (reading it: `pools.access.can_read_audit_log`)."""


def can_purge_audit_log(user) -> bool:
    # Retention is an operator's task, not a role's: only a superuser (or the system, actor None).
    return bool(getattr(user, "is_superuser", False))
