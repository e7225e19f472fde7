"""Permission predicates of the priorities app.

Reading priority models, datasets and runs is for the roles that plan or account for secondments;
changing them (model versions, datasets, runs) is for policy officers and administrators.
"""

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role

READ_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.ANALYST, Role.AUDITOR, Role.COORDINATOR)
EDIT_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR)


def can_read_priorities(user) -> bool:
    return is_superuser(user) or holds(user, *READ_ROLES)


def can_edit_priorities(user) -> bool:
    """Create and edit models, upload datasets, start runs."""
    return is_superuser(user) or holds(user, *EDIT_ROLES)


def can_adopt_ranking(user, pool=None) -> bool:
    """Adopt a run as an agency's reference ranking, or withdraw it: a policy decision, so policy
    officers only (administrators run the installation, not its policy). ``pool`` None = the national
    reference, for national policy officers; an agency's (a pool's) for its own policy officers too."""
    if is_superuser(user):
        return True
    if pool is None:
        return pools_where(user, Role.POLICY_OFFICER) is EVERY_POOL
    return holds_in_pool(user, pool.pk, Role.POLICY_OFFICER)


def adoptable_pools(user):
    """The agencies (pools) whose ranking ``user`` may adopt: EVERY_POOL, or a set of pool ids."""
    return EVERY_POOL if is_superuser(user) else pools_where(user, Role.POLICY_OFFICER)
