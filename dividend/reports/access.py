"""Who may do what with field reports and information requirements (issue 12). Every view, API
endpoint and command of the reports app asks these predicates; the models' `visible_to` read them.

- A secondee files reports on a mission they are deployed to now, and sees their own reports.
- Analysts read and triage the reports of officers of their pools (national analysts: every
  report), and set the standing information requirements.
- A secondee sees the information requirements of the missions they are deployed to.
"""

from dividend.pools.access import EVERY_POOL, holds, is_superuser, pools_where
from dividend.pools.models import Role

ANALYST_ROLES = (Role.ANALYST,)


def analyst_pools(user):
    """Pool ids whose officers' reports the user reads as analyst (EVERY_POOL: every report)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *ANALYST_ROLES)


def is_analyst(user) -> bool:
    pools = analyst_pools(user)
    return pools is EVERY_POOL or bool(pools)


def can_set_requirements(user) -> bool:
    """Information requirements are set by analysts (any scope)."""
    return is_analyst(user)


def can_file_reports(user) -> bool:
    """Filing is for secondees (the mission is checked against their deployment)."""
    return user is not None and user.is_authenticated and holds(user, Role.SECONDEE)


def can_use_reports(user) -> bool:
    return is_analyst(user) or can_file_reports(user)


def can_triage_report(user, report) -> bool:
    pools = analyst_pools(user)
    return pools is EVERY_POOL or report.officer.pool_id in pools
