"""Who sees the accountability figures (docs/architecture.md, "Access").

The dashboard and the report to parliament are consolidated figures: counts, person-months and
shares, never a name. Policy officers, coordinators, administrators, auditors and the Ministry
liaison see them, over the pools their roles cover (national: every pool). The drill-down lists
behind a figure are records about people: the liaison (consolidated figures only, no personal
data) is refused them; the other readers get the list, each row naming the officer only where the
officer's own app lets them see the record (`visible_to`).
"""

from dividend.pools.access import EVERY_POOL, holds, is_superuser, pools_where
from dividend.pools.models import Role

# Read the figures.
FIGURE_ROLES = (Role.COORDINATOR, Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR, Role.MINISTRY_LIAISON)
# Read the figures and the lists of records behind them.
LIST_ROLES = (Role.COORDINATOR, Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_see_dashboard(user) -> bool:
    return _signed_in(user) and (is_superuser(user) or holds(user, *FIGURE_ROLES))


def figure_pools(user):
    """Pool ids whose records the user's figures count (EVERY_POOL: every pool)."""
    if not _signed_in(user):
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *FIGURE_ROLES)


def can_drill_down(user) -> bool:
    """The lists behind the figures: not for a Ministry liaison alone (no personal data)."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *LIST_ROLES))


def can_see_parliament_report(user) -> bool:
    """The report to parliament holds national figures only: every reader of the dashboard."""
    return can_see_dashboard(user)
