"""Who may do what with rapid deployment alerts (issue 11 §4). Every view, API endpoint and command
of the alerts app asks these predicates; `Alert.objects.visible_to` reads the same answers.

- Coordinators send alerts to officers of their pools (national coordinators: to any officer),
  chosen from the roster's crisis query, and see the alerts that reach an officer of their pools.
- An alert is deployed or stood down by a coordinator of every pool it reaches (a national
  coordinator: any alert).
- A secondee sees the alerts sent to them and answers for themself, nobody else.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role

ALERT_ROLES = (Role.COORDINATOR,)


def alert_pools(user):
    """Pool ids whose officers the user alerts (EVERY_POOL: all of them)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *ALERT_ROLES)


def can_send_alerts(user) -> bool:
    """The alerts list, the crisis query with its "send an alert" action."""
    pools = alert_pools(user)
    return pools is EVERY_POOL or bool(pools)


def can_alert_officer(user, officer) -> bool:
    """An officer of the coordinator's pools (a national coordinator: any officer)."""
    return is_superuser(user) or holds_in_pool(user, officer.pool_id, *ALERT_ROLES)


def can_reply(user) -> bool:
    """Answering an alert: a secondee (the alert must be sent to their own officer record)."""
    return user is not None and user.is_authenticated and holds(user, Role.SECONDEE)


def can_use_alerts(user) -> bool:
    return can_send_alerts(user) or can_reply(user)


def can_manage_alert(user, pool_ids) -> bool:
    """Deploy or stand down an alert reaching officers of `pool_ids`: a coordinator of each."""
    pools = alert_pools(user)
    return pools is EVERY_POOL or (bool(pool_ids) and set(pool_ids) <= set(pools))


def is_recipient(user, recipient) -> bool:
    return user is not None and user.is_authenticated and recipient.officer.user_id == user.pk
