"""Granting and withdrawing roles: the only two ways a role assignment is made or removed
(web, admin and commands alike), both audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.pools.access import can_manage_roles
from dividend.pools.models import OBJECT_SCOPES, SCOPES_BY_ROLE, Role, RoleAssignment, Scope, forget_roles
from dividend.pools.services import ROLE_GRANTED, ROLE_WITHDRAWN, revoke_tokens


def check_grant(*, actor, user, role, scope, pools=(), object_type: str = "", object_id=None) -> None:
    """Raise PermissionDenied or ValidationError (by field) unless `actor` may grant this assignment.

    The admin's form calls it too, so that bad input there is a form error, not a failed save.
    """
    _check_actor(actor, user)
    errors = {}
    pools = list(pools)
    if role not in Role.values:
        errors["role"] = f"Unknown role '{role}'."
    elif scope not in Scope.values:
        errors["scope"] = f"Unknown scope '{scope}'."
    elif scope not in SCOPES_BY_ROLE[role]:
        allowed = ", ".join(sorted(Scope(s).label.lower() for s in SCOPES_BY_ROLE[role]))
        errors["scope"] = f"A {Role(role).label.lower()} can only be scoped: {allowed}."
    elif scope == Scope.POOLS and not pools:
        errors["pools"] = "Choose the pools this role is for."
    elif scope != Scope.POOLS and pools:
        errors["pools"] = "Pools are chosen only for a pool scope."
    elif scope == Scope.OBJECT and (role not in OBJECT_SCOPES.get(object_type, set()) or object_id is None):
        errors["object_type"] = (f"A {Role(role).label.lower()} cannot be scoped to '{object_type}' "
                                 f"{object_id if object_id is not None else ''}".rstrip() + ".")
    elif scope != Scope.OBJECT and (object_type or object_id is not None):
        errors["object_type"] = "An object is chosen only for an object scope."
    if errors:
        raise ValidationError(errors)
    duplicate = _already_held(user, role, scope, {p.pk for p in pools}, object_type, object_id)
    if duplicate:
        raise ValidationError(f"{user} already holds {duplicate}.")


def _check_actor(actor, user) -> None:
    # actor None: the system itself (demo data, data migrations), never a request.
    if actor is None:
        return
    if not can_manage_roles(actor):
        raise PermissionDenied(_("Only administrators grant and withdraw roles."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("Nobody grants or withdraws their own roles: ask another administrator."))


def _already_held(user, role, scope, pool_ids, object_type, object_id) -> str:
    for existing in RoleAssignment.objects.of(user).filter(role=role):
        if existing.scope == Scope.NATIONAL and scope in (Scope.NATIONAL, Scope.POOLS):
            return existing.describe()
        if existing.scope == scope == Scope.POOLS and pool_ids & {p.pk for p in existing.pools.all()}:
            return existing.describe()
        if (existing.scope == scope == Scope.OBJECT and existing.object_type == object_type
                and existing.object_id == object_id):
            return existing.describe()
    return ""


def grant_role(*, actor, user, role, scope, pools=(), object_type: str = "", object_id=None) -> RoleAssignment:
    """Give `user` a role with its scope.

    Steps: 1. check the actor may grant roles and is not granting to themself; 2. validate the role,
    the scope (pools for a pool scope, a registered object for an object scope, nothing else
    otherwise) and that the user does not hold it already; 3. in one transaction create the
    assignment, write the audit log and revoke the user's API tokens (a token is issued for the
    rights of its day: a new one is made deliberately); 4. drop the user's cached roles, so that
    the change applies to this request too (other sessions read roles afresh on each request).
    """
    pools = list(pools)
    check_grant(actor=actor, user=user, role=role, scope=scope, pools=pools, object_type=object_type,
                object_id=object_id)
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(user=user, role=role, scope=scope, object_type=object_type,
                                                   object_id=object_id, granted_by=actor)
        assignment.pools.set(pools)
        record(actor=actor, action="grant", obj=assignment, object_repr=str(assignment)[:200],
               fields=["role", "scope", "pools", "object"], detail=_detail(assignment))
        revoke_tokens(actor=actor, user=user, reason=ROLE_GRANTED)
    forget_roles(user)
    return assignment


def withdraw_role(*, actor, assignment: RoleAssignment) -> None:
    """Take a role assignment away.

    Steps: 1. check the actor may withdraw roles and is not withdrawing their own; 2. in one
    transaction delete the assignment, write the audit log (what was withdrawn, with its scope)
    and revoke the user's API tokens; 3. drop the user's cached roles (other sessions read them
    afresh).
    """
    user = assignment.user
    _check_actor(actor, user)
    with transaction.atomic():
        detail, label, pk = _detail(assignment), str(assignment)[:200], assignment.pk
        assignment.delete()
        record(actor=actor, action="withdraw", object_type="pools.roleassignment", object_id=pk, object_repr=label,
               fields=["role", "scope", "pools", "object"], detail=detail)
        revoke_tokens(actor=actor, user=user, reason=ROLE_WITHDRAWN)
    forget_roles(user)


def _detail(assignment: RoleAssignment) -> dict:
    return {"user": assignment.user.get_username(), "role": assignment.role, "scope": assignment.scope,
            # Pool names: the entry is read by auditors, who know pools by name.
            "pools": sorted(p.name for p in assignment.pools.all()),
            "object": f"{assignment.object_type}:{assignment.object_id}" if assignment.object_type else ""}
