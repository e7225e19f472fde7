"""Who may read and set the targets and snapshots (issue 14 §1).

The figures are consolidated numbers, never personal data: the Ministry liaison, policy officers,
coordinators, auditors and administrators read them (a pool-scoped role: the national figures and
its pools'). Policy officers and administrators set the targets and recompute a snapshot: a
national one the national targets and every pool's, a pool-scoped policy officer their pools'.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role

__all__ = ["EVERY_POOL", "READ_ROLES", "SET_ROLES", "can_read_figures", "can_recompute_snapshot",
           "can_set_target", "can_set_targets", "figure_pools", "setter_pools"]

READ_ROLES = (Role.MINISTRY_LIAISON, Role.POLICY_OFFICER, Role.COORDINATOR, Role.AUDITOR, Role.ADMINISTRATOR)
SET_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_read_figures(user) -> bool:
    """The targets page, the snapshots and their exports and API."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *READ_ROLES))


def figure_pools(user):
    """Pool ids whose figures the user reads besides the national ones (EVERY_POOL: all)."""
    if not _signed_in(user):
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *READ_ROLES)


def setter_pools(user):
    """Pool ids whose targets the user sets (EVERY_POOL: all, and the national ones)."""
    if not _signed_in(user):
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *SET_ROLES)


def can_set_targets(user) -> bool:
    """Set some target at all (the "new target" link and form)."""
    pools = setter_pools(user)
    return pools is EVERY_POOL or bool(pools)


def can_set_target(user, pool) -> bool:
    """Set a target of this pool (None: a national target, for national setters only)."""
    if not _signed_in(user):
        return False
    if is_superuser(user):
        return True
    if pool is None:
        return setter_pools(user) is EVERY_POOL
    return holds_in_pool(user, pool.pk, *SET_ROLES)


def can_recompute_snapshot(user, snapshot) -> bool:
    """Recompute a snapshot on purpose: whoever sets the targets it measures."""
    return can_set_target(user, snapshot.pool)
