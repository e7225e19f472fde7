"""The pages work under the Content Security Policy: a real browser reports no violation on the main
pages and their htmx interactions, charts and the API docs included."""

import os

from dividend.pools.models import Role

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


def test_main_pages_raise_no_policy_violation(live_server):
    from dividend.priorities import services

    from .priorities_app.conftest import SMALL_MODEL

    pool = make_pool("bpol")
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    policy = make_user(Role.POLICY_OFFICER, national=True)
    officer = make_officer(pool, last_name="Korhonen")
    make_secondment(officer, make_position(make_mission("EUTEST")))
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    run, _ = services.start_run(actor=policy, version=model.current_version, draws=20, seed=7, label="baseline")
    country = run.countries.exclude(rank=None).order_by("rank").first()

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not used while the browser runs
    violations, visited = [], []
    with sync_playwright() as p:
        browser = launch(p)

        def session(user):
            page = new_page(browser, live_server)
            page.on("console", lambda m: violations.append((page.url, m.text))
                    if "Content Security Policy" in m.text else None)
            return sign_in(page, user)

        def visit(page, path):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            visited.append(path)

        page = session(coordinator)
        visit(page, "/roster/")
        with page.expect_response(lambda r: "/roster/?" in r.url):  # htmx search
            page.click("form[hx-get] button[type=submit]")
        for path in ["/roster/crisis/", f"/roster/officers/{officer.pk}/", f"/roster/officers/{officer.pk}/edit/",
                     "/missions/", "/secondments/"]:
            visit(page, path)
        with page.expect_navigation():  # the status filter submits itself (dividend.js)
            page.locator("main select[data-autosubmit]").select_option("selected")
        assert page.url.endswith("?status=selected")
        visit(page, "/api/docs")
        page.wait_for_selector(".swagger-ui .opblock-summary", timeout=15000)
        visit(page, "/tokens/")
        page.fill("#id_name", "sync script")
        page.click("#new-token button[type=submit]")
        page.wait_for_selector("#new-key code.key")
        # The account pages, the authenticator's QR code (inline SVG) included.
        for path in ["/account/", "/account/password/", "/account/second-factor/"]:
            visit(page, path)

        page = session(policy)
        for path in ["/priorities/", f"/priorities/models/{model.name}/", f"/priorities/runs/{run.pk}/",
                     f"/priorities/runs/{run.pk}/countries/{country.iso3}/", f"/priorities/runs/{run.pk}/robustness/",
                     f"/priorities/compare/?a={run.pk}&b={run.pk}"]:
            visit(page, path)
        visit(page, f"/priorities/models/{model.name}/")
        with page.expect_response(lambda r: r.url.endswith("/check/")):  # htmx check of the model file
            page.click("button:has-text('Check')")
        page.wait_for_selector("#problems-slot :text('no problems')")
        browser.close()
    assert (violations, len(visited)) == ([], 18)
