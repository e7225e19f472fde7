"""Visibility for every role × every page and endpoint.

`ROUTES` has one row per URL pattern and per API operation: what each user of the standard `world`
gets (status code), and for list pages and details which records must (not) appear. The coverage
tests fail when a URL pattern or API route has no row, so no page ships unchecked: a new page or
endpoint adds its row here (docs/architecture.md, "Visibility table").
"""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.utils import normalize_path

from dividend.api import api
from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.missions.models import Mission, Position
from dividend.pools.models import ApiToken, Pool, Role, RoleAssignment
from dividend.reference.models import QualificationType
from dividend.roster.models import Officer, Qualification
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db

PHONE = "+32 2 000 00 00"  # oa's emergency contact: restricted data


@pytest.fixture
def world():
    pool_a, pool_b = make_pool("alpha"), make_pool("beta")
    secondee_user = make_user(Role.SECONDEE, pools=[pool_a], username="sec")
    oa = make_officer(pool_a, user=secondee_user, last_name="Aalto", first_name="Aino")
    ob = make_officer(pool_b, last_name="Berg", first_name="Bo")
    mission = make_mission("EUTEST")
    position = make_position(mission)
    sa, sb = make_secondment(oa, position), make_secondment(ob, position)
    users = {
        "coordinator_pool": make_user(Role.COORDINATOR, pools=[pool_a]),
        "coordinator_national": make_user(Role.COORDINATOR, national=True),
        "panel_pool": make_user(Role.PANEL_MEMBER, pools=[pool_a]),
        "analyst_pool": make_user(Role.ANALYST, pools=[pool_a]),
        "secondee": secondee_user,
        "hr_pool": make_user(Role.HR_MANAGER, pools=[pool_a]),
        "policy_national": make_user(Role.POLICY_OFFICER, national=True),
        "admin_national": make_user(Role.ADMINISTRATOR, national=True),
        "auditor_national": make_user(Role.AUDITOR, national=True),
        "liaison_national": make_user(Role.MINISTRY_LIAISON, national=True),
        "no_role": make_user(None),
    }
    # Staff status opens the Django admin's door, nothing more: the product's rules still apply there.
    for user in users.values():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    medical = Qualification.objects.create(
        officer=oa, qualification_type=QualificationType.objects.get(code="medical_fitness"),
        issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 6, 30))
    pending = Qualification.objects.create(
        officer=oa, qualification_type=QualificationType.objects.get(code="passport"),
        issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2035, 1, 1), status=Qualification.Status.PENDING,
        submitted_by=secondee_user)
    entry = record(actor=users["coordinator_pool"], action="update", obj=oa, fields=["email"])
    return {"pools": (pool_a, pool_b), "officers": (oa, ob), "secondments": (sa, sb), "users": users,
            "mission": mission, "position": position, "medical": medical, "pending": pending, "entry": entry,
            "assignment": RoleAssignment.objects.get(user=users["hr_pool"]),
            "token": ApiToken.issue(user=users["coordinator_pool"], name="script")[0]}


@pytest.fixture
def priorities_world(world):
    from dividend.priorities import services
    from dividend.priorities.adoption import adopt_run

    from .priorities_app.conftest import SMALL_MODEL

    policy = world["users"]["policy_national"]
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    run, _ = services.start_run(actor=policy, version=model.current_version, draws=20, seed=7, label="baseline")
    services.upload_dataset(actor=policy, name="cases", rows=[{"iso3": "COL", "year": 2023, "value": 4}])
    adopted = adopt_run(actor=policy, run=run, reason="National strategy")
    return {"model": model, "run": run, "adoption": adopted}


@pytest.fixture
def selection_world(world):
    """An open call sent to both pools with the world's position, Aalto and Berg nominated to it."""
    from dividend.selection import services as selection

    pool_a, pool_b = world["pools"]
    oa, ob = world["officers"]
    national = world["users"]["coordinator_national"]
    today = dt.date.today()
    call = selection.create_call(actor=national, pools=[pool_a, pool_b], organisation="eu_csdp", kind="regular",
                                 reference="EU-VIS-1", title="Visibility call", published_on=today,
                                 organisation_deadline=today + dt.timedelta(days=30),
                                 national_deadline=today + dt.timedelta(days=20))
    cp = selection.add_call_position(actor=national, call=call, position=world["position"], posts=1)
    selection.change_call_status(actor=national, call=call, status="open")
    na = selection.nominate(actor=national, call_position=cp, officer=oa)
    selection.nominate(actor=national, call_position=cp, officer=ob)
    # Aalto released, a decision on them proposed by the pool's coordinator, and an assignment run
    # (stored as a run stores it: the pages read the stored result).
    selection.release(actor=world["users"]["hr_pool"], nomination=na)
    decision = selection.propose_decision(actor=world["users"]["coordinator_pool"], nomination=na,
                                          outcome="not_selected", feedback="Next time.")
    from django.utils import timezone

    from dividend.selection.models import AssignmentRun

    side = {"status": "optimal", "method": "linear_sum_assignment", "total_score": 0.0, "objective": 0.0,
            "bound": 0.0, "gap": 0.0, "checks": [], "constraints_met": True, "infeasible_keys": [],
            "infeasibility": [], "seconds": 0.0,
            "pairs": [{"nomination": na.pk, "candidate": "C-1", "officer_id": oa.pk, "call_position": cp.pk,
                       "post": 1, "score": 0.0}]}
    run = AssignmentRun.objects.create(call=call, created_by=national, created_at=timezone.now(), parameters={},
                                       status="optimal", total_score=0.0,
                                       result={"optimal": side, "greedy": side, "costs": {}, "candidates": 1,
                                               "posts": 1, "eligible_pairs": 1})
    from dividend.selection.engine import DATA_DIR
    from dividend.selection.models import EligibilityRuleSet

    # Version 1 as the migration stores it (a test that flushes the database has lost that row).
    shipped = json.loads((DATA_DIR / "eu_csdp.json").read_text(encoding="utf-8"))
    v1, _ = EligibilityRuleSet.objects.get_or_create(organisation="eu_csdp", version=1, defaults={"data": shipped})
    v2 = EligibilityRuleSet.objects.create(organisation="eu_csdp", version=2, data=v1.data, note="again")
    return {"call": call, "cp": cp, "nomination": na, "decision": decision, "assignment_run": run,
            "rule_sets": (v1, v2)}


@pytest.fixture
def strategic_world(world, selection_world):
    """The world's position made strategic: Aalto holds it (deployed), Berg is planned to succeed."""
    oa, ob = world["officers"]
    position = world["position"]
    position.strategic, position.burden = True, 3
    position.save(update_fields=["strategic", "burden"])
    today = dt.date.today()
    make_secondment(oa, position, status=Secondment.Status.DEPLOYED, start=today - dt.timedelta(days=200),
                    end=today + dt.timedelta(days=30))
    make_secondment(ob, position, status=Secondment.Status.SELECTED, start=today + dt.timedelta(days=20),
                    end=today + dt.timedelta(days=400))
    return {}


@pytest.fixture
def reports_world(world):
    """Aalto (the secondee) deployed to a mission now, with a report filed; Berg's report (pool beta)."""
    from dividend.reports import services as reports
    from dividend.reports.attachments import check_file
    from dividend.reports.models import FieldReport

    from .reports.attachment_files import png

    oa, ob = world["officers"]
    today = dt.date.today()
    mission = make_mission("EUREP")
    make_secondment(oa, make_position(mission), status=Secondment.Status.DEPLOYED, start=today - dt.timedelta(days=30),
                    end=today + dt.timedelta(days=300))
    report = reports.file_report(actor=world["users"]["secondee"], officer=oa, draft_key="vis-draft-1",
                                 mission=mission, period_start=today - dt.timedelta(days=6), period_end=today,
                                 kind="weekly", title="Aalto's week", body="Quiet.", places="", marking="green",
                                 credibility=3, reliability="C", attachments=[check_file(png(), "map.png")])
    FieldReport.objects.create(officer=ob, mission=mission, period_start=today, period_end=today, kind="ad_hoc",
                               title="Berg's note", body="Quiet.", marking="amber", credibility=3, reliability="C",
                               draft_key="vis-draft-2", submitted_at=report.submitted_at)
    # A flash report citing Aalto's report, published to a named list with Aalto on it (approved by a
    # second analyst of pool alpha), and a draft of the same analyst's.
    analyst, second = world["users"]["analyst_pool"], make_user(Role.ANALYST, pools=[world["pools"][0]])
    reports.change_report_status(actor=analyst, report=report, status="accepted")
    mission_list = reports.create_audience(actor=analyst, name="EUREP team", breadth="named",
                                           members=[world["users"]["secondee"]])
    product = reports.create_product(actor=analyst, kind="flash", title="Flash", marking="green",
                                     period_start=today, period_end=today)
    reports.add_section(actor=analyst, product=product, heading="What happened", text="Quiet.", reports=[report])
    reports.set_audiences(actor=analyst, product=product, audiences=[mission_list])
    reports.submit_product(actor=analyst, product=product)
    reports.publish_product(actor=second, product=product)
    draft = reports.create_product(actor=analyst, kind="sitrep", title="Week", marking="amber",
                                   period_start=today, period_end=today)
    return {"report": report, "product": product, "draft": draft, "attachment": report.attachments.get()}


@pytest.fixture
def monthly_world(world, reports_world):
    """The monthly report on EUREP this month, drafted by the analyst of pool alpha (citing Aalto's
    accepted report); a named group with that analyst alone and a debriefing of Aalto for it."""
    from dividend.reports import monthly
    from dividend.reports import services as reports
    from dividend.reports.models import Audience

    analyst = world["users"]["analyst_pool"]
    report = reports_world["report"]
    monthly_report = monthly.create_monthly_report(actor=analyst, mission=report.mission,
                                                   month=dt.date.today().replace(day=1))
    cell = Audience.objects.create(name="Debriefing cell", breadth="named")
    cell.members.set([analyst])
    debriefing = reports.record_debriefing(actor=analyst, officer=world["officers"][0], group=cell,
                                           held_on=dt.date.today(), content="Routes.", reports=[report])
    return {"monthly_report": monthly_report, "debriefing": debriefing}


@pytest.fixture
def care_world(world):
    """Aalto and Berg deployed on one mission now (no contact yet: overdue; ending within 60 days),
    a leave of Aalto's and a misconduct case."""
    from dividend.care.models import LeavePeriod, MisconductCase
    from dividend.care.services import record_leave, report_misconduct

    oa, ob = world["officers"]
    today = dt.date.today()
    mission = make_mission("EUCARE")
    sa = make_secondment(oa, make_position(mission), status=Secondment.Status.DEPLOYED,
                         start=today - dt.timedelta(days=40), end=today + dt.timedelta(days=30))
    make_secondment(ob, make_position(mission), status=Secondment.Status.DEPLOYED,
                    start=today - dt.timedelta(days=40), end=today + dt.timedelta(days=30))
    hr = world["users"]["hr_pool"]
    leave = record_leave(actor=hr, secondment=sa, start_date=today - dt.timedelta(days=20),
                         end_date=today - dt.timedelta(days=10))
    case = report_misconduct(actor=hr, secondment=sa, category="other", reported_on=today, allegation="Alleged.")
    assert isinstance(leave, LeavePeriod) and isinstance(case, MisconductCase)
    return {"care_secondment": sa, "care_mission": mission, "leave": leave, "case": case}


@pytest.fixture
def preparation_world(world):
    """Aalto (pool alpha) and Berg (pool beta) being prepared for the world's mission, leaving in two
    months; Aalto's checklist made by the pool's coordinator and the home post left vacant; an
    officer of each pool on its backfill roster."""
    from dividend.preparation import services as preparation
    from dividend.preparation.loading import load_templates

    load_templates()
    oa, ob = world["officers"]
    pool_a, pool_b = world["pools"]
    coordinator = world["users"]["coordinator_national"]
    start = dt.date.today() + dt.timedelta(days=60)
    sa = make_secondment(oa, world["position"], status=Secondment.Status.PREPARING, start=start,
                         end=start + dt.timedelta(days=364))
    make_secondment(ob, world["position"], status=Secondment.Status.PREPARING, start=start, end=None)
    checklist = preparation.create_checklist(actor=coordinator, secondment=sa)
    preparation.record_backfill(actor=coordinator, secondment=sa, arrangement="vacant")
    preparation.add_to_roster(actor=coordinator, pool=pool_a, officer=make_officer(pool_a, last_name="Standby"))
    entry_b = preparation.add_to_roster(actor=coordinator, pool=pool_b, officer=make_officer(pool_b, last_name="Reserve"))
    return {"preparing": sa, "visa": checklist.items.get(code="visa"), "roster_b": entry_b}


@pytest.fixture
def alerts_world(world):
    """A rapid deployment alert the national coordinator sent to Aalto (pool alpha, the secondee) and
    Berg (pool beta)."""
    from dividend.alerts import services as alerts

    oa, ob = world["officers"]
    alert = alerts.create_alert(actor=world["users"]["coordinator_national"], title="Hurricane",
                                message="Liaison officers needed.", start_date=dt.date.today(), officers=[oa, ob])
    return {"alert": alert}


@pytest.fixture
def targets_world(world):
    """A national target and one of pool alpha for 2020, and the snapshots of June 2020 (the world's
    secondments run through 2020)."""
    from dividend.targets import services as targets
    from dividend.targets.models import MonthlySnapshot

    policy = world["users"]["policy_national"]
    national, _ = targets.save_target(actor=policy, year=2020, pool=None, kind="women", measure="share",
                                      bound="floor", value=40)
    alpha, _ = targets.save_target(actor=policy, year=2020, pool=world["pools"][0], kind="deployed",
                                   measure="number", bound="floor", value=1)
    targets.take_snapshots(actor=None, first_month=dt.date(2020, 6, 1), last_month=dt.date(2020, 6, 1))
    return {"national_target": national, "alpha_target": alpha,
            "national_snapshot": MonthlySnapshot.objects.get(month=dt.date(2020, 6, 1), pool=None)}


@pytest.fixture
def commitments_world(world):
    """A national regulatory letter of 2020 with an assignment, the forum with a meeting, a decision and
    its follow-up, a national 2020 budget line with a cost of each world secondment (Aalto's, Berg's)."""
    from decimal import Decimal

    from dividend.commitments import services as commitments

    policy = world["users"]["policy_national"]
    letter, _ = commitments.save_document(actor=policy, kind="regulatory_letter", year=2020, title="Letter 2020",
                                          issued_by="Ministry", issued_on=dt.date(2020, 1, 10))
    assignment, _ = commitments.save_assignment(actor=policy, document=letter, text="Second 40", owner="Police",
                                                report_back_on=dt.date(2020, 6, 30))
    forum, _ = commitments.save_forum(actor=policy, name="Consultation", chaired_by="Foreign ministry",
                                      members="police, justice")
    meeting, _ = commitments.save_meeting(actor=policy, forum=forum, held_on=dt.date(2020, 3, 1))
    decision, _ = commitments.record_decision(actor=policy, meeting=meeting, kind="other", text="Review mandates")
    follow_up, _ = commitments.add_follow_up(actor=policy, decision=decision, action="Draft input", owner="Police",
                                             due_on=dt.date(2020, 4, 1))
    line, _ = commitments.save_budget_line(actor=policy, year=2020, pool=None, kind="peace_operations",
                                           title="Peace operations 2020", amount=Decimal("50000"))
    for secondment in world["secondments"]:
        commitments.record_cost(actor=policy, line=line, secondment=secondment, category="travel", stage="paid",
                                amount=Decimal("900"), incurred_on=dt.date(2020, 5, 1))
    return {"document": letter, "commitment_assignment": assignment, "forum": forum, "meeting": meeting,
            "decision": decision, "follow_up": follow_up, "budget_line": line}


@pytest.fixture
def careers_world(world):
    """Aalto and Berg back home (the world's secondments are returned); Aalto's learning plan agreed
    by her and her pool's coordinator, her debriefing written; a vacancy in pool alpha."""
    from django.utils import timezone

    from dividend.careers import services as careers
    from dividend.careers.models import Vacancy
    from dividend.reference.models import Skill

    sa = world["secondments"][0]
    users = world["users"]
    skills = [(Skill.objects.get(code=c), 3) for c in ("criminal_investigation", "leadership", "training")]
    careers.set_learning_plan(actor=users["secondee"], secondment=sa, objectives=skills, career_plan="Lead.")
    plan = sa.learning_plan
    careers.confirm_plan(actor=users["secondee"], plan=plan, side="officer")
    careers.confirm_plan(actor=users["coordinator_pool"], plan=plan, side="supervisor")
    careers.save_debriefing(actor=users["secondee"], secondment=sa, mandate_implementation="M",
                            host_country_context="H", networks_built="N", lessons_learned="L", contacts="IOM")
    vacancy = Vacancy.objects.create(pool=world["pools"][0], post="Desk officer", unit="Smuggling", location="Bonn",
                                     created_at=timezone.now())
    return {"vacancy": vacancy}


@pytest.fixture
def performance_world(world):
    """The world's mission (EUTEST: Aalto and Berg back from it) made a border-management mission, with
    an indicator and its value, a contribution of each officer's secondment to it, and the baseline
    needs assessment."""
    from dividend.performance import services as performance
    from dividend.performance.models import Area
    from dividend.reference.models import ThematicArea

    mission = world["mission"]
    mission.thematic_areas.add(ThematicArea.objects.get(code="border_management"))
    policy, coordinator = world["users"]["policy_national"], world["users"]["coordinator_national"]
    indicator, _ = performance.save_indicator(
        actor=policy, mission=mission, level="outcome", text="Crossing points with risk analysis", unit="%",
        direction="increase", baseline=20, baseline_date=dt.date(2025, 1, 1), target=60, target_date=None)
    value, _ = performance.save_value(actor=policy, indicator=indicator, period_start=dt.date(2026, 1, 1),
                                      period_end=dt.date(2026, 3, 31), value=35, source="CPAS report Q1")
    sa, sb = world["secondments"]
    contribution = performance.add_contribution(actor=coordinator, indicator=indicator, secondment=sa,
                                                description="Trained the trainers.")
    performance.add_contribution(actor=coordinator, indicator=indicator, secondment=sb, description="Mentored.")
    baseline, _ = performance.save_assessment(
        actor=policy, mission=mission, kind="baseline", assessed_on=dt.date(2025, 2, 1), note="",
        ratings={area: (2, "Narrative.", "Needs assessment") for area in Area.values})
    return {"indicator": indicator, "value": value, "contribution": contribution, "assessment": baseline}


# --- Who is who in the world, and what they may see ---------------------------------------------

USERS = ["coordinator_pool", "coordinator_national", "panel_pool", "analyst_pool", "secondee", "hr_pool",
         "policy_national", "admin_national", "auditor_national", "liaison_national", "no_role", "anonymous"]
# Officers each user sees (a: Aalto in pool alpha, b: Berg in pool beta).
OFFICERS_SEEN = {
    "coordinator_pool": {"a"}, "coordinator_national": {"a", "b"}, "panel_pool": {"a"}, "analyst_pool": {"a"},
    "secondee": {"a"}, "hr_pool": {"a"}, "policy_national": {"a", "b"}, "admin_national": {"a", "b"},
    "auditor_national": {"a", "b"}, "liaison_national": set(), "no_role": set(), "anonymous": set(),
}
# Need-to-know for Aalto's restricted data: the officer, coordinator and HR of pool alpha. Nobody else.
RESTRICTED_SEEN = {"coordinator_pool", "secondee", "hr_pool"}

ROSTER = {"coordinator_pool", "coordinator_national", "panel_pool", "analyst_pool", "hr_pool", "policy_national",
          "admin_national", "auditor_national"}
SEES_A = {u for u, seen in OFFICERS_SEEN.items() if "a" in seen}
EDITORS_A = {"coordinator_pool", "coordinator_national", "hr_pool", "admin_national"}
MANAGERS_A = {"coordinator_pool", "coordinator_national", "hr_pool"}  # secondments of Aalto
COORDINATORS = {"coordinator_pool", "coordinator_national"}
IMPORTERS = {"coordinator_pool", "coordinator_national", "admin_national"}
AUDIT = {"admin_national", "auditor_national"}
PRIORITY_READERS = {"coordinator_pool", "coordinator_national", "analyst_pool", "policy_national", "admin_national",
                    "auditor_national"}
PRIORITY_EDITORS = {"policy_national", "admin_national"}
ADOPTERS = {"policy_national"}  # a national policy officer adopts the national reference ranking
ROLE_MANAGERS = {"admin_national"}
SIGNED_IN = set(USERS) - {"anonymous"}
# Selection: the world's call is sent to both pools; every role of either pool (or national) sees
# it, a secondee too (it is open); its nominations follow the officers each user sees.
CALL_SEEN = SIGNED_IN - {"no_role", "liaison_national"}
PANEL = {"panel_pool"}  # a panel member of a pool the call is sent to sits on its panel
# A call's eligibility and ranking, and the rule sets: the staff roles that see the call (not a secondee).
RANKING = CALL_SEEN - {"secondee"}
RULE_EDITORS = {"admin_national"}
RELEASERS_A = {"hr_pool"}  # Aalto's line manager: HR of pool alpha
# Field reports: analysts (of pool alpha here) and secondees use them; Aalto's report is read by
# its author and the analysts of pool alpha.
REPORT_USERS = {"analyst_pool", "secondee"}
WITHDRAWERS_A = COORDINATORS | {"secondee"}
# The theme vocabulary's page and MISP export: analysts and administrators (a national one imports).
THEME_READERS = {"analyst_pool", "admin_national"}
# Preparation: Aalto's secondment is prepared by the coordinators and HR managers of pool alpha (and
# national ones); Aalto sees their own checklist, not the backfill; the backfill pages are for preparers.
PREPARERS_A = MANAGERS_A
CHECKLIST_A = PREPARERS_A | {"secondee"}
BACKFILL = PREPARERS_A
# The selection's figures: staff roles but the panel (it works from anonymised summaries).
ANALYTICS_READERS = {"coordinator_pool", "coordinator_national", "analyst_pool", "hr_pool", "policy_national",
                     "admin_national", "auditor_national"}
# Strategic positions: relevance is for everyone who works with calls; rotations for staff (not a
# secondee); weights and assessments are set by a national policy officer.
ROTATION_STAFF = CALL_SEEN - {"secondee"}
RELEVANCE_SETTERS = {"policy_national"}
# Duty of care: the board and its pages for coordinators and HR managers; Aalto's care page also for
# Aalto; restricted care records (notes, performance, misconduct) for need-to-know but not Aalto.
CARE_USERS = {"coordinator_pool", "coordinator_national", "hr_pool"}
CARE_A = CARE_USERS | {"secondee"}
CARE_NOTES_A = {"coordinator_pool", "hr_pool"}
# Rapid deployment alerts: coordinators use them, a secondee answers those sent to them. The world's
# alert reaches Aalto (pool alpha) and Berg (pool beta): seen by both coordinators and Aalto's own
# account; deployed or stood down only by a coordinator of both pools (the national one).
ALERT_USERS = COORDINATORS | {"secondee"}
ALERT_MANAGERS = {"coordinator_national"}

# Careers (issue 11): the lifecycle records of an officer are for the coordinators and HR managers of
# their pool (and national ones) and the secondee; the debriefing's content for need-to-know only;
# vacancies, KPIs and the returnee pool also for policy officers.
CAREERS = {"coordinator_pool", "coordinator_national", "hr_pool", "secondee"}
CAREER_MANAGERS = {"coordinator_pool", "coordinator_national", "hr_pool"}
VACANCY_READERS = CAREER_MANAGERS | {"policy_national"}
# Mission performance (issue 14 §7): indicators, values and assessments are mission facts read by
# policy officers, analysts, coordinators, administrators and the Ministry liaison, recorded by the
# first three; a contribution names its officer (only to those who see the officer) and is added or
# removed by the coordinators of the officer's pool.
PERFORMANCE_READERS = {"coordinator_pool", "coordinator_national", "analyst_pool", "policy_national", "admin_national",
                       "liaison_national"}
PERFORMANCE_RECORDERS = {"analyst_pool", "policy_national", "admin_national"}

# Targets and snapshots (issue 14 section 1): consolidated figures, no personal data, for the Ministry
# liaison, policy officers, coordinators, auditors and administrators; set (and snapshots recomputed)
# by policy officers and administrators (the national target: national ones).
FIGURE_READERS = {"coordinator_pool", "coordinator_national", "policy_national", "admin_national",
                  "auditor_national", "liaison_national"}
TARGET_SETTERS = {"policy_national", "admin_national"}
# Accountability: the dividend scorecard per mission and per year and portfolio runs (consolidated,
# no personal data) for coordinators, policy officers, administrators, auditors and the ministry
# liaison; a secondment's scorecard names the officer: not the liaison, and only of the pools the
# reader holds the role in; the scorecard's weights and portfolio runs are set by national policy
# officers and administrators.
SCORECARD_READERS = {"coordinator_pool", "coordinator_national", "policy_national", "admin_national",
                     "auditor_national", "liaison_national"}
SCORECARD_PERSONAL = SCORECARD_READERS - {"liaison_national"}
SCORECARD_SETTERS = {"policy_national", "admin_national"}
# Accountability: the dashboard and the report to parliament for the same readers of consolidated
# figures; the lists behind the dashboard's figures (personal data) for all of them but the liaison.
DRILLERS = FIGURE_READERS - {"liaison_national"}

def statuses(allowed, ok, *, denied=403, anonymous=302, not_visible=None, visible=None):
    """Expected status per user: `ok` for `allowed`; for the others `denied`, or `not_visible` (404)
    for those outside `visible` (the record is hidden from them, not just closed)."""
    expected = {}
    for user in USERS:
        if user == "anonymous":
            expected[user] = anonymous
        elif user in allowed:
            expected[user] = ok
        elif visible is not None and user not in visible:
            expected[user] = not_visible
        else:
            expected[user] = denied
    return expected


@dataclass
class Row:
    method: str
    url: object  # world → URL
    expected: dict
    data: object = None  # world → request body (JSON for the API)
    officers_listed: bool = False  # the body lists officers: only the ones the user sees
    restricted_shown: bool = False  # the body is Aalto's record: restricted data only with need-to-know
    priorities: bool = False  # needs the priority model and run
    selection: bool = False  # needs the call and its nominations
    strategic: bool = False  # needs the strategic position with its holder and successor
    reports: bool = False  # needs the field reports
    monthly: bool = False  # needs the monthly mission report and the debriefing (with the field reports)
    care: bool = False  # needs the deployed secondments with care records
    preparation: bool = False  # needs the secondments being prepared, a checklist, a backfill
    alerts: bool = False  # needs the rapid deployment alert
    careers: bool = False  # needs the careers records
    targets: bool = False  # needs the targets and snapshots
    figures_only: bool = False  # consolidated figures: the body names no officer, whoever reads it
    performance: bool = False  # needs the mission performance records
    commitments: bool = False  # needs the commitment documents, the forum and the budget


def _a(w):
    return w["officers"][0].pk


def _officer_in(w):
    """A payload of the right shape whose content the form refuses: allowed users get 400, others 403."""
    return {"pool": 0, "service_number": "", "first_name": "", "last_name": "", "rank": 0, "gender": "x",
            "date_of_birth": "1990-01-01"}


API_ANON = 401
# Web rows are keyed by the URL pattern (as Django's resolver writes it), API rows by "METHOD /api/path".
ROUTES = {
    "": Row("GET", lambda w: "/", statuses(SIGNED_IN, 200)),
    "login/": Row("GET", lambda w: "/login/", statuses(SIGNED_IN, 200, anonymous=200)),
    "logout/": Row("POST", lambda w: "/logout/", statuses(SIGNED_IN, 302, anonymous=302)),
    # One's own account: every signed-in user. Verifying again redirects (the test client's sessions
    # are verified where the roles need it; the others have no authenticator and go to set one up).
    "account/": Row("GET", lambda w: "/account/", statuses(SIGNED_IN, 200)),
    "account/password/": Row("GET", lambda w: "/account/password/", statuses(SIGNED_IN, 200)),
    "account/logout-everywhere/": Row("POST", lambda w: "/account/logout-everywhere/",
                                      statuses(SIGNED_IN, 302, anonymous=302)),
    "account/second-factor/": Row("GET", lambda w: "/account/second-factor/", statuses(SIGNED_IN, 200)),
    "account/second-factor/verify/": Row("GET", lambda w: "/account/second-factor/verify/",
                                         statuses(SIGNED_IN, 302, anonymous=302)),
    # The admin signs in through the site's login page.
    "admin/login/": Row("GET", lambda w: "/admin/login/?next=/admin/", statuses(SIGNED_IN, 302, anonymous=302)),
    "roster/": Row("GET", lambda w: "/roster/", statuses(ROSTER, 200), officers_listed=True),
    "roster/export.<str:fmt>": Row("GET", lambda w: "/roster/export.csv", statuses(ROSTER, 200),
                                   officers_listed=True),
    "roster/new/": Row("GET", lambda w: "/roster/new/", statuses(EDITORS_A, 200)),
    "roster/officers/<int:pk>/": Row("GET", lambda w: f"/roster/officers/{_a(w)}/",
                                     statuses(SEES_A, 200, not_visible=404, visible=SEES_A), restricted_shown=True),
    "roster/officers/<int:pk>/edit/": Row("GET", lambda w: f"/roster/officers/{_a(w)}/edit/",
                                          statuses(EDITORS_A, 200, not_visible=404, visible=SEES_A),
                                          restricted_shown=True),
    "roster/officers/<int:pk>/qualifications/": Row(
        "POST", lambda w: f"/roster/officers/{_a(w)}/qualifications/",
        statuses(EDITORS_A | {"secondee"}, 302, not_visible=404, visible=SEES_A)),
    # Everything held about Aalto, restricted data included: Aalto and need-to-know only.
    "roster/officers/<int:pk>/subject-access.<str:fmt>": Row(
        "GET", lambda w: f"/roster/officers/{_a(w)}/subject-access.json",
        statuses(RESTRICTED_SEEN, 200, not_visible=404, visible=SEES_A), restricted_shown=True),
    "roster/me/": Row("GET", lambda w: "/roster/me/", statuses({"secondee"}, 200), restricted_shown=True),
    # Aalto's medical record: only the need-to-know editors change it; for the others it does not exist.
    "roster/qualifications/<int:pk>/edit/": Row(
        "GET", lambda w: f"/roster/qualifications/{w['medical'].pk}/edit/",
        statuses({"coordinator_pool", "hr_pool"}, 200, not_visible=404, visible=RESTRICTED_SEEN)),
    "roster/qualifications/pending/": Row("GET", lambda w: "/roster/qualifications/pending/",
                                          statuses(COORDINATORS, 200)),
    # Confirmed qualifications expiring soon, of the officers each roster role sees (restricted ones
    # only with need-to-know: tests/test_start_page.py).
    "roster/qualifications/expiring/": Row("GET", lambda w: "/roster/qualifications/expiring/?days=366",
                                           statuses(ROSTER, 200)),
    "roster/qualifications/<int:pk>/decide/": Row(
        "POST", lambda w: f"/roster/qualifications/{w['pending'].pk}/decide/",
        statuses(COORDINATORS, 302, not_visible=404, visible=SEES_A)),
    "roster/import/": Row("GET", lambda w: "/roster/import/", statuses(IMPORTERS, 200)),
    "roster/import/template.<str:fmt>": Row("GET", lambda w: "/roster/import/template.csv", statuses(IMPORTERS, 200)),
    "roster/crisis/": Row("GET", lambda w: "/roster/crisis/", statuses(ROSTER, 200)),
    "missions/": Row("GET", lambda w: "/missions/", statuses(SIGNED_IN, 200)),
    "missions/<int:pk>/": Row("GET", lambda w: f"/missions/{w['mission'].pk}/", statuses(SIGNED_IN, 200)),
    "missions/positions/": Row("GET", lambda w: "/missions/positions/", statuses(SIGNED_IN, 200)),
    "missions/positions/<int:pk>/": Row("GET", lambda w: f"/missions/positions/{w['position'].pk}/",
                                        statuses(SIGNED_IN, 200)),
    "secondments/": Row("GET", lambda w: "/secondments/", statuses(SIGNED_IN, 200), officers_listed=True),
    "secondments/<int:pk>/": Row("GET", lambda w: f"/secondments/{w['secondments'][0].pk}/",
                                 statuses(SEES_A, 200, not_visible=404, visible=SEES_A)),
    "secondments/<int:pk>/move/": Row("POST", lambda w: f"/secondments/{w['secondments'][0].pk}/move/",
                                      statuses(MANAGERS_A, 302, not_visible=404, visible=SEES_A),
                                      data=lambda w: {"move": "cancel", "reason": ""}),  # refused: it is returned
    "secondments/<int:pk>/promotion/": Row("GET", lambda w: f"/secondments/{w['secondments'][0].pk}/promotion/",
                                           statuses(MANAGERS_A, 200, not_visible=404, visible=SEES_A)),
    "secondments/<int:pk>/handover/": Row("GET", lambda w: f"/secondments/{w['secondments'][0].pk}/handover/",
                                          statuses(MANAGERS_A, 200, not_visible=404, visible=SEES_A)),
    "secondments/<int:pk>/edit/": Row("GET", lambda w: f"/secondments/{w['secondments'][0].pk}/edit/",
                                      statuses(MANAGERS_A, 200, not_visible=404, visible=SEES_A)),
    "secondments/officers/<int:officer_id>/new/": Row(
        "GET", lambda w: f"/secondments/officers/{_a(w)}/new/",
        statuses(MANAGERS_A, 200, not_visible=404, visible=SEES_A)),
    "audit/": Row("GET", lambda w: "/audit/", statuses(AUDIT, 200)),
    # Priorities: readers read, editors change (an empty POST is refused with 400).
    "priorities/": Row("GET", lambda w: "/priorities/", statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/models/<slug:name>/": Row("GET", lambda w: "/priorities/models/small/",
                                          statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/models/<slug:name>/check/": Row("POST", lambda w: "/priorities/models/small/check/",
                                                statuses(PRIORITY_READERS, 400), priorities=True),
    "priorities/models/<slug:name>/home/": Row("POST", lambda w: "/priorities/models/small/home/",
                                               statuses(PRIORITY_EDITORS, 302), priorities=True),
    "priorities/models/<slug:name>/versions/": Row("GET", lambda w: "/priorities/models/small/versions/",
                                                   statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/models/<slug:name>/versions/<int:number>/": Row(
        "GET", lambda w: "/priorities/models/small/versions/1/", statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/models/<slug:name>/tree/": Row("GET", lambda w: "/priorities/models/small/tree/",
                                               statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/models/<slug:name>/versions/<int:number>/changes/": Row(
        "GET", lambda w: "/priorities/models/small/versions/1/changes/", statuses(PRIORITY_READERS, 200),
        priorities=True),
    "priorities/models/<slug:name>/themes/": Row("GET", lambda w: "/priorities/models/small/themes/",
                                                 statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/datasets/": Row("GET", lambda w: "/priorities/datasets/", statuses(PRIORITY_READERS, 200),
                                priorities=True),
    "priorities/datasets/<slug:name>/edit/": Row("GET", lambda w: "/priorities/datasets/cases/edit/",
                                                 statuses(PRIORITY_EDITORS, 200), priorities=True),
    "priorities/runs/": Row("GET", lambda w: "/priorities/runs/", statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/runs/new/": Row("GET", lambda w: "/priorities/runs/new/", statuses(PRIORITY_EDITORS, 200),
                                priorities=True),
    "priorities/runs/<int:pk>/": Row("GET", lambda w: f"/priorities/runs/{w['run'].pk}/",
                                     statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/runs/<int:pk>/ranking.<str:fmt>": Row("GET", lambda w: f"/priorities/runs/{w['run'].pk}/ranking.csv",
                                                      statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/runs/<int:pk>/countries/<str:iso3>/": Row(
        "GET", lambda w: f"/priorities/runs/{w['run'].pk}/countries/COL/", statuses(PRIORITY_READERS, 200),
        priorities=True),
    "priorities/runs/<int:pk>/robustness/": Row("GET", lambda w: f"/priorities/runs/{w['run'].pk}/robustness/",
                                                statuses(PRIORITY_READERS, 200), priorities=True),
    "priorities/runs/<int:pk>/robustness.<str:fmt>": Row(
        "GET", lambda w: f"/priorities/runs/{w['run'].pk}/robustness.csv", statuses(PRIORITY_READERS, 200),
        priorities=True),
    "priorities/runs/<int:pk>/adopt/": Row("POST", lambda w: f"/priorities/runs/{w['run'].pk}/adopt/",
                                           statuses(ADOPTERS, 400), priorities=True),
    "priorities/adopted/": Row("GET", lambda w: "/priorities/adopted/", statuses(PRIORITY_READERS, 200),
                               priorities=True),
    "priorities/adopted/<int:adoption_id>/withdraw/": Row(
        "POST", lambda w: f"/priorities/adopted/{w['adoption'].pk}/withdraw/", statuses(ADOPTERS, 302),
        priorities=True),
    "priorities/compare/": Row("GET", lambda w: "/priorities/compare/", statuses(PRIORITY_READERS, 200),
                               priorities=True),
    "priorities/compare.<str:fmt>": Row(
        "GET", lambda w: f"/priorities/compare.csv?a={w['run'].pk}&b={w['run'].pk}", statuses(PRIORITY_READERS, 200),
        priorities=True),
    # Selection: calls, their positions and nominations (empty POSTs are refused with a redirect and
    # a message, or 400 on the API).
    "selection/": Row("GET", lambda w: "/selection/?status=all", statuses(CALL_SEEN, 200), selection=True),
    "selection/mine/": Row("GET", lambda w: "/selection/mine/", statuses({"secondee"}, 200), selection=True,
                           officers_listed=False),
    "selection/releases/": Row("GET", lambda w: "/selection/releases/", statuses(RELEASERS_A, 200), selection=True),
    # The figures, counted over the nominations each reader sees (tests/selection/test_analytics.py).
    "selection/analytics/": Row("GET", lambda w: "/selection/analytics/", statuses(ANALYTICS_READERS, 200),
                                selection=True),
    "selection/analytics/<str:fmt>/": Row("GET", lambda w: "/selection/analytics/csv/",
                                          statuses(ANALYTICS_READERS, 200), selection=True),
    "selection/calls/new/": Row("GET", lambda w: "/selection/calls/new/", statuses(COORDINATORS, 200)),
    "selection/calls/<int:pk>/": Row("GET", lambda w: f"/selection/calls/{w['call'].pk}/",
                                     statuses(CALL_SEEN, 200, not_visible=404, visible=CALL_SEEN), selection=True,
                                     officers_listed=True),
    "selection/calls/<int:pk>/edit/": Row("GET", lambda w: f"/selection/calls/{w['call'].pk}/edit/",
                                          statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN),
                                          selection=True),
    "selection/calls/<int:pk>/status/": Row("POST", lambda w: f"/selection/calls/{w['call'].pk}/status/",
                                            statuses(COORDINATORS, 302, not_visible=404, visible=CALL_SEEN),
                                            selection=True),
    "selection/calls/<int:pk>/positions/new/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/positions/new/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/calls/<int:pk>/positions/import/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/positions/import/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/call-positions/<int:pk>/edit/": Row(
        "GET", lambda w: f"/selection/call-positions/{w['cp'].pk}/edit/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/call-positions/<int:pk>/nominate/": Row(
        "GET", lambda w: f"/selection/call-positions/{w['cp'].pk}/nominate/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/call-positions/<int:pk>/team/": Row(
        "GET", lambda w: f"/selection/call-positions/{w['cp'].pk}/team/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/call-positions/<int:pk>/interest/": Row(
        "POST", lambda w: f"/selection/call-positions/{w['cp'].pk}/interest/",
        statuses({"secondee"}, 302, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/nominations/<int:pk>/release/": Row(
        "POST", lambda w: f"/selection/nominations/{w['nomination'].pk}/release/",
        statuses(RELEASERS_A, 302, not_visible=404, visible=SEES_A), selection=True),
    "selection/nominations/<int:pk>/approve/": Row(  # national rules here require the release (setting)
        "POST", lambda w: f"/selection/nominations/{w['nomination'].pk}/approve/",
        statuses(set(), 302, not_visible=404, visible=SEES_A), selection=True),
    "selection/nominations/<int:pk>/withdraw/": Row(
        "POST", lambda w: f"/selection/nominations/{w['nomination'].pk}/withdraw/",
        statuses(WITHDRAWERS_A, 302, not_visible=404, visible=SEES_A), selection=True),
    "selection/call-positions/<int:pk>/": Row(
        "GET", lambda w: f"/selection/call-positions/{w['cp'].pk}/",
        statuses(RANKING, 200, not_visible=404, visible=CALL_SEEN), selection=True, officers_listed=True),
    "selection/calls/<int:pk>/eligibility/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/eligibility/",
        statuses(RANKING, 200, not_visible=404, visible=CALL_SEEN), selection=True, officers_listed=True),
    "selection/calls/<int:pk>/criteria/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/criteria/",
        statuses(RANKING, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/calls/<int:pk>/criteria/lock/": Row(  # the second coordinator finds them locked: a message
        "POST", lambda w: f"/selection/calls/{w['call'].pk}/criteria/lock/",
        statuses(COORDINATORS, 302, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/rule-sets/": Row("GET", lambda w: "/selection/rule-sets/", statuses(RANKING, 200), selection=True),
    "selection/rule-sets/new/": Row("GET", lambda w: "/selection/rule-sets/new/?organisation=un",
                                    statuses(RULE_EDITORS, 200)),
    "selection/rule-sets/<int:pk>/": Row("GET", lambda w: f"/selection/rule-sets/{w['rule_sets'][1].pk}/",
                                         statuses(RANKING, 200), selection=True),
    "selection/rule-sets/<int:pk>/compare/<int:other>/": Row(
        "GET", lambda w: f"/selection/rule-sets/{w['rule_sets'][1].pk}/compare/{w['rule_sets'][0].pk}/",
        statuses(RANKING, 200), selection=True),
    # Strategic positions: relevance (not personal), rotations (holders named to those who see them).
    "selection/strategic/": Row("GET", lambda w: "/selection/strategic/?sort=burden", statuses(CALL_SEEN, 200),
                                selection=True),
    "selection/rotations/": Row("GET", lambda w: "/selection/rotations/", statuses(ROTATION_STAFF, 200),
                                selection=True, strategic=True, officers_listed=True),
    "selection/relevance/weights/": Row("GET", lambda w: "/selection/relevance/weights/",
                                        statuses(CALL_SEEN, 200)),
    "selection/positions/<int:pk>/relevance/": Row(
        "GET", lambda w: f"/selection/positions/{w['position'].pk}/relevance/", statuses(CALL_SEEN, 200),
        selection=True, strategic=True),
    "selection/nominations/<int:pk>/outcome/": Row(
        "GET", lambda w: f"/selection/nominations/{w['nomination'].pk}/outcome/",
        statuses(COORDINATORS, 200, not_visible=404, visible=SEES_A), selection=True),
    # Selection on the record: the panel (anonymised), decisions, assignment runs and the report.
    "selection/calls/<int:pk>/panel/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/panel/",
        statuses(COORDINATORS | PANEL, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/nominations/<int:pk>/score/": Row(  # no score: refused with a message
        "POST", lambda w: f"/selection/nominations/{w['nomination'].pk}/score/",
        statuses(PANEL, 302, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/calls/<int:pk>/decisions/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/decisions/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/decisions/<int:pk>/review/": Row(  # no answer chosen: refused with a message
        "POST", lambda w: f"/selection/decisions/{w['decision'].pk}/review/",
        statuses(COORDINATORS, 302, not_visible=404, visible=SEES_A), selection=True),
    "selection/calls/<int:pk>/assignment/": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/assignment/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/assignment-runs/<int:pk>/": Row(
        "GET", lambda w: f"/selection/assignment-runs/{w['assignment_run'].pk}/",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "selection/calls/<int:pk>/report.<str:fmt>": Row(
        "GET", lambda w: f"/selection/calls/{w['call'].pk}/report.xlsx",
        statuses(COORDINATORS, 200, not_visible=404, visible=CALL_SEEN), selection=True),
    "reports/": Row("GET", lambda w: "/reports/?status=", statuses(REPORT_USERS, 200), reports=True,
                    officers_listed=True),
    "reports/new/": Row("GET", lambda w: "/reports/new/", statuses({"secondee"}, 200), reports=True),
    # The report form as a web app: its service worker and manifest hold static addresses only.
    "reports/sw.js": Row("GET", lambda w: "/reports/sw.js", statuses(SIGNED_IN, 200, anonymous=200)),
    "reports/manifest.webmanifest": Row("GET", lambda w: "/reports/manifest.webmanifest",
                                        statuses(SIGNED_IN, 200, anonymous=200)),
    "reports/requirements/": Row("GET", lambda w: "/reports/requirements/", statuses(REPORT_USERS, 200),
                                 reports=True),
    "reports/<int:pk>/": Row("GET", lambda w: f"/reports/{w['report'].pk}/",
                             statuses(REPORT_USERS, 200, not_visible=404, visible=REPORT_USERS), reports=True),
    # An attachment: downloaded by whoever reads its report (hidden from the others).
    "reports/<int:pk>/attachments/<int:attachment_pk>/": Row(
        "GET", lambda w: f"/reports/{w['report'].pk}/attachments/{w['attachment'].pk}/",
        statuses(REPORT_USERS, 200, not_visible=404, visible=REPORT_USERS), reports=True),
    "GET /api/reports/{report_id}/attachments/{attachment_id}": Row(
        "GET", lambda w: f"/api/reports/{w['report'].pk}/attachments/{w['attachment'].pk}",
        statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "reports/<int:pk>/status/": Row("POST", lambda w: f"/reports/{w['report'].pk}/status/",
                                    statuses({"analyst_pool"}, 302, not_visible=404, visible=REPORT_USERS),
                                    data=lambda w: {"status": "in_review"}, reports=True),
    "GET /api/reports": Row("GET", lambda w: "/api/reports", statuses(REPORT_USERS, 200, anonymous=API_ANON),
                            reports=True),
    "POST /api/reports": Row("POST", lambda w: "/api/reports", statuses({"secondee"}, 400, anonymous=API_ANON),
                             data=lambda w: {"draft_key": "vis-draft-9", "mission": w["mission"].pk,  # not deployed there
                                             "period_start": "2026-01-01", "period_end": "2026-01-07", "kind": "weekly",
                                             "title": "T", "body": "B", "marking": "green", "credibility": 3,
                                             "reliability": "C"}, reports=True),
    "GET /api/reports/requirements": Row("GET", lambda w: "/api/reports/requirements",
                                         statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/requirements": Row("POST", lambda w: "/api/reports/requirements",
                                          statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                          data=lambda w: {"title": "T", "description": "D"}, reports=True),
    # Search (issue 12 §9): the reports each user may read, and nothing else (not even a count).
    "reports/search/": Row("GET", lambda w: "/reports/search/?q=week", statuses(REPORT_USERS, 200), reports=True,
                           officers_listed=True),
    "GET /api/reports/search": Row("GET", lambda w: "/api/reports/search?q=week",
                                   statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "GET /api/reports/{report_id}": Row("GET", lambda w: f"/api/reports/{w['report'].pk}",
                                        statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/{report_id}/status": Row(
        "POST", lambda w: f"/api/reports/{w['report'].pk}/status",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON), data=lambda w: {"status": "nonsense"}, reports=True),
    # Products (issue 12 §5): the published flash report reaches its author (the analyst) and its
    # named list (Aalto); the draft only its author; feedback on a report from the analysts who triage it.
    "reports/<int:pk>/feedback/": Row("POST", lambda w: f"/reports/{w['report'].pk}/feedback/",
                                      statuses({"analyst_pool"}, 302, not_visible=404, visible=REPORT_USERS),
                                      data=lambda w: {"verdict": "nonsense"}, reports=True),
    "reports/products/": Row("GET", lambda w: "/reports/products/", statuses(REPORT_USERS, 200), reports=True),
    "reports/products/new/": Row("GET", lambda w: "/reports/products/new/", statuses({"analyst_pool"}, 200),
                                 reports=True),
    "reports/products/<int:pk>/": Row("GET", lambda w: f"/reports/products/{w['product'].pk}/",
                                      statuses(REPORT_USERS, 200, not_visible=404, visible=REPORT_USERS),
                                      reports=True),
    "reports/products/<int:pk>/sections/": Row(
        "POST", lambda w: f"/reports/products/{w['draft'].pk}/sections/",
        statuses({"analyst_pool"}, 302, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"heading": ""}, reports=True),
    "reports/products/<int:pk>/audiences/": Row(
        "POST", lambda w: f"/reports/products/{w['draft'].pk}/audiences/",
        statuses({"analyst_pool"}, 302, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"audiences": "987654"}, reports=True),
    "reports/products/<int:pk>/marking/": Row(
        "POST", lambda w: f"/reports/products/{w['draft'].pk}/marking/",
        statuses({"analyst_pool"}, 302, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"marking": "secret"}, reports=True),
    "reports/products/<int:pk>/move/": Row(
        "POST", lambda w: f"/reports/products/{w['product'].pk}/move/",
        statuses(REPORT_USERS, 302, not_visible=404, visible=REPORT_USERS),
        data=lambda w: {"move": "nonsense"}, reports=True),
    "reports/products/<int:pk>/pdf/": Row("GET", lambda w: f"/reports/products/{w['product'].pk}/pdf/",
                                          statuses(REPORT_USERS, 200, not_visible=404, visible=REPORT_USERS),
                                          reports=True),
    "reports/products/<int:pk>/stix/": Row("GET", lambda w: f"/reports/products/{w['product'].pk}/stix/",
                                           statuses(REPORT_USERS, 200, not_visible=404, visible=REPORT_USERS),
                                           reports=True),
    "reports/audiences/": Row("GET", lambda w: "/reports/audiences/", statuses({"analyst_pool"}, 200), reports=True),
    "reports/funnel/": Row("GET", lambda w: "/reports/funnel/", statuses({"analyst_pool"}, 200), reports=True),
    # Triage (issue 12 §4): the queue, a report's triage page (its lock), assignment, comments and bulk
    # actions for the analysts who triage it (Aalto sees that her report exists, not its triage);
    # suggestions for whoever files or triages; the theme vocabulary for analysts and administrators
    # (THEME_READERS).
    "reports/triage/": Row("GET", lambda w: "/reports/triage/?status=", statuses({"analyst_pool"}, 200),
                           reports=True, officers_listed=True),
    "reports/triage/bulk/": Row("POST", lambda w: "/reports/triage/bulk/", statuses({"analyst_pool"}, 400),
                                data=lambda w: {"reports": "987654", "action": "status", "status": "in_review"},
                                reports=True),
    "reports/<int:pk>/triage/": Row("GET", lambda w: f"/reports/{w['report'].pk}/triage/",
                                    statuses({"analyst_pool"}, 200, not_visible=404, visible=REPORT_USERS),
                                    reports=True),
    "reports/<int:pk>/triage/release/": Row("POST", lambda w: f"/reports/{w['report'].pk}/triage/release/",
                                            statuses({"analyst_pool"}, 302, not_visible=404, visible=REPORT_USERS),
                                            reports=True),
    "reports/<int:pk>/assign/": Row("POST", lambda w: f"/reports/{w['report'].pk}/assign/",
                                    statuses({"analyst_pool"}, 302, not_visible=404, visible=REPORT_USERS),
                                    data=lambda w: {"analyst": "987654"}, reports=True),
    "reports/<int:pk>/comments/": Row("POST", lambda w: f"/reports/{w['report'].pk}/comments/",
                                      statuses({"analyst_pool"}, 400, not_visible=404, visible=REPORT_USERS),
                                      data=lambda w: {"text": ""}, reports=True),
    "reports/suggest/": Row("POST", lambda w: "/reports/suggest/", statuses(REPORT_USERS, 200),
                            data=lambda w: {"title": "Smugglers in Gao", "body": ""}, reports=True),
    "reports/themes/": Row("GET", lambda w: "/reports/themes/", statuses(THEME_READERS, 200)),
    "reports/themes/misp.json": Row("GET", lambda w: "/reports/themes/misp.json", statuses(THEME_READERS, 200)),
    "GET /api/reports/triage/queue": Row("GET", lambda w: "/api/reports/triage/queue",
                                         statuses({"analyst_pool"}, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/triage/bulk": Row("POST", lambda w: "/api/reports/triage/bulk",
                                         statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                         data=lambda w: {"reports": [987654], "action": "status",
                                                         "status": "in_review"}, reports=True),
    "POST /api/reports/{report_id}/assign": Row("POST", lambda w: f"/api/reports/{w['report'].pk}/assign",
                                                statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                                data=lambda w: {"analyst": 987654}, reports=True),
    "GET /api/reports/{report_id}/comments": Row("GET", lambda w: f"/api/reports/{w['report'].pk}/comments",
                                                 statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/{report_id}/comments": Row("POST", lambda w: f"/api/reports/{w['report'].pk}/comments",
                                                  statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                                  data=lambda w: {"text": ""}, reports=True),
    "GET /api/reports/{report_id}/suggestions": Row(
        "GET", lambda w: f"/api/reports/{w['report'].pk}/suggestions",
        statuses(REPORT_USERS, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/suggestions/draft": Row("POST", lambda w: "/api/reports/suggestions/draft",
                                               statuses(REPORT_USERS, 200, anonymous=API_ANON),
                                               data=lambda w: {"body": "Cocaine in Gao"}, reports=True),
    "GET /api/reports/products": Row("GET", lambda w: "/api/reports/products",
                                     statuses(SIGNED_IN, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/products": Row(
        "POST", lambda w: "/api/reports/products", statuses({"analyst_pool"}, 400, anonymous=API_ANON),
        data=lambda w: {"kind": "flash", "title": "T", "period_start": "2026-01-01", "period_end": "2026-01-07",
                        "marking": "secret"}, reports=True),
    "GET /api/reports/products/{product_id}": Row(
        "GET", lambda w: f"/api/reports/products/{w['product'].pk}",
        statuses(REPORT_USERS, 200, anonymous=API_ANON, not_visible=404, visible=REPORT_USERS), reports=True),
    "GET /api/reports/products/{product_id}/stix": Row(
        "GET", lambda w: f"/api/reports/products/{w['product'].pk}/stix",
        statuses(REPORT_USERS, 200, anonymous=API_ANON, not_visible=404, visible=REPORT_USERS), reports=True),
    "POST /api/reports/products/{product_id}/sections": Row(
        "POST", lambda w: f"/api/reports/products/{w['draft'].pk}/sections",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"heading": ""}, reports=True),
    "POST /api/reports/products/{product_id}/audiences": Row(
        "POST", lambda w: f"/api/reports/products/{w['draft'].pk}/audiences",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"audiences": [987654]}, reports=True),
    "POST /api/reports/products/{product_id}/move": Row(
        "POST", lambda w: f"/api/reports/products/{w['product'].pk}/move",
        statuses(REPORT_USERS, 400, anonymous=API_ANON, not_visible=404, visible=REPORT_USERS),
        data=lambda w: {"move": "nonsense"}, reports=True),
    "GET /api/reports/audiences": Row("GET", lambda w: "/api/reports/audiences",
                                      statuses({"analyst_pool"}, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/audiences": Row("POST", lambda w: "/api/reports/audiences",
                                       statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                       data=lambda w: {"name": "X", "breadth": "galaxy"}, reports=True),
    "GET /api/reports/funnel": Row("GET", lambda w: "/api/reports/funnel",
                                   statuses({"analyst_pool"}, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/{report_id}/feedback": Row(
        "POST", lambda w: f"/api/reports/{w['report'].pk}/feedback",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON), data=lambda w: {"verdict": "nonsense"}, reports=True),
    # Near-duplicates (issue 12 §4): suggestions and decisions for the analysts who triage the report.
    "reports/<int:pk>/duplicates/": Row("POST", lambda w: f"/reports/{w['report'].pk}/duplicates/",
                                        statuses({"analyst_pool"}, 302, not_visible=404, visible=REPORT_USERS),
                                        data=lambda w: {"other": "", "verdict": "duplicate"}, reports=True),
    "GET /api/reports/{report_id}/duplicates": Row("GET", lambda w: f"/api/reports/{w['report'].pk}/duplicates",
                                                   statuses({"analyst_pool"}, 200, anonymous=API_ANON), reports=True),
    "POST /api/reports/{report_id}/duplicates": Row(
        "POST", lambda w: f"/api/reports/{w['report'].pk}/duplicates", statuses({"analyst_pool"}, 400, anonymous=API_ANON),
        data=lambda w: {"other": 987654, "verdict": "duplicate"}, reports=True),
    # Monthly mission reports (issue 12 §7): analysts; one report is read by its author and the
    # analysts who read every report it cites (here pool alpha's analyst, its author). Debriefings
    # (§8): the members of a named group (pool alpha's analyst is in the debriefing cell; Aalto is on
    # the named list "EUREP team": an empty list for them); recorded by analysts in a named group.
    "reports/monthly/": Row("GET", lambda w: "/reports/monthly/", statuses({"analyst_pool"}, 200), monthly=True),
    "reports/monthly/new/": Row("GET", lambda w: "/reports/monthly/new/", statuses({"analyst_pool"}, 200),
                                monthly=True),
    "reports/monthly/<int:pk>/": Row("GET", lambda w: f"/reports/monthly/{w['monthly_report'].pk}/",
                                     statuses({"analyst_pool"}, 200, not_visible=404, visible={"analyst_pool"}),
                                     monthly=True),
    "reports/monthly/<int:pk>/edit/": Row("GET", lambda w: f"/reports/monthly/{w['monthly_report'].pk}/edit/",
                                          statuses({"analyst_pool"}, 200, not_visible=404,
                                                   visible={"analyst_pool"}), monthly=True),
    "reports/monthly/<int:pk>/move/": Row("POST", lambda w: f"/reports/monthly/{w['monthly_report'].pk}/move/",
                                          statuses({"analyst_pool"}, 302, not_visible=404,
                                                   visible={"analyst_pool"}),
                                          data=lambda w: {"move": "nonsense"}, monthly=True),
    "reports/monthly/<int:pk>/pdf/": Row("GET", lambda w: f"/reports/monthly/{w['monthly_report'].pk}/pdf/",
                                         statuses({"analyst_pool"}, 200, not_visible=404, visible={"analyst_pool"}),
                                         monthly=True),
    "reports/debriefings/": Row("GET", lambda w: "/reports/debriefings/", statuses(REPORT_USERS, 200),
                                monthly=True),
    "reports/debriefings/new/": Row("GET", lambda w: "/reports/debriefings/new/", statuses({"analyst_pool"}, 200),
                                    monthly=True),
    "reports/debriefings/<int:pk>/": Row("GET", lambda w: f"/reports/debriefings/{w['debriefing'].pk}/",
                                         statuses({"analyst_pool"}, 200, not_visible=404, visible={"analyst_pool"}),
                                         monthly=True),
    "GET /api/reports/monthly": Row("GET", lambda w: "/api/reports/monthly",
                                    statuses({"analyst_pool"}, 200, anonymous=API_ANON), monthly=True),
    "POST /api/reports/monthly": Row("POST", lambda w: "/api/reports/monthly",
                                     statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                     data=lambda w: {"mission": 987654, "month": "2026-01"}, monthly=True),
    "GET /api/reports/monthly/{report_id}": Row(
        "GET", lambda w: f"/api/reports/monthly/{w['monthly_report'].pk}",
        statuses({"analyst_pool"}, 200, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}), monthly=True),
    "PUT /api/reports/monthly/{report_id}": Row(
        "PUT", lambda w: f"/api/reports/monthly/{w['monthly_report'].pk}",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"security_assessment": "", "political_update": "", "contingent_work": "", "marking": "red"},
        monthly=True),
    "POST /api/reports/monthly/{report_id}/move": Row(
        "POST", lambda w: f"/api/reports/monthly/{w['monthly_report'].pk}/move",
        statuses({"analyst_pool"}, 400, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}),
        data=lambda w: {"move": "nonsense"}, monthly=True),
    "GET /api/reports/debriefings": Row("GET", lambda w: "/api/reports/debriefings",
                                        statuses(REPORT_USERS, 200, anonymous=API_ANON), monthly=True),
    "POST /api/reports/debriefings": Row("POST", lambda w: "/api/reports/debriefings",
                                         statuses({"analyst_pool"}, 400, anonymous=API_ANON),
                                         data=lambda w: {"officer": 987654, "group": 987654, "held_on": "2026-01-01",
                                                         "content": "x"}, monthly=True),
    "GET /api/reports/debriefings/{debriefing_id}": Row(
        "GET", lambda w: f"/api/reports/debriefings/{w['debriefing'].pk}",
        statuses({"analyst_pool"}, 200, anonymous=API_ANON, not_visible=404, visible={"analyst_pool"}), monthly=True),
    # Duty of care (issue 11 §3).
    "care/": Row("GET", lambda w: "/care/", statuses(CARE_USERS, 200), officers_listed=True, care=True),
    "care/officers/": Row("GET", lambda w: "/care/officers/", statuses(CARE_USERS, 200), care=True),
    "care/officers/<int:pk>/": Row("POST", lambda w: f"/care/officers/{w['pools'][0].pk}/",
                                   statuses(CARE_USERS, 302), care=True),
    "care/contingents/": Row("GET", lambda w: "/care/contingents/", statuses(CARE_USERS, 200), officers_listed=True,
                             care=True),
    "care/contingents/<int:mission_id>/leader/": Row(
        "POST", lambda w: f"/care/contingents/{w['care_mission'].pk}/leader/", statuses(CARE_USERS, 302), care=True),
    "care/secondments/<int:pk>/": Row("GET", lambda w: f"/care/secondments/{w['care_secondment'].pk}/",
                                      statuses(CARE_A, 200, not_visible=404, visible=CARE_A), care=True),
    "care/secondments/<int:pk>/contacts/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/contacts/",
        statuses(CARE_NOTES_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/secondments/<int:pk>/desk-officer/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/desk-officer/",
        statuses(MANAGERS_A, 302, not_visible=404, visible=CARE_A), care=True),  # no choice: none assigned
    "care/secondments/<int:pk>/leave/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/leave/",
        statuses(MANAGERS_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/secondments/<int:pk>/incidents/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/incidents/",
        statuses(MANAGERS_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/secondments/<int:pk>/appraisals/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/appraisals/",
        statuses(CARE_NOTES_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/secondments/<int:pk>/misconduct/": Row(
        "POST", lambda w: f"/care/secondments/{w['care_secondment'].pk}/misconduct/",
        statuses(CARE_NOTES_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/leave/<int:pk>/debriefing/": Row(
        "POST", lambda w: f"/care/leave/{w['leave'].pk}/debriefing/",
        statuses(CARE_NOTES_A, 400, not_visible=404, visible=CARE_A), care=True),
    "care/misconduct/<int:pk>/decide/": Row(
        "POST", lambda w: f"/care/misconduct/{w['case'].pk}/decide/",
        statuses(CARE_NOTES_A, 400, not_visible=404, visible=CARE_NOTES_A), care=True),
    "preparation/": Row("GET", lambda w: "/preparation/", statuses(CHECKLIST_A, 200), officers_listed=True,
                        preparation=True),
    "preparation/secondments/<int:pk>/": Row(
        "GET", lambda w: f"/preparation/secondments/{w['preparing'].pk}/",
        statuses(CHECKLIST_A, 200, not_visible=404, visible=SEES_A), preparation=True),
    "preparation/secondments/<int:pk>/start/": Row(  # made already: a message, nothing changes
        "POST", lambda w: f"/preparation/secondments/{w['preparing'].pk}/start/",
        statuses(PREPARERS_A, 302, not_visible=404, visible=SEES_A), preparation=True),
    "preparation/secondments/<int:pk>/caveats/": Row(
        "GET", lambda w: f"/preparation/secondments/{w['preparing'].pk}/caveats/",
        statuses(PREPARERS_A, 200, not_visible=404, visible=SEES_A), preparation=True),
    "preparation/secondments/<int:pk>/backfill/": Row(
        "GET", lambda w: f"/preparation/secondments/{w['preparing'].pk}/backfill/",
        statuses(PREPARERS_A, 200, not_visible=404, visible=SEES_A), preparation=True),
    "preparation/items/<int:pk>/tick/": Row(
        "POST", lambda w: f"/preparation/items/{w['visa'].pk}/tick/",
        statuses(PREPARERS_A, 302, not_visible=404, visible=CHECKLIST_A), data=lambda w: {"done": "1"},
        preparation=True),
    "preparation/items/<int:pk>/edit/": Row(
        "GET", lambda w: f"/preparation/items/{w['visa'].pk}/edit/",
        statuses(PREPARERS_A, 200, not_visible=404, visible=CHECKLIST_A), preparation=True),
    "preparation/backfill/": Row("GET", lambda w: "/preparation/backfill/", statuses(BACKFILL, 200),
                                 preparation=True),
    "preparation/backfill/pools/<int:pk>/": Row(
        "GET", lambda w: f"/preparation/backfill/pools/{w['pools'][0].pk}/", statuses(BACKFILL, 200),
        preparation=True),
    "preparation/backfill/pools/<int:pk>/roster/": Row(  # an unknown service number: a message, nothing added
        "POST", lambda w: f"/preparation/backfill/pools/{w['pools'][0].pk}/roster/", statuses(BACKFILL, 302),
        data=lambda w: {"officer": "NO-SUCH"}, preparation=True),
    "preparation/backfill/roster/<int:pk>/remove/": Row(  # pool beta's entry: the national coordinator's
        "POST", lambda w: f"/preparation/backfill/roster/{w['roster_b'].pk}/remove/",
        statuses({"coordinator_national"}, 302, not_visible=404,
                 visible=SIGNED_IN - {"coordinator_pool", "hr_pool"}), preparation=True),
    "GET /api/preparation/secondments/{secondment_id}/checklist": Row(
        "GET", lambda w: f"/api/preparation/secondments/{w['preparing'].pk}/checklist",
        statuses(CHECKLIST_A, 200, anonymous=API_ANON, not_visible=404, visible=SEES_A), preparation=True),
    "POST /api/preparation/secondments/{secondment_id}/checklist": Row(  # made already: 400
        "POST", lambda w: f"/api/preparation/secondments/{w['preparing'].pk}/checklist",
        statuses(PREPARERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A), preparation=True),
    "POST /api/preparation/secondments/{secondment_id}/checklist/items": Row(  # an unknown item: 400
        "POST", lambda w: f"/api/preparation/secondments/{w['preparing'].pk}/checklist/items",
        statuses(PREPARERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"items": [{"code": "nope", "done": True}]}, preparation=True),
    "GET /api/preparation/secondments/{secondment_id}/backfill": Row(
        "GET", lambda w: f"/api/preparation/secondments/{w['preparing'].pk}/backfill",
        statuses(PREPARERS_A, 200, anonymous=API_ANON, not_visible=404, visible=SEES_A), preparation=True),
    "PUT /api/preparation/secondments/{secondment_id}/backfill": Row(  # ends before it starts: 400
        "PUT", lambda w: f"/api/preparation/secondments/{w['preparing'].pk}/backfill",
        statuses(PREPARERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"arrangement": "vacant", "start_date": "2027-02-01", "end_date": "2027-01-01"},
        preparation=True),
    "GET /api/preparation/overdue": Row("GET", lambda w: "/api/preparation/overdue",
                                        statuses(CHECKLIST_A, 200, anonymous=API_ANON), preparation=True),
    "GET /api/preparation/pools/{pool_id}/backfill": Row(
        "GET", lambda w: f"/api/preparation/pools/{w['pools'][0].pk}/backfill",
        statuses(BACKFILL, 200, anonymous=API_ANON), preparation=True),
    "alerts/": Row("GET", lambda w: "/alerts/", statuses(ALERT_USERS, 200), alerts=True),
    "alerts/new/": Row("GET", lambda w: "/alerts/new/", statuses(COORDINATORS, 200), alerts=True),
    "alerts/<int:pk>/": Row(  # the secondee has their answer page (below)
        "GET", lambda w: f"/alerts/{w['alert'].pk}/",
        statuses(COORDINATORS, 200, not_visible=404, visible=ALERT_USERS), alerts=True,
        officers_listed=True),
    "alerts/<int:pk>/replies/": Row(
        "GET", lambda w: f"/alerts/{w['alert'].pk}/replies/",
        statuses(COORDINATORS, 200, not_visible=404, visible=ALERT_USERS), alerts=True, officers_listed=True),
    "alerts/<int:pk>/deploy/": Row(  # nobody chosen: refused with a message, back to the alert
        "POST", lambda w: f"/alerts/{w['alert'].pk}/deploy/",
        statuses(ALERT_MANAGERS, 302, not_visible=404, visible=ALERT_USERS), data=lambda w: {}, alerts=True),
    "alerts/<int:pk>/stand-down/": Row(  # no reason: refused with a message, back to the alert
        "POST", lambda w: f"/alerts/{w['alert'].pk}/stand-down/",
        statuses(ALERT_MANAGERS, 302, not_visible=404, visible=ALERT_USERS), data=lambda w: {"reason": ""},
        alerts=True),
    "alerts/<int:pk>/answer/": Row("GET", lambda w: f"/alerts/{w['alert'].pk}/answer/",
                                   statuses({"secondee"}, 200, not_visible=404, visible={"secondee"}), alerts=True),
    "GET /api/alerts": Row("GET", lambda w: "/api/alerts", statuses(ALERT_USERS, 200, anonymous=API_ANON), alerts=True),
    "POST /api/alerts": Row("POST", lambda w: "/api/alerts", statuses(COORDINATORS, 400, anonymous=API_ANON),
                            data=lambda w: {"title": "T", "message": "M", "start_date": "2027-01-01",
                                            "officers": []}, alerts=True),
    "GET /api/alerts/{alert_id}": Row("GET", lambda w: f"/api/alerts/{w['alert'].pk}",
                                      statuses(ALERT_USERS, 200, anonymous=API_ANON), alerts=True),
    "POST /api/alerts/{alert_id}/reply": Row(
        "POST", lambda w: f"/api/alerts/{w['alert'].pk}/reply", statuses({"secondee"}, 400, anonymous=API_ANON),
        data=lambda w: {"answer": "maybe"}, alerts=True),
    "POST /api/alerts/{alert_id}/deploy": Row(
        "POST", lambda w: f"/api/alerts/{w['alert'].pk}/deploy", statuses(ALERT_MANAGERS, 400, anonymous=API_ANON),
        data=lambda w: {"officers": []}, alerts=True),
    "POST /api/alerts/{alert_id}/stand-down": Row(
        "POST", lambda w: f"/api/alerts/{w['alert'].pk}/stand-down",
        statuses(ALERT_MANAGERS, 400, anonymous=API_ANON), data=lambda w: {"reason": ""}, alerts=True),
    # Careers (issue 11 §2, §5-7).
    "careers/": Row("GET", lambda w: "/careers/", statuses(CAREERS, 200), officers_listed=True, careers=True),
    "careers/secondments/<int:pk>/": Row("GET", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/",
                                         statuses(CAREERS, 200), careers=True),
    "careers/secondments/<int:pk>/plan/": Row("GET", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/plan/",
                                              statuses(CAREERS, 200), careers=True),
    "careers/secondments/<int:pk>/plan/confirm/": Row(
        "POST", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/plan/confirm/", statuses(CAREERS, 302),
        data=lambda w: {"side": "supervisor"}, careers=True),
    "careers/secondments/<int:pk>/plan/review/": Row(
        "POST", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/plan/review/", statuses(CAREERS, 302),
        data=lambda w: {"stage": "during"}, careers=True),
    "careers/secondments/<int:pk>/debriefing/": Row(
        "GET", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/debriefing/", statuses(RESTRICTED_SEEN, 200),
        careers=True),
    "careers/secondments/<int:pk>/appraisal/<str:stage>/<str:rater>/": Row(
        "GET", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/appraisal/before/supervisor/",
        statuses(CAREER_MANAGERS, 200), careers=True),
    "careers/secondments/<int:pk>/follow-up/": Row(
        "GET", lambda w: f"/careers/secondments/{w['secondments'][0].pk}/follow-up/", statuses(CAREERS, 200),
        careers=True),
    "careers/vacancies/": Row("GET", lambda w: "/careers/vacancies/", statuses(VACANCY_READERS, 200), careers=True),
    "careers/vacancies/new/": Row("GET", lambda w: "/careers/vacancies/new/", statuses(CAREER_MANAGERS, 200),
                                  careers=True),
    "careers/vacancies/<int:pk>/": Row("GET", lambda w: f"/careers/vacancies/{w['vacancy'].pk}/",
                                       statuses(VACANCY_READERS, 200), careers=True),
    "careers/vacancies/<int:pk>/edit/": Row("GET", lambda w: f"/careers/vacancies/{w['vacancy'].pk}/edit/",
                                            statuses(CAREER_MANAGERS, 200), careers=True),
    # Placing a returnee reintegrates the secondment: the line manager's move (HR of the pool).
    "careers/vacancies/<int:pk>/place/": Row("POST", lambda w: f"/careers/vacancies/{w['vacancy'].pk}/place/",
                                             statuses({"hr_pool"}, 302), data=lambda w: {}, careers=True),
    "careers/kpis/": Row("GET", lambda w: "/careers/kpis/", statuses(VACANCY_READERS, 200), careers=True),
    "careers/kpis/export.<str:fmt>": Row("GET", lambda w: "/careers/kpis/export.csv", statuses(VACANCY_READERS, 200),
                                         careers=True),
    "careers/returnees/": Row("GET", lambda w: "/careers/returnees/?contacts=", statuses(VACANCY_READERS, 200),
                              officers_listed=True, careers=True),
    "GET /api/careers/secondments/{secondment_id}": Row(
        "GET", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}", statuses(CAREERS, 200, anonymous=API_ANON),
        careers=True),
    "PUT /api/careers/secondments/{secondment_id}/plan": Row(
        "PUT", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}/plan",
        statuses(CAREERS, 400, anonymous=API_ANON), data=lambda w: {"career_plan": "x", "objectives": []}, careers=True),
    "POST /api/careers/secondments/{secondment_id}/plan/confirm": Row(
        "POST", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}/plan/confirm",
        statuses(CAREER_MANAGERS, 400, anonymous=API_ANON), data=lambda w: {"side": "supervisor"}, careers=True),
    "PUT /api/careers/secondments/{secondment_id}/debriefing": Row(
        "PUT", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}/debriefing",
        statuses(RESTRICTED_SEEN, 400, anonymous=API_ANON),
        data=lambda w: {"mandate_implementation": "", "host_country_context": "", "networks_built": "",
                        "lessons_learned": ""}, careers=True),
    "PUT /api/careers/secondments/{secondment_id}/appraisals/{stage}/{rater}": Row(
        "PUT", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}/appraisals/before/self",
        statuses({"secondee"}, 400, anonymous=API_ANON), data=lambda w: {"ratings": {}}, careers=True),
    "PUT /api/careers/secondments/{secondment_id}/follow-up": Row(
        "PUT", lambda w: f"/api/careers/secondments/{w['secondments'][0].pk}/follow-up",
        statuses(CAREERS, 400, anonymous=API_ANON), data=lambda w: {"skills_used": ["cooking"]}, careers=True),
    "GET /api/careers/vacancies": Row("GET", lambda w: "/api/careers/vacancies",
                                      statuses(VACANCY_READERS, 200, anonymous=API_ANON), careers=True),
    "POST /api/careers/vacancies": Row(
        "POST", lambda w: "/api/careers/vacancies", statuses(CAREER_MANAGERS, 400, anonymous=API_ANON),
        data=lambda w: {"pool": w["pools"][0].pk, "post": "", "unit": "U", "location": "L"}, careers=True),
    "GET /api/careers/vacancies/{vacancy_id}/matches": Row(
        "GET", lambda w: f"/api/careers/vacancies/{w['vacancy'].pk}/matches",
        statuses(CAREER_MANAGERS, 200, anonymous=API_ANON), careers=True),
    "POST /api/careers/vacancies/{vacancy_id}/placements": Row(
        "POST", lambda w: f"/api/careers/vacancies/{w['vacancy'].pk}/placements",
        statuses({"hr_pool"}, 400, anonymous=API_ANON),
        data=lambda w: {"secondment": w["secondments"][1].pk, "start_date": "2000-01-01"}, careers=True),
    "GET /api/careers/returnees": Row("GET", lambda w: "/api/careers/returnees",
                                      statuses(VACANCY_READERS, 200, anonymous=API_ANON), officers_listed=True,
                                      careers=True),
    "accountability/": Row("GET", lambda w: "/accountability/?start=2020-01-01&end=2020-12-31",
                           statuses(FIGURE_READERS, 200)),
    "accountability/dashboard/<str:part>.csv": Row(
        "GET", lambda w: "/accountability/dashboard/missions.csv?start=2020-01-01&end=2020-12-31",
        statuses(FIGURE_READERS, 200)),
    "accountability/dashboard/list/<str:kind>/": Row(
        "GET", lambda w: "/accountability/dashboard/list/officers/?start=2020-01-01&end=2020-12-31",
        statuses(DRILLERS, 200), officers_listed=True),
    "accountability/parliament/": Row("GET", lambda w: "/accountability/parliament/?period=2020",
                                      statuses(FIGURE_READERS, 200)),
    "accountability/parliament/report.<str:fmt>": Row(
        "GET", lambda w: "/accountability/parliament/report.xlsx?period=2020Q2", statuses(FIGURE_READERS, 200)),
    "GET /api/accountability/dashboard": Row(
        "GET", lambda w: "/api/accountability/dashboard?start=2020-01-01&end=2020-12-31",
        statuses(FIGURE_READERS, 200, anonymous=API_ANON)),
    "GET /api/accountability/parliament-report": Row(
        "GET", lambda w: "/api/accountability/parliament-report?period=2020", statuses(FIGURE_READERS, 200,
                                                                                      anonymous=API_ANON)),
    "GET /api/careers/kpis": Row("GET", lambda w: "/api/careers/kpis", statuses(VACANCY_READERS, 200, anonymous=API_ANON),
                                 careers=True),
    # Commitments, the coordination forum and the budget (issue 14 section 2): read by the figure
    # readers, recorded by national policy officers and administrators; the costs' list names only the
    # officers the reader sees (the liaison: none).
    "commitments/": Row("GET", lambda w: "/commitments/", statuses(FIGURE_READERS, 200), commitments=True,
                        figures_only=True),
    "commitments/documents/new/": Row("GET", lambda w: "/commitments/documents/new/", statuses(TARGET_SETTERS, 200),
                                      commitments=True),
    "commitments/documents/<int:pk>/": Row("GET", lambda w: f"/commitments/documents/{w['document'].pk}/",
                                           statuses(FIGURE_READERS, 200), commitments=True, figures_only=True),
    "commitments/documents/<int:pk>/edit/": Row("GET", lambda w: f"/commitments/documents/{w['document'].pk}/edit/",
                                                statuses(TARGET_SETTERS, 200), commitments=True),
    "commitments/documents/<int:pk>/assignments/new/": Row(
        "GET", lambda w: f"/commitments/documents/{w['document'].pk}/assignments/new/", statuses(TARGET_SETTERS, 200),
        commitments=True),
    "commitments/assignments/<int:pk>/edit/": Row(
        "GET", lambda w: f"/commitments/assignments/{w['commitment_assignment'].pk}/edit/",
        statuses(TARGET_SETTERS, 200), commitments=True),
    "commitments/assignments/<int:pk>/move/": Row(
        "POST", lambda w: f"/commitments/assignments/{w['commitment_assignment'].pk}/move/",
        statuses(TARGET_SETTERS, 302), data=lambda w: {"status": "in_progress", "reason": ""}, commitments=True),
    "commitments/assignments.<str:fmt>": Row("GET", lambda w: "/commitments/assignments.csv",
                                             statuses(FIGURE_READERS, 200), commitments=True, figures_only=True),
    "commitments/forums/": Row("GET", lambda w: "/commitments/forums/", statuses(FIGURE_READERS, 200),
                               commitments=True, figures_only=True),
    "commitments/forums/new/": Row("GET", lambda w: "/commitments/forums/new/", statuses(TARGET_SETTERS, 200),
                                   commitments=True),
    "commitments/forums/<int:pk>/": Row("GET", lambda w: f"/commitments/forums/{w['forum'].pk}/",
                                        statuses(FIGURE_READERS, 200), commitments=True, figures_only=True),
    "commitments/forums/<int:pk>/meetings/new/": Row(
        "GET", lambda w: f"/commitments/forums/{w['forum'].pk}/meetings/new/", statuses(TARGET_SETTERS, 200),
        commitments=True),
    "commitments/meetings/<int:pk>/": Row("GET", lambda w: f"/commitments/meetings/{w['meeting'].pk}/",
                                          statuses(FIGURE_READERS, 200), commitments=True, figures_only=True),
    "commitments/meetings/<int:pk>/edit/": Row("GET", lambda w: f"/commitments/meetings/{w['meeting'].pk}/edit/",
                                               statuses(TARGET_SETTERS, 200), commitments=True),
    "commitments/meetings/<int:pk>/decisions/new/": Row(
        "GET", lambda w: f"/commitments/meetings/{w['meeting'].pk}/decisions/new/", statuses(TARGET_SETTERS, 200),
        commitments=True),
    "commitments/decisions/<int:pk>/follow-ups/new/": Row(
        "GET", lambda w: f"/commitments/decisions/{w['decision'].pk}/follow-ups/new/", statuses(TARGET_SETTERS, 200),
        commitments=True),
    "commitments/follow-ups/<int:pk>/move/": Row(
        "POST", lambda w: f"/commitments/follow-ups/{w['follow_up'].pk}/move/", statuses(TARGET_SETTERS, 302),
        data=lambda w: {"status": "done", "reason": ""}, commitments=True),
    "commitments/budget/": Row("GET", lambda w: "/commitments/budget/?year=2020", statuses(FIGURE_READERS, 200),
                               commitments=True, figures_only=True),
    "commitments/budget.<str:fmt>": Row("GET", lambda w: "/commitments/budget.csv?year=2020",
                                        statuses(FIGURE_READERS, 200), commitments=True, figures_only=True),
    "commitments/budget/lines/new/": Row("GET", lambda w: "/commitments/budget/lines/new/",
                                         statuses(TARGET_SETTERS, 200), commitments=True),
    "commitments/budget/lines/<int:pk>/edit/": Row(
        "GET", lambda w: f"/commitments/budget/lines/{w['budget_line'].pk}/edit/", statuses(TARGET_SETTERS, 200),
        commitments=True),
    "commitments/budget/costs/": Row("GET", lambda w: "/commitments/budget/costs/?year=2020",
                                     statuses(FIGURE_READERS, 200), commitments=True, officers_listed=True),
    "commitments/budget/costs/new/": Row("GET", lambda w: "/commitments/budget/costs/new/",
                                         statuses(TARGET_SETTERS, 200), commitments=True),
    # Aalto's cost on the national line: the liaison reads the line's sums, never a cost's record (404).
    "commitments/budget/costs/<int:pk>/edit/": Row(
        "GET", lambda w: f"/commitments/budget/costs/{w['budget_line'].costs.get(secondment__officer__last_name='Aalto').pk}/edit/",
        statuses(TARGET_SETTERS, 200, not_visible=404, visible=set(USERS) - {"liaison_national"}), commitments=True),
    "GET /api/commitments/documents": Row("GET", lambda w: "/api/commitments/documents",
                                          statuses(FIGURE_READERS, 200, anonymous=API_ANON), commitments=True,
                                          figures_only=True),
    "GET /api/commitments/documents/{document_id}": Row(
        "GET", lambda w: f"/api/commitments/documents/{w['document'].pk}",
        statuses(FIGURE_READERS, 200, anonymous=API_ANON), commitments=True, figures_only=True),
    "POST /api/commitments/documents/{document_id}/assignments": Row(
        "POST", lambda w: f"/api/commitments/documents/{w['document'].pk}/assignments",
        statuses(TARGET_SETTERS, 400, anonymous=API_ANON),
        data=lambda w: {"text": "x", "owner": "y", "report_back_on": "2019-01-01"}, commitments=True),
    "POST /api/commitments/assignments/{assignment_id}/move": Row(
        "POST", lambda w: f"/api/commitments/assignments/{w['commitment_assignment'].pk}/move",
        statuses(TARGET_SETTERS, 400, anonymous=API_ANON), data=lambda w: {"status": "nowhere"}, commitments=True),
    "GET /api/commitments/meetings": Row("GET", lambda w: "/api/commitments/meetings",
                                         statuses(FIGURE_READERS, 200, anonymous=API_ANON), commitments=True,
                                         figures_only=True),
    "GET /api/commitments/budget": Row("GET", lambda w: "/api/commitments/budget?year=2020",
                                       statuses(FIGURE_READERS, 200, anonymous=API_ANON), commitments=True,
                                       figures_only=True),
    "PUT /api/commitments/costs/{cost_id}": Row(  # a negative amount: 400 for who may correct, nothing changed
        "PUT", lambda w: f"/api/commitments/costs/{w['budget_line'].costs.get(secondment__officer__last_name='Aalto').pk}",
        statuses(TARGET_SETTERS, 400, anonymous=API_ANON, not_visible=404, visible=set(USERS) - {"liaison_national"}),
        data=lambda w: {"line": w["budget_line"].pk, "secondment": w["secondments"][0].pk, "category": "travel",
                        "amount": -1, "incurred_on": "2020-05-01"}, commitments=True),
    "POST /api/commitments/costs": Row(
        "POST", lambda w: "/api/commitments/costs", statuses(TARGET_SETTERS, 400, anonymous=API_ANON),
        data=lambda w: {"line": w["budget_line"].pk, "secondment": w["secondments"][0].pk, "category": "travel",
                        "amount": -1, "incurred_on": "2020-05-01"}, commitments=True),
    # Targets (issue 14 section 1).
    "targets/": Row("GET", lambda w: "/targets/?year=2020", statuses(FIGURE_READERS, 200), targets=True,
                    figures_only=True),
    "targets/export.<str:fmt>": Row("GET", lambda w: "/targets/export.csv?year=2020", statuses(FIGURE_READERS, 200),
                                    targets=True, figures_only=True),
    "targets/new/": Row("GET", lambda w: "/targets/new/", statuses(TARGET_SETTERS, 200), targets=True),
    "targets/<int:pk>/edit/": Row("GET", lambda w: f"/targets/{w['national_target'].pk}/edit/",
                                  statuses(TARGET_SETTERS, 200), targets=True),
    "targets/snapshots/": Row("GET", lambda w: "/targets/snapshots/", statuses(FIGURE_READERS, 200), targets=True,
                              figures_only=True),
    "targets/snapshots/<int:pk>/recompute/": Row(
        "POST", lambda w: f"/targets/snapshots/{w['national_snapshot'].pk}/recompute/",
        statuses(TARGET_SETTERS, 302), data=lambda w: {"reason": ""}, targets=True),
    "GET /api/targets/targets": Row("GET", lambda w: "/api/targets/targets?year=2020",
                                    statuses(FIGURE_READERS, 200, anonymous=API_ANON), targets=True, figures_only=True),
    "POST /api/targets/targets": Row(
        "POST", lambda w: "/api/targets/targets", statuses(TARGET_SETTERS, 400, anonymous=API_ANON),
        data=lambda w: {"year": 2020, "kind": "women", "measure": "share", "bound": "floor", "value": 120},
        targets=True),
    "PUT /api/targets/targets/{target_id}": Row(
        "PUT", lambda w: f"/api/targets/targets/{w['alpha_target'].pk}", statuses(TARGET_SETTERS, 400, anonymous=API_ANON),
        data=lambda w: {"year": 2020, "pool": w["pools"][0].pk, "kind": "deployed", "measure": "number",
                        "bound": "floor", "value": -1}, targets=True),
    "GET /api/targets/snapshots": Row("GET", lambda w: "/api/targets/snapshots",
                                      statuses(FIGURE_READERS, 200, anonymous=API_ANON), targets=True,
                                      figures_only=True),
    "POST /api/targets/snapshots/{snapshot_id}/recompute": Row(
        "POST", lambda w: f"/api/targets/snapshots/{w['national_snapshot'].pk}/recompute",
        statuses(TARGET_SETTERS, 400, anonymous=API_ANON), data=lambda w: {"reason": ""}, targets=True),
    "GET /api/care/board": Row("GET", lambda w: "/api/care/board", statuses(CARE_USERS, 200, anonymous=API_ANON),
                               officers_listed=True, care=True),
    "GET /api/care/secondments/{secondment_id}": Row(
        "GET", lambda w: f"/api/care/secondments/{w['care_secondment'].pk}", statuses(CARE_A, 200, anonymous=API_ANON),
        care=True),
    "POST /api/care/secondments/{secondment_id}/contacts": Row(
        "POST", lambda w: f"/api/care/secondments/{w['care_secondment'].pk}/contacts",
        statuses(CARE_NOTES_A, 400, anonymous=API_ANON),
        data=lambda w: {"contact_on": "2026-01-01", "channel": "pigeon", "wellbeing": "well"}, care=True),
    "POST /api/care/secondments/{secondment_id}/leave": Row(
        "POST", lambda w: f"/api/care/secondments/{w['care_secondment'].pk}/leave",
        statuses(MANAGERS_A, 400, anonymous=API_ANON),
        data=lambda w: {"start_date": "2026-01-02", "end_date": "2026-01-01"}, care=True),
    "POST /api/care/secondments/{secondment_id}/incidents": Row(
        "POST", lambda w: f"/api/care/secondments/{w['care_secondment'].pk}/incidents",
        statuses(MANAGERS_A, 400, anonymous=API_ANON),
        data=lambda w: {"occurred_on": "2026-01-01", "kind": "x", "severity": "low"}, care=True),
    "POST /api/care/secondments/{secondment_id}/misconduct": Row(
        "POST", lambda w: f"/api/care/secondments/{w['care_secondment'].pk}/misconduct",
        statuses(CARE_NOTES_A, 400, anonymous=API_ANON),
        data=lambda w: {"category": "x", "reported_on": "2026-01-01", "allegation": "a"}, care=True),
    "POST /api/care/misconduct/{case_id}/decision": Row(
        "POST", lambda w: f"/api/care/misconduct/{w['case'].pk}/decision",
        statuses(CARE_NOTES_A, 400, anonymous=API_ANON, not_visible=404,
                 visible=SIGNED_IN - {"coordinator_national", "secondee"}),  # gated; the case is need-to-know
        data=lambda w: {"status": "x", "decided_on": "2026-01-01", "outcome": "o"}, care=True),
    # The API's own pages: its description is public, as the API's reference.
    "api/": Row("GET", lambda w: "/api/", statuses(SIGNED_IN, 404, anonymous=404)),
    "^api/": Row("GET", lambda w: "/api/no-such-endpoint", statuses(SIGNED_IN, 404, anonymous=404)),
    "api/openapi.json": Row("GET", lambda w: "/api/openapi.json", statuses(SIGNED_IN, 200, anonymous=200)),
    "api/docs": Row("GET", lambda w: "/api/docs", statuses(SIGNED_IN, 200, anonymous=200)),
    # The language switcher (Django's set_language): anyone, signed in or not; back to the page.
    "i18n/setlang/": Row("POST", lambda w: "/i18n/setlang/", statuses(SIGNED_IN, 302, anonymous=302)),
    # API tokens: everyone signed in has their own page; a token is revoked by its owner only.
    "tokens/": Row("GET", lambda w: "/tokens/", statuses(SIGNED_IN, 200)),
    "tokens/<int:pk>/revoke/": Row("POST", lambda w: f"/tokens/{w['token'].pk}/revoke/",
                                   statuses({"coordinator_pool"}, 302, not_visible=404, visible={"coordinator_pool"})),
    # The Django admin's audit and role pages follow the product's rules (staff status is not enough);
    # nobody adds, changes or deletes audit entries, and role assignments are granted and withdrawn,
    # never edited.
    "admin/audit/auditentry/": Row("GET", lambda w: "/admin/audit/auditentry/", statuses(AUDIT, 200)),
    "admin/audit/auditentry/add/": Row("GET", lambda w: "/admin/audit/auditentry/add/", statuses(set(), 200)),
    "admin/audit/auditentry/<path:object_id>/change/": Row(
        "GET", lambda w: f"/admin/audit/auditentry/{w['entry'].pk}/change/", statuses(AUDIT, 200)),
    "admin/audit/auditentry/<path:object_id>/delete/": Row(
        "GET", lambda w: f"/admin/audit/auditentry/{w['entry'].pk}/delete/", statuses(set(), 200)),
    "admin/audit/auditentry/<path:object_id>/history/": Row(
        "GET", lambda w: f"/admin/audit/auditentry/{w['entry'].pk}/history/", statuses(AUDIT, 200)),
    "admin/audit/auditentry/<path:object_id>/": Row(
        "GET", lambda w: f"/admin/audit/auditentry/{w['entry'].pk}/", statuses(SIGNED_IN, 302)),  # to change/
    "admin/pools/roleassignment/": Row("GET", lambda w: "/admin/pools/roleassignment/", statuses(ROLE_MANAGERS, 200)),
    "admin/pools/roleassignment/add/": Row("GET", lambda w: "/admin/pools/roleassignment/add/",
                                           statuses(ROLE_MANAGERS, 200)),
    "admin/pools/roleassignment/<path:object_id>/change/": Row(
        "GET", lambda w: f"/admin/pools/roleassignment/{w['assignment'].pk}/change/", statuses(ROLE_MANAGERS, 200)),
    "admin/pools/roleassignment/<path:object_id>/delete/": Row(
        "GET", lambda w: f"/admin/pools/roleassignment/{w['assignment'].pk}/delete/", statuses(ROLE_MANAGERS, 200)),
    "admin/pools/roleassignment/<path:object_id>/history/": Row(
        "GET", lambda w: f"/admin/pools/roleassignment/{w['assignment'].pk}/history/", statuses(ROLE_MANAGERS, 200)),
    "admin/pools/roleassignment/<path:object_id>/": Row(
        "GET", lambda w: f"/admin/pools/roleassignment/{w['assignment'].pk}/", statuses(SIGNED_IN, 302)),
    # --- JSON API -------------------------------------------------------------------------------
    "GET /api/officers": Row("GET", lambda w: "/api/officers", statuses(ROSTER, 200, anonymous=API_ANON),
                             officers_listed=True),
    "POST /api/officers": Row("POST", lambda w: "/api/officers", statuses(EDITORS_A, 400, anonymous=API_ANON),
                              data=_officer_in),
    "GET /api/officers/{officer_id}": Row(
        "GET", lambda w: f"/api/officers/{_a(w)}",
        statuses(SEES_A, 200, anonymous=API_ANON, not_visible=404, visible=SEES_A), restricted_shown=True),
    "PUT /api/officers/{officer_id}": Row(
        "PUT", lambda w: f"/api/officers/{_a(w)}",
        statuses(EDITORS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A), data=_officer_in),
    "GET /api/pools": Row("GET", lambda w: "/api/pools", statuses(SIGNED_IN, 200, anonymous=API_ANON)),
    "GET /api/missions": Row("GET", lambda w: "/api/missions", statuses(SIGNED_IN, 200, anonymous=API_ANON)),
    "GET /api/missions/{mission_id}": Row("GET", lambda w: f"/api/missions/{w['mission'].pk}",
                                          statuses(SIGNED_IN, 200, anonymous=API_ANON)),
    "GET /api/positions": Row("GET", lambda w: "/api/positions", statuses(SIGNED_IN, 200, anonymous=API_ANON)),
    "GET /api/positions/{position_id}": Row("GET", lambda w: f"/api/positions/{w['position'].pk}",
                                            statuses(SIGNED_IN, 200, anonymous=API_ANON)),
    "GET /api/secondments": Row("GET", lambda w: "/api/secondments", statuses(SIGNED_IN, 200, anonymous=API_ANON),
                                officers_listed=True),
    "POST /api/secondments": Row(
        "POST", lambda w: "/api/secondments",
        statuses(MANAGERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"officer": _a(w), "position": w["position"].pk, "start_date": "2027-01-01",
                        "status": "cancelled"}),  # not a status a secondment starts with
    "GET /api/secondments/{secondment_id}": Row(
        "GET", lambda w: f"/api/secondments/{w['secondments'][0].pk}",
        statuses(SEES_A, 200, anonymous=API_ANON, not_visible=404, visible=SEES_A)),
    "POST /api/secondments/{secondment_id}/promotions": Row(
        "POST", lambda w: f"/api/secondments/{w['secondments'][0].pk}/promotions",
        statuses(MANAGERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"rank": 999999, "effective_on": "2020-06-01"}),  # no such rank
    "POST /api/secondments/{secondment_id}/handover": Row(
        "POST", lambda w: f"/api/secondments/{w['secondments'][0].pk}/handover",
        statuses(MANAGERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"successor": 999999, "handed_over_on": "2020-06-01"}),  # no such successor
    "POST /api/secondments/{secondment_id}/moves": Row(
        "POST", lambda w: f"/api/secondments/{w['secondments'][0].pk}/moves",
        statuses(MANAGERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"move": "cancel", "reason": ""}),  # a returned one stays returned
    "GET /api/audit": Row("GET", lambda w: "/api/audit", statuses(AUDIT, 200, anonymous=API_ANON)),
    "GET /api/priorities/models": Row("GET", lambda w: "/api/priorities/models",
                                      statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/models/{name}": Row("GET", lambda w: "/api/priorities/models/small",
                                             statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/models/{name}/versions/{number}": Row(
        "GET", lambda w: "/api/priorities/models/small/versions/1",
        statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "POST /api/priorities/models/{name}/versions": Row(
        "POST", lambda w: "/api/priorities/models/small/versions",
        statuses(PRIORITY_EDITORS, 400, anonymous=API_ANON), data=lambda w: {"text": "not: a model"},
        priorities=True),
    "GET /api/priorities/adoptions": Row("GET", lambda w: "/api/priorities/adoptions",
                                         statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "POST /api/priorities/adoptions": Row(
        "POST", lambda w: "/api/priorities/adoptions", statuses(ADOPTERS, 400, anonymous=API_ANON),
        data=lambda w: {"run": w["run"].pk, "reason": ""}, priorities=True),
    "POST /api/priorities/adoptions/withdraw": Row(
        "POST", lambda w: "/api/priorities/adoptions/withdraw", statuses(ADOPTERS, 400, anonymous=API_ANON),
        data=lambda w: {"reason": ""}, priorities=True),
    "GET /api/priorities/adopted-ranking": Row("GET", lambda w: "/api/priorities/adopted-ranking",
                                               statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/datasets": Row("GET", lambda w: "/api/priorities/datasets",
                                        statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "POST /api/priorities/datasets": Row(
        "POST", lambda w: "/api/priorities/datasets", statuses(PRIORITY_EDITORS, 400, anonymous=API_ANON),
        data=lambda w: {"name": "x", "rows": []}, priorities=True),
    "POST /api/priorities/datasets/upload": Row(
        "POST", lambda w: "/api/priorities/datasets/upload", statuses(PRIORITY_EDITORS, 400, anonymous=API_ANON),
        data=lambda w: {"name": "x", "file": ("empty.csv", b"")}, priorities=True),
    "GET /api/priorities/runs": Row("GET", lambda w: "/api/priorities/runs",
                                    statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "POST /api/priorities/runs": Row(
        "POST", lambda w: "/api/priorities/runs", statuses(PRIORITY_EDITORS, 400, anonymous=API_ANON),
        data=lambda w: {"model": "small", "draws": -1}, priorities=True),
    "GET /api/priorities/runs/{run_id}": Row("GET", lambda w: f"/api/priorities/runs/{w['run'].pk}",
                                             statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/runs/{run_id}/ranking": Row(
        "GET", lambda w: f"/api/priorities/runs/{w['run'].pk}/ranking",
        statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/runs/{run_id}/countries/{iso3}": Row(
        "GET", lambda w: f"/api/priorities/runs/{w['run'].pk}/countries/COL",
        statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/priorities/runs/{run_id}/robustness": Row(
        "GET", lambda w: f"/api/priorities/runs/{w['run'].pk}/robustness",
        statuses(PRIORITY_READERS, 200, anonymous=API_ANON), priorities=True),
    "GET /api/selection/calls": Row("GET", lambda w: "/api/selection/calls",
                                    statuses(SIGNED_IN, 200, anonymous=API_ANON), selection=True),
    "POST /api/selection/calls": Row(
        "POST", lambda w: "/api/selection/calls", statuses(COORDINATORS, 400, anonymous=API_ANON),
        data=lambda w: {"organisation": "eu_csdp", "reference": "X-1", "title": "Wrong order",
                        "published_on": "2027-01-01", "organisation_deadline": "2027-02-01",
                        "national_deadline": "2027-03-01", "pools": [w["pools"][0].pk]}),
    "GET /api/selection/calls/{call_id}": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}",
        statuses(CALL_SEEN, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "POST /api/selection/calls/{call_id}/status": Row(  # closing early needs a reason
        "POST", lambda w: f"/api/selection/calls/{w['call'].pk}/status",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"status": "closed"}, selection=True),
    "GET /api/selection/calls/{call_id}/positions": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}/positions",
        statuses(CALL_SEEN, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "POST /api/selection/calls/{call_id}/positions": Row(  # no position and no mission
        "POST", lambda w: f"/api/selection/calls/{w['call'].pk}/positions",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"posts": 1}, selection=True),
    "GET /api/selection/analytics": Row("GET", lambda w: "/api/selection/analytics",
                                        statuses(ANALYTICS_READERS, 200, anonymous=API_ANON), selection=True),
    "GET /api/selection/nominations": Row("GET", lambda w: "/api/selection/nominations",
                                          statuses(SIGNED_IN, 200, anonymous=API_ANON), selection=True,
                                          officers_listed=True),
    "POST /api/selection/nominations": Row(  # Aalto is a candidate already
        "POST", lambda w: "/api/selection/nominations",
        statuses(COORDINATORS | {"secondee"}, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"call_position": w["cp"].pk, "officer": _a(w)}, selection=True),
    "POST /api/selection/teams": Row(  # Aalto is a candidate already
        "POST", lambda w: "/api/selection/teams",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"call_position": w["cp"].pk, "name": "Team", "members": [_a(w)], "leader": _a(w)},
        selection=True),
    "GET /api/selection/nominations/{nomination_id}": Row(
        "GET", lambda w: f"/api/selection/nominations/{w['nomination'].pk}",
        statuses(SEES_A, 200, anonymous=API_ANON, not_visible=404, visible=SEES_A), selection=True),
    "POST /api/selection/nominations/{nomination_id}/release": Row(
        "POST", lambda w: f"/api/selection/nominations/{w['nomination'].pk}/release",
        statuses(RELEASERS_A, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"decision": "maybe"}, selection=True),
    "GET /api/selection/rule-sets": Row("GET", lambda w: "/api/selection/rule-sets",
                                        statuses(RANKING, 200, anonymous=API_ANON), selection=True),
    "GET /api/selection/rule-sets/{rule_set_id}": Row(
        "GET", lambda w: f"/api/selection/rule-sets/{w['rule_sets'][0].pk}",
        statuses(RANKING, 200, anonymous=API_ANON), selection=True),
    "POST /api/selection/rule-sets": Row(  # empty rules: refused with their problems
        "POST", lambda w: "/api/selection/rule-sets", statuses(RULE_EDITORS, 400, anonymous=API_ANON),
        data=lambda w: {"organisation": "osce", "data": {"format": 1, "organisation": "osce", "name": "x", "rules": []}}),
    "GET /api/selection/calls/{call_id}/criteria": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}/criteria",
        statuses(RANKING, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "PUT /api/selection/calls/{call_id}/criteria": Row(  # every weight 0: refused
        "PUT", lambda w: f"/api/selection/calls/{w['call'].pk}/criteria",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"weights": {"weights": dict.fromkeys(
            ("skills", "languages", "country_experience", "thematic_experience", "missions", "validity_margin"), 0)}},
        selection=True),
    "POST /api/selection/calls/{call_id}/criteria/lock": Row(  # the second coordinator finds them locked
        "POST", lambda w: f"/api/selection/calls/{w['call'].pk}/criteria/lock",
        statuses({"coordinator_pool"}, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN)
        | {"coordinator_national": 409}, selection=True),
    "GET /api/selection/call-positions/{call_position_id}/ranking": Row(
        "GET", lambda w: f"/api/selection/call-positions/{w['cp'].pk}/ranking",
        statuses(RANKING, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True,
        officers_listed=True),
    "POST /api/selection/nominations/{nomination_id}/outcome": Row(
        "POST", lambda w: f"/api/selection/nominations/{w['nomination'].pk}/outcome",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"outcome": "selected", "feedback": ""}, selection=True),
    "GET /api/selection/calls/{call_id}/decisions": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}/decisions",
        statuses(COORDINATORS, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "POST /api/selection/decisions/{decision_id}/review": Row(
        "POST", lambda w: f"/api/selection/decisions/{w['decision'].pk}/review",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=SEES_A),
        data=lambda w: {"decision": "maybe"}, selection=True),
    "GET /api/selection/calls/{call_id}/panel": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}/panel",
        statuses(COORDINATORS | PANEL, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "GET /api/selection/calls/{call_id}/panel-scores": Row(
        "GET", lambda w: f"/api/selection/calls/{w['call'].pk}/panel-scores",
        statuses(COORDINATORS | PANEL, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "POST /api/selection/nominations/{nomination_id}/panel-score": Row(
        "POST", lambda w: f"/api/selection/nominations/{w['nomination'].pk}/panel-score",
        statuses(PANEL, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"score": 101}, selection=True),
    "POST /api/selection/calls/{call_id}/assignment-runs": Row(  # a soft minimum without its penalty
        "POST", lambda w: f"/api/selection/calls/{w['call'].pk}/assignment-runs",
        statuses(COORDINATORS, 400, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN),
        data=lambda w: {"min_women_percent": 40, "women_mode": "soft"}, selection=True),
    "GET /api/selection/assignment-runs/{run_id}": Row(
        "GET", lambda w: f"/api/selection/assignment-runs/{w['assignment_run'].pk}",
        statuses(COORDINATORS, 200, anonymous=API_ANON, not_visible=404, visible=CALL_SEEN), selection=True),
    "GET /api/selection/call-positions/{call_position_id}/relevance": Row(
        "GET", lambda w: f"/api/selection/call-positions/{w['cp'].pk}/relevance",
        statuses(CALL_SEEN, 200, anonymous=API_ANON), selection=True),
    "GET /api/selection/strategic": Row("GET", lambda w: "/api/selection/strategic?sort=deadline",
                                        statuses(CALL_SEEN, 200, anonymous=API_ANON), selection=True),
    "GET /api/selection/relevance-weights": Row("GET", lambda w: "/api/selection/relevance-weights",
                                                statuses(CALL_SEEN, 200, anonymous=API_ANON)),
    "PUT /api/selection/relevance-weights": Row(  # a negative weight: refused
        "PUT", lambda w: "/api/selection/relevance-weights",
        statuses(RELEVANCE_SETTERS, 400, anonymous=API_ANON),
        data=lambda w: {"weights": {"country": -1}, "reason": "test"}),
    # Mission performance (issue 14 §7).
    "performance/": Row("GET", lambda w: "/performance/", statuses(PERFORMANCE_READERS, 200), performance=True),
    "performance/missions/<int:pk>/": Row("GET", lambda w: f"/performance/missions/{w['mission'].pk}/",
                                          statuses(PERFORMANCE_READERS, 200), officers_listed=True, performance=True),
    "performance/missions/<int:pk>/indicators/new/": Row(
        "GET", lambda w: f"/performance/missions/{w['mission'].pk}/indicators/new/",
        statuses(PERFORMANCE_RECORDERS, 200), performance=True),
    "performance/missions/<int:pk>/values.<str:fmt>": Row(
        "GET", lambda w: f"/performance/missions/{w['mission'].pk}/values.csv", statuses(PERFORMANCE_READERS, 200),
        performance=True),
    "performance/missions/<int:pk>/border/": Row("GET", lambda w: f"/performance/missions/{w['mission'].pk}/border/",
                                                 statuses(PERFORMANCE_READERS, 200), performance=True),
    "performance/missions/<int:pk>/border/new/": Row(
        "GET", lambda w: f"/performance/missions/{w['mission'].pk}/border/new/", statuses(PERFORMANCE_RECORDERS, 200),
        performance=True),
    "performance/indicators/<int:pk>/edit/": Row(
        "GET", lambda w: f"/performance/indicators/{w['indicator'].pk}/edit/", statuses(PERFORMANCE_RECORDERS, 200),
        performance=True),
    "performance/indicators/<int:pk>/status/": Row(  # an unknown status: refused, nothing changes
        "POST", lambda w: f"/performance/indicators/{w['indicator'].pk}/status/", statuses(PERFORMANCE_RECORDERS, 302),
        data=lambda w: {"status": "bogus"}, performance=True),
    "performance/indicators/<int:pk>/values/": Row(
        "GET", lambda w: f"/performance/indicators/{w['indicator'].pk}/values/", statuses(PERFORMANCE_READERS, 200),
        performance=True),
    "performance/indicators/<int:pk>/contributions/new/": Row(
        "GET", lambda w: f"/performance/indicators/{w['indicator'].pk}/contributions/new/",
        statuses(COORDINATORS, 200), performance=True),
    "performance/values/<int:pk>/edit/": Row(
        "GET", lambda w: f"/performance/values/{w['value'].pk}/edit/", statuses(PERFORMANCE_RECORDERS, 200),
        performance=True),
    "performance/contributions/<int:pk>/remove/": Row(  # unconfirmed: refused, nothing removed
        "POST", lambda w: f"/performance/contributions/{w['contribution'].pk}/remove/",
        statuses(COORDINATORS, 302, not_visible=404, visible=SIGNED_IN - {"liaison_national"}), data=lambda w: {},
        performance=True),
    "performance/assessments/<int:pk>/edit/": Row(
        "GET", lambda w: f"/performance/assessments/{w['assessment'].pk}/edit/", statuses(PERFORMANCE_RECORDERS, 200),
        performance=True),
    "GET /api/performance/missions": Row("GET", lambda w: "/api/performance/missions",
                                         statuses(PERFORMANCE_READERS, 200, anonymous=API_ANON), performance=True),
    "GET /api/performance/missions/{mission_id}": Row(
        "GET", lambda w: f"/api/performance/missions/{w['mission'].pk}",
        statuses(PERFORMANCE_READERS, 200, anonymous=API_ANON), officers_listed=True, performance=True),
    "POST /api/performance/missions/{mission_id}/indicators": Row(  # the target below the baseline
        "POST", lambda w: f"/api/performance/missions/{w['mission'].pk}/indicators",
        statuses(PERFORMANCE_RECORDERS, 400, anonymous=API_ANON),
        data=lambda w: {"level": "output", "text": "T", "unit": "u", "direction": "increase", "baseline": 5,
                        "baseline_date": "2025-01-01", "target": 1}, performance=True),
    "POST /api/performance/indicators/{indicator_id}/values": Row(  # no source
        "POST", lambda w: f"/api/performance/indicators/{w['indicator'].pk}/values",
        statuses(PERFORMANCE_RECORDERS, 400, anonymous=API_ANON),
        data=lambda w: {"period_start": "2026-04-01", "period_end": "2026-06-30", "value": 3}, performance=True),
    "POST /api/performance/indicators/{indicator_id}/contributions": Row(  # no description
        "POST", lambda w: f"/api/performance/indicators/{w['indicator'].pk}/contributions",
        statuses(COORDINATORS, 400, anonymous=API_ANON),
        data=lambda w: {"secondment": w["secondments"][0].pk, "description": ""}, performance=True),
    "GET /api/performance/missions/{mission_id}/border": Row(
        "GET", lambda w: f"/api/performance/missions/{w['mission'].pk}/border",
        statuses(PERFORMANCE_READERS, 200, anonymous=API_ANON), performance=True),
    "POST /api/performance/missions/{mission_id}/assessments": Row(  # a rating outside the scale
        "POST", lambda w: f"/api/performance/missions/{w['mission'].pk}/assessments",
        statuses(PERFORMANCE_RECORDERS, 400, anonymous=API_ANON),
        data=lambda w: {"kind": "follow_up", "assessed_on": "2026-01-01",
                        "ratings": {"threats": {"rating": 9, "narrative": "N", "source": "S"}}}, performance=True),
    # Accountability: the dividend scorecard and portfolio planning (world: Aalto's and Berg's
    # secondments on EUTEST, started in 2020).
    "accountability/scorecard/": Row("GET", lambda w: "/accountability/scorecard/",
                                     statuses(SCORECARD_READERS, 200)),
    "accountability/scorecard/missions/<int:pk>/": Row(
        "GET", lambda w: f"/accountability/scorecard/missions/{w['mission'].pk}/", statuses(SCORECARD_READERS, 200),
        officers_listed=True),
    "accountability/scorecard/years/<int:year>/": Row(
        "GET", lambda w: "/accountability/scorecard/years/2020/", statuses(SCORECARD_READERS, 200),
        officers_listed=True),
    "accountability/scorecard/secondments/<int:pk>/": Row(
        "GET", lambda w: f"/accountability/scorecard/secondments/{w['secondments'][0].pk}/",
        statuses(SCORECARD_PERSONAL, 200)),
    "GET /api/accountability/scorecard": Row("GET", lambda w: "/api/accountability/scorecard",
                                             statuses(SCORECARD_READERS, 200, anonymous=API_ANON), figures_only=True),
    "GET /api/accountability/scorecard/secondments/{secondment_id}": Row(
        "GET", lambda w: f"/api/accountability/scorecard/secondments/{w['secondments'][0].pk}",
        statuses(SCORECARD_PERSONAL, 200, anonymous=API_ANON)),
    "accountability/scorecard/model/": Row(  # every weight 0: refused
        "POST", lambda w: "/accountability/scorecard/model/", statuses(SCORECARD_SETTERS, 400),
        data=lambda w: {"relevance": "0", "reports_contributed": "0", "reports_cited": "0", "objectives_met": "0",
                        "skills_used": "0", "expertise_added": "0", "reintegration": "0", "reason": "none"}),
    "accountability/scorecard/export.csv": Row("GET", lambda w: "/accountability/scorecard/export.csv?by=year",
                                               statuses(SCORECARD_READERS, 200)),
    "accountability/portfolio/": Row(  # a negative budget: refused
        "POST", lambda w: "/accountability/portfolio/", statuses(SCORECARD_SETTERS, 400),
        data=lambda w: {"budget": "-1", "cost_per_person_month": "1000", "months_per_post": "12"}),
    "accountability/portfolio/runs/<int:pk>/": Row(
        "GET", lambda w: f"/accountability/portfolio/runs/{_portfolio_run(w)}/", statuses(SCORECARD_READERS, 200)),
}


def _portfolio_run(w):
    """A stored portfolio run (as a run stores it: the page reads the stored result)."""
    from django.utils import timezone

    from dividend.accountability.models import PortfolioRun

    plan = {"status": "optimal", "chosen": [], "objective": 0.0, "bound": 0.0, "gap": 0.0, "seconds": 0.0,
            "message": "", "posts": 0, "cost": 0.0, "women": 0}
    return PortfolioRun.objects.create(created_by=w["users"]["policy_national"], created_at=timezone.now(),
                                       parameters={"budget": 0.0}, status="optimal", objective=0.0,
                                       result={"plan": plan, "candidates": [], "chosen_rows": [], "marginals": [],
                                               "sensitivity": []}).pk

# Admin pages that need a row: those of the audit log and of role assignments (the rest of the
# admin is Django's own: pools, tokens, reference data, for staff who are superusers).
ADMIN_MODELS_CHECKED = ("audit/auditentry/", "pools/roleassignment/")


def _web_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _web_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _api_operations():
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield f"{method} " + normalize_path(f"/api/{prefix}/{path}").rstrip("/")


def test_every_url_pattern_has_a_visibility_row():
    api_paths = {key.split(" ", 1)[1].lstrip("/") for key in _api_operations()}
    missing = []
    for route in _web_patterns():
        if route.startswith("admin/") and not any(route.startswith("admin/" + m) for m in ADMIN_MODELS_CHECKED):
            continue
        # The API's operations have their own rows, by method (below).
        if route.replace("<", "{").replace(">", "}") in api_paths:
            continue
        if route not in ROUTES:
            missing.append(route)
    assert missing == []


def test_every_api_route_has_a_visibility_row():
    operations = list(_api_operations())
    assert len(operations) > 20  # the enumeration itself works
    assert [key for key in operations if key not in ROUTES] == []


def test_every_row_is_a_real_route():
    web = set(_web_patterns())
    api_keys = set(_api_operations())
    assert [key for key in ROUTES if key not in web and key not in api_keys] == []


def _request(client, row, url, data):
    if row.method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        if isinstance(data, dict) and any(isinstance(v, tuple) for v in data.values()):
            files = {k: SimpleUploadedFile(v[0], v[1]) for k, v in data.items() if isinstance(v, tuple)}
            return client.post(url, {k: v for k, v in data.items() if not isinstance(v, tuple)} | files)
        return client.generic(row.method, url, data=json.dumps(data or {}),
                              content_type="application/json")
    return client.generic(row.method, url, data=data or {})


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode(errors="replace")  # a binary export (XLSX, PDF) is checked for its status


@pytest.mark.parametrize("key", list(ROUTES))
def test_route_as_every_user(client, world, request, key):
    row = ROUTES[key]
    w = dict(world)
    if row.priorities:
        w |= request.getfixturevalue("priorities_world")
    if row.selection:
        w |= request.getfixturevalue("selection_world")
    if row.strategic:
        w |= request.getfixturevalue("strategic_world")
    if row.reports:
        w |= request.getfixturevalue("reports_world")
    if row.monthly:
        w |= request.getfixturevalue("monthly_world")
    if row.care:
        w |= request.getfixturevalue("care_world")
    if row.preparation:
        w |= request.getfixturevalue("preparation_world")
    if row.alerts:
        w |= request.getfixturevalue("alerts_world")
    if row.careers:
        w |= request.getfixturevalue("careers_world")
    if row.targets:
        w |= request.getfixturevalue("targets_world")
    if row.performance:
        w |= request.getfixturevalue("performance_world")
    if row.commitments:
        w |= request.getfixturevalue("commitments_world")
    url = row.url(w)
    data = row.data(w) if row.data else None
    got = {}
    for who in USERS:
        client.logout()
        if who != "anonymous":
            client.force_login(w["users"][who])
        response = _request(client, row, url, data)
        got[who] = response.status_code
        if response.status_code != 200:
            continue
        body = _body(response)
        if row.officers_listed:
            seen = {k for k, name in (("a", "Aalto"), ("b", "Berg")) if name in body}
            assert seen == OFFICERS_SEEN[who], (key, who)
        if row.figures_only:
            assert "Aalto" not in body and "Berg" not in body, (key, who)
        if row.restricted_shown:
            assert (PHONE in body) is (who in RESTRICTED_SEEN), (key, who)
            if who not in RESTRICTED_SEEN:
                assert "Medical fitness" not in body and "medical_fitness" not in body, (key, who)
    assert got == row.expected


# --- The querysets every page starts from ------------------------------------------------------

@pytest.mark.parametrize("who", SIGNED_IN)
def test_querysets(world, who):
    user = world["users"][who]
    assert _keys(world, Officer.objects.visible_to(user).values_list("id", flat=True)) == OFFICERS_SEEN[who]
    assert _keys(world, Secondment.objects.visible_to(user).values_list("officer_id", flat=True)) == OFFICERS_SEEN[who]
    expected_pools = {"alpha", "beta"} if "b" in OFFICERS_SEEN[who] else ({"alpha"} if OFFICERS_SEEN[who] else set())
    if who == "liaison_national":  # a national role sees every pool's name (the figures are per pool)
        expected_pools = {"alpha", "beta"}
    assert set(Pool.objects.visible_to(user).values_list("code", flat=True)) == expected_pools
    assert AuditEntry.objects.visible_to(user).exists() is (who in AUDIT)
    restricted = Qualification.objects.visible_to(user).filter(pk=world["medical"].pk).exists()
    assert restricted is (who in RESTRICTED_SEEN)
    # Missions and positions are registry facts: every signed-in user sees them.
    assert Mission.objects.visible_to(user).filter(pk=world["mission"].pk).exists()
    assert Position.objects.visible_to(user).filter(pk=world["position"].pk).exists()


def _keys(world, ids):
    oa, ob = world["officers"]
    return {"a" if i == oa.pk else "b" for i in ids if i in (oa.pk, ob.pk)}


def test_exports_never_carry_restricted_data(client, world):
    client.force_login(world["users"]["coordinator_pool"])  # who may see it on the page
    body = _body(client.get("/roster/export.csv"))
    assert "Aalto" in body
    assert PHONE not in body


def test_crisis_score_reveals_no_restricted_expiry_without_need_to_know(world):
    """Two officers alike but for their medical expiry: a national coordinator's scores cannot tell
    them apart; the pool's own coordinator (need-to-know) sees the difference."""
    from dividend.roster.search import CrisisRequest, crisis_candidates

    pool_a = world["pools"][0]
    today = dt.date(2026, 12, 1)
    common = {"available_from": today, "max_duration_months": 12, "themes": ["organised_crime"]}
    far = make_officer(pool_a, qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1)),
                                               ("medical_fitness", dt.date(2026, 1, 1), dt.date(2027, 12, 1))],
                       **common)
    near = make_officer(pool_a, qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2035, 1, 1)),
                                                ("medical_fitness", dt.date(2026, 1, 1), dt.date(2026, 12, 20))],
                        **common)
    from dividend.reference.models import ThematicArea

    request = CrisisRequest(within_days=14, duration_months=3, today=today,
                            theme_id=ThematicArea.objects.get(code="organised_crime").pk)

    def scores(who):
        results, _ = crisis_candidates(user=world["users"][who], request=request)
        return {r.officer.pk: r.parts["readiness margin"] for r in results if r.officer.pk in (far.pk, near.pk)}

    national = scores("coordinator_national")
    assert national[far.pk] == national[near.pk]
    own_pool = scores("coordinator_pool")
    assert own_pool[far.pk] > own_pool[near.pk]
