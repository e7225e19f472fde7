"""The dividend scorecard's API on the known dataset (scorecard_data): the same figures as the pages,
missing parts as null, the secondment's scorecard refused to the liaison and hidden outside the pools."""

import pytest

from dividend.accountability import scorecard

from ..factories import complete_sign_in
from . import scorecard_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return scorecard_data.build()


def _as(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_the_scorecard_per_mission_and_year_is_the_pages_figures(known, client):
    body = _as(client, known["users"]["liaison"]).get("/api/accountability/scorecard").json()
    cards, weights, row = scorecard.all_cards(known["users"]["liaison"])
    by_year, _w, _r = scorecard.grouped(known["users"]["liaison"], "year", cards=cards, weights=weights, row=row)
    assert [(g["year"], g["secondments"], g["total"]) for g in body["by_year"]] == [
        (c.key, c.count, c.total.value) for c in by_year]
    assert [(g["mission_acronym"], g["secondments"]) for g in body["by_mission"]] == [("EUKNOWN", 2)]
    assert (body["model_version"], body["weights"]) == (0, {p: float(w) for p, w in scorecard.DEFAULT_WEIGHTS.items()})
    assert "Aalto" not in str(body) and "Berg" not in str(body)


def test_a_secondments_scorecard_has_its_parts_and_the_missing_one_as_null(known, client):
    body = _as(client, known["users"]["coordinator_a"]).get(
        f"/api/accountability/scorecard/secondments/{known['sa'].pk}").json()
    assert (body["total"], body["missing"]) == (54.63, 1)
    skills = next(p for p in body["parts"] if p["part"] == "skills_used")
    assert (skills["value"], skills["missing"]) == (None, True)
    relevance = next(p for p in body["parts"] if p["part"] == "relevance")
    assert (relevance["value"], relevance["weight"]) == (0.8, 25.0)


def test_a_secondment_outside_the_readers_pools_is_not_found(known, client):
    response = _as(client, known["users"]["coordinator_a"]).get(
        f"/api/accountability/scorecard/secondments/{known['sb'].pk}")
    assert response.status_code == 404


def test_the_liaison_gets_no_secondments_scorecard(known, client):
    response = _as(client, known["users"]["liaison"]).get(
        f"/api/accountability/scorecard/secondments/{known['sa'].pk}")
    assert response.status_code == 403


def test_an_analyst_has_no_scorecard(known, client):
    assert _as(client, known["users"]["analyst"]).get("/api/accountability/scorecard").status_code == 403
