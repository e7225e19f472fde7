"""Who must prove a second factor (TOTP) before anything else, and who may unlock others."""

from django.conf import settings

from dividend.pools.access import can_manage_roles, holds, is_superuser
from dividend.pools.models import Role, Scope, assignments_of
from dividend.roster.access import restricted_pools, sees_own_record

# Roles whose holders need a second factor wherever they are scoped (ASVS level 3 for
# administrator access, the audit log and HR data).
SECOND_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.AUDITOR, Role.HR_MANAGER)


def requires_second_factor(user) -> bool:
    """The user must prove a second factor in each session: their roles need one and
    `DIVIDEND_REQUIRE_OTP` is on (it can be off in development only)."""
    return settings.DIVIDEND_REQUIRE_OTP and roles_need_second_factor(user)


def roles_need_second_factor(user) -> bool:
    """Administrators, auditors, HR managers, anyone with a national role, staff (the Django admin)
    and anyone who can open restricted data (need-to-know roles in a pool, a secondee's own record)."""
    if user is None or not user.is_authenticated:
        return False
    if is_superuser(user) or user.is_staff or holds(user, *SECOND_FACTOR_ROLES):
        return True
    if any(a.scope == Scope.NATIONAL for a in assignments_of(user)):
        return True
    return bool(restricted_pools(user)) or sees_own_record(user)


def can_unlock_logins(user) -> bool:
    """Lift a login lockout or reset someone's second factor: national administrators."""
    return can_manage_roles(user)
