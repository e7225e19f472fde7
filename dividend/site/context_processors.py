from dividend.pools import access
from dividend.priorities.access import can_read_priorities


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_role": access.role_of(user),
        "nav_can_use_roster": access.can_use_roster(user),
        "nav_can_read_audit": access.can_read_audit_log(user),
        "nav_can_import": access.can_import_officers(user),
        "nav_can_read_priorities": can_read_priorities(user),
        "nav_is_secondee": access.has_role(user, access.Role.SECONDEE),
    }
