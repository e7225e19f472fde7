"""In a real browser: an analyst works the triage queue (suggestions accepted with a click, the
lock another analyst meets, a comment for the author through htmx, a bulk move); the secondee
cannot reach the triage, reads the comment meant for her, and gets suggestions on the filing form."""

from dividend.pools.models import Role
from dividend.reports.models import FieldReport, ReportLock

from ..browser import MARKS, new_page, sign_in
from ..factories import make_user
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture
from .test_reports import file

pytestmark = MARKS

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 740}


def test_an_analyst_triages_with_suggestions_lock_comments_and_bulk(live_server, browser, world):  # noqa: F811
    users = world["users"]
    report = file(world, title="Smugglers near Gao", body="Migrants crossed from Niger towards Kidal; "
                                                          "two checkpoints moved.", places="")
    others = [file(world, key=f"draft-b{n}", title=f"Weekly {n}") for n in range(2)]
    second = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2", first_name="Bo", last_name="Berg")

    analyst = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["analyst"])
    analyst.goto("/reports/")
    analyst.click("#triage-queue-link")
    assert analyst.locator("#triage-queue tbody tr").count() == 3
    analyst.click(f"#queue-{report.pk} a")
    assert ReportLock.objects.get().holder == users["analyst"]
    suggestions = analyst.locator("#triage-suggestions")
    assert "Smugglers" in suggestions.inner_text() and "Kidal" in suggestions.inner_text()
    analyst.screenshot(path="/tmp/triage-page.png", full_page=True)

    # Another analyst opens it meanwhile: told who edits it since when, and cannot save.
    other = sign_in(new_page(browser, live_server, viewport=DESKTOP), second)
    other.goto(f"/reports/{report.pk}/triage/")
    assert other.locator("#lock-note strong").inner_text().startswith("Being edited by ana since ")
    assert other.locator("#save-triage").is_disabled()
    other.screenshot(path="/tmp/triage-locked.png", full_page=True)

    # Accept a theme and a city suggestion: only then are they in the form; saving stores them.
    analyst.click("#triage-suggestions li[data-kind=theme] >> nth=0 >> button")
    analyst.click("#triage-suggestions li[data-kind=city]:has-text('Kidal') >> button")
    assert analyst.input_value("#id_places") == "Kidal"
    analyst.select_option("#id_status", "in_review")
    with analyst.expect_navigation():
        analyst.click("#save-triage")
    report.refresh_from_db()
    assert ([t.code for t in report.themes.all()], report.places, report.status) == (
        ["migrant_smuggling_irregular_migration"], "Kidal", "in_review")
    assert ReportLock.objects.count() == 1  # the page shown after the save is open again (renewed lock)

    # Closing without saving releases the lock: the other analyst may then save.
    with analyst.expect_navigation():
        analyst.click("#release-lock")
    assert ReportLock.objects.count() == 0
    analyst.goto(f"/reports/{report.pk}/triage/")

    # A comment for the author, added in place.
    analyst.fill("#id_text", "Which road did they take?")
    analyst.check("#id_for_author")
    analyst.click("#comment-form button[type=submit]")
    analyst.wait_for_selector("#triage-comments .comment:has-text('Which road did they take?')")

    # Bulk: the two other reports moved to in review at once.
    analyst.goto("/reports/triage/")
    for r in others:
        analyst.check(f"#choose-{r.pk}")
    analyst.select_option("#id_action", "status")
    analyst.select_option("#bulk-actions #id_status", "in_review")
    with analyst.expect_navigation():
        analyst.click("#bulk-actions button[type=submit]")
    assert set(FieldReport.objects.filter(pk__in=[r.pk for r in others]).values_list("status", flat=True)) == {
        "in_review"}
    analyst.screenshot(path="/tmp/triage-queue.png", full_page=True)


def test_a_secondee_cannot_reach_the_triage_and_reads_what_is_meant_for_her(live_server, browser, world):  # noqa: F811
    from dividend.reports import triage

    users = world["users"]
    report = file(world)
    triage.add_comment(actor=users["analyst"], report=report, text="Internal: check with the mission.")
    triage.add_comment(actor=users["analyst"], report=report, text="Thank you: which road was closed?",
                       for_author=True)
    secondee = sign_in(new_page(browser, live_server, viewport=PHONE), users["secondee"])
    response = secondee.goto("/reports/triage/")
    assert response.status == 403
    secondee.screenshot(path="/tmp/triage-secondee-403.png", full_page=True)
    assert secondee.goto(f"/reports/{report.pk}/triage/").status == 403
    secondee.goto("/reports/")
    assert secondee.locator("#triage-queue-link").count() == 0
    secondee.goto(f"/reports/{report.pk}/")
    text = secondee.locator("main").inner_text()
    assert "which road was closed?" in text and "Internal" not in text

    # Suggestions on the filing form: shown with their words, applied only on "Use".
    secondee.goto("/reports/new/")
    secondee.fill("#id_title", "Cocaine seized in Gao")
    secondee.fill("#id_body", "Police found cocaine in a truck near Gao.")
    secondee.click("#suggest-button")
    secondee.wait_for_selector("#suggestions li[data-kind=theme]")
    assert secondee.eval_on_selector("#id_themes", "s => [...s.selectedOptions].length") == 0
    secondee.click("#suggestions li[data-kind=theme] >> nth=0 >> button")
    assert secondee.eval_on_selector("#id_themes", "s => [...s.selectedOptions].map(o => o.text)") == ["Drugs"]
    secondee.screenshot(path="/tmp/triage-filing-suggestions.png", full_page=True)
