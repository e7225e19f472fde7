"""Visibility for every role × every model: forbidden records never appear in list, detail, API or export."""

import datetime as dt

import pytest

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.missions.models import Mission, Position
from dividend.pools.models import Pool, Role
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pool_a, pool_b = make_pool("alpha"), make_pool("beta")
    secondee_user = make_user(Role.SECONDEE, pools=[pool_a], username="sec")
    oa = make_officer(pool_a, user=secondee_user, last_name="Aalto", first_name="Aino")
    ob = make_officer(pool_b, last_name="Berg", first_name="Bo")
    mission = make_mission("EUTEST")
    position = make_position(mission)
    sa, sb = make_secondment(oa, position), make_secondment(ob, position)
    users = {
        "coordinator_pool": make_user(Role.COORDINATOR, pools=[pool_a]),
        "coordinator_national": make_user(Role.COORDINATOR, national=True),
        "panel_pool": make_user(Role.PANEL_MEMBER, pools=[pool_a]),
        "analyst_pool": make_user(Role.ANALYST, pools=[pool_a]),
        "secondee": secondee_user,
        "hr_pool": make_user(Role.HR_MANAGER, pools=[pool_a]),
        "policy_national": make_user(Role.POLICY_OFFICER, national=True),
        "admin_national": make_user(Role.ADMINISTRATOR, national=True),
        "auditor_national": make_user(Role.AUDITOR, national=True),
        "no_role": make_user(None),
    }
    record(actor=users["coordinator_pool"], action="update", obj=oa, fields=["email"])
    return {"pools": (pool_a, pool_b), "officers": (oa, ob), "secondments": (sa, sb), "users": users,
            "mission": mission, "position": position}


# user key → (officers visible, restricted data visible on own-pool officer, pools visible, audit visible)
EXPECTED = {
    "coordinator_pool": ({"a"}, True, {"alpha"}, False),
    "coordinator_national": ({"a", "b"}, True, {"alpha", "beta"}, False),
    "panel_pool": ({"a"}, False, {"alpha"}, False),
    "analyst_pool": ({"a"}, False, {"alpha"}, False),
    "secondee": ({"a"}, True, {"alpha"}, False),
    "hr_pool": ({"a"}, True, {"alpha"}, False),
    "policy_national": ({"a", "b"}, False, {"alpha", "beta"}, False),
    "admin_national": ({"a", "b"}, False, {"alpha", "beta"}, True),
    "auditor_national": ({"a", "b"}, False, {"alpha", "beta"}, True),
    "no_role": (set(), False, set(), False),
}
KEYS = list(EXPECTED)


def _officer_keys(world, ids):
    oa, ob = world["officers"]
    return {"a" if i == oa.pk else "b" for i in ids if i in (oa.pk, ob.pk)}


@pytest.mark.parametrize("who", KEYS)
def test_querysets(world, who):
    user = world["users"][who]
    officers, _, pools, audit = EXPECTED[who]
    from dividend.roster.models import Officer

    assert _officer_keys(world, Officer.objects.visible_to(user).values_list("id", flat=True)) == officers
    assert _officer_keys(world, Secondment.objects.visible_to(user).values_list("officer_id", flat=True)) == officers
    assert set(Pool.objects.visible_to(user).values_list("code", flat=True)) == pools
    assert AuditEntry.objects.visible_to(user).exists() is audit
    # Missions and positions are registry facts: every signed-in user sees them.
    assert Mission.objects.visible_to(user).filter(pk=world["mission"].pk).exists()
    assert Position.objects.visible_to(user).filter(pk=world["position"].pk).exists()


@pytest.mark.parametrize("who", KEYS)
def test_pages(client, world, who):
    user = world["users"][who]
    officers, restricted, _, audit = EXPECTED[who]
    oa, ob = world["officers"]
    client.force_login(user)
    roster = client.get("/roster/")
    if who in ("secondee", "no_role"):
        assert roster.status_code == 403
    else:
        body = roster.content.decode()
        assert ("Aalto" in body) is ("a" in officers)
        assert ("Berg" in body) is ("b" in officers)
    for key, officer in (("a", oa), ("b", ob)):
        response = client.get(f"/roster/officers/{officer.pk}/")
        assert response.status_code == (200 if key in officers else 404)
        if response.status_code == 200 and key == "a":
            assert ("+32 2 000 00 00" in response.content.decode()) is restricted
    secondments = client.get("/secondments/").content.decode()
    assert ("Aalto" in secondments) is ("a" in officers)
    assert ("Berg" in secondments) is ("b" in officers)
    assert client.get("/audit/").status_code == (200 if audit else 403)


@pytest.mark.parametrize("who", KEYS)
def test_api(client, world, who):
    user = world["users"][who]
    officers, restricted, pools, audit = EXPECTED[who]
    oa, ob = world["officers"]
    client.force_login(user)
    listing = client.get("/api/officers")
    if who == "no_role":
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        assert _officer_keys(world, [o["id"] for o in listing.json()["items"]]) == officers
    for key, officer in (("a", oa), ("b", ob)):
        response = client.get(f"/api/officers/{officer.pk}")
        assert response.status_code == (200 if key in officers else 404)
        if response.status_code == 200 and key == "a":
            data = response.json()
            assert (data["emergency_contact_phone"] == "+32 2 000 00 00") is restricted
    secondments = client.get("/api/secondments").json()["items"]
    assert _officer_keys(world, [s["officer_id"] for s in secondments]) == officers
    assert {p["code"] for p in client.get("/api/pools").json()} == pools
    # As on the web: the audit log is the auditors' and administrators', refused to others.
    audit_log = client.get("/api/audit")
    assert audit_log.status_code == (200 if audit else 403)
    assert (audit_log.json().get("count", 0) > 0) is audit


@pytest.mark.parametrize("who", KEYS)
def test_export(client, world, who):
    user = world["users"][who]
    officers, _, _, _ = EXPECTED[who]
    client.force_login(user)
    response = client.get("/roster/export.csv")
    if who in ("secondee", "no_role"):
        assert response.status_code == 403
        return
    body = b"".join(response.streaming_content).decode()
    assert ("Aalto" in body) is ("a" in officers)
    assert ("Berg" in body) is ("b" in officers)
    # Exports never carry restricted data.
    assert "+32 2 000 00 00" not in body


def test_anonymous_sees_nothing(client, world):
    assert client.get("/roster/").status_code == 302
    assert client.get("/api/officers").status_code == 401
    assert client.get(f"/api/officers/{world['officers'][0].pk}").status_code == 401


def test_restricted_qualifications_hidden_from_panel(client, world):
    from dividend.reference.models import QualificationType
    from dividend.roster.models import Qualification

    oa = world["officers"][0]
    Qualification.objects.create(officer=oa, qualification_type=QualificationType.objects.get(code="medical_fitness"),
                                 issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    client.force_login(world["users"]["panel_pool"])
    assert "Medical fitness" not in client.get(f"/roster/officers/{oa.pk}/").content.decode()
    assert client.get(f"/api/officers/{oa.pk}").json()["qualifications"] == []
    client.force_login(world["users"]["coordinator_pool"])
    assert "Medical fitness" in client.get(f"/roster/officers/{oa.pk}/").content.decode()
    assert [q["type"] for q in client.get(f"/api/officers/{oa.pk}").json()["qualifications"]] == ["medical_fitness"]
