"""The skill and language rows and the searchable lists, in a real browser (issue 9, §2 and §6).

A coordinator adds, changes and removes rows and the record holds exactly what was chosen; bad rows
(a skill twice, a level no list offers) are refused next to the field and nothing is saved; a
secondee updates their availability on a phone. Saving a full record unchanged is the officer and
own-profile rows of test_browser_forms.EDIT_CASES, which now go through these widgets.
"""

import datetime as dt
import os

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.roster.models import Officer

from .browser import MARKS, launch
from .factories import make_officer, make_pool, make_user
from .test_browser_forms import SCREENSHOTS, log_in, officer_snapshot, populated_officer

pytestmark = MARKS


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()
SAVE = "main form.card button[type=submit]"


def chosen(page, name) -> list[tuple[str, ...]]:
    """The rows of a widget as shown: the chosen option's text of each select, row by row."""
    return [tuple(row) for row in page.eval_on_selector_all(
        f"[data-level-rows]:has(input[name='{name}']) tbody[data-rows] tr",
        "rows => rows.map(r => [...r.querySelectorAll('select')].map(s => s.selectedOptions[0].text))")]


def row_select(page, name, number, column):
    """The select of a column ("item", "level", "speaking"...) in the widget's row `number` (from 1)."""
    return page.locator(f"[data-level-rows]:has(input[name='{name}']) tbody[data-rows] tr").nth(
        number - 1).locator(f"select[name='{name}-{column}']")


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_coordinator_adds_changes_and_removes_skill_and_language_rows(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    officer = make_officer(pool, skills=[("criminal_investigation", 3), ("training", 2)],
                           languages=[("en", 5, 6, 4)], countries=["SRB"])
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/officers/{officer.pk}/edit/")
    assert chosen(page, "skills") == [("Criminal investigation", "3 – advanced"), ("Training", "2 – working"),
                                      ("—", "1 – basic")]
    assert chosen(page, "languages") == [("English", "C1", "C2", "B2"), ("—", "A1", "A1", "A1")]

    page.click("[data-level-rows]:has(input[name='skills']) button[data-add-row]")  # a fourth row
    row_select(page, "skills", 4, "item").select_option(label="Forensics")
    row_select(page, "skills", 4, "level").select_option(label="4 – expert")
    row_select(page, "skills", 2, "level").select_option(label="3 – advanced")  # training: 2 → 3
    page.locator("[data-level-rows]:has(input[name='skills']) tbody tr").nth(0).locator(
        "button[data-remove-row]").click()  # criminal investigation goes
    row_select(page, "languages", 2, "item").select_option(label="French")  # the blank row
    for column, level in (("speaking", "B1"), ("reading", "B2"), ("writing", "A2")):
        row_select(page, "languages", 2, column).select_option(label=level)
    assert chosen(page, "skills") == [("Training", "3 – advanced"), ("—", "1 – basic"), ("Forensics", "4 – expert")]
    # The rows are numbered again for screen readers after a removal.
    assert page.eval_on_selector_all("select[name=skills-item]", "s => s.map(e => e.getAttribute('aria-label'))") == [
        "Skill 1", "Skill 2", "Skill 3"]
    shot(page, "skills widget (coordinator, before save)")
    with page.expect_navigation():
        page.click(SAVE)
    assert page.locator("ul.messages li.success").inner_text() == "Saved (languages, skills)."

    officer = Officer.objects.get(pk=officer.pk)
    assert sorted((s.skill.code, s.level) for s in officer.skills.all()) == [("forensics", 4), ("training", 3)]
    assert sorted((lang.language.code, lang.speaking, lang.reading, lang.writing)
                  for lang in officer.languages.all()) == [("en", 5, 6, 4), ("fr", 3, 4, 2)]
    assert list(officer.country_expertise.values_list("iso3", flat=True)) == ["SRB"]
    assert list(AuditEntry.objects.filter(action="update").values_list("fields", flat=True)) == [
        ["languages", "skills"]]


def test_duplicate_rows_and_a_level_out_of_range_are_refused_next_to_the_field(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    officer = populated_officer(pool)
    before = officer_snapshot(officer)
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/officers/{officer.pk}/edit/")
    page.fill("#id_phone", "+49 30 9999 0000")  # a change that must not be saved either
    row_select(page, "skills", 4, "item").select_option(label="Training")  # Training twice
    # A select offers only 1–4; a script or a tampered request can send another number.
    page.eval_on_selector("select[name=languages-speaking]",
                          "s => { s.options[0].value = '7'; s.selectedIndex = 0; }")
    with page.expect_navigation():
        page.click(SAVE)
    errors = page.locator("main form.card ul.errorlist")
    assert errors.all_inner_texts() == [
        "Training is chosen twice (rows 3, 4): keep one row for it.",
        "Row 1: speaking must be one of A1, A2, B1, B2, C1, C2, not “7”."]
    # Each list sits right above its widget's label.
    assert page.eval_on_selector_all("main form.card ul.errorlist", "uls => uls.map(u => u.id)") == [
        "id_skills_error", "id_languages_error"]
    # What was chosen is shown again to correct, the bad level included.
    assert chosen(page, "skills") == [
        ("Community policing", "4 – expert"), ("Criminal investigation", "3 – advanced"), ("Training", "2 – working"),
        ("Training", "1 – basic"), ("—", "1 – basic")]
    assert chosen(page, "languages")[0] == ("English", "7", "C2", "B2")
    assert page.input_value("#id_phone") == "+49 30 9999 0000"
    shot(page, "skills widget refuses bad rows")
    assert officer_snapshot(officer) == before
    assert not AuditEntry.objects.filter(action__in=["update", "create"]).exists()


def test_secondee_updates_availability_on_a_phone(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    secondee = make_user(Role.SECONDEE, pools=[pool])
    officer = make_officer(pool, user=secondee, available_from=dt.date(2027, 3, 1), max_duration_months=6,
                           languages=[("en", 5, 5, 4)])
    page = log_in(browser, live_server, secondee)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/roster/me/")
    shot(page, "own profile on a phone (375x740), as opened")
    # Nothing wider than the phone: no sideways scrolling to reach a field or the button.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#id_profile-available_from", "2027-09-01")
    page.fill("#id_profile-max_duration_months", "12")
    save = page.locator("main form.card").nth(0).locator("button[type=submit]")
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    shot(page, "own profile on a phone (375x740)")
    with page.expect_navigation():
        save.click()
    assert page.locator("ul.messages li.success").inner_text() == "Saved (available_from, max_duration_months)."
    officer.refresh_from_db()
    assert (officer.available_from, officer.max_duration_months) == (dt.date(2027, 9, 1), 12)
    assert [(lang.speaking, lang.reading, lang.writing) for lang in officer.languages.all()] == [(5, 5, 4)]


@pytest.mark.parametrize("field", ["country_expertise", "thematic_expertise"])
def test_the_expertise_lists_are_searchable(live_server, browser, field):
    pool = make_pool("bpol", name="Bundespolizei")
    officer = make_officer(pool, countries=["SRB"], themes=["organised_crime"])
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/officers/{officer.pk}/edit/")
    word, expected = ("cote", ["Serbia", "Côte d'Ivoire"]) if field == "country_expertise" else (
        "traf", ["Arms trafficking", "Organised crime", "Trafficking in human beings"])
    page.fill(f"input[data-filter-select=id_{field}]", word)
    visible = page.eval_on_selector(f"#id_{field}", "s => [...s.options].filter(o => !o.hidden).map(o => o.text)")
    assert sorted(visible) == sorted(expected)  # the match, and what is chosen stays in sight
    chosen_line = "Chosen: Serbia" if field == "country_expertise" else "Chosen: Organised crime"
    assert page.locator(f".searchable-select:has(#id_{field}) .chosen").inner_text() == chosen_line


def test_the_roster_filters_country_and_theme_lists_are_searchable(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/")
    page.select_option("#id_country", label="Serbia")
    page.fill("input[data-filter-select=id_country]", "ukr")
    visible = page.eval_on_selector("#id_country", "s => [...s.options].filter(o => !o.hidden).map(o => o.text)")
    assert visible == ["Serbia", "Ukraine"]
    page.fill("input[data-filter-select=id_theme]", "CYBER")
    visible = page.eval_on_selector("#id_theme", "s => [...s.options].filter(o => !o.hidden).map(o => o.text)")
    assert visible == ["Cybercrime"]
    assert page.locator(".searchable-select:has(#id_country) .chosen").inner_text() == "Chosen: Serbia"
    shot(page, "roster filters, searchable lists")
