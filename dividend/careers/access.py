"""Who may do what with the careers records (issue 11 §2 objectives, §5–7). Every view, API
endpoint, export and command of the careers app asks these predicates; the models' `visible_to`
read them (docs/data-protection.md, "who sees it").

- Lifecycle records (learning plan, appraisals, follow-up, whether a debriefing exists): the
  coordinators and HR managers of the officer's pool (or national ones), and the secondee their own.
- The debriefing's content is restricted (need-to-know): `roster.access.can_see_restricted`; the
  others get yes/no.
- The learning plan is agreed by the officer and a supervisor (a coordinator or HR manager of the
  officer's pool, or a national one); each confirms for their side.
- Vacancies and their matching: coordinators and HR managers (and policy officers read them);
  placements by the coordinators and HR managers of the vacancy's pool.
- The returnee pool and the KPIs: policy officers, coordinators and HR managers, over the
  officers (pools) they see.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role
from dividend.roster import access as roster_access

MANAGER_ROLES = (Role.COORDINATOR, Role.HR_MANAGER)
POOL_ROLES = (Role.COORDINATOR, Role.HR_MANAGER, Role.POLICY_OFFICER)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def manager_pools(user):
    """Pool ids whose officers' lifecycle records the user works with (EVERY_POOL: all)."""
    if not _signed_in(user):
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *MANAGER_ROLES)


def is_manager(user) -> bool:
    pools = manager_pools(user)
    return pools is EVERY_POOL or bool(pools)


def is_own(user, officer) -> bool:
    return roster_access.is_own_officer(user, officer)


def can_use_careers(user) -> bool:
    """The careers pages at all: managers, and a secondee for their own records."""
    return _signed_in(user) and (is_manager(user) or holds(user, Role.SECONDEE))


def manages(user, officer) -> bool:
    """A supervisor of this officer's lifecycle: coordinator or HR manager of their pool, or national."""
    return _signed_in(user) and (is_superuser(user) or holds_in_pool(user, officer.pool_id, *MANAGER_ROLES))


def can_see_career(user, officer) -> bool:
    return is_own(user, officer) or manages(user, officer)


def can_edit_plan(user, officer) -> bool:
    """The officer drafts their objectives and career plan; a supervisor may too."""
    return is_own(user, officer) or manages(user, officer)


def can_confirm_as_officer(user, officer) -> bool:
    return is_own(user, officer)


def can_confirm_as_supervisor(user, officer) -> bool:
    """A supervisor confirms for the organisation: never their own plan."""
    return manages(user, officer) and not is_own(user, officer)


def can_see_debriefing(user, officer) -> bool:
    """The debriefing's content: need-to-know only."""
    return roster_access.can_see_restricted(user, officer)


def can_write_debriefing(user, officer) -> bool:
    return roster_access.can_see_restricted(user, officer)


def can_rate(user, officer, rater: str) -> bool:
    """Self ratings by the officer; supervisor ratings by a supervisor (never of themself)."""
    if rater == "self":
        return is_own(user, officer)
    return can_confirm_as_supervisor(user, officer)


def can_answer_follow_up(user, officer) -> bool:
    """The six-month question: the officer answers; a supervisor may record the answer given."""
    return is_own(user, officer) or manages(user, officer)


def can_see_vacancies(user) -> bool:
    return _signed_in(user) and (is_superuser(user) or holds(user, *POOL_ROLES))


def vacancy_pools(user):
    """Pools whose vacancies the user sees (EVERY_POOL: all)."""
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *POOL_ROLES)


def can_manage_vacancies(user) -> bool:
    return is_manager(user)


def can_manage_vacancy(user, vacancy) -> bool:
    """Change a vacancy, match and place: coordinators and HR managers of its pool (or national)."""
    return _signed_in(user) and (is_superuser(user) or holds_in_pool(user, vacancy.pool_id, *MANAGER_ROLES))


def can_place_on(user, vacancy) -> bool:
    """Place returnees on this vacancy: the line managers (HR managers) of its pool, or national ones;
    reintegration is theirs (secondments.access)."""
    return _signed_in(user) and (is_superuser(user) or holds_in_pool(user, vacancy.pool_id, Role.HR_MANAGER))


def can_place(user, vacancy, secondment) -> bool:
    """Place this returnee: HR of the vacancy's pool who may also reintegrate the officer."""
    from dividend.secondments.access import can_make_move
    from dividend.secondments.models import Secondment

    return (can_place_on(user, vacancy) and not is_own(user, secondment.officer)
            and can_make_move(user, secondment, Secondment.Move.REINTEGRATE))


def can_see_career_of(user, secondment) -> bool:
    """The secondment's careers page (listed on the secondment's own page)."""
    return can_see_career(user, secondment.officer)


def can_use_returnee_pool(user) -> bool:
    """The returnee pool search: policy staff, coordinators and HR managers."""
    return can_see_vacancies(user)


def can_see_kpis(user) -> bool:
    return can_see_vacancies(user)


def kpi_pools(user):
    return vacancy_pools(user)
