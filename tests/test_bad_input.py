"""Bad input answers with a clear 4xx and changes nothing — cases found by fuzzing the API (schemathesis)."""

import pytest

from dividend.pools.models import Role
from dividend.roster.models import Officer

from .factories import make_pool, make_user

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a 64-bit id: SQLite raises OverflowError if it reaches the database


@pytest.mark.parametrize("url", [
    f"/roster/?country={HUGE}", f"/roster/?pool={HUGE}", f"/roster/?theme=-{HUGE}", f"/roster/?qualification={HUGE}",
    f"/roster/?skill={HUGE}:2", f"/api/officers?country={HUGE}", f"/api/officers?pool={HUGE}",
    f"/roster/crisis/?within_days=3&duration_months=2&theme={HUGE}", f"/roster/export.csv?country={HUGE}",
])
def test_out_of_range_ids_in_filters_are_400(client, url):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("url", [f"/api/missions/{HUGE}", f"/roster/officers/{HUGE}/", f"/api/officers/{HUGE}"])
def test_out_of_range_ids_in_paths_are_not_server_errors(client, url):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    assert client.get(url).status_code in (404, 422)


def test_officer_with_absurd_ids_and_dates_is_rejected(client):
    pool = make_pool()
    client.force_login(make_user(Role.COORDINATOR, national=True))
    payload = {"pool": pool.pk, "service_number": "~*", "first_name": "Grégory", "last_name": "", "rank": -211586,
               "gender": "male", "date_of_birth": "4318-07-31", "thematic_expertise": [-291342810116894162944, 1300],
               "country_expertise": [], "available_from": "1882-11-22"}
    response = client.post("/api/officers", payload, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"last_name", "rank", "thematic_expertise", "date_of_birth"}
    assert Officer.objects.count() == 0


def test_multipart_without_boundary_is_400(client):
    from dividend.pools.models import ApiToken

    _, key = ApiToken.issue(user=make_user(Role.POLICY_OFFICER, national=True), name="t", access="write")
    response = client.generic("POST", "/api/priorities/datasets/upload", b"x", content_type="multipart/form-data",
                              HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed multipart body")
