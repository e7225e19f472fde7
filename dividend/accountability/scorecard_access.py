"""Who may do what with accountability's pages (docs/accountability.md, "Who sees what").

- The dividend scorecard per mission and per year (consolidated figures, no personal data):
  coordinators, policy officers, administrators, auditors and the ministry liaison, over the
  secondments of the pools where they hold that role (national: all).
- A scorecard per secondment names an officer: the same roles but the ministry liaison, over the
  secondments of their pools.
- The scorecard's model (its weights): read by every scorecard reader; a new version is set by a
  national policy officer or administrator.
- Portfolio planning: runs are read by the scorecard readers (positions and counts only); a
  national policy officer or administrator runs one.
"""

from dividend.pools.access import EVERY_POOL, holds, is_superuser, pools_where
from dividend.pools.models import Role

PERSONAL_READERS = (Role.COORDINATOR, Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR)
READERS = (*PERSONAL_READERS, Role.MINISTRY_LIAISON)
PLANNERS = (Role.POLICY_OFFICER, Role.ADMINISTRATOR)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_read_scorecards(user) -> bool:
    return _signed_in(user) and (is_superuser(user) or holds(user, *READERS))


def scorecard_pools(user):
    """Pool ids whose secondments count in the user's consolidated scorecards (EVERY_POOL: all)."""
    if not _signed_in(user):
        return frozenset()
    return EVERY_POOL if is_superuser(user) else pools_where(user, *READERS)


def can_see_personal_scorecards(user) -> bool:
    """Scorecards that name an officer (per secondment): not the ministry liaison."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *PERSONAL_READERS))


def personal_scorecard_pools(user):
    if not _signed_in(user):
        return frozenset()
    return EVERY_POOL if is_superuser(user) else pools_where(user, *PERSONAL_READERS)


def can_see_secondment_scorecard(user, secondment) -> bool:
    pools = personal_scorecard_pools(user)
    return pools is EVERY_POOL or secondment.officer.pool_id in pools


def _national(user, roles) -> bool:
    return _signed_in(user) and (is_superuser(user) or pools_where(user, *roles) is EVERY_POOL)


def can_edit_scorecard_model(user) -> bool:
    """A new version of the weights: a national policy officer or administrator."""
    return _national(user, PLANNERS)


def can_read_portfolios(user) -> bool:
    return can_read_scorecards(user)


def can_run_portfolio(user) -> bool:
    """Plan a portfolio (and store the run): a national policy officer or administrator."""
    return _national(user, PLANNERS)
