"""Who may do what with officers' records. Every roster view, API endpoint, export, import and
command asks these predicates; `Officer.objects.visible_to` and `Qualification.objects.visible_to`
read the same answers.

Need-to-know: restricted data (emergency contact, medical and clearance qualifications) is for
the officer themself and the coordinators and HR managers of the officer's own pool, by a
pool-scoped role. National roles, administrators included, get at most a yes/no from a workflow
that needs one (e.g. "medical fitness valid on departure" as a crisis-query condition).
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role

# Roles that work with the roster of officers at all.
ROSTER_ROLES = (Role.COORDINATOR, Role.PANEL_MEMBER, Role.HR_MANAGER, Role.POLICY_OFFICER, Role.ADMINISTRATOR,
                Role.AUDITOR, Role.ANALYST)
# Roles that may change officer records (other than a secondee's own profile).
EDITOR_ROLES = (Role.COORDINATOR, Role.HR_MANAGER, Role.ADMINISTRATOR)
# Roles whose work needs restricted data, in the pools they are scoped to.
NEED_TO_KNOW_ROLES = (Role.COORDINATOR, Role.HR_MANAGER)
IMPORTER_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
SECONDMENT_MANAGER_ROLES = (Role.COORDINATOR, Role.HR_MANAGER)


def roster_pools(user):
    """Pool ids whose officers the user works with (EVERY_POOL: all of them)."""
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *ROSTER_ROLES)


def can_use_roster(user) -> bool:
    """Search, export, the crisis query: a roster role anywhere (a secondee alone has no roster)."""
    return is_superuser(user) or holds(user, *ROSTER_ROLES)


def can_use_officer_api(user) -> bool:
    """The officer list of the API is the roster search: the same rule as the roster page."""
    return can_use_roster(user)


def sees_own_record(user) -> bool:
    """A secondee sees (and keeps) their own officer record."""
    return holds(user, Role.SECONDEE)


def is_own_officer(user, officer) -> bool:
    return officer.user_id is not None and officer.user_id == getattr(user, "id", None)


def restricted_pools(user) -> frozenset[int]:
    """Pools whose officers' restricted data the user may see (pool-scoped need-to-know roles only)."""
    return pools_where(user, *NEED_TO_KNOW_ROLES, national=False)


def can_see_restricted(user, officer) -> bool:
    """Emergency contact, medical and clearance details of this officer."""
    return is_own_officer(user, officer) or officer.pool_id in restricted_pools(user)


def has_need_to_know_in_all_pools(user) -> bool:
    """Need-to-know for every pool the user works with: only then may they search by medical or
    clearance validity (else the filter would tell them about officers whose data they may not
    see) or give restricted data for an officer whose pool is not chosen yet (a new record)."""
    pools = roster_pools(user)
    return pools is not EVERY_POOL and bool(pools) and pools <= restricted_pools(user)


def editor_pools(user):
    """Pools in which the user may add and change officers (EVERY_POOL: all of them)."""
    return EVERY_POOL if is_superuser(user) else pools_where(user, *EDITOR_ROLES)


def can_add_officers(user) -> bool:
    return is_superuser(user) or holds(user, *EDITOR_ROLES)


def can_edit_officer(user, officer) -> bool:
    """Editors of the officer's pool (or national editors) may change the record."""
    return is_superuser(user) or holds_in_pool(user, officer.pool_id, *EDITOR_ROLES)


def can_add_qualifications(user, officer) -> bool:
    """The officer (to be confirmed) or an editor of their pool."""
    return is_own_officer(user, officer) or can_edit_officer(user, officer)


def can_add_qualification(user, officer, qualification_type) -> bool:
    """As can_add_qualifications; restricted types (medical, clearance) also need need-to-know."""
    if not can_add_qualifications(user, officer):
        return False
    return not qualification_type.restricted or can_see_restricted(user, officer)


def can_review_qualifications(user) -> bool:
    """The list of qualifications waiting for confirmation."""
    return holds(user, Role.COORDINATOR)


def can_confirm_qualification(user, qualification) -> bool:
    officer = qualification.officer
    if not holds_in_pool(user, officer.pool_id, Role.COORDINATOR):
        return False
    return not qualification.qualification_type.restricted or can_see_restricted(user, officer)


def can_manage_secondments(user, officer) -> bool:
    """Record the officer's secondments and change their status: coordinators and HR managers of the
    officer's pool (or national ones). Here, with the officer, because the roster's officer page
    offers it and the roster sits below the secondments app."""
    return is_superuser(user) or holds_in_pool(user, officer.pool_id, *SECONDMENT_MANAGER_ROLES)


def can_import_officers(user) -> bool:
    """The import page, its template and the import command."""
    return is_superuser(user) or holds(user, *IMPORTER_ROLES)


def can_export_subject_data(user, officer) -> bool:
    """Everything held about the officer, restricted data included: the officer, or need-to-know."""
    return can_see_restricted(user, officer)
