"""Every read of personal data is in the audit log: forms opened, each page of list and search
results (one entry per page, with the filters and the ids shown), crisis results, API lists and the
records API writes answer with."""

import datetime as dt

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import QualificationType, ThematicArea
from dividend.roster.models import Qualification

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    return make_pool("reads")


@pytest.fixture
def coordinator(pool, client):
    user = make_user(Role.COORDINATOR, pools=[pool])
    client.force_login(user)
    return user


def _only_entry(**filters):
    (entry,) = AuditEntry.objects.filter(**filters)
    return entry


def test_roster_search_page_is_one_entry_with_filters_and_ids(client, pool, coordinator):
    officers = [make_officer(pool, gender="female") for _ in range(3)]
    make_officer(pool, gender="male")
    assert client.get("/roster/?gender=female&text=").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.actor, entry.object_type, entry.path) == ("list", coordinator, "roster.officer",
                                                                         "/roster/")
    assert entry.detail["filters"] == {"gender": "female"}
    assert sorted(entry.detail["ids"]) == sorted(o.pk for o in officers)
    assert entry.detail["total"] == 3 and "last_name" in entry.fields


def test_roster_htmx_results_are_one_entry(client, pool, coordinator):
    officer = make_officer(pool)
    assert client.get("/roster/?page=1", headers={"HX-Request": "true"}).status_code == 200
    assert _only_entry().detail == {"filters": {"page": "1"}, "ids": [officer.pk], "total": 1}


def test_invalid_search_shows_nothing_and_logs_nothing(client, pool, coordinator):
    make_officer(pool)
    assert client.get("/roster/?available_from=2027-05-01&available_to=2027-01-01").status_code == 400
    assert not AuditEntry.objects.exists()


def test_officer_edit_form_opened_is_a_read(client, pool, coordinator):
    officer = make_officer(pool)
    assert client.get(f"/roster/officers/{officer.pk}/edit/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.object_id) == ("read", "roster.officer", str(officer.pk))
    assert {"emergency_contact_phone", "date_of_birth"} <= set(entry.fields)


def test_own_profile_form_opened_is_a_read(client, pool):
    secondee = make_user(Role.SECONDEE, pools=[pool])
    officer = make_officer(pool, user=secondee)
    client.force_login(secondee)
    assert client.get("/roster/me/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.actor, entry.object_id) == ("read", secondee, str(officer.pk))
    assert "qualifications" in entry.fields


def test_pending_qualifications_list_is_one_entry(client, pool, coordinator):
    officer = make_officer(pool)
    pending = Qualification.objects.create(officer=officer, qualification_type=QualificationType.objects.get(
        code="un_saat"), issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2029, 1, 1),
        status=Qualification.Status.PENDING)
    assert client.get("/roster/qualifications/pending/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.detail) == (
        "list", "roster.qualification", {"filters": {}, "ids": [pending.pk], "officer_ids": [officer.pk]})


def test_secondment_list_page_is_one_entry(client, pool, coordinator):
    officer = make_officer(pool)
    secondments = [make_secondment(officer, make_position(make_mission())) for _ in range(2)]
    assert client.get("/secondments/?status=returned").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type) == ("list", "secondments.secondment")
    assert entry.detail["filters"] == {"status": "returned"}
    assert sorted(entry.detail["ids"]) == sorted(s.pk for s in secondments)
    assert entry.detail["officer_ids"] == [officer.pk]


def test_crisis_results_are_one_entry(client, pool, coordinator):
    passport = ("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1))
    candidate = make_officer(pool, available_from=dt.date(2026, 1, 1), themes=["organised_crime"],
                             qualifications=[passport])
    theme = ThematicArea.objects.get(code="organised_crime")
    response = client.get(f"/roster/crisis/?within_days=10&duration_months=3&theme={theme.pk}")
    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.path, entry.detail["ids"], entry.detail["total"]) == (
        "list", "/roster/crisis/", [candidate.pk], 1)
    assert entry.detail["filters"]["theme"] == str(theme.pk)


def test_api_officer_list_is_one_entry_per_page(client, pool, coordinator):
    officers = [make_officer(pool) for _ in range(3)]
    assert client.get("/api/officers?limit=2").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.channel, entry.detail["total"]) == ("list", "api", 3)
    assert len(entry.detail["ids"]) == 2 and set(entry.detail["ids"]) < {o.pk for o in officers}
    assert entry.detail["filters"]["limit"] == 2


def test_api_secondment_list_is_one_entry(client, pool, coordinator):
    officer = make_officer(pool)
    secondment = make_secondment(officer, make_position(make_mission()))
    assert client.get("/api/secondments").status_code == 200
    entry = _only_entry()
    assert (entry.object_type, entry.detail["ids"], entry.detail["officer_ids"]) == (
        "secondments.secondment", [secondment.pk], [officer.pk])


def test_api_create_and_update_answers_are_reads(client, pool, coordinator):
    payload = {"pool": pool.pk, "service_number": "R-1", "first_name": "Ida", "last_name": "Ek",
               "rank": rank().pk, "gender": "female", "date_of_birth": "1988-08-08"}
    officer_id = client.post("/api/officers", payload, content_type="application/json").json()["id"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["create", "read"]
    client.put(f"/api/officers/{officer_id}", payload | {"phone": "+46 8"}, content_type="application/json")
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "create", "read", "update", "read"]
    read = AuditEntry.objects.filter(action="read").last()
    assert read.object_id == str(officer_id) and "emergency_contact_phone" in read.fields


def test_a_page_of_many_rows_costs_one_entry(client, pool, coordinator):
    for _ in range(30):
        make_officer(pool)
    client.get("/roster/")
    client.get("/api/officers?limit=30")
    assert AuditEntry.objects.count() == 2


def test_qualification_edit_form_opened_is_a_read_of_the_qualification(client, pool, coordinator):
    officer = make_officer(pool, qualifications=[("un_saat", dt.date(2026, 1, 1), dt.date(2029, 1, 1))])
    saat = officer.qualifications.get()
    assert client.get(f"/roster/qualifications/{saat.pk}/edit/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.object_id, entry.detail) == (
        "read", "roster.qualification", str(saat.pk), {"officer_id": officer.pk})


def test_api_secondment_record_is_one_read(client, pool, coordinator):
    officer = make_officer(pool)
    secondment = make_secondment(officer, make_position(make_mission()))
    assert client.get(f"/api/secondments/{secondment.pk}").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.object_id, entry.detail, entry.channel) == (
        "read", "secondments.secondment", str(secondment.pk), {"officer_id": officer.pk}, "api")
    assert sorted(entry.fields) == ["cut_short", "cut_short_reason", "end_date", "mission", "officer", "officer_id",
                                    "position_id", "start_date", "status", "status_reason"]


def test_secondment_edit_form_opened_is_a_read(client, pool, coordinator):
    officer = make_officer(pool)
    secondment = make_secondment(officer, make_position(make_mission()))
    assert client.get(f"/secondments/{secondment.pk}/edit/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.object_id, entry.detail) == (
        "read", "secondments.secondment", str(secondment.pk), {"officer_id": officer.pk})


def test_new_secondment_form_names_the_officer_once(client, pool, coordinator):
    officer = make_officer(pool)
    assert client.get(f"/secondments/officers/{officer.pk}/new/").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.object_id, entry.fields) == (
        "read", "roster.officer", str(officer.pk), ["first_name", "last_name", "pool"])


def test_subject_access_export_names_every_field_restricted_ones_too(client, pool, coordinator):
    officer = make_officer(pool)
    assert client.get(f"/roster/officers/{officer.pk}/subject-access.json").status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_id) == ("export", str(officer.pk))
    assert {"emergency_contact_name", "emergency_contact_phone", "date_of_birth", "email"} <= set(entry.fields)
