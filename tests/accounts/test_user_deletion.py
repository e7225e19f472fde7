"""Deleting a user account withdraws its roles through the audited workflow (issue 8: role changes
are in the audit log, also when the Django admin deletes the account)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from dividend.accounts.services import delete_user
from dividend.audit.models import AuditEntry
from dividend.audit.services import verify_chain
from dividend.pools.models import Role, RoleAssignment

from ..factories import make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def chief():
    return make_user(Role.ADMINISTRATOR, national=True, username="chief-admin", is_staff=True, is_superuser=True)


def leaver():
    pool = make_pool()
    return make_user(None, username="leaver", roles=[(Role.COORDINATOR, [pool]), (Role.ANALYST, "national")])


def test_deleting_a_user_withdraws_each_role_then_records_the_deletion(chief):
    user = leaver()
    assignments = sorted(RoleAssignment.objects.filter(user=user).values_list("pk", flat=True))
    delete_user(actor=chief, user=user)
    assert not User.objects.filter(username="leaver").exists()
    assert sorted(int(pk) for pk in AuditEntry.objects.filter(action="withdraw").values_list("object_id", flat=True)) \
        == assignments
    deletion = AuditEntry.objects.get(action="delete", object_type="auth.user")
    assert deletion.detail == {"username": "leaver", "role_assignments_withdrawn": assignments}
    assert verify_chain() == []


def test_an_officer_record_linked_to_the_account_stays_unlinked(chief):
    user = leaver()
    officer = make_officer(make_pool(), user=user)
    delete_user(actor=chief, user=user)
    officer.refresh_from_db()
    assert officer.user is None


def test_only_a_national_administrator_deletes_accounts(chief):
    user = leaver()
    coordinator = make_user(Role.COORDINATOR, national=True)
    with pytest.raises(PermissionDenied):
        delete_user(actor=coordinator, user=user)
    assert RoleAssignment.objects.filter(user=user).count() == 2


def test_nobody_deletes_their_own_account(chief):
    with pytest.raises(PermissionDenied):
        delete_user(actor=chief, user=chief)
    assert User.objects.filter(pk=chief.pk).exists()


def test_the_django_admin_deletes_through_the_workflow(client, chief):
    user = leaver()
    client.force_login(chief)
    response = client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditEntry.objects.filter(action="withdraw").count() == 2
    assert AuditEntry.objects.filter(action="delete", object_type="auth.user").count() == 1


def test_the_django_admins_bulk_delete_goes_through_the_workflow_too(client, chief):
    first, second = leaver(), make_user(Role.ANALYST, national=True, username="second")
    client.force_login(chief)
    response = client.post("/admin/auth/user/", {"action": "delete_selected", "post": "yes",
                                                 "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert AuditEntry.objects.filter(action="withdraw").count() == 3
    assert AuditEntry.objects.filter(action="delete", object_type="auth.user").count() == 2
