"""The scorecard and portfolio pages in a real browser: as the policy officer and as the ministry
liaison; a portfolio form with infeasible targets names them and saves nothing; a negative budget is
refused. Screenshots go to $SCREENSHOTS when set (to look at them)."""

import datetime as dt
import os

import pytest

from dividend.accountability.models import PortfolioRun
from dividend.pools.models import Role
from dividend.selection import services as selection

from ..browser import MARKS, launch, new_page, sign_in
from ..factories import make_mission, make_officer, make_position, make_user
from . import scorecard_data

pytestmark = MARKS


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def shot(page, name):
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{name}.png"), full_page=True)


@pytest.fixture
def planning_world():
    known = scorecard_data.build()
    today = dt.date.today()
    pool = known["pools"][0]
    coordinator = make_user(Role.COORDINATOR, national=True)
    call = selection.create_call(actor=coordinator, pools=[pool], organisation="un", kind="regular", reference="UN-B",
                                 title="UN call", published_on=today, organisation_deadline=today + dt.timedelta(days=30),
                                 national_deadline=today + dt.timedelta(days=20))
    mission = make_mission("UNBRO", organisation="un")
    for title in ("Adviser", "Trainer"):
        selection.add_call_position(actor=coordinator, call=call, position=make_position(mission, title=title))
    selection.change_call_status(actor=coordinator, call=call, status="open")
    for gender in ("female", "male"):
        make_officer(pool, gender=gender, available_from=today)
    return known


def test_the_policy_officer_plans_and_the_liaison_reads(live_server, browser, planning_world):
    policy, liaison = planning_world["users"]["policy"], planning_world["users"]["liaison"]
    page = sign_in(new_page(browser, live_server), policy, next_url="/accountability/scorecard/")
    assert "EUKNOWN" in page.inner_text("#by-mission")
    shot(page, "scorecard-index-policy")
    page.goto(f"/accountability/scorecard/secondments/{planning_world['sa'].pk}/")
    assert page.inner_text("#scorecard-total") == "54.63 / 100"
    assert page.locator("tr.missing").count() == 1
    shot(page, "scorecard-secondment")
    page.goto("/accountability/portfolio/")
    page.fill("#id_budget", "-5")
    page.fill("#id_cost_per_person_month", "1000")
    page.click("form#portfolio-form button[type=submit]")
    # The browser refuses it before sending (the field's minimum); the server refuses it too (test_portfolio_app).
    assert page.eval_on_selector("#id_budget", "e => e.validationMessage") != ""
    assert PortfolioRun.objects.count() == 0
    page.fill("#id_budget", "12000")
    page.fill("#id_min_women", "2")
    page.click("form#portfolio-form button[type=submit]")
    conflicts = page.inner_text("#conflicts")
    assert "At least 2 women deployable" in conflicts and "Budget at most 12,000.00" in conflicts
    shot(page, "portfolio-conflict")
    assert PortfolioRun.objects.count() == 0
    page.fill("#id_min_women", "")
    page.click("form#portfolio-form button[type=submit]")
    page.wait_for_url("**/accountability/portfolio/runs/*/")
    assert page.locator("#chosen tbody tr").count() == 1
    shot(page, "portfolio-run")
    other = sign_in(new_page(browser, live_server), liaison, next_url="/accountability/scorecard/")
    assert "Aalto" not in other.content()
    other.goto(f"/accountability/scorecard/missions/{planning_world['mission'].pk}/")
    assert "MISSING" in other.inner_text("#scorecard") and other.locator("#secondments").count() == 0
    shot(other, "scorecard-mission-liaison")
    other.goto(f"/accountability/portfolio/runs/{PortfolioRun.objects.get().pk}/")
    assert other.locator("#chosen tbody tr").count() == 1
