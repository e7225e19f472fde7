"""Every edit form, in a real browser: saving a fully populated record unchanged changes nothing.

Each edit form of the product is one row of EDIT_CASES: a builder that makes a record with every
field set (restricted fields, skills, languages, expertise, dates included) and says who edits it,
where, which button saves, and how to read the stored record back. The test opens the form as that
user, clicks the real submit button, and compares the stored record field by field, related rows
included; the audit log must show no change. A form a later issue adds gets its row here.

Also in the browser: a date the form cannot read is a clear error and loses nothing, and htmx shows
the error instead of stale results.
"""

import datetime as dt
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from dividend.audit.models import AuditEntry
from dividend.missions.models import Mission
from dividend.pools.models import Role
from dividend.priorities import services as priority_services
from dividend.priorities.models import PriorityModel, UserDataset
from dividend.roster.models import Officer, Qualification, UnavailablePeriod
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

SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")  # a directory: keep a picture of each form
pytestmark = MARKS


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def log_in(browser, live_server, user):
    """A desktop page of the test server with `user` signed in (tests/browser.py's `sign_in`)."""
    return sign_in(new_page(browser, live_server), user)


# --- Snapshots: the stored record, field by field ------------------------------------------------

# Touched by every save of the row, whatever changed; not data people enter.
BOOKKEEPING = {"updated_at"}


def row(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in BOOKKEEPING}


def rows(queryset) -> list[dict]:
    return [row(obj) for obj in queryset.order_by("pk")]


def officer_snapshot(officer: Officer) -> dict:
    return {
        "row": row(officer),
        "skills": rows(officer.skills.all()),
        "languages": rows(officer.languages.all()),
        "country_expertise": sorted(officer.country_expertise.values_list("pk", flat=True)),
        "thematic_expertise": sorted(officer.thematic_expertise.values_list("pk", flat=True)),
        "qualifications": rows(officer.qualifications.all()),
        "unavailable": rows(officer.unavailable_periods.all()),
        "secondments": rows(officer.secondments.all()),
    }


def populated_officer(pool, **fields) -> Officer:
    """An officer with every field and every kind of related record set."""
    officer = make_officer(
        pool, first_name="Aino-Maija", last_name="Müller-O'Brien", gender="female", rank_code="chief_inspector",
        date_of_birth=dt.date(1984, 2, 29), email="aino.muller@example.org", phone="+49 30 1234 5678",
        emergency_contact_name="Jussi Müller", emergency_contact_phone="+358 40 765 4321",
        service_start=dt.date(2004, 9, 1), misconduct_recorded_on=dt.date(2019, 11, 30),
        available_from=dt.date(2027, 3, 1), max_duration_months=18,
        skills=[("criminal_investigation", 3), ("training", 2), ("community_policing", 4)],
        languages=[("en", 5, 6, 4), ("fr", 3, 4, 2), ("de", 6, 6, 6)],
        qualifications=[("passport", dt.date(2022, 6, 1), dt.date(2032, 5, 31)),
                        ("un_saat", dt.date(2024, 5, 1), dt.date(2027, 5, 1)),
                        ("medical_fitness", dt.date(2026, 1, 15), dt.date(2027, 1, 14)),
                        ("security_clearance", dt.date(2023, 9, 1), dt.date(2028, 8, 31))],
        countries=["SRB", "XKX", "UKR"], themes=["organised_crime", "border_management"], **fields)
    Qualification.objects.filter(officer=officer, qualification_type__code="security_clearance").update(
        level="secret")  # a clearance keeps its level and expiry, no document number
    Qualification.objects.filter(officer=officer, qualification_type__code="un_saat").update(
        status=Qualification.Status.PENDING, reference="SAAT-17")
    UnavailablePeriod.objects.create(officer=officer, start=dt.date(2027, 7, 1), end=dt.date(2027, 8, 15),
                                     reason=UnavailablePeriod.Reason.TRAINING)
    mission = make_mission("EULEX", countries=["XKX"], themes=["organised_crime"], status=Mission.Status.ACTIVE)
    make_secondment(officer, make_position(mission, title="Police adviser"), start=dt.date(2019, 4, 1),
                    end=dt.date(2020, 3, 31))
    return Officer.objects.get(pk=officer.pk)


PRIORITY_MODEL = textwrap.dedent("""\
    format_version: 1
    id: small
    name: Small test model
    version: "1"
    home_country: DEU
    countries: [COL, MEX, NGA, AFG, SRB, ALB]
    defaults: {year: 2023, direction: higher_is_more_relevant, normalisation: {method: goalposts, min: 1, max: 10}}
    index:
      id: relevance
      children:
        - id: markets
          label: Criminal markets
          weight: 2
          children:
            - {id: thb, label: Human trafficking, dataset: goci, column: Human trafficking}
            - {id: cocaine, label: Cocaine trade, dataset: goci, column: Cocaine trade, weight: 2}
        - id: law
          label: Law enforcement
          children:
            - {id: police, label: Law enforcement, dataset: goci, column: Law enforcement,
               direction: higher_is_less_relevant}
    themes:
      weights: {trafficking_in_human_beings: 2.5, drugs: 1}
      indicators: {trafficking_in_human_beings: [thb], drugs: [cocaine]}
    """)


def priority_model_snapshot(model: PriorityModel) -> dict:
    return {"row": row(model), "versions": rows(model.versions.all())}


def populated_priority_model():
    policy = make_user(Role.POLICY_OFFICER, national=True)
    model = priority_services.create_model(actor=policy, name="small", text=PRIORITY_MODEL, home_country="DEU",
                                           title="Small test model", description="For the unchanged-save test")
    return policy, model


# --- The edit forms ------------------------------------------------------------------------------

@dataclass
class EditCase:
    """One edit form: `build()` makes the record and returns (user, path, submit selector, snapshot)."""

    name: str
    build: Callable[[], tuple]


def officer_edit_by_coordinator():
    pool = make_pool("bpol", name="Bundespolizei")
    officer = populated_officer(pool)
    return (make_user(Role.COORDINATOR, pools=[pool]), f"/roster/officers/{officer.pk}/edit/",
            "main form.card button[type=submit]", lambda: officer_snapshot(officer))


def officer_edit_by_administrator():
    # The restricted fields are not in the form at all: saving must keep them.
    pool = make_pool("bpol", name="Bundespolizei")
    officer = populated_officer(pool)
    return (make_user(Role.ADMINISTRATOR, pools=[pool]), f"/roster/officers/{officer.pk}/edit/",
            "main form.card button[type=submit]", lambda: officer_snapshot(officer))


def own_profile():
    pool = make_pool("bpol", name="Bundespolizei")
    secondee = make_user(Role.SECONDEE, pools=[pool])
    officer = populated_officer(pool, user=secondee)
    return secondee, "/roster/me/", "main form.card >> nth=0 >> button[type=submit]", lambda: officer_snapshot(officer)


def qualification_edit(code):
    def build():
        pool = make_pool("bpol", name="Bundespolizei")
        officer = populated_officer(pool)
        qualification = officer.qualifications.get(qualification_type__code=code)
        return (make_user(Role.COORDINATOR, pools=[pool]), f"/roster/qualifications/{qualification.pk}/edit/",
                "main form.card button[type=submit]", lambda: officer_snapshot(officer))
    return build


def secondment_edit():
    pool = make_pool("bpol", name="Bundespolizei")
    officer = populated_officer(pool)
    secondment = officer.secondments.get()
    Secondment.objects.filter(pk=secondment.pk).update(status_reason="personnel file")
    return (make_user(Role.HR_MANAGER, pools=[pool]), f"/secondments/{secondment.pk}/edit/",
            "main form.card button[type=submit]", lambda: officer_snapshot(officer))


def priority_model_text():
    policy, model = populated_priority_model()
    return (policy, f"/priorities/models/{model.name}/", "#model-editor button[type=submit]",
            lambda: priority_model_snapshot(model))


def priority_theme_weights():
    policy, model = populated_priority_model()
    return (policy, f"/priorities/models/{model.name}/themes/", "main form.card button[type=submit]",
            lambda: priority_model_snapshot(model))


def priority_home_country():
    policy, model = populated_priority_model()
    return (policy, f"/priorities/models/{model.name}/", "main form.inline button[type=submit]",
            lambda: priority_model_snapshot(model))


def priority_dataset():
    policy = make_user(Role.POLICY_OFFICER, national=True)
    dataset = priority_services.upload_dataset(
        actor=policy, name="cases", content="iso3,year,value\nCOL,2022,4.5\nCOL,2023,5\nMEX,2023,7.25\n",
        filename="cases.csv", description="Cases per country, national statistics")
    return (policy, f"/priorities/datasets/{dataset.name}/edit/", "main form.card button[type=submit]",
            lambda: row(UserDataset.objects.get(pk=dataset.pk)))


def populated_call(coordinator_pools=None):
    """An open call sent to two pools, every field set, with a position and a nomination; edited by a
    coordinator of one of its pools (the other pool stays on it)."""
    from dividend.selection import services as selection

    bpol, other = make_pool("bpol", name="Bundespolizei"), make_pool("lka", name="Landespolizei")
    national = make_user(Role.COORDINATOR, national=True)
    call = selection.create_call(
        actor=national, pools=[bpol, other], organisation="eu_csdp", kind="short_notice", reference="EEAS/2027/SN01",
        title="EULEX Kosovo: short-notice call", published_on=dt.date(2027, 1, 4),
        organisation_deadline=dt.date(2099, 2, 15), national_deadline=dt.date(2099, 2, 1),
        notes="Two posts; French an asset.\nPre-deployment training in March.")
    mission = make_mission("EULEX", countries=["XKX"], status=Mission.Status.ACTIVE)
    cp = selection.add_call_position(actor=national, call=call, position=make_position(mission, reference="EULEX-7"),
                                     posts=2)
    selection.change_call_status(actor=national, call=call, status="open")
    selection.nominate(actor=national, call_position=cp, officer=make_officer(bpol), motivation="Served in Pristina")
    return make_user(Role.COORDINATOR, pools=[bpol]), call, cp


def call_snapshot(call) -> dict:
    from dividend.selection.models import Nomination

    return {"row": row(call), "pools": sorted(call.pools.values_list("pk", flat=True)),
            "positions": rows(call.positions.all()),
            "nominations": rows(Nomination.objects.filter(call_position__call=call))}


def call_edit():
    coordinator, call, _ = populated_call()
    return coordinator, f"/selection/calls/{call.pk}/edit/", "main form.card button[type=submit]", \
        lambda: call_snapshot(call)


def call_position_edit():
    coordinator, call, cp = populated_call()
    return coordinator, f"/selection/call-positions/{cp.pk}/edit/", "main form.card button[type=submit]", \
        lambda: call_snapshot(call)


def criteria_edit():
    """A call's ranking criteria, every field set (weights, settings, two margin qualifications, a
    planned deployment date), edited by a coordinator of the call's pool before their lock."""
    from dividend.selection import criteria

    coordinator, call, _ = populated_call()
    criteria.set_call_criteria(actor=coordinator, call=call, deployment_date=dt.date(2099, 4, 1), weights={
        "format": 1, "weights": {"skills": 40, "languages": 25, "country_experience": 10, "thematic_experience": 5,
                                 "missions": 15, "validity_margin": 5},
        "settings": {"missions_full_at": 4, "margin_full_at_months": 18,
                     "margin_qualifications": ["passport", "un_saat"]}})
    return coordinator, f"/selection/calls/{call.pk}/criteria/", "#criteria-form button[type=submit]", \
        lambda: {"criteria": row(call.criteria.__class__.objects.get(call=call))}


def populated_assessment():
    """A position assessed in full by a national policy officer: every assessment, a note with a line
    break, a burden, two thematic tags, strategic."""
    from dividend.reference.models import ThematicArea
    from dividend.selection import services as selection_services

    policy = make_user(Role.POLICY_OFFICER, national=True)
    position = make_position(make_mission("EUSTRAT"), title="Border management adviser")
    selection_services.assess_position(
        actor=policy, position=position, international_commitments=0.8, national_interests=0.35,
        mission_interests=1.0, note="Western Balkans route.\nReviewed yearly.", burden=3, strategic=True,
        thematic_tags=list(ThematicArea.objects.filter(code__in=["border_management", "trafficking_in_human_beings"])))
    return policy, position


def strategic_assessment():
    policy, position = populated_assessment()

    def snapshot():
        position.refresh_from_db()
        return (row(position.assessment), position.burden, position.strategic,
                sorted(position.thematic_tags.values_list("code", flat=True)))
    return (policy, f"/selection/positions/{position.pk}/relevance/", "form#assessment button[type=submit]",
            snapshot)


def relevance_weights():
    from dividend.selection import services as selection_services
    from dividend.selection.models import RelevanceWeights

    policy = make_user(Role.POLICY_OFFICER, national=True)
    selection_services.set_relevance_weights(actor=policy, reason="Commitments weigh more", weights={
        "country": 25.5, "mission_themes": 20, "position_themes": 15, "international_commitments": 20,
        "national_interests": 10, "mission_interests": 9.5})
    return (policy, "/selection/relevance/weights/", "form#weights-form button[type=submit]",
            lambda: rows(RelevanceWeights.objects.order_by("id")))


def scorecard_model():
    from dividend.accountability import services as accountability
    from dividend.accountability.models import ScorecardModel

    policy = make_user(Role.POLICY_OFFICER, national=True)
    accountability.set_scorecard_model(actor=policy, reason="Reintegration weighs more", weights={
        "relevance": 22.5, "reports_contributed": 10, "reports_cited": 15, "objectives_met": 15, "skills_used": 12.5,
        "expertise_added": 5, "reintegration": 20})
    return (policy, "/accountability/scorecard/model/", "form#model-form button[type=submit]",
            lambda: rows(ScorecardModel.objects.order_by("id")))


def populated_preparation():
    """A secondment being prepared with everything of the preparation set: its checklist with the
    returnee exchange's due date, note and returnee, national caveats on two lines, and the home post
    covered by a junior officer's temporary promotion with dates, funding, a note and a cost figure."""
    from decimal import Decimal

    from dividend.preparation import services as preparation
    from dividend.preparation.loading import load_templates

    load_templates()
    pool = make_pool("bpol", name="Bundespolizei")
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    officer = make_officer(pool, first_name="Aino", last_name="Aalto", rank_code="chief_inspector")
    junior = make_officer(pool, first_name="Kai", last_name="Koski", rank_code="constable")
    returnee = make_officer(pool, first_name="Rea", last_name="Rantanen")
    mission = make_mission("EUCAP", countries=("MLI",))
    start = dt.date.today() + dt.timedelta(days=60)
    make_secondment(returnee, make_position(mission), status=Secondment.Status.RETURNED, start=dt.date(2024, 1, 1),
                    end=dt.date(2024, 12, 31))
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.PREPARING, start=start,
                                 end=start + dt.timedelta(days=364))
    checklist = preparation.create_checklist(actor=coordinator, secondment=secondment)
    exchange = checklist.items.get(code="returnee_exchange")
    preparation.update_item(actor=coordinator, item=exchange, due_date=start - dt.timedelta(days=30),
                            note="Met in Koblenz; \"ask about the curfew\"", returnee=returnee)
    preparation.set_caveats(actor=coordinator, checklist=checklist,
                            caveats="No executive tasks\nNo redeployment outside Bamako")
    preparation.record_backfill(actor=coordinator, secondment=secondment, arrangement="promotion", promoted=junior,
                                start_date=start, end_date=start + dt.timedelta(days=180), funding="central",
                                funding_note="Replacement budget 2027", cost_figure=Decimal("12345.67"))
    return coordinator, secondment, checklist, exchange


def checklist_item_edit():
    coordinator, _, _, exchange = populated_preparation()
    return (coordinator, f"/preparation/items/{exchange.pk}/edit/", "#item-form button[type=submit]",
            lambda: row(exchange))


def caveats_edit():
    coordinator, secondment, checklist, _ = populated_preparation()
    return (coordinator, f"/preparation/secondments/{secondment.pk}/caveats/", "#caveats-form button[type=submit]",
            lambda: row(checklist))


def backfill_edit():
    coordinator, secondment, _, _ = populated_preparation()
    return (coordinator, f"/preparation/secondments/{secondment.pk}/backfill/", "#backfill-form button[type=submit]",
            lambda: row(secondment.backfill))


def populated_careers_record():
    """A returnee's full careers record: an agreed learning plan, her debriefing, self and supervisor
    ratings after the mission, the six-month answer; an open vacancy with skills, countries, themes."""
    from dividend.careers import services as careers
    from dividend.reference.models import Country, Skill, ThematicArea

    pool = make_pool("bpol", name="Bundespolizei")
    secondee = make_user(Role.SECONDEE, pools=[pool])
    hr = make_user(Role.HR_MANAGER, pools=[pool])
    officer = make_officer(pool, user=secondee, last_name="Müller-O'Brien")
    secondment = make_secondment(officer, make_position(make_mission("EUCAPSN", countries=("NER",))),
                                 start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    skills = [(Skill.objects.get(code=c), level) for c, level in (("criminal_investigation", 4), ("leadership", 3),
                                                                  ("migrant_smuggling", 2))]
    careers.set_learning_plan(actor=secondee, secondment=secondment, objectives=skills,
                              career_plan="Head the desk.\nThen the unit: «Grenzpolizei» & co.")
    plan = secondment.learning_plan
    careers.confirm_plan(actor=secondee, plan=plan, side="officer")
    careers.confirm_plan(actor=hr, plan=plan, side="supervisor")
    careers.save_debriefing(actor=secondee, secondment=secondment, mandate_implementation="Mentoring.\nTraining.",
                            host_country_context="Tense <but> calm", networks_built="IOM; judicial police",
                            lessons_learned="Learn Hausa.", contacts="IOM Agadez; judicial police Niamey")
    keys = careers.appraisal_subjects(secondment)
    for rater, actor in (("self", secondee), ("supervisor", hr)):
        careers.save_appraisal(actor=actor, secondment=secondment, stage="after", rater=rater,
                               ratings={k: 1 + i % 4 for i, k in enumerate(keys)})
    careers.answer_follow_up(actor=secondee, secondment=secondment, skills_used=["leadership", "country_knowledge"],
                             note="Led the joint team.")
    vacancy, _ = careers.save_vacancy(actor=hr, pool=pool, post="Desk officer", unit="Migration crime unit",
                                      location="Potsdam", skills=skills[:2],
                                      countries=Country.objects.filter(iso3__in=["NER", "MLI"]),
                                      themes=ThematicArea.objects.filter(code="organised_crime"))
    return {"secondee": secondee, "hr": hr, "secondment": secondment, "vacancy": vacancy}


def careers_snapshot(record) -> dict:
    from dividend.careers.models import Appraisal, Debriefing, FollowUp, LearningPlan

    secondment, vacancy = record["secondment"], record["vacancy"]
    plan = LearningPlan.objects.get(secondment=secondment)
    return {"plan": row(plan), "objectives": rows(plan.objectives.all()),
            "debriefing": rows(Debriefing.objects.filter(secondment=secondment)),
            "appraisals": rows(Appraisal.objects.filter(secondment=secondment)),
            "ratings": [rows(a.ratings.all()) for a in Appraisal.objects.filter(secondment=secondment).order_by("pk")],
            "follow_up": rows(FollowUp.objects.filter(secondment=secondment)),
            "vacancy": row(vacancy), "skills": rows(vacancy.skills.all()),
            "countries": sorted(vacancy.countries.values_list("pk", flat=True)),
            "themes": sorted(vacancy.themes.values_list("pk", flat=True))}


def careers_edit(who, path):
    def build():
        record = populated_careers_record()
        secondment = record["secondment"]
        return (record[who], path.format(s=secondment.pk, v=record["vacancy"].pk), "main form.card button[type=submit]",
                lambda: careers_snapshot(record))
    return build


def triage_edit():
    """A field report with themes, countries and places, triaged by an analyst of the author's pool."""
    from dividend.reference.models import Country, ThematicArea
    from dividend.reports import services as reports

    pool = make_pool("bpol", name="Bundespolizei")
    secondee = make_user(Role.SECONDEE, pools=[pool])
    officer = make_officer(pool, user=secondee, last_name="Aalto")
    mission = make_mission("EUTRI", countries=("MLI",))
    today = dt.date.today()
    make_secondment(officer, make_position(mission), status=Secondment.Status.DEPLOYED,
                    start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=200))
    report = reports.file_report(
        actor=secondee, officer=officer, draft_key="triage-edit-1", mission=mission,
        period_start=today - dt.timedelta(days=6), period_end=today, kind="weekly", title="Smugglers near Gao",
        body="Migrants crossed from Niger; two checkpoints moved.", places="Gao; Kidal", marking="amber",
        credibility=2, reliability="B", themes=list(ThematicArea.objects.filter(code__in=["drugs", "border_management"])),
        countries=list(Country.objects.filter(iso3__in=["MLI", "NER"])))

    def snapshot():
        return {"report": row(report), "themes": sorted(report.themes.values_list("pk", flat=True)),
                "countries": sorted(report.countries.values_list("pk", flat=True))}
    return (make_user(Role.ANALYST, pools=[pool]), f"/reports/{report.pk}/triage/", "#save-triage",
            snapshot)


def target_edit():
    """A pool's share target with decimals and a note, changed by a national policy officer."""
    from decimal import Decimal

    from dividend.targets import services as targets

    pool = make_pool("bpol", name="Bundespolizei")
    policy = make_user(Role.POLICY_OFFICER, national=True)
    target, _ = targets.save_target(actor=policy, year=2026, pool=pool, kind="women_command", measure="share",
                                    bound="floor", value=Decimal("37.50"), note="UN: more women in command")
    return policy, f"/targets/{target.pk}/edit/", "#target-form button[type=submit]", lambda: {"target": row(target)}


def commitments_edit(path):
    """A pool's commitment document (every field set) with an assignment, the forum's meeting with
    minutes, a pool's budget line with cents and a committed cost on it (cents, a note), changed by a
    national policy officer."""
    def build():
        from decimal import Decimal

        from dividend.commitments import services as commitments

        pool = make_pool("bpol", name="Bundespolizei")
        policy = make_user(Role.POLICY_OFFICER, national=True)
        document, _ = commitments.save_document(
            actor=policy, kind="implementation_plan", year=2026, title="National implementation plan (Compact)",
            issued_by="Federal Ministry of the Interior", issued_on=dt.date(2026, 2, 3), pool=pool,
            summary="Twelve commitments.\nTwo lines.")
        assignment, _ = commitments.save_assignment(actor=policy, document=document, text="Raise the share of women",
                                                    owner="Bundespolizei", report_back_on=dt.date(2026, 12, 31))
        forum, _ = commitments.save_forum(actor=policy, name="Working group", chaired_by="Foreign Office",
                                          members="police, justice", cadence="monthly")
        meeting, _ = commitments.save_meeting(actor=policy, forum=forum, held_on=dt.date(2026, 3, 4),
                                              summary="EULEX mandate review.")
        line, _ = commitments.save_budget_line(actor=policy, year=2026, pool=pool, kind="replacement",
                                               title="Replacement funding", amount=Decimal("12345.67"))
        secondment = make_secondment(make_officer(pool, last_name="Aalto"), make_position(make_mission("EUBAMC")),
                                     status=Secondment.Status.DEPLOYED)
        cost, _ = commitments.record_cost(actor=policy, line=line, secondment=secondment, category="insurance",
                                          stage="committed", amount=Decimal("987.65"), incurred_on=dt.date(2026, 2, 28),
                                          note="Group policy, first half-year")
        records = {"document": document, "assignment": assignment, "meeting": meeting, "line": line, "cost": cost}
        return (policy, path.format(d=document.pk, a=assignment.pk, m=meeting.pk, l=line.pk, c=cost.pk),
                "#commitments-form button[type=submit]", lambda: {k: row(v) for k, v in records.items()})
    return build


def populated_performance():
    """A border-management mission Aalto served on, with an indicator (every field set), a value, the
    baseline needs assessment and a later one revisiting three areas (notes and sources set)."""
    from dividend.performance import services as performance
    from dividend.performance.models import Area

    pool = make_pool("bpol", name="Bundespolizei")
    officer = make_officer(pool, last_name="Aalto")
    mission = make_mission("EUBAMX", countries=("LBY",), themes=("border_management",))
    make_secondment(officer, make_position(mission), status=Secondment.Status.RETURNED)
    policy = make_user(Role.POLICY_OFFICER, national=True)
    indicator, _ = performance.save_indicator(
        actor=policy, mission=mission, level="outcome", text="Crossing points applying risk analysis", unit="%",
        direction="decrease", baseline=62.5, baseline_date=dt.date(2025, 1, 1), target=12.25,
        target_date=dt.date(2027, 12, 31))
    value, _ = performance.save_value(actor=policy, indicator=indicator, period_start=dt.date(2026, 1, 1),
                                      period_end=dt.date(2026, 3, 31), value=40.75,
                                      source="https://example.invalid/cpas/q1 (CPAS report Q1)")
    baseline, _ = performance.save_assessment(
        actor=policy, mission=mission, kind="baseline", assessed_on=dt.date(2025, 2, 1), note="Joint mission.\nDraft.",
        ratings={a: (i % 5, f"Narrative {i}\nsecond line", f"Needs assessment §{i}") for i, a in enumerate(Area.values)})
    later, _ = performance.save_assessment(
        actor=policy, mission=mission, kind="follow_up", assessed_on=dt.date(2026, 2, 1), note="",
        ratings={a: (4, "Better.", "Strategic review") for a in Area.values[:3]})

    def snapshot():
        return {"indicator": row(indicator), "values": rows(indicator.values.all()),
                "assessments": [row(baseline), row(later)],
                "ratings": [rows(baseline.ratings.all()), rows(later.ratings.all())]}
    return {"policy": policy, "indicator": indicator, "value": value, "baseline": baseline, "later": later,
            "snapshot": snapshot}


def performance_edit(path):
    def build():
        record = populated_performance()
        return (record["policy"], path.format(i=record["indicator"].pk, v=record["value"].pk,
                                              b=record["baseline"].pk, l=record["later"].pk),
                "main form.card button[type=submit]", record["snapshot"])
    return build


EDIT_CASES = [
    EditCase("officer edit (coordinator)", officer_edit_by_coordinator),
    EditCase("officer edit (administrator, no restricted fields)", officer_edit_by_administrator),
    EditCase("own profile (secondee)", own_profile),
    EditCase("qualification edit (clearance with level)", qualification_edit("security_clearance")),
    EditCase("qualification edit (pending UN SAAT)", qualification_edit("un_saat")),
    EditCase("secondment edit", secondment_edit),
    EditCase("priority model file", priority_model_text),
    EditCase("priority model theme weights", priority_theme_weights),
    EditCase("priority model home country", priority_home_country),
    EditCase("priority dataset", priority_dataset),
    EditCase("call for contributions", call_edit),
    EditCase("position of a call", call_position_edit),
    EditCase("ranking criteria of a call", criteria_edit),
    EditCase("strategic assessment of a position", strategic_assessment),
    EditCase("relevance weights", relevance_weights),
    EditCase("weights of the dividend scorecard", scorecard_model),
    EditCase("checklist item (returnee exchange)", checklist_item_edit),
    EditCase("national caveats", caveats_edit),
    EditCase("backfill of the home post", backfill_edit),
    EditCase("learning objectives and career plan", careers_edit("secondee", "/careers/secondments/{s}/plan/")),
    EditCase("end-of-mission debriefing", careers_edit("secondee", "/careers/secondments/{s}/debriefing/")),
    EditCase("skills appraisal (supervisor, after)",
             careers_edit("hr", "/careers/secondments/{s}/appraisal/after/supervisor/")),
    EditCase("six months after return", careers_edit("secondee", "/careers/secondments/{s}/follow-up/")),
    EditCase("domestic vacancy", careers_edit("hr", "/careers/vacancies/{v}/edit/")),
    EditCase("triage of a field report", triage_edit),
    EditCase("target", target_edit),
    EditCase("commitment document", commitments_edit("/commitments/documents/{d}/edit/")),
    EditCase("assignment of a commitment", commitments_edit("/commitments/assignments/{a}/edit/")),
    EditCase("coordination forum meeting", commitments_edit("/commitments/meetings/{m}/edit/")),
    EditCase("budget line", commitments_edit("/commitments/budget/lines/{l}/edit/")),
    EditCase("cost of a secondment", commitments_edit("/commitments/budget/costs/{c}/edit/")),
    EditCase("mission performance indicator", performance_edit("/performance/indicators/{i}/edit/")),
    EditCase("indicator value", performance_edit("/performance/values/{v}/edit/")),
    EditCase("baseline needs assessment", performance_edit("/performance/assessments/{b}/edit/")),
    EditCase("later border assessment", performance_edit("/performance/assessments/{l}/edit/")),
]


@pytest.mark.parametrize("case", EDIT_CASES, ids=lambda case: case.name)
def test_saving_an_edit_form_unchanged_changes_nothing(live_server, browser, case):
    user, path, submit, snapshot = case.build()
    before = snapshot()
    page = log_in(browser, live_server, user)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{case.name}.png"), full_page=True)
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    invalid = page.eval_on_selector(submit, "button => [...button.form.elements].filter(e => !e.checkValidity())"
                                            ".map(e => e.name)")
    assert invalid == [], "the browser would refuse to send the form unchanged"  # e.g. a date shown empty
    with page.expect_navigation():
        page.click(submit)
    assert page.locator("ul.messages li.success").count() + page.locator("ul.messages li.info").count() >= 1, (
        page.locator("main").inner_text())

    assert snapshot() == before
    # Reads (a record, or the list of records a page shows after the save) are not changes.
    changes = AuditEntry.objects.filter(id__gt=last_entry).exclude(action__in=["read", "list"])
    assert list(changes.values_list("action", "object_type", "fields")) == []


# --- Bad input in a date field -------------------------------------------------------------------

def test_a_bad_date_in_the_browser_is_a_clear_error_and_loses_nothing(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    officer = populated_officer(pool)
    before = officer_snapshot(officer)
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/officers/{officer.pk}/edit/")
    assert page.input_value("#id_available_from") == "2027-03-01"
    assert page.input_value("#id_date_of_birth") == "1984-02-29"
    # A date picker cannot hold an impossible date; a script, an old browser or a paste can send one.
    page.eval_on_selector("#id_available_from", "el => { el.type = 'text'; el.value = '2027-02-30'; }")
    with page.expect_navigation():
        page.click("main form.card button[type=submit]")
    assert page.locator("main form.card ul.errorlist").all_inner_texts() == [
        "Enter a valid date (year-month-day, e.g. 2027-03-01)."]
    # What was typed stays in sight to correct (a date input would show it empty, and a second save
    # would then erase the date); everything else stays as it was.
    assert page.input_value("#id_available_from") == "2027-02-30"
    assert page.input_value("#id_date_of_birth") == "1984-02-29"
    assert page.eval_on_selector_all("select[name=skills-item]", "els => els.map(e => e.selectedOptions[0].text)") == [
        "Community policing", "Criminal investigation", "Training", "—"]
    assert page.input_value("#id_emergency_contact_name") == "Jussi Müller"
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "bad date.png"), full_page=True)
    assert officer_snapshot(officer) == before
    assert not AuditEntry.objects.filter(action="update").exists()


# --- htmx shows the error, never stale results ---------------------------------------------------

def test_an_invalid_search_replaces_the_results_and_their_export_link(live_server, browser):
    pool = make_pool("bpol", name="Bundespolizei")
    make_officer(pool, last_name="Korhonen", available_from=dt.date(2027, 1, 1))
    page = log_in(browser, live_server, make_user(Role.COORDINATOR, pools=[pool]))
    page.goto(f"{live_server.url}/roster/")
    page.fill("#id_available_from", "2027-01-01")
    page.click("#roster-filters button[type=submit]")
    from playwright.sync_api import expect

    expect(page.locator("#result-count")).to_have_text("1 officer")  # no string eval: the page's CSP refuses it
    assert page.locator("#export-csv").count() == 1

    page.fill("#id_available_to", "2026-01-01")  # before the start: refused with 400
    page.click("#roster-filters button[type=submit]")
    page.wait_for_selector("#results .error")
    assert "The end of the period is before its start." in page.locator("#results .error").inner_text()
    assert page.locator("#result-count").count() == 0
    assert page.locator("#export-csv").count() == 0
    assert "Korhonen" not in page.locator("#results").inner_text()


def test_a_broken_model_file_check_replaces_an_earlier_no_problems(live_server, browser):
    policy, model = populated_priority_model()
    page = log_in(browser, live_server, policy)
    page.goto(f"{live_server.url}/priorities/models/{model.name}/")
    page.click("#model-editor button:has-text('Check')")
    page.wait_for_selector("#problems .badge.ok")
    page.fill("#model-editor textarea", PRIORITY_MODEL.replace("dataset: goci, column: Cocaine trade",
                                                               "dataset: goci, column: No such column"))
    page.click("#model-editor button:has-text('Check')")
    page.wait_for_selector("#problems.error")
    text = page.locator("#problems-slot").inner_text()
    assert "problem" in text and "No such column" in text
    assert "The model file has no problems." not in text
