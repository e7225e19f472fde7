"""Permission predicates of the priorities app.

Reading priority models, datasets and runs is for the roles that plan or account for secondments;
changing them (model versions, datasets, runs) is for policy officers and administrators.
"""

from dividend.pools.access import holds, is_superuser
from dividend.pools.models import Role

READ_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.ANALYST, Role.AUDITOR, Role.COORDINATOR)
EDIT_ROLES = (Role.POLICY_OFFICER, Role.ADMINISTRATOR)


def can_read_priorities(user) -> bool:
    return is_superuser(user) or holds(user, *READ_ROLES)


def can_edit_priorities(user) -> bool:
    """Create and edit models, upload datasets, start runs."""
    return is_superuser(user) or holds(user, *EDIT_ROLES)
