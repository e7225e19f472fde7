"""JSON API: authentication, pagination, filters as in the UI, bad input → 400 with field errors."""

import pytest

from dividend.pools.models import ApiToken, Role
from dividend.roster.models import Officer

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    pool = make_pool("alpha")
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officers = [make_officer(pool, skills=[("training", lvl)], gender="male" if lvl % 2 else "female")
                for lvl in (1, 2, 3, 4)]
    return pool, coordinator, officers


def test_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/officers", "/api/officers/{officer_id}", "/api/pools", "/api/missions", "/api/positions",
                 "/api/secondments", "/api/secondments/{secondment_id}/moves", "/api/audit"):
        assert path in schema["paths"], path
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionAuth"}


def test_token_authentication(client, setup):
    _, coordinator, officers = setup
    token, key = ApiToken.issue(user=coordinator, name="script")
    assert client.get("/api/officers").status_code == 401
    assert client.get("/api/officers", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/api/officers", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["count"] == 4
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_filters_and_pagination(client, setup):
    _, coordinator, officers = setup
    client.force_login(coordinator)
    training = officers[0].skills.get().skill_id
    data = client.get(f"/api/officers?skill={training}:3&sort=name").json()
    assert data["count"] == 2
    assert [o["id"] for o in data["items"]] == sorted(
        [officers[2].pk, officers[3].pk], key=lambda pk: Officer.objects.get(pk=pk).last_name)
    page = client.get("/api/officers?limit=3&offset=3&sort=service_number").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (4, 3, 3, 1)
    assert client.get("/api/officers?gender=female").json()["count"] == 2


@pytest.mark.parametrize("query, field", [
    ("skill=abc", "__all__"),
    ("skill=99999:2", "__all__"),
    ("language=1:Z9", "__all__"),
    ("available_from=2027-02-30", "available_from"),
    ("gender=robot", "gender"),
    ("min_months=0", "min_months"),
    ("available_from=2027-01-01&available_to=2027-03-01&min_months=6", "min_months"),
    ("limit=0", "limit"),
    ("limit=100000", "limit"),
    ("offset=-1", "offset"),
])
def test_bad_filters_are_400_with_field_errors(client, setup, query, field):
    _, coordinator, _ = setup
    client.force_login(coordinator)
    response = client.get(f"/api/officers?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_non_numeric_limit_is_400_naming_the_parameter(client, setup):
    client.force_login(setup[1])
    response = client.get("/api/officers?limit=many")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["limit"]


def test_create_and_update_officer(client, setup):
    pool, coordinator, _ = setup
    client.force_login(coordinator)
    payload = {"pool": pool.pk, "service_number": "API-1", "first_name": "Ida", "last_name": "Ek",
               "rank": rank().pk, "gender": "female", "date_of_birth": "1988-08-08"}
    response = client.post("/api/officers", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    officer_id = response.json()["id"]
    again = client.post("/api/officers", payload, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["Officer with this Pool and Service number already exists."]
    bad = client.put(f"/api/officers/{officer_id}", payload | {"date_of_birth": "2020-01-01"},
                     content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["date_of_birth"] == ["An officer must be at least 17 years old."]
    assert Officer.objects.get(pk=officer_id).date_of_birth.isoformat() == "1988-08-08"
    ok = client.put(f"/api/officers/{officer_id}", payload | {"phone": "+46 8"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["phone"] == "+46 8"
    missing = client.post("/api/officers", {"pool": pool.pk}, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"service_number", "first_name", "last_name", "rank", "gender",
                                             "date_of_birth"}


def test_panel_member_cannot_write(client, setup):
    pool, _, officers = setup
    client.force_login(make_user(Role.PANEL_MEMBER, pools=[pool]))
    payload = {"pool": pool.pk, "service_number": "X", "first_name": "A", "last_name": "B", "rank": rank().pk,
               "gender": "male", "date_of_birth": "1980-01-01"}
    assert client.post("/api/officers", payload, content_type="application/json").status_code == 403
    assert client.put(f"/api/officers/{officers[0].pk}", payload, content_type="application/json").status_code == 403


def test_secondment_move_workflow(client, setup):
    pool, coordinator, officers = setup
    secondment = make_secondment(officers[0], make_position(make_mission()), status="selected")
    client.force_login(coordinator)
    url = f"/api/secondments/{secondment.pk}/moves"
    assert client.post(url, {"move": "return", "reason": "x"}, content_type="application/json").json() == {
        "detail": "Invalid input.", "errors": {"move": ["A selected secondment cannot be moved on by “return”."]},
        "problems": []}
    assert client.post(url, {"move": "cancel", "reason": " "}, content_type="application/json").status_code == 400
    assert client.post(url, {"move": "fly", "reason": "x"}, content_type="application/json").status_code == 400
    response = client.post(url, {"move": "prepare", "reason": "briefings booked"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "preparing"
    from dividend.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="status")
    assert entry.detail == {"changes": {"status": {"old": "selected", "new": "preparing"}},
                            "officer_id": officers[0].pk, "move": "prepare", "reason": "briefings booked"}
    assert entry.actor == coordinator


def test_missions_and_positions(client, setup):
    mission = make_mission("EULEX", countries=["XKX"], themes=["rule_of_law"])
    make_position(mission, title="Senior investigator")
    client.force_login(setup[1])
    data = client.get("/api/missions?organisation=eu_csdp&country=XKX").json()
    assert [m["acronym"] for m in data["items"]] == ["EULEX"]
    assert data["items"][0]["host_countries"] == ["XKX"]
    positions = client.get(f"/api/positions?mission={mission.pk}").json()
    assert [p["title"] for p in positions["items"]] == ["Senior investigator"]
    assert client.get("/api/missions/999999").status_code == 404
