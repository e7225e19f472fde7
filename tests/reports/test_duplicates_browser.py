"""In a real browser: an analyst opens a report, sees its possible near-duplicate with the
similarity and a link, records "not a duplicate", and the suggestion gives way to the decision."""

from dividend.reports.models import DuplicateDecision

from ..browser import MARKS, new_page, sign_in
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture
from .test_duplicates import BODY, EDITED
from .test_reports import file

pytestmark = MARKS


def test_an_analyst_dismisses_a_suggested_near_duplicate(live_server, browser, world):  # noqa: F811
    original = file(world, key="draft-orig-1", title="Checkpoints on the Gao road", body=BODY)
    copy = file(world, key="draft-copy-1", title="Checkpoints on the Gao road (again)", body=EDITED)
    page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 800}), world["users"]["analyst"])
    page.goto(f"/reports/{copy.pk}/")
    row = page.locator("#duplicate-suggestions tbody tr")
    assert row.count() == 1
    assert row.locator("a").get_attribute("href") == f"/reports/{original.pk}/"
    assert "%" in row.locator("td").nth(4).inner_text()
    page.screenshot(path="/tmp/duplicates-suggested.png", full_page=True)
    with page.expect_navigation():
        row.locator("button[value=not_duplicate]").click()
    assert list(DuplicateDecision.objects.values_list("report_id", "other_id", "verdict")) == [
        (copy.pk, original.pk, "not_duplicate")]
    assert page.locator("#no-duplicates").is_visible()
    assert page.locator("#duplicate-decisions li a").get_attribute("href") == f"/reports/{original.pk}/"
    page.screenshot(path="/tmp/duplicates-decided.png", full_page=True)
