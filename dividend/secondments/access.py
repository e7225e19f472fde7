"""Who may record secondments and change their status: coordinators and HR managers of the
officer's pool (or national ones), and superusers. Seeing them follows the roster's visibility."""

from dividend.pools.access import holds_in_pool, is_superuser
from dividend.pools.models import Role

MANAGER_ROLES = (Role.COORDINATOR, Role.HR_MANAGER)


def can_manage_secondments(user, officer) -> bool:
    return is_superuser(user) or holds_in_pool(user, officer.pool_id, *MANAGER_ROLES)

