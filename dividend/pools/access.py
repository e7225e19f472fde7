"""Reading a user's roles: the primitives every app's `access.py` builds its predicates from.

Predicates never compare role names in views; they ask these functions which roles a user holds
and where (nationally or for which pools). Object-scoped assignments (a call's selection panel, a
report's audience) are read by the app that owns the object, never by these pool questions.
"""

from .models import Role, Scope, assignments_of

# Stands for "every pool" where a set of pool ids is expected (national roles, superusers).
EVERY_POOL = None


def is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def holds(user, *roles) -> bool:
    """Holds one of `roles` nationally or for some pool."""
    return any(a.role in roles and a.scope != Scope.OBJECT for a in assignments_of(user))


def pools_where(user, *roles, national=True):
    """Pool ids where the user holds one of `roles`; EVERY_POOL if one of them is national (unless
    `national=False`: then only pool-scoped assignments count, as for need-to-know)."""
    pool_ids: set[int] = set()
    for a in assignments_of(user):
        if a.role not in roles:
            continue
        if a.scope == Scope.NATIONAL and national:
            return EVERY_POOL
        if a.scope == Scope.POOLS:
            pool_ids |= a.pool_ids
    return frozenset(pool_ids)


def holds_in_pool(user, pool_id, *roles, national=True) -> bool:
    pools = pools_where(user, *roles, national=national)
    return pools is EVERY_POOL or pool_id in pools


def role_labels(user) -> list[str]:
    """"Coordinator (bpol)", ... for the page header."""
    return [a.label for a in assignments_of(user)]


def can_manage_roles(user) -> bool:
    """Grant and withdraw roles: national administrators and superusers."""
    return is_superuser(user) or any(a.role == Role.ADMINISTRATOR and a.scope == Scope.NATIONAL
                                     for a in assignments_of(user))


def can_issue_token(user, owner) -> bool:
    """API tokens are personal: each user creates their own (an operator uses the command)."""
    return bool(user is not None and user.is_authenticated and user.pk == owner.pk)


def can_revoke_token(user, token) -> bool:
    """The owner revokes their tokens on their page; administrators and superusers revoke any
    (the Django admin's action), e.g. a token found in a leaked script."""
    if user is None or not user.is_authenticated:
        return False
    return token.user_id == user.pk or can_manage_roles(user)
