"""In a real browser: the policy officer opens the dashboard (its charts drawn, a figure opened to its
list), the liaison downloads the report to parliament as PDF and XLSX and finds the figures in them,
and a wrong period is refused on the page."""

import datetime as dt
import os

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dividend.pools.models import Role
from dividend.secondments.models import Secondment
from tests.browser import MARKS, launch, new_page, sign_in
from tests.factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


@pytest.fixture
def deployed(transactional_db):
    pool = make_pool("bpol", name="Federal Police")
    today = dt.date.today()
    mission = make_mission("EUCAP Sahel Niger", countries=["NER"], themes=["organised_crime"])
    for n, gender in enumerate(["female", "male", "female"]):
        officer = make_officer(pool, last_name=f"Schmidt-{n}", gender=gender)
        make_secondment(officer, make_position(mission, title="Police adviser"), status=Secondment.Status.DEPLOYED,
                        start=today - dt.timedelta(days=400), end=today + dt.timedelta(days=30))
    return {"policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
            "liaison": make_user(Role.MINISTRY_LIAISON, national=True, username="liaison")}


def _shot(page, name, tmp_path):
    folder = SCREENSHOTS or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_the_dashboard_and_a_figure_opened_to_its_list(live_server, deployed, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        browser = launch(p)
        page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 800}), deployed["policy"])
        page.click("nav >> text=Dashboard")
        expect(page.locator("#chart-missions svg")).to_be_visible()
        expect(page.locator("#chart-organisations svg")).to_be_visible()
        expect(page.locator("#empty-reports")).to_contain_text("No field reports")
        _shot(page, "accountability-dashboard", tmp_path)
        figure = page.locator("#table-missions a.figure").first
        expect(figure).to_have_text("3")
        figure.click()
        expect(page.locator("#drill-count")).to_have_text("3 records")
        expect(page.locator("#drill-list")).to_contain_text("Schmidt-0")
        browser.close()


def test_the_liaison_downloads_the_report_to_parliament(live_server, deployed, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    year = str(dt.date.today().year)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        browser = launch(p)
        page = sign_in(new_page(browser, live_server, accept_downloads=True), deployed["liaison"])
        page.click("#tile-parliament")
        page.fill("#id_period", "2026Q3..2026Q1")
        page.click("#parliament-filter button")
        expect(page.locator("#parliament-filter")).to_contain_text("wrong order")
        page.fill("#id_period", year)
        page.click("#parliament-filter button")
        expect(page.locator("#missions")).to_contain_text("EUCAP Sahel Niger")
        _shot(page, "accountability-parliament", tmp_path)
        with page.expect_download() as pdf_download:
            page.click("#download-pdf")
        pdf_path = tmp_path / "report.pdf"
        pdf_download.value.save_as(pdf_path)
        text = " ".join(" ".join(pg.extract_text().split()) for pg in PdfReader(pdf_path).pages)
        assert f"Report to parliament: {year}" in text and "EUCAP Sahel Niger" in text
        with page.expect_download() as xlsx_download:
            page.click("#download-xlsx")
        xlsx_path = tmp_path / "report.xlsx"
        xlsx_download.value.save_as(xlsx_path)
        summary = {row[0]: row[1] for row in load_workbook(xlsx_path)["Summary"].iter_rows(values_only=True)}
        assert summary["Officers deployed"] == 3 and summary["Women"] == 2
        browser.close()
