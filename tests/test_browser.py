"""One real browser journey: log in as a coordinator, search with three filters, open a profile, export CSV."""

import os

from dividend.pools.models import Role

from .browser import MARKS, launch, new_page, sign_in
from .factories import make_officer, make_pool, make_user

pytestmark = MARKS


def test_coordinator_searches_opens_profile_and_exports(live_server, tmp_path):
    pool = make_pool("bpol", name="Federal Police")
    user = make_user(Role.COORDINATOR, pools=[pool], username="coord")
    target = make_officer(pool, last_name="Korhonen", first_name="Aino", gender="female",
                          skills=[("criminal_investigation", 3)], languages=[("fr", 4, 4, 4)])
    make_officer(pool, last_name="Nieminen", gender="male", skills=[("criminal_investigation", 3)],
                 languages=[("fr", 4, 4, 4)])
    make_officer(pool, last_name="Laine", gender="female", skills=[("criminal_investigation", 1)],
                 languages=[("fr", 4, 4, 4)])

    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not used while the browser runs
    with sync_playwright() as p:
        browser = launch(p)
        # A coordinator of the pool sees restricted data: sign_in gives the second factor too.
        page = sign_in(new_page(browser, live_server, accept_downloads=True), user, next_url="/roster/")

        page.select_option("select[aria-label='Skill 1']", label="Criminal investigation")
        page.select_option("select[aria-label='Skill level 1']", value="3")
        page.select_option("select[aria-label='Language 1']", label="French")
        page.select_option("select[aria-label='Language level 1']", value="B2")
        page.select_option("#id_gender", "female")
        page.click("#roster-filters button[type=submit]")
        expect(page.locator("#result-count")).to_have_text("1 officer")  # no string eval: the page's CSP refuses it
        assert "gender=female" in page.url  # htmx pushed the filters into the address

        with page.expect_download() as download_info:
            page.click("#export-csv")
        csv_path = tmp_path / "roster.csv"
        download_info.value.save_as(csv_path)
        lines = csv_path.read_text(encoding="utf-8-sig").strip().splitlines()
        assert len(lines) == 2 and "Korhonen" in lines[1] and "Nieminen" not in csv_path.read_text()

        page.click("text=Korhonen, Aino")
        page.wait_for_url(f"{live_server.url}/roster/officers/{target.pk}/")
        assert page.locator("h1").inner_text().startswith("Aino Korhonen")
        assert "Criminal investigation 3" in page.content()
        browser.close()
