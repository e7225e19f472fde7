"""In a real browser: each role's start page (a screenshot of each into the test artefacts), the
coordinator confirming a qualification from it, and no page wider than the screen: every page at
1,366 px, the secondee's own pages on a phone (375 px)."""

import datetime as dt
import os

import pytest

from dividend.pools.models import Role
from dividend.reference.models import QualificationType
from dividend.roster.models import Qualification
from dividend.secondments.models import Secondment

from .browser import MARKS, launch, new_page, sign_in
from .factories import (
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_secondment,
    make_user,
)

pytestmark = MARKS
# The artefacts folder of browser tests (as tests/test_browser_forms.py): set in CI to keep the pictures.
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 375, "height": 740}


def _days(n):
    return dt.date.today() + dt.timedelta(days=n)


@pytest.fixture
def office(transactional_db):
    """A working day's data: pools, officers with things due, a national ranking, one user per role."""
    from dividend.priorities import services

    federal, state = make_pool("bpol", name="Federal Police"), make_pool("lka-nrw", name="North Rhine-Westphalia Police")
    users = {
        "coordinator": make_user(Role.COORDINATOR, pools=[federal], username="coordinator"),
        "policy_officer": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "auditor": make_user(Role.AUDITOR, national=True, username="auditor"),
        "secondee": make_user(Role.SECONDEE, pools=[federal], username="secondee"),
    }
    own = make_officer(federal, user=users["secondee"], first_name="Aino", last_name="Korhonen-Wittgenstein",
                       phone="", languages=[("en", 5, 5, 4)])
    passport = QualificationType.objects.get(code="passport")
    pending = Qualification.objects.create(officer=own, qualification_type=passport, issued_on=_days(-3),
                                           expires_on=_days(3650), status=Qualification.Status.PENDING,
                                           submitted_by=users["secondee"])
    Qualification.objects.create(officer=own, qualification_type=passport, issued_on=_days(-3600),
                                 expires_on=_days(25))
    mission = make_mission("EUCAP Sahel Niger", countries=["NER"], themes=["organised_crime"])
    for n, pool in enumerate([federal, federal, state]):
        officer = make_officer(pool, last_name=f"Schmidt-{n}", available_from=_days(-n - 2),
                               skills=[("criminal_investigation", 3)])
        Qualification.objects.create(officer=officer, qualification_type=passport, expires_on=_days(40 + n))
        make_secondment(officer, make_position(mission, title=f"Senior adviser on organised crime {n}"),
                        status=Secondment.Status.DEPLOYED, start=_days(-200), end=_days(30 + 20 * n))
    model = services.ensure_default_model()
    run, _ = services.start_run(actor=users["policy_officer"], version=model.current_version, draws=0, seed=1,
                                label="Quarterly review")
    return {"users": users, "pending": pending, "own": own, "run": run, "mission": mission}


def _session(browser, live_server, user, viewport=DESKTOP):
    return sign_in(new_page(browser, live_server, viewport=viewport), user)


def _screenshot(page, name, tmp_path):
    folder = SCREENSHOTS or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_start_page_per_role_and_a_confirmation_from_it(live_server, office, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not used while the browser runs
    with sync_playwright() as p:
        browser = launch(p)
        for role, user in office["users"].items():
            page = _session(browser, live_server, user)
            expect(page.locator("h1")).to_have_text("What needs you today")
            _screenshot(page, f"start page - {role}", tmp_path)
            assert _overflow(page) <= 0, role
            page.close()
        page = _session(browser, live_server, office["users"]["secondee"], viewport=PHONE)
        _screenshot(page, "start page - secondee on a phone", tmp_path)
        assert _overflow(page) <= 0

        page = _session(browser, live_server, office["users"]["coordinator"])
        expect(page.locator("#tile-pending .tile-count")).to_have_text("1")
        page.click(f"#confirm-{office['pending'].pk}")
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator(".messages")).to_contain_text("Decision recorded.")
        expect(page.locator("#tile-pending .tile-count")).to_have_text("0")
        # Each tile leads to its list, which shows what the tile counted.
        page.click("#tile-ending")
        expect(page.locator("#secondment-count")).to_have_text("2 secondments")
        browser.close()
    office["pending"].refresh_from_db()
    assert office["pending"].status == Qualification.Status.CONFIRMED


def test_no_page_is_wider_than_the_screen(live_server, office, tmp_path):
    from playwright.sync_api import sync_playwright

    run, own, mission = office["run"], office["own"], office["mission"]
    country = run.countries.exclude(rank=None).order_by("rank").first()
    model = run.model_version.model.name
    secondment = Secondment.objects.filter(status=Secondment.Status.DEPLOYED).select_related("position").first()
    position = secondment.position
    passport = own.qualifications.get(status=Qualification.Status.CONFIRMED)
    desktop = {
        "coordinator": ["/", "/roster/", "/roster/?skill=1&skill_level=1", f"/roster/officers/{own.pk}/",
                        f"/roster/officers/{own.pk}/edit/", "/roster/crisis/", "/roster/crisis/?within_days=14&duration_months=3",
                        "/roster/qualifications/pending/", "/roster/qualifications/expiring/", "/roster/import/",
                        "/missions/", f"/missions/{mission.pk}/", "/missions/positions/",
                        f"/missions/positions/{position.pk}/", "/secondments/", f"/secondments/{secondment.pk}/edit/",
                        f"/secondments/officers/{own.pk}/new/", f"/roster/qualifications/{passport.pk}/edit/",
                        "/priorities/", "/account/", "/tokens/"],
        "policy_officer": ["/", "/priorities/", f"/priorities/models/{model}/", f"/priorities/models/{model}/versions/",
                           f"/priorities/models/{model}/versions/1/", f"/priorities/models/{model}/themes/",
                           f"/priorities/runs/{run.pk}/", f"/priorities/runs/{run.pk}/countries/{country.iso3}/",
                           "/priorities/runs/", "/priorities/runs/new/", "/priorities/datasets/",
                           f"/priorities/compare/?a={run.pk}&b={run.pk}"],
        "auditor": ["/", "/audit/"],
    }
    phone = ["/", "/roster/me/", f"/roster/officers/{own.pk}/", "/account/", "/missions/"]
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    too_wide = []
    with sync_playwright() as p:
        browser = launch(p)
        for role, paths in desktop.items():
            page = _session(browser, live_server, office["users"][role])
            for path in paths:
                page.goto(live_server.url + path)
                if _overflow(page) > 0:
                    too_wide.append((role, path, DESKTOP["width"], _overflow(page)))
                    _screenshot(page, f"too wide - {role} - {path.strip('/').replace('/', ' ')}", tmp_path)
                elif path == f"/priorities/runs/{run.pk}/":  # the table that overflowed before
                    page.screenshot(path=os.path.join(SCREENSHOTS or str(tmp_path), "ranking at 1366 px.png"))
            page.close()
        page = _session(browser, live_server, office["users"]["secondee"], viewport=PHONE)
        for path in phone:
            page.goto(live_server.url + path)
            if _overflow(page) > 0:
                too_wide.append(("secondee", path, PHONE["width"], _overflow(page)))
                _screenshot(page, f"too wide - secondee - {path.strip('/').replace('/', ' ')}", tmp_path)
        _screenshot(page, "my profile on a phone", tmp_path)
        browser.close()
    assert too_wide == [], too_wide
