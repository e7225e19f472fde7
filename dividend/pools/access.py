"""Permission predicates: small functions of a user, used by every view, API endpoint and export.

Visibility rules live here so that each model's `visible_to(user)` queryset reads the same answers.
"""

from .models import Role

# Roles whose work needs medical, clearance and emergency-contact data.
RESTRICTED_DATA_ROLES = {Role.COORDINATOR, Role.HR_MANAGER}
# Roles that may change officer records (other than a secondee's own profile).
OFFICER_EDITOR_ROLES = {Role.COORDINATOR, Role.HR_MANAGER, Role.ADMINISTRATOR}
# Roles that work with the roster of officers at all.
ROSTER_ROLES = {
    Role.COORDINATOR,
    Role.PANEL_MEMBER,
    Role.HR_MANAGER,
    Role.POLICY_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
    Role.ANALYST,
}


def profile_of(user):
    if user is None or not user.is_authenticated:
        return None
    # Cached on the user object: predicates run many times per request.
    cached = getattr(user, "_dividend_profile", False)
    if cached is not False:
        return cached
    from .models import Profile

    profile = Profile.objects.filter(user=user).prefetch_related("pools").first()
    user._dividend_profile = profile
    return profile


def role_of(user):
    profile = profile_of(user)
    return profile.role if profile else None


def has_role(user, *roles) -> bool:
    return role_of(user) in roles


def is_national(user) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    profile = profile_of(user)
    return bool(profile and profile.national)


def pool_ids(user) -> set[int]:
    """Pools the user works for (empty for national users: they see all, see `is_national`)."""
    profile = profile_of(user)
    if profile is None:
        return set()
    return {p.id for p in profile.pools.all()}


def can_use_roster(user) -> bool:
    return (user.is_authenticated and user.is_superuser) or role_of(user) in ROSTER_ROLES


def can_see_restricted(user, officer=None) -> bool:
    """Medical, clearance, emergency contact: need-to-know roles, and the officer themself."""
    if officer is not None and officer.user_id is not None and officer.user_id == getattr(user, "id", None):
        return True
    return role_of(user) in RESTRICTED_DATA_ROLES


def can_edit_officer(user, officer) -> bool:
    """Editors of the officer's pool (or national editors) may change the record."""
    if role_of(user) not in OFFICER_EDITOR_ROLES:
        return False
    return is_national(user) or officer.pool_id in pool_ids(user)


def is_own_officer(user, officer) -> bool:
    return officer.user_id is not None and officer.user_id == getattr(user, "id", None)


def can_confirm_qualifications(user, officer) -> bool:
    return has_role(user, Role.COORDINATOR) and (is_national(user) or officer.pool_id in pool_ids(user))


def can_import_officers(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_read_audit_log(user) -> bool:
    return (user.is_authenticated and user.is_superuser) or has_role(user, Role.AUDITOR, Role.ADMINISTRATOR)


def can_manage_missions(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_manage_secondments(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.HR_MANAGER)
