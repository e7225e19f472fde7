"""Who reads and records the commitments, the coordination forum and the budget (issue 14 §2).

Consolidated records, not personal data: the Ministry liaison, policy officers, coordinators,
auditors and administrators read them (a pool-scoped role: the national ones and its pools'). Policy
officers and administrators record them: a national one national documents, budget lines and the
forum, a pool-scoped one their pools' documents and budget lines. A cost names a secondment: it is
recorded by whoever records the line's budget, and listed only to who sees the secondment.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role

__all__ = ["EVERY_POOL", "can_edit_document", "can_edit_forum", "can_edit_line", "can_read_commitments",
           "can_record_commitments", "can_record_for_pool", "reader_pools", "recorder_pools"]

READ_ROLES = (Role.MINISTRY_LIAISON, Role.POLICY_OFFICER, Role.COORDINATOR, Role.AUDITOR, Role.ADMINISTRATOR)
RECORD_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_read_commitments(user) -> bool:
    """The documents, the forum, the budget and their exports and API."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *READ_ROLES))


def reader_pools(user):
    """Pool ids whose documents and budget lines the user reads besides the national ones (EVERY_POOL: all)."""
    if not _signed_in(user):
        return frozenset()
    return EVERY_POOL if is_superuser(user) else pools_where(user, *READ_ROLES)


def recorder_pools(user):
    """Pool ids whose documents and budget lines the user records (EVERY_POOL: all, and the national ones)."""
    if not _signed_in(user):
        return frozenset()
    return EVERY_POOL if is_superuser(user) else pools_where(user, *RECORD_ROLES)


def can_record_commitments(user) -> bool:
    """Record something at all (the "new" links and forms)."""
    pools = recorder_pools(user)
    return pools is EVERY_POOL or bool(pools)


def _can_record_for(user, pool) -> bool:
    if not _signed_in(user):
        return False
    if is_superuser(user):
        return True
    if pool is None:
        return recorder_pools(user) is EVERY_POOL
    return holds_in_pool(user, pool.pk, *RECORD_ROLES)


def can_edit_document(user, document) -> bool:
    """Change a commitment document and its assignments (document None: a national one)."""
    return _can_record_for(user, getattr(document, "pool", None))


def can_edit_line(user, line) -> bool:
    """Change a budget line and charge costs to it."""
    return _can_record_for(user, getattr(line, "pool", None))


def can_edit_cost(user, cost) -> bool:
    """Correct a charged cost: whoever records its budget line, if they see its secondment (the cost
    names an officer)."""
    from dividend.secondments.models import Secondment

    return can_edit_line(user, cost.line) and Secondment.objects.visible_to(user).filter(pk=cost.secondment_id).exists()


def can_edit_forum(user, forum=None) -> bool:
    """The forum is national: its meetings, decisions and follow-ups are recorded by national recorders."""
    return _can_record_for(user, None)


def can_record_for_pool(user, pool) -> bool:
    """Create a document or budget line of this pool (None: national)."""
    return _can_record_for(user, pool)
