"""Roles change only through grant_role/withdraw_role (web admin included), audited, and at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.pools.models import ApiToken, Role, RoleAssignment, Scope
from dividend.roles.services import grant_role, withdraw_role

from ..factories import make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return make_user(Role.ADMINISTRATOR, national=True, username="chief-admin", is_staff=True)


def _state():
    return (sorted(RoleAssignment.objects.values_list("user_id", "role", "scope")),
            AuditEntry.objects.count())


def test_grant_creates_the_assignment_and_one_audit_entry(admin_user):
    pool = make_pool("bpol", name="Federal Police")
    user = make_user(None, username="newcomer")
    assignment = grant_role(actor=admin_user, user=user, role=Role.COORDINATOR, scope=Scope.POOLS, pools=[pool])
    assert list(assignment.pools.values_list("code", flat=True)) == ["bpol"]
    entry = AuditEntry.objects.get(action="grant")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (admin_user.pk, "pools.roleassignment",
                                                                    str(assignment.pk))
    assert entry.detail == {"user": "newcomer", "role": "coordinator", "scope": "pools", "pools": ["Federal Police"],
                            "object": ""}


def test_withdraw_removes_the_assignment_and_writes_one_audit_entry(admin_user):
    user = make_user(Role.ANALYST, national=True, username="leaver")
    assignment = RoleAssignment.objects.get(user=user)
    pk = assignment.pk
    withdraw_role(actor=admin_user, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="withdraw")
    assert (entry.object_id, entry.detail["role"], entry.detail["scope"]) == (str(pk), "analyst", "national")


@pytest.mark.parametrize("role, scope, with_pool, field", [
    ("chief", Scope.NATIONAL, False, "role"),
    (Role.COORDINATOR, "galaxy", False, "scope"),
    (Role.COORDINATOR, Scope.POOLS, False, "pools"),
    (Role.ANALYST, Scope.NATIONAL, True, "pools"),
    (Role.AUDITOR, Scope.POOLS, True, "scope"),
])
def test_bad_grant_is_refused_by_field_and_changes_nothing(admin_user, role, scope, with_pool, field):
    user = make_user(None)
    pools = [make_pool()] if with_pool else []
    before = _state()
    with pytest.raises(ValidationError) as error:
        grant_role(actor=admin_user, user=user, role=role, scope=scope, pools=pools)
    assert list(error.value.message_dict) == [field]
    assert _state() == before


def test_a_role_held_already_is_refused(admin_user):
    pool = make_pool()
    user = make_user(Role.HR_MANAGER, pools=[pool])
    before = _state()
    with pytest.raises(ValidationError, match="already holds"):
        grant_role(actor=admin_user, user=user, role=Role.HR_MANAGER, scope=Scope.POOLS, pools=[pool])
    assert _state() == before


@pytest.mark.parametrize("actor_role", [Role.COORDINATOR, Role.AUDITOR, Role.POLICY_OFFICER])
def test_only_administrators_grant(actor_role):
    actor = make_user(actor_role, national=True)
    user = make_user(None)
    before = _state()
    with pytest.raises(PermissionDenied):
        grant_role(actor=actor, user=user, role=Role.ANALYST, scope=Scope.NATIONAL)
    assert _state() == before


def test_nobody_grants_themself_a_role(admin_user):
    before = _state()
    with pytest.raises(PermissionDenied, match="own roles"):
        grant_role(actor=admin_user, user=admin_user, role=Role.AUDITOR, scope=Scope.NATIONAL)
    assert _state() == before


def test_withdrawal_takes_effect_on_an_open_session(client, admin_user):
    pool = make_pool()
    make_officer(pool, last_name="Lindqvist")
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    client.force_login(coordinator)
    assert client.get("/roster/").status_code == 200
    withdraw_role(actor=admin_user, assignment=RoleAssignment.objects.get(user=coordinator))
    assert client.get("/roster/").status_code == 403


def test_withdrawal_revokes_the_users_api_tokens(client, admin_user):
    pool = make_pool()
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    _, key = ApiToken.issue(user=coordinator, name="laptop")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/officers", **auth).status_code == 200
    withdraw_role(actor=admin_user, assignment=RoleAssignment.objects.get(user=coordinator))
    response = client.get("/api/officers", **auth)
    assert (response.status_code, response.json()["detail"]) == (
        401, "This API token was revoked (role withdrawn).")


def test_a_grant_revokes_the_users_api_tokens(admin_user):
    user = make_user(None)
    token, _ = ApiToken.issue(user=user, name="laptop")
    grant_role(actor=admin_user, user=user, role=Role.ANALYST, scope=Scope.NATIONAL)
    token.refresh_from_db()
    assert token.revoked_reason == "role granted"


def test_a_refused_grant_leaves_the_tokens_alone(admin_user):
    user = make_user(Role.ANALYST, national=True)
    token, _ = ApiToken.issue(user=user, name="laptop")
    with pytest.raises(ValidationError):
        grant_role(actor=admin_user, user=user, role=Role.ANALYST, scope=Scope.NATIONAL)  # held already
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_grant_takes_effect_on_an_open_session(client, admin_user):
    user = make_user(None)
    client.force_login(user)
    assert client.get("/roster/").status_code == 403
    # A pool role: a national one would also ask for the second factor first (tests/accounts).
    grant_role(actor=admin_user, user=user, role=Role.ANALYST, scope=Scope.POOLS, pools=[make_pool()])
    assert client.get("/roster/").status_code == 200


def test_adding_in_the_django_admin_grants_through_the_workflow(client, admin_user):
    user = make_user(None, username="via-admin")
    client.force_login(admin_user)
    response = client.post("/admin/pools/roleassignment/add/",
                           {"user": user.pk, "role": Role.POLICY_OFFICER, "scope": Scope.NATIONAL})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=user)
    assert AuditEntry.objects.filter(action="grant", object_id=str(assignment.pk)).count() == 1


def test_bad_input_in_the_django_admin_is_a_form_error_and_changes_nothing(client, admin_user):
    user = make_user(None)
    client.force_login(admin_user)
    before = _state()
    response = client.post("/admin/pools/roleassignment/add/",
                           {"user": user.pk, "role": Role.COORDINATOR, "scope": Scope.POOLS})
    assert response.status_code == 200
    assert "Choose the pools this role is for." in response.content.decode()
    assert _state() == before


def test_deleting_in_the_django_admin_withdraws_through_the_workflow(client, admin_user):
    user = make_user(Role.ANALYST, national=True)
    assignment = RoleAssignment.objects.get(user=user)
    client.force_login(admin_user)
    response = client.post(f"/admin/pools/roleassignment/{assignment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="withdraw", object_id=str(assignment.pk)).count() == 1


def test_the_django_admin_refuses_role_changes_to_non_administrators(client):
    staff = make_user(Role.COORDINATOR, national=True, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/pools/roleassignment/add/").status_code == 403
