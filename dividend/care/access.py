"""Who may do what with the duty-of-care records (issue 11 §3). Every view, API endpoint and command
of the care app asks these predicates; the models' `visible_to` read the same answers.

- Lifecycle records (desk officer, contact dates and channels, escalations, leave periods, security
  incidents, contingents) are seen by the coordinators and HR managers of the officer's pool and by
  national ones; the secondee sees their own care page.
- Restricted parts (contact notes, leave debriefings, appraisals, underperformance, misconduct
  cases) are need-to-know: `roster.access.can_see_restricted`, the officer excepted: these are notes
  about them by others (they get them in their subject access report).
- The desk officer is a coordinator of the officer's pool, by a pool-scoped role (they write the
  restricted notes, so they must be able to read them). The pool's duty officer and head of unit
  are users named per pool here; there is no role of that name.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role
from dividend.roster import access as roster_access

CARE_ROLES = (Role.COORDINATOR, Role.HR_MANAGER)


def care_pools(user):
    """Pool ids whose secondees' care records the user sees (EVERY_POOL: all of them)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *CARE_ROLES)


def can_use_care(user) -> bool:
    """The duty-of-care board: coordinators and HR managers (any scope)."""
    return user is not None and user.is_authenticated and (is_superuser(user) or holds(user, *CARE_ROLES))


def _in_care_pools(user, officer) -> bool:
    pools = care_pools(user)
    return pools is EVERY_POOL or officer.pool_id in pools


def can_see_care(user, secondment) -> bool:
    """A secondment's care page: care roles of the officer's pool (or national), or the secondee."""
    return _in_care_pools(user, secondment.officer) or roster_access.is_own_officer(user, secondment.officer)


def can_read_care_notes(user, secondment) -> bool:
    """Restricted care records (contact notes, debriefings, performance, misconduct): need-to-know,
    never the officer (these are notes about them by others)."""
    officer = secondment.officer
    return not roster_access.is_own_officer(user, officer) and roster_access.can_see_restricted(user, officer)


def can_keep_contacts(user, secondment) -> bool:
    """Log a contact (its notes are restricted): the coordinators and HR managers of the officer's
    pool with need-to-know, the desk officer first among them."""
    return can_read_care_notes(user, secondment)


def can_record_performance(user, secondment) -> bool:
    """Appraisals, underperformance, misconduct cases, leave debriefings: need-to-know."""
    return can_read_care_notes(user, secondment)


def can_manage_care(user, secondment) -> bool:
    """Assign the desk officer, record leave periods and security incidents, appoint a contingent
    leader: whoever manages the officer's secondments."""
    return roster_access.can_manage_secondments(user, secondment.officer)


def may_be_desk_officer(user, secondment) -> bool:
    """A coordinator of the officer's pool by a pool-scoped role."""
    return user is not None and user.is_active and holds_in_pool(user, secondment.officer.pool_id, Role.COORDINATOR,
                                                                 national=False)


def can_name_care_officers(user, pool) -> bool:
    """Name a pool's duty officer and head of unit: care roles of the pool (or national)."""
    if user is None or not user.is_authenticated:
        return False
    return is_superuser(user) or holds_in_pool(user, pool.pk, *CARE_ROLES)
