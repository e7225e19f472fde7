"""In a real browser: the officer and her line manager agree her learning objectives, she writes
her debriefing and rates herself, the line manager rates her, she answers the six-month question, a
vacancy is recorded, matched and filled (the secondment is reintegrated); every edit form saved
unchanged changes nothing."""

import datetime as dt
import os

from dividend.audit.models import AuditEntry
from dividend.careers.models import Appraisal, Debriefing, FollowUp, LearningPlan, Placement, Vacancy
from dividend.pools.models import Role
from dividend.secondments.models import Secondment

from ..browser import MARKS
from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user
from ..test_browser_forms import browser, log_in, row, rows  # noqa: F401 - the browser fixture

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


def _submit(page, form_id):
    with page.expect_navigation():
        page.click(f"#{form_id} button[type=submit]")
    assert page.locator("ul.messages li.success").count() == 1, page.locator("main").inner_text()


def _rate_all(page, value):
    for select in page.locator("#appraisal-form select").all():
        select.select_option(str(value))
    _submit(page, "appraisal-form")


def _snapshot(secondment):
    plan = LearningPlan.objects.filter(secondment=secondment).first()
    return {"plan": row(plan) if plan else None, "objectives": rows(plan.objectives.all()) if plan else [],
            "debriefing": rows(Debriefing.objects.filter(secondment=secondment)),
            "appraisals": rows(Appraisal.objects.filter(secondment=secondment)),
            "ratings": [rows(a.ratings.all()) for a in Appraisal.objects.filter(secondment=secondment).order_by("pk")],
            "follow_up": rows(FollowUp.objects.filter(secondment=secondment)),
            "vacancies": [(row(v), rows(v.skills.all()), sorted(v.countries.values_list("pk", flat=True)),
                           sorted(v.themes.values_list("pk", flat=True))) for v in Vacancy.objects.order_by("pk")]}


def test_objectives_debriefing_appraisal_vacancy_match_placement(live_server, browser):  # noqa: F811
    pool = make_pool("bpol", name="Bundespolizei")
    secondee = make_user(Role.SECONDEE, pools=[pool], username="aalto")
    officer = make_officer(pool, user=secondee, first_name="Aino", last_name="Aalto",
                           skills=[("criminal_investigation", 3)], languages=[("fr", 5, 5, 4)])
    hr = make_user(Role.HR_MANAGER, pools=[pool], username="krueger")
    mission = make_mission("EUCAPSN", countries=("NER",), themes=("migrant_smuggling_irregular_migration",))
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.RETURNED,
                                 start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    record = f"/careers/secondments/{secondment.pk}/"

    # The officer drafts three objectives and her career plan, and confirms them.
    page = log_in(browser, live_server, secondee)
    page.goto(f"{live_server.url}{record}")
    page.click("#edit-plan")
    for i, (skill, level) in enumerate([("Criminal investigation", "4"), ("Migrant smuggling", "3"),
                                        ("Leadership", "3")]):
        if i:
            page.click("#plan-form [data-add-row]")
        page.locator("#plan-form select[name=objectives-item]").nth(i).select_option(label=skill)
        page.locator("#plan-form select[name=objectives-level]").nth(i).select_option(level)
    page.fill("#id_career_plan", "Head the smuggling desk of the migration crime unit.")
    _submit(page, "plan-form")
    with page.expect_navigation():
        page.click("#confirm-officer")

    # Her line manager confirms: the plan is agreed; he rates her before the mission.
    manager = log_in(browser, live_server, hr)
    manager.goto(f"{live_server.url}{record}")
    with manager.expect_navigation():
        manager.click("#confirm-supervisor")
    assert "agreed" in manager.locator("#confirmations").inner_text()
    assert LearningPlan.objects.get().agreed
    manager.click("#rate-before-supervisor")
    _rate_all(manager, 2)

    # Back home: her debriefing (restricted) and her own rating after the mission; six months on,
    # the skills she used.
    page.goto(f"{live_server.url}{record}")
    page.click("#edit-debriefing")
    page.fill("#id_mandate_implementation", "Mentored the border police on document fraud.")
    page.fill("#id_host_country_context", "A transition government; the EU mission's mandate narrowed.")
    page.fill("#id_networks_built", "The judicial police's director; the IOM office in Agadez.")
    page.fill("#id_lessons_learned", "Learn Hausa before leaving.")
    page.fill("#id_contacts", "IOM Agadez; judicial police Niamey")
    _submit(page, "debriefing-form")
    page.click("#rate-after-self")
    _rate_all(page, 3)
    page.click("#answer-follow-up")
    page.check("#follow-up-form input[value=migrant_smuggling]")
    _submit(page, "follow-up-form")
    manager.goto(f"{live_server.url}{record}")
    manager.click("#rate-after-supervisor")
    _rate_all(manager, 4)
    assert "IOM Agadez" in manager.locator("#debriefing").inner_text()  # need-to-know: his pool
    if SCREENSHOTS:
        manager.screenshot(path=os.path.join(SCREENSHOTS, "careers record.png"), full_page=True)

    # A vacancy at home; the matched returnee with every part of her score; the placement.
    manager.goto(f"{live_server.url}/careers/vacancies/")
    manager.click("#new-vacancy")
    manager.select_option("#id_pool", str(pool.pk))
    manager.fill("#id_post", "Smuggling desk officer")
    manager.fill("#id_unit", "Migration crime unit")
    manager.fill("#id_location", "Potsdam")
    manager.locator("#vacancy-form select[name=skills-item]").nth(0).select_option(label="Migrant smuggling")
    manager.locator("#vacancy-form select[name=skills-level]").nth(0).select_option("3")
    _submit(manager, "vacancy-form")
    vacancy = Vacancy.objects.get()
    matches = manager.locator("#matches").inner_text()
    assert "Aino Aalto" in matches and "Skills gained on mission: 50.0 / 50" in matches
    assert "Skills held: 0.0 / 20" in matches and "\t50.0\t" in matches
    if SCREENSHOTS:
        manager.screenshot(path=os.path.join(SCREENSHOTS, "careers vacancy.png"), full_page=True)

    # Every edit form saved unchanged changes nothing (the vacancy's while it is open).
    before = _snapshot(secondment)
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for who, path, form_id in [(page, f"{record}plan/", "plan-form"), (page, f"{record}debriefing/", "debriefing-form"),
                               (page, f"{record}appraisal/after/self/", "appraisal-form"),
                               (page, f"{record}follow-up/", "follow-up-form"),
                               (manager, f"{record}appraisal/before/supervisor/", "appraisal-form"),
                               (manager, f"{record}appraisal/after/supervisor/", "appraisal-form"),
                               (manager, f"/careers/vacancies/{vacancy.pk}/edit/", "vacancy-form")]:
        who.goto(f"{live_server.url}{path}")
        with who.expect_navigation():
            who.click(f"#{form_id} button[type=submit]")
        assert who.locator("ul.messages li.success").inner_text() == "Nothing changed.", path
    assert _snapshot(secondment) == before
    assert list(AuditEntry.objects.filter(id__gt=last_entry).exclude(action__in=["read", "list"])
                .values_list("action", "object_type")) == []

    manager.goto(f"{live_server.url}/careers/vacancies/{vacancy.pk}/")
    manager.select_option("#place-form select[name=secondment]", str(secondment.pk))
    manager.fill("#place-form input[name=start_date]", "2025-03-01")  # before her return: refused
    with manager.expect_navigation():
        manager.click("#place-form button[type=submit]")
    assert "before the return on 2025-03-31" in manager.locator("ul.messages").inner_text()
    assert not Placement.objects.exists()
    manager.select_option("#place-form select[name=secondment]", str(secondment.pk))
    manager.fill("#place-form input[name=start_date]", "2025-05-01")
    _submit(manager, "place-form")
    secondment.refresh_from_db()
    placement = Placement.objects.get()
    assert (secondment.status, placement.skills_considered, placement.score["total"]) == (
        Secondment.Status.REINTEGRATED, True, 50.0)
    assert "Placed" in manager.locator("#placement").inner_text()
