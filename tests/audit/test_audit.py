"""Audit entries for every change and full read of officer data; the chain detects tampering."""

import datetime as dt
import json

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry, AuditLogIsAppendOnly
from dividend.audit.services import _json_safe, record, verify_chain
from dividend.pools.models import Role
from dividend.reference.models import QualificationType
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


def test_update_stores_old_and_new_values_and_only_the_fact_for_restricted_ones(coordinator):
    user, pool = coordinator
    officer = make_officer(pool, phone="+49 30 1")
    officer.phone = "+49 30 2"
    officer.emergency_contact_phone = "+49 30 999"
    services.save_officer(actor=user, officer=officer)
    entry = AuditEntry.objects.get(action="update")
    assert entry.fields == ["emergency_contact_phone", "phone"]
    assert entry.detail == {"changes": {"phone": {"old": "+49 30 1", "new": "+49 30 2"},
                                        "emergency_contact_phone": {"changed": True}}}


def test_import_update_masks_restricted_qualifications_but_not_others(coordinator):
    user, pool = coordinator
    officer = make_officer(pool, phone="+49 30 1")
    officer.phone = "+49 30 2"
    types = {t.code: t for t in QualificationType.objects.filter(code__in=["medical_fitness", "un_saat"])}
    services.save_officers(actor=user, changes=[services.OfficerChange(officer=officer, qualifications=[
        (types["medical_fitness"], dt.date(2026, 1, 1), dt.date(2027, 1, 1), ""),
        (types["un_saat"], dt.date(2025, 1, 1), dt.date(2028, 1, 1), "")])])
    entry = AuditEntry.objects.get(action="update")
    assert entry.fields == ["phone", "qualifications", "restricted_qualifications"]
    assert entry.detail["changes"]["restricted_qualifications"] == {"changed": True}
    assert entry.detail["changes"]["qualifications"] == {
        "old": [], "new": [[types["un_saat"].pk, "2025-01-01", "2028-01-01", "", "confirmed"]]}
    assert "2027-01-01" not in json.dumps(entry.detail)


def test_qualification_submission_is_logged_against_the_qualification(coordinator):
    _, pool = coordinator
    secondee = make_user(Role.SECONDEE, pools=[pool])
    officer = make_officer(pool, user=secondee)
    qualification = services.submit_qualification(
        actor=secondee, officer=officer, qualification_type=QualificationType.objects.get(code="un_saat"),
        issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2029, 1, 1))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.detail) == (
        "submit", "roster.qualification", str(qualification.pk),
        {"officer_id": officer.pk, "qualification": "un_saat", "status": "pending"})


def test_auditor_page_shows_verification_status_and_entry_detail(client):
    from dividend.audit.services import run_verification

    client.force_login(make_user(Role.AUDITOR, national=True))
    record(actor=None, action="update", object_type="roster.officer", object_id="1",
           changes={"phone": ("+49 1", "+49 2")})
    page = client.get("/audit/").content.decode()
    assert "The chain has not been verified yet." in page
    assert "Update" in page and "&quot;old&quot;: &quot;+49 1&quot;" in page
    result = run_verification(checked_by="verify_audit")
    page = client.get("/audit/").content.decode()
    assert f"Chain verified up to entry {result.last_entry_id} (1 entries)" in page


_json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.dates()
    | st.decimals(allow_nan=False, places=2),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3),
    max_leaves=10)


@given(_json_like)
def test_an_entry_detail_is_stored_as_its_json_round_trip(value):
    """The plain-JSON shortcut of _json_safe gives exactly what the round trip gives (hashes match)."""
    expected = json.loads(json.dumps(value, default=str))
    result = _json_safe(value)
    assert json.dumps(result, sort_keys=False) == json.dumps(expected, sort_keys=False)
