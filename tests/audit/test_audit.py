"""Audit entries for every change and full read of officer data; the chain detects tampering."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from dividend.audit.models import AuditEntry, AuditLogIsAppendOnly
from dividend.audit.services import record, verify_chain
from dividend.pools.models import Role
from dividend.roster import services
from dividend.roster.models import Officer

from ..factories import make_officer, make_pool, make_user, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    pool = make_pool("audit")
    return make_user(Role.COORDINATOR, pools=[pool]), pool


def test_create_update_delete_are_audited(coordinator):
    user, pool = coordinator
    officer = Officer(pool=pool, service_number="A-1", first_name="Eva", last_name="Lind", rank=rank(),
                      gender="female", date_of_birth=dt.date(1980, 5, 5))
    officer, fields = services.save_officer(actor=user, officer=officer)
    created = AuditEntry.objects.get(action="create")
    assert (created.actor, created.object_type, created.object_id) == (user, "roster.officer", str(officer.pk))
    assert "first_name" in created.fields and "date_of_birth" in created.fields

    officer.email = "eva.lind@example.org"
    officer.phone = "+358 1"
    _, fields = services.save_officer(actor=user, officer=officer)
    assert fields == ["email", "phone"]
    assert AuditEntry.objects.get(action="update").fields == ["email", "phone"]

    # Saving without a change writes nothing.
    services.save_officer(actor=user, officer=Officer.objects.get(pk=officer.pk))
    assert AuditEntry.objects.filter(action="update").count() == 1

    officer_id = officer.pk
    services.delete_officer(actor=user, officer=officer)
    deleted = AuditEntry.objects.get(action="delete")
    assert deleted.object_id == str(officer_id) and "Eva Lind" in deleted.object_repr
    assert verify_chain() == []


def test_page_and_api_reads_are_audited_with_origin(client, coordinator):
    user, pool = coordinator
    officer = make_officer(pool)
    client.force_login(user)
    client.get(f"/roster/officers/{officer.pk}/", REMOTE_ADDR="10.1.2.3")
    client.get(f"/api/officers/{officer.pk}", REMOTE_ADDR="10.1.2.4")
    web, api = AuditEntry.objects.filter(action="read").order_by("id")
    assert (web.channel, web.ip_address, web.path) == ("web", "10.1.2.3", f"/roster/officers/{officer.pk}/")
    assert (api.channel, api.ip_address, api.path) == ("api", "10.1.2.4", f"/api/officers/{officer.pk}")
    assert "emergency_contact_phone" in web.fields  # a coordinator reads the restricted fields too


def test_export_is_audited(client, coordinator):
    user, pool = coordinator
    officers = [make_officer(pool) for _ in range(3)]
    client.force_login(user)
    b"".join(client.get("/roster/export.csv").streaming_content)
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["count"] == 3
    assert sorted(entry.detail["officer_ids"]) == sorted(o.pk for o in officers)


def test_entries_cannot_be_changed_or_deleted_through_the_app():
    entry = record(actor=None, action="read", object_type="roster.officer", object_id="1")
    entry.action = "delete"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


def test_database_refuses_updates():
    entry = record(actor=None, action="read", object_type="roster.officer", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'update' WHERE id = %s", [entry.pk])


def test_admin_offers_no_change_or_delete(admin_client):
    entry = record(actor=None, action="read", object_type="roster.officer", object_id="1")
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "delete"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "read"


def test_api_has_no_write_endpoints_for_audit(client):
    user = make_user(Role.AUDITOR, national=True)
    client.force_login(user)
    record(actor=None, action="read", object_type="roster.officer", object_id="1")
    assert client.get("/api/audit").json()["count"] == 1
    assert client.post("/api/audit", {}, content_type="application/json").status_code == 405
    assert client.delete("/api/audit").status_code == 405


def _chain(n=5):
    return [record(actor=None, action="read", object_type="roster.officer", object_id=str(i)) for i in range(n)]


def _without_update_trigger(sql, params):
    """Tamper as someone with database access would: drop the trigger, change the row."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_entry_no_update" + (" ON audit_auditentry"
                                                                if connection.vendor == "postgresql" else ""))
        cursor.execute(sql, params)


def test_verify_detects_altered_row():
    entries = _chain()
    _without_update_trigger("UPDATE audit_auditentry SET object_id = '999' WHERE id = %s", [entries[2].pk])
    problems = verify_chain()
    assert [(p.entry_id, p.problem) for p in problems] == [
        (entries[2].pk, "content does not match its hash (altered or inserted)")]


def test_verify_detects_deleted_row():
    entries = _chain()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    problems = verify_chain()
    assert [p.entry_id for p in problems] == [entries[3].pk]
    assert f"{entries[2].pk}" in problems[0].problem and "deleted" in problems[0].problem


def test_verify_detects_inserted_row():
    entries = _chain()
    forged = AuditEntry(timestamp=entries[1].timestamp, actor_label="intruder", action="read",
                        object_type="roster.officer", object_id="7", channel="web",
                        previous_hash=entries[-1].entry_hash, entry_hash="f" * 64)
    forged.save()
    problems = verify_chain()
    assert [(p.entry_id, p.problem) for p in problems] == [
        (forged.pk, "content does not match its hash (altered or inserted)")]


def test_verify_audit_command(capsys):
    entries = _chain(3)
    call_command("verify_audit")
    assert "Audit log intact: 3 entries verified." in capsys.readouterr().out
    _without_update_trigger("UPDATE audit_auditentry SET actor_label = 'someone' WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError, match=r"broken in 1 place"):
        call_command("verify_audit")
    assert f"entry {entries[0].pk}: content does not match" in capsys.readouterr().err
