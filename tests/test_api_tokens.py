"""API tokens: expiry, scope (read-only or read-write, endpoint groups), revocation on password
change, role change and deactivation, the owner's tokens page, and the audit of issue and revoke."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.pools.models import ApiGroup, ApiToken, Role
from dividend.pools.services import issue_token, revoke_token

from .factories import make_pool, make_user

pytestmark = pytest.mark.django_db

# One readable endpoint per group, for a national administrator (who may read all of them).
GROUP_PATHS = {"officers": "/api/officers", "pools": "/api/pools", "missions": "/api/missions",
               "secondments": "/api/secondments", "audit": "/api/audit", "priorities": "/api/priorities/models",
               "selection": "/api/selection/calls", "reports": "/api/reports/requirements",
               "preparation": "/api/preparation/overdue",
               "alerts": "/api/alerts",
               "careers": "/api/careers/kpis",
               "care": "/api/care/board",
               "targets": "/api/targets/targets",
               "commitments": "/api/commitments/documents",
               "performance": "/api/performance/missions",
               "accountability": "/api/accountability/dashboard"}


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, pools=[make_pool("alpha")])


@pytest.fixture
def admin():
    # Also a national analyst, HR manager and coordinator: every group then has a path this user may read.
    return make_user(Role.ADMINISTRATOR, national=True, roles=[(Role.ANALYST, "national"), (Role.HR_MANAGER, "national"),
                                                              (Role.COORDINATOR, "national")])


# --- Expiry ---------------------------------------------------------------------------------------

def test_expired_token_is_refused_with_401(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/api/officers", **bearer(key))
    assert (response.status_code, response.json()["detail"].startswith("This API token expired on ")) == (401, True)


def test_token_expires_after_the_default_lifetime(settings, coordinator):
    settings.DIVIDEND_API_TOKEN_DAYS = 90
    before = timezone.now()
    token, _ = issue_token(actor=coordinator, user=coordinator, name="script")
    assert before + dt.timedelta(days=90) <= token.expires_at <= timezone.now() + dt.timedelta(days=90)


def test_lifetime_beyond_the_configured_maximum_is_refused(settings, coordinator):
    settings.DIVIDEND_API_TOKEN_MAX_DAYS = 30
    with pytest.raises(Exception, match="A token lasts 1 to 30 days."):
        issue_token(actor=coordinator, user=coordinator, name="script", days=31)
    assert ApiToken.objects.count() == 0


def test_revoked_token_is_refused_with_401(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    revoke_token(actor=coordinator, token=token)
    response = client.get("/api/officers", **bearer(key))
    assert (response.status_code, response.json()["detail"]) == (401, "This API token was revoked (revoked by its owner).")


# --- Scope ----------------------------------------------------------------------------------------

def test_read_only_token_reads(client, coordinator):
    _, key = ApiToken.issue(user=coordinator, name="script", access=ApiToken.Access.READ)
    assert client.get("/api/officers", **bearer(key)).status_code == 200


def test_read_only_token_gets_403_with_the_error_body_on_a_write(client, coordinator):
    _, key = ApiToken.issue(user=coordinator, name="script", access=ApiToken.Access.READ)
    response = client.post("/api/secondments", data="{}", content_type="application/json", **bearer(key))
    assert (response.status_code, response.json()) == (
        403, {"detail": "This API token is read-only: it cannot change data.", "errors": {}, "problems": []})


def test_read_write_token_reaches_the_write_endpoint(client, coordinator):
    # Past authentication the empty body is refused as input (400), not the token (403).
    _, key = ApiToken.issue(user=coordinator, name="script", access=ApiToken.Access.WRITE)
    response = client.post("/api/secondments", data="{}", content_type="application/json", **bearer(key))
    assert response.status_code == 400


@pytest.mark.parametrize("group", ApiGroup.values)
def test_group_limited_token_works_in_its_group(client, admin, group):
    _, key = ApiToken.issue(user=admin, name="script", groups=[group])
    assert client.get(GROUP_PATHS[group], **bearer(key)).status_code == 200


@pytest.mark.parametrize("group", ApiGroup.values)
def test_group_limited_token_is_refused_elsewhere(client, admin, group):
    _, key = ApiToken.issue(user=admin, name="script", groups=[group])
    refused = {g for g, path in GROUP_PATHS.items() if client.get(path, **bearer(key)).status_code == 403}
    assert refused == set(GROUP_PATHS) - {group}


def test_group_refusal_names_the_group(client, admin):
    _, key = ApiToken.issue(user=admin, name="script", groups=["pools"])
    assert client.get("/api/audit", **bearer(key)).json()["detail"] == (
        "This API token is not valid for the audit log endpoints.")


def test_every_api_group_has_a_test_path():
    assert set(GROUP_PATHS) == set(ApiGroup.values)


# --- Automatic revocation -------------------------------------------------------------------------

def test_password_change_revokes_the_users_tokens(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    coordinator.set_password("A-new-password-2026")
    coordinator.save()
    token.refresh_from_db()
    assert token.revoked_reason == "password changed"


def test_password_change_leaves_other_users_tokens_alone(coordinator):
    other = make_user(Role.ANALYST, national=True)
    token, _ = ApiToken.issue(user=other, name="script")
    coordinator.set_password("A-new-password-2026")
    coordinator.save()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_rehashing_on_login_does_not_revoke(settings, coordinator):
    # Django re-hashes a password with the preferred hasher when it checks it: same password.
    token, _ = ApiToken.issue(user=coordinator, name="script")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    coordinator.refresh_from_db()
    assert coordinator.check_password("pw-Test-123")
    coordinator.refresh_from_db()
    token.refresh_from_db()
    assert (coordinator.password.startswith("pbkdf2_"), token.revoked_at) == (True, None)


def test_deactivation_revokes_the_users_tokens(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    token.refresh_from_db()
    assert token.revoked_reason == "account deactivated"


def test_saving_other_fields_does_not_revoke(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    coordinator.first_name = "Aino"
    coordinator.save()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_deactivation_in_the_django_admin_revokes(client, coordinator):
    superuser = make_user(None, username="root", is_staff=True, is_superuser=True)
    token, _ = ApiToken.issue(user=coordinator, name="script")
    client.force_login(superuser)
    page = client.get(f"/admin/auth/user/{coordinator.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(is_active="", date_joined_0="2026-01-01", date_joined_1="00:00:00", last_login_0="", last_login_1="",
                groups=[], user_permissions=[])
    data.pop("is_active")  # an unticked checkbox is absent from the post
    response = client.post(f"/admin/auth/user/{coordinator.pk}/change/", data)
    token.refresh_from_db()
    assert (response.status_code, token.revoked_reason) == (302, "account deactivated")


def test_revocations_are_audited_with_their_reason(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    coordinator.set_password("A-new-password-2026")
    coordinator.save()
    entry = AuditEntry.objects.get(action="revoke")
    assert (entry.object_type, entry.object_id, entry.actor_label, entry.detail["reason"]) == (
        "pools.apitoken", str(token.pk), "system", "password changed")


# --- Issue and revoke: workflows and audit --------------------------------------------------------

def test_issue_is_audited(coordinator):
    token, _ = issue_token(actor=coordinator, user=coordinator, name="script", access="write", groups=["pools"],
                           days=10)
    entry = AuditEntry.objects.get(action="issue")
    assert (entry.actor_id, entry.object_id, entry.detail["access"], entry.detail["groups"],
            entry.detail["user"]) == (coordinator.pk, str(token.pk), "write", ["pools"], coordinator.username)


def test_owner_revocation_is_audited(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    revoke_token(actor=coordinator, token=token)
    entry = AuditEntry.objects.get(action="revoke")
    assert (entry.actor_id, entry.object_id, entry.detail["reason"]) == (
        coordinator.pk, str(token.pk), "revoked by its owner")


def test_nobody_issues_tokens_for_someone_else(coordinator, admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue_token(actor=admin, user=coordinator, name="script")
    assert ApiToken.objects.count() == 0


def test_revoking_twice_changes_nothing_the_second_time(coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    revoke_token(actor=coordinator, token=token)
    assert (revoke_token(actor=coordinator, token=token), AuditEntry.objects.filter(action="revoke").count()) == (
        False, 1)


def test_command_issues_a_scoped_token(client, coordinator, capsys):
    call_command("create_api_token", coordinator.username, "sync", "--days", "10", "--group", "pools")
    token = ApiToken.objects.get()
    assert (token.access, token.groups, round((token.expires_at - token.created_at) / dt.timedelta(days=1)),
            AuditEntry.objects.filter(action="issue").count()) == ("read", ["pools"], 10, 1)


def test_command_refuses_a_lifetime_beyond_the_maximum(coordinator, settings):
    settings.DIVIDEND_API_TOKEN_MAX_DAYS = 30
    with pytest.raises(CommandError, match="days: A token lasts 1 to 30 days."):
        call_command("create_api_token", coordinator.username, "sync", "--days", "31")


# --- The tokens page ------------------------------------------------------------------------------

def test_page_lists_only_the_users_own_tokens(client, coordinator):
    other = make_user(Role.ANALYST, national=True)
    ApiToken.issue(user=coordinator, name="mine")
    ApiToken.issue(user=other, name="theirs")
    client.force_login(coordinator)
    body = client.get("/tokens/").content.decode()
    assert ("mine" in body, "theirs" in body) == (True, False)


def test_page_creates_a_token_and_shows_its_key_once(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/tokens/", {"name": "sync", "days": 30, "access": "read", "groups": ["pools"]})
    key = response.context["key"]
    token = ApiToken.objects.get()
    assert (response.status_code, key in response.content.decode(), token.key_hash) == (200, True, ApiToken.hash_key(key))
    assert key not in client.get("/tokens/").content.decode()


def test_page_refuses_a_lifetime_beyond_the_maximum(client, coordinator, settings):
    settings.DIVIDEND_API_TOKEN_MAX_DAYS = 30
    client.force_login(coordinator)
    response = client.post("/tokens/", {"name": "sync", "days": 31, "access": "read"})
    assert (response.status_code, response.context["form"].errors["days"], ApiToken.objects.count()) == (
        400, ["Ensure this value is less than or equal to 30."], 0)


def test_page_refuses_markup_in_the_name(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/tokens/", {"name": "<b>sync</b>", "days": 30, "access": "read"})
    assert (response.status_code, "name" in response.context["form"].errors, ApiToken.objects.count()) == (400, True, 0)


def test_page_refuses_an_unknown_group(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/tokens/", {"name": "sync", "days": 30, "access": "read", "groups": ["everything"]})
    assert (response.status_code, ApiToken.objects.count()) == (400, 0)


def test_owner_revokes_on_the_page(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    client.force_login(coordinator)
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/officers", **bearer(key)).status_code == 401


def test_someone_else_cannot_revoke_on_the_page(client, coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    client.force_login(make_user(Role.ADMINISTRATOR, national=True))
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_page_shows_why_a_token_was_revoked(client, coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="script")
    coordinator.set_password("A-new-password-2026")
    coordinator.save()
    client.force_login(coordinator)
    assert "password changed" in client.get("/tokens/").content.decode()


# --- Django admin ---------------------------------------------------------------------------------

def test_admin_cannot_add_tokens(client):
    client.force_login(make_user(None, username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/pools/apitoken/add/").status_code == 403


def test_admin_revokes_through_the_workflow(client, coordinator):
    token, _ = ApiToken.issue(user=coordinator, name="leaked")
    client.force_login(make_user(None, username="root", is_staff=True, is_superuser=True))
    client.post("/admin/pools/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert (token.revoked_reason, AuditEntry.objects.filter(action="revoke").count()) == (
        "revoked by an administrator", 1)


def test_token_json_body_is_exact_on_expiry(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))
    body = json.loads(client.get("/api/officers", **bearer(key)).content)
    assert body == {"detail": "This API token expired on 2026-01-02 03:04 UTC.", "errors": {}, "problems": []}


def test_first_use_records_last_used(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_use_within_a_minute_writes_nothing(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    earlier = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at == earlier


def test_use_after_a_minute_records_the_new_time(client, coordinator):
    token, key = ApiToken.issue(user=coordinator, name="script")
    earlier = timezone.now() - dt.timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at > earlier + dt.timedelta(seconds=60)
