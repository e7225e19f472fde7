"""Who may make each move of a secondment's lifecycle (docs/data-protection.md, "who sees it").

Recording and correcting secondments stays with `roster.access.can_manage_secondments` (coordinators
and HR managers of the officer's pool, or national ones). The moves split between them: the line
manager (HR) places a returnee in their next post, so reintegration is theirs alone; the other moves
are the desk's and HR's alike.
"""

from dividend.pools.access import holds_in_pool, is_superuser
from dividend.pools.models import Role
from dividend.roster.access import can_manage_secondments, can_use_roster, sees_own_record

from .models import Secondment

# Roles that may make each move, besides a superuser; every move also needs the officer in scope.
MOVE_ROLES = {
    Secondment.Move.PREPARE: (Role.COORDINATOR, Role.HR_MANAGER),
    Secondment.Move.DEPLOY: (Role.COORDINATOR, Role.HR_MANAGER),
    Secondment.Move.EXTEND: (Role.COORDINATOR, Role.HR_MANAGER),
    Secondment.Move.RETURN: (Role.COORDINATOR, Role.HR_MANAGER),
    Secondment.Move.CUT_SHORT: (Role.COORDINATOR, Role.HR_MANAGER),
    Secondment.Move.REINTEGRATE: (Role.HR_MANAGER,),
    Secondment.Move.CANCEL: (Role.COORDINATOR, Role.HR_MANAGER),
}


def can_list_secondments(user) -> bool:
    """The secondments list has something for the user: a roster role (their pools' officers) or their
    own record. A Ministry liaison reads consolidated figures only, so the menu leaves the list out."""
    return can_use_roster(user) or sees_own_record(user)


def can_make_move(user, secondment: Secondment, move) -> bool:
    """The user may make this move on this secondment (whether the move is allowed from its current
    status is the model's question: Secondment.can_make)."""
    return is_superuser(user) or holds_in_pool(user, secondment.officer.pool_id, *MOVE_ROLES[move])


def moves_for(user, secondment: Secondment) -> list:
    """The moves this user may make on this secondment now."""
    return [move for move in secondment.moves() if can_make_move(user, secondment, move)]


def can_change_secondment(user, secondment: Secondment) -> bool:
    """Correct the secondment's position and dates."""
    return can_manage_secondments(user, secondment.officer)
