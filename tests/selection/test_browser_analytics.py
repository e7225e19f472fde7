"""In a real browser, in German at 1,366 px: the selection's figures fit the screen (every table of
figures without scrolling) and the board links them (issue 10 §7, issue 9 §2). Screenshot to the
artefacts (DIVIDEND_SCREENSHOTS, else the test's own folder)."""

import os

from ..browser import MARKS, launch, new_page, sign_in
from .conftest import sel  # noqa: F401 - the fixture behind `figures`
from .test_analytics import figures  # noqa: F401

pytestmark = MARKS


def test_the_figures_fit_1366_px_in_german(figures, live_server, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        browser = launch(p)
        page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 900}, locale="de-DE"),
                       figures["users"]["national"])
        page.goto(f"{live_server.url}/selection/")
        page.click("#analytics-link")
        page.wait_for_url(f"{live_server.url}/selection/analytics/")
        assert page.inner_text("h1") == "Auswertung der Auswahl"
        assert page.inner_text("#refusals") == "1 von 4 Freigabeentscheidungen (25 %) · 1 wartet auf Freigabe"
        overflowing = page.evaluate("[...document.querySelectorAll('.table-scroll')]"
                                    ".filter(box => box.scrollWidth > box.clientWidth).length")
        assert overflowing == 0
        assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
        folder = os.environ.get("DIVIDEND_SCREENSHOTS") or str(tmp_path)
        page.screenshot(path=os.path.join(folder, "selection analytics in German at 1366 px.png"), full_page=True)
        browser.close()
