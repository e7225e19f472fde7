"""Permission predicates of the priorities app (same style as ``pools/access.py``).

Reading priority models, datasets and runs is for the roles that plan or account for secondments;
changing them (model versions, datasets, runs) is for policy officers and administrators.
"""

from dividend.pools.access import role_of
from dividend.pools.models import Role

READ_ROLES = {Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.ANALYST, Role.AUDITOR, Role.COORDINATOR}
EDIT_ROLES = {Role.POLICY_OFFICER, Role.ADMINISTRATOR}


def _superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def can_read_priorities(user) -> bool:
    return _superuser(user) or role_of(user) in READ_ROLES


def can_edit_priorities(user) -> bool:
    """Create and edit models, upload datasets, start runs."""
    return _superuser(user) or role_of(user) in EDIT_ROLES
