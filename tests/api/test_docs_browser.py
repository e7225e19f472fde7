"""/api/docs renders Swagger UI in a real browser without any other host (an air-gapped network)."""

from urllib.parse import urlsplit

from ..browser import MARKS, launch

pytestmark = MARKS


def test_api_docs_render_from_this_server_only(live_server):
    from playwright.sync_api import sync_playwright

    server = urlsplit(live_server.url).netloc
    hosts = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(f"{live_server.url}/api/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
        assert page.inner_text(".swagger-ui .info .title").startswith("Dividend API")
        assert page.locator(".opblock-summary-path", has_text="/api/officers").count() >= 2
        browser.close()
    assert hosts == {server}
