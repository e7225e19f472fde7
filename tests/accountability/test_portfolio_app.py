"""Portfolio planning from the records: open calls' positions, their relevance, cost and the officers
likely available; a stored run; infeasible constraints named with nothing saved; who may run."""

import datetime as dt

import pytest
from django.utils import timezone

from dividend.accountability import portfolio_data, services
from dividend.accountability.models import PortfolioRun
from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.roster.models import UnavailablePeriod
from dividend.secondments.models import Secondment
from dividend.selection import services as selection
from dividend.selection.models import PositionAssessment, RelevanceWeights

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now()
ONLY_COMMITMENTS = {"country": 0, "mission_themes": 0, "position_themes": 0, "international_commitments": 1,
                    "national_interests": 0, "mission_interests": 0}


@pytest.fixture
def planning():
    today = dt.date.today()
    alpha, beta = make_pool("alpha"), make_pool("beta")
    coordinator = make_user(Role.COORDINATOR, national=True)
    RelevanceWeights.objects.create(weights=ONLY_COMMITMENTS, reason="test", set_at=NOW)
    un, eu = make_mission("UNPLAN", organisation="un"), make_mission("EUPLAN", organisation="eu_csdp")
    positions = {}
    for name, mission, commitments in (("P1", un, 0.9), ("P2", un, 0.6), ("P3", eu, 0.7)):
        positions[name] = make_position(mission, title=name)
        PositionAssessment.objects.create(position=positions[name], international_commitments=commitments, set_at=NOW)
    calls = {}
    for ref, org, pools, items in (("UN-1", "un", [alpha], [("P1", 1), ("P2", 2)]), ("EU-1", "eu_csdp", [beta],
                                                                                   [("P3", 1)])):
        call = selection.create_call(actor=coordinator, pools=pools, organisation=org, kind="regular", reference=ref,
                                     title=ref, published_on=today, organisation_deadline=today + dt.timedelta(days=30),
                                     national_deadline=today + dt.timedelta(days=20))
        for name, posts in items:
            selection.add_call_position(actor=coordinator, call=call, position=positions[name], posts=posts)
        selection.change_call_status(actor=coordinator, call=call, status="open")
        calls[ref] = call
    deploy = today + dt.timedelta(days=90)
    # Pool alpha: two women and a man available; one deployed then, one on training, one not available.
    for gender in ("female", "female", "male"):
        make_officer(alpha, gender=gender, available_from=today)
    busy = make_officer(alpha, available_from=today)
    make_secondment(busy, make_position(un), status=Secondment.Status.DEPLOYED, start=today, end=deploy)
    away = make_officer(alpha, available_from=today)
    UnavailablePeriod.objects.create(officer=away, start=deploy, end=deploy + dt.timedelta(days=5))
    make_officer(alpha, available_from=None)
    make_officer(alpha, available_from=today, max_duration_months=6)  # too short for 12 months
    return {"positions": positions, "calls": calls, "policy": make_user(Role.POLICY_OFFICER, national=True),
            "coordinator": coordinator}


PARAMETERS = {"label": "", "budget": 34_000.0, "cost_per_person_month": 1000.0, "months_per_post": 12,
              "max_total": None, "min_women": None, "min_per_organisation": {}}


def test_candidates_from_the_open_calls(planning):
    candidates, stored, available_total = portfolio_data.candidates(PARAMETERS)
    assert [(c.label.split(" – ")[1].split(" ")[0], c.value, c.posts, c.cost, c.organisation, c.available,
             c.women_available) for c in candidates] == [
        ("P1", 90.0, 1, 12_000, "un", 3, 2), ("P2", 60.0, 2, 24_000, "un", 3, 2), ("P3", 70.0, 1, 12_000, "eu_csdp", 0, 0)]
    assert available_total == 3


def test_a_run_is_planned_and_stored(planning):
    run = services.run_portfolio(actor=planning["policy"], parameters=PARAMETERS)
    result = run.result
    p1, p2 = (f"cp{planning['calls']['UN-1'].positions.get(position=planning['positions'][n]).pk}" for n in ("P1", "P2"))
    # Within 34,000: P2 (2 posts × 60 = 120, 24,000) beats P1 (90, 12,000); both cost 36,000. P3: nobody available.
    assert (run.status, run.objective, result["plan"]["chosen"]) == ("optimal", 120.0, [p2])
    assert result["marginals"] == [{"key": p2, "value": 30.0, "without": [p1], "needed": False, "computed": True}]
    low, high = result["sensitivity"]
    assert (low["budget"], low["objective"], low["added"], low["dropped"]) == (30_600, 120.0, [], [])
    assert (high["budget"], high["objective"], high["added"], high["dropped"]) == (37_400, 210.0, [p1], [])
    assert run.parameters["available_total"] == 3
    assert AuditEntry.objects.filter(object_type="accountability.portfoliorun", object_id=str(run.pk)).count() == 1


def test_infeasible_constraints_are_named_and_nothing_is_saved(planning):
    with pytest.raises(services.PortfolioInfeasible) as error:
        services.run_portfolio(actor=planning["policy"], parameters=PARAMETERS | {"min_women": 3})
    assert error.value.texts == [
        "Budget at most 34,000.00: the other conflicting constraints need at least 36,000.00.",
        "At least 3 women deployable: the other conflicting constraints allow at most 2.",
        "Relaxing any one of these makes a plan possible: Budget at most 34,000.00; At least 3 women deployable.",
    ]
    assert PortfolioRun.objects.count() == 0


def test_the_form_shows_the_conflict_and_saves_nothing(planning, client):
    client.force_login(planning["policy"])
    response = client.post("/accountability/portfolio/", {"budget": "34000", "cost_per_person_month": "1000",
                                                          "months_per_post": "12", "min_un": "4"})
    assert response.status_code == 400
    assert "At least 4 posts in UN missions: the other conflicting constraints allow at most 3." in response.content.decode()
    assert PortfolioRun.objects.count() == 0


def test_a_negative_budget_is_refused(planning, client):
    client.force_login(planning["policy"])
    response = client.post("/accountability/portfolio/", {"budget": "-1", "cost_per_person_month": "1000",
                                                          "months_per_post": "12"})
    assert response.status_code == 400
    assert PortfolioRun.objects.count() == 0


def test_the_form_runs_and_shows_the_run(planning, client):
    client.force_login(planning["policy"])
    response = client.post("/accountability/portfolio/", {"budget": "34000", "cost_per_person_month": "1000",
                                                          "months_per_post": "12", "label": "Spring"})
    run = PortfolioRun.objects.get()
    assert response.status_code == 302 and response.url == f"/accountability/portfolio/runs/{run.pk}/"
    page = client.get(response.url).content.decode()
    assert "UNPLAN – P2 (UN-1)" in page and "37400" in page


def test_a_coordinator_reads_but_does_not_run(planning, client):
    client.force_login(planning["coordinator"])
    assert client.get("/accountability/portfolio/").status_code == 200
    response = client.post("/accountability/portfolio/", {"budget": "1", "cost_per_person_month": "1",
                                                          "months_per_post": "12"})
    assert response.status_code == 403
