"""Portfolio planning's form takes its defaults from the budget and the targets (issue 14 §6),
says where each came from, and says so when no budget exists."""

from decimal import Decimal

import pytest
from django.utils import timezone

from dividend.accountability import portfolio_data
from dividend.commitments import services
from dividend.targets.services import save_target

from ..factories import complete_sign_in

pytestmark = pytest.mark.django_db
D = Decimal


def test_no_budget_no_costs_no_targets_leave_the_fields_empty_and_say_so(world):
    initial, notes = portfolio_data.portfolio_defaults(2030)
    assert initial == {"months_per_post": 12}
    assert notes == ["No national budget line exists for 2030: enter the budget.",
                     "No past costs per secondment exist: enter the cost per person-month."]


def test_defaults_from_the_budget_the_past_costs_and_the_targets(world):
    policy = world["users"]["policy"]
    save_target(actor=policy, year=2026, pool=None, kind="deployed", measure="number", bound="ceiling", value=D("40"))
    save_target(actor=policy, year=2026, pool=None, kind="women", measure="number", bound="floor", value=D("9"))
    save_target(actor=policy, year=2026, pool=None, kind="women", measure="share", bound="floor", value=D("40"))
    initial, notes = portfolio_data.portfolio_defaults(2026)
    assert initial == {"months_per_post": 12, "budget": D("84000.00"), "cost_per_person_month": D("2689.08"),
                       "max_total": 40, "min_women": 9}
    assert notes[:2] == ["Budget: what remains of the national budget lines for 2026 (84000.00 EUR).",
                         "Cost per person-month: past years' costs over their person-months (2689.08 EUR)."]
    assert sorted(notes[2:]) == ["Officers deployed: the national target for 2026.",
                                 "Women deployed: the national target for 2026."]


def test_the_page_shows_the_defaults_and_where_they_came_from(world, client):
    policy = world["users"]["policy"]
    year = timezone.localdate().year
    if year != 2026:  # the world's lines are of 2026
        services.save_budget_line(actor=policy, year=year, pool=None, kind="peace_operations", title="Line",
                                  amount=D("84000"))
    client.force_login(policy)
    complete_sign_in(client, policy)
    page = client.get("/accountability/portfolio/").content.decode()
    assert 'name="budget" value="84000.00"' in page
    assert f"Budget: what remains of the national budget lines for {year} (84000.00 EUR)." in page
