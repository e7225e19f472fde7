"""Portfolio planning's form takes its defaults from the budget and the targets (issue 14 §6),
says where each came from, and says so when no budget exists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dividend.accountability import portfolio_data
from dividend.commitments import services
from dividend.pools.models import Role
from dividend.targets.services import save_target

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def data():
    """A 2026 secondment from 1 January to 30 June (5.95 person-months as commitments.services.person_months
    counts them: 15,000 EUR over them is 2,521.01 per person-month) and a national policy officer."""
    pool = make_pool("alpha")
    secondment = make_secondment(make_officer(pool), make_position(make_mission("EULEX")), status="returned",
                                 start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    return {"policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"), "secondment": secondment}


def test_no_budget_no_costs_no_targets_leave_the_fields_empty_and_say_so(data):
    initial, notes = portfolio_data.portfolio_defaults(2026)
    assert initial == {"months_per_post": 12}
    assert notes == ["No national budget line exists for 2026: enter the budget.",
                     "No costs per secondment exist: enter the cost per person-month."]


def test_defaults_from_the_budget_the_costs_and_the_targets(data):
    policy = data["policy"]
    line = services.save_budget_line(actor=policy, year=2026, pool=None, kind="peace_operations", title="2026",
                                     amount=D("100000"))[0]
    for amount, category in (("12000", "salary"), ("3000", "travel")):
        services.record_cost(actor=policy, line=line, secondment=data["secondment"], category=category, stage="paid",
                             amount=D(amount), incurred_on=dt.date(2026, 3, 1))
    save_target(actor=policy, year=2026, pool=None, kind="deployed", measure="number", bound="ceiling", value=D("40"))
    save_target(actor=policy, year=2026, pool=None, kind="women", measure="number", bound="floor", value=D("9"))
    save_target(actor=policy, year=2026, pool=None, kind="women", measure="share", bound="floor", value=D("40"))
    initial, notes = portfolio_data.portfolio_defaults(2026)
    assert initial == {"months_per_post": 12, "budget": D("85000.00"), "cost_per_person_month": D("2521.01"),
                       "max_total": 40, "min_women": 9}
    assert notes[:2] == ["Budget: what remains of the national budget lines for 2026 (85000.00 EUR).",
                         "Cost per person-month: the costs charged over their person-months (2521.01 EUR)."]
    assert sorted(notes[2:]) == ["Officers deployed: the national target for 2026.",
                                 "Women deployed: the national target for 2026."]


def test_the_page_shows_the_defaults_and_where_they_came_from(data, client):
    policy = data["policy"]
    year = timezone.localdate().year
    services.save_budget_line(actor=policy, year=year, pool=None, kind="peace_operations", title="Line",
                              amount=D("70000"))
    client.force_login(policy)
    page = client.get("/accountability/portfolio/").content.decode()
    assert 'name="budget" value="70000.00"' in page
    assert f"Budget: what remains of the national budget lines for {year} (70000.00 EUR)." in page
    assert "No costs per secondment exist: enter the cost per person-month." in page
