"""Who may do what with pre-deployment checklists and backfills (issue 11 §2). Every view, API
endpoint and command of the preparation app asks these predicates; the models' `visible_to` read
the same answers.

- Coordinators and HR managers of the officer's pool (or national ones) prepare a secondment: they
  see and tick its checklist and record the home post's backfill (roster.access.can_manage_secondments).
- The secondee sees their own checklist (not the backfill: that is the home unit's business).
- The medical item is yes/no for everyone who sees the checklist; only a need-to-know preparer
  (a pool-scoped coordinator or HR manager of the officer's pool, roster.access.can_see_restricted)
  ticks or unticks it.
- The backfill pages of a pool (what absences cost, how they are covered, the backfill roster):
  coordinators and HR managers of that pool, or national ones.
"""

from dividend.pools.access import EVERY_POOL, is_superuser, pools_where
from dividend.roster import access as roster_access
from dividend.roster.access import SECONDMENT_MANAGER_ROLES


def preparer_pools(user):
    """Pool ids whose officers' secondments the user prepares (EVERY_POOL: all of them)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *SECONDMENT_MANAGER_ROLES)


def is_preparer(user) -> bool:
    pools = preparer_pools(user)
    return pools is EVERY_POOL or bool(pools)


def can_use_preparation(user) -> bool:
    """The preparation list: preparers, and secondees (their own checklist)."""
    return is_preparer(user) or (user is not None and user.is_authenticated and roster_access.sees_own_record(user))


def can_prepare(user, officer) -> bool:
    """Make and tick the checklist of the officer's secondment, record its backfill."""
    return roster_access.can_manage_secondments(user, officer)


def can_view_checklist(user, officer) -> bool:
    return can_prepare(user, officer) or (roster_access.is_own_officer(user, officer)
                                          and roster_access.sees_own_record(user))


def can_tick_item(user, item, officer) -> bool:
    """Any item: a preparer; the medical item (yes/no): a need-to-know preparer only."""
    if not can_prepare(user, officer):
        return False
    return not item.medical or roster_access.can_see_restricted(user, officer)


def can_view_backfill(user, pool_id) -> bool:
    pools = preparer_pools(user)
    return pools is EVERY_POOL or pool_id in pools


def can_use_backfill(user) -> bool:
    return is_preparer(user)


def can_manage_backfill_roster(user, pool_id) -> bool:
    return can_view_backfill(user, pool_id)

