"""The demo-data generator: deterministic, complete, idempotent."""

import datetime as dt
import hashlib
import importlib.util
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.missions.models import Mission, Position
from dividend.pools.models import Pool, Role, RoleAssignment, Scope
from dividend.reference.models import Country, ThematicArea
from dividend.roster.facts import refresh_search_facts, stale_search_facts
from dividend.roster.models import Officer, Qualification
from dividend.secondments.models import Secondment
from dividend.site.demo import DEMO_PASSWORD, generate_demo_data
from dividend.site.demo_catalogue import DEMO_USERS, HOME_POOL, POOLS
from dividend.site.demo_generator import DEMO_TOTP_KEY

TODAY = dt.date(2025, 6, 1)
N = 200


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fixed_missions():
    """A small, fixed mission registry, so exact counts do not move when the real registry changes."""
    rows = [
        ("eu_csdp", "EUAM Ukraine", "active", dt.date(2014, 12, 1), None, ["UKR"], ["police_reform"]),
        ("eu_csdp", "EULEX Kosovo", "active", dt.date(2008, 12, 9), None, ["XKX"], ["rule_of_law"]),
        ("eu_csdp", "EUCAP Sahel Mali", "closed", dt.date(2015, 1, 15), dt.date(2024, 1, 31), ["MLI"],
         ["terrorism_violent_extremism"]),
        ("un", "MINUSCA", "active", dt.date(2014, 4, 10), None, ["CAF"], ["police_reform"]),
        ("un", "UNMIK", "active", dt.date(1999, 6, 10), None, ["XKX"], []),
        ("un", "MINUSMA", "closed", dt.date(2013, 4, 25), dt.date(2023, 12, 31), ["MLI"], []),
        ("osce", "OSCE SMM", "closed", dt.date(2014, 3, 21), dt.date(2022, 3, 31), ["UKR"], []),
    ]
    for organisation, acronym, status, start, end, hosts, themes in rows:
        mission, _ = Mission.objects.update_or_create(
            organisation=organisation, acronym=acronym,
            defaults={"name": acronym, "status": status, "start_date": start, "end_date": end,
                      "mandate_strengthening": True, "location": "HQ"})
        mission.host_countries.set(Country.objects.filter(iso3__in=hosts))
        mission.thematic_areas.set(ThematicArea.objects.filter(code__in=themes))


def generate(**kwargs):
    options = {"officers": N, "seed": 42, "today": TODAY, "mission_loader": fixed_missions} | kwargs
    return generate_demo_data(**options)


def fingerprint() -> str:
    """Everything generated about every officer, by natural keys (never primary keys)."""
    rows = []
    officers = Officer.objects.select_related("pool", "rank", "user").prefetch_related(
        "skills__skill", "languages__language", "qualifications__qualification_type", "unavailable_periods",
        "country_expertise", "thematic_expertise", "secondments__position__mission")
    for o in officers.order_by("pool__code", "service_number"):
        rows.append((
            o.pool.code, o.service_number, o.first_name, o.last_name, o.gender, o.rank.code, o.date_of_birth,
            o.email, o.phone, o.emergency_contact_name, o.emergency_contact_phone, o.available_from,
            o.max_duration_months, o.search_document, o.user.username if o.user else None,
            sorted((s.skill.code, s.level) for s in o.skills.all()),
            sorted((lang.language.code, lang.speaking, lang.reading, lang.writing) for lang in o.languages.all()),
            sorted((q.qualification_type.code, q.issued_on, q.expires_on, q.level, q.reference, q.status)
                   for q in o.qualifications.all()),
            sorted((p.start, p.end, p.reason) for p in o.unavailable_periods.all()),
            sorted(c.iso3 for c in o.country_expertise.all()),
            sorted(t.code for t in o.thematic_expertise.all()),
            sorted((s.position.mission.acronym, s.position.reference, s.position.title, s.start_date, s.end_date,
                    s.status) for s in o.secondments.all()),
        ))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_generates_a_complete_roster():
    result = generate()
    assert not result.skipped
    assert Officer.objects.count() == N
    assert Pool.objects.count() == len(POOLS) == 19
    # Every pool gets officers, the biggest pools the most.
    per_pool = {p.code: p.officers.count() for p in Pool.objects.all()}
    assert min(per_pool.values()) >= 1
    assert per_pool["bpol"] == max(per_pool.values())
    assert 0.2 <= Officer.objects.filter(gender="female").count() / N <= 0.4
    # Mission history (deployed, completed, withdrawn): about a quarter, exact for seed 42.
    with_history = Officer.objects.filter(id__in=Secondment.objects.history().values("officer_id")).count()
    assert with_history == 45
    assert 0.18 <= with_history / N <= 0.32
    assert Secondment.objects.filter(status=Secondment.Status.DEPLOYED).exists()
    assert Secondment.objects.filter(status=Secondment.Status.SELECTED).exists()
    assert Qualification.objects.filter(status=Qualification.Status.PENDING).exists()
    assert Qualification.objects.expiring_between(TODAY, TODAY + dt.timedelta(days=60)).exists()
    assert Officer.objects.filter(available_from__lt=TODAY).exists()
    assert Officer.objects.filter(available_from__gt=TODAY).exists()
    # The denormalised search document is what the model would build.
    for officer in Officer.objects.select_related("pool", "rank").prefetch_related(
            "skills__skill", "languages__language", "country_expertise", "thematic_expertise"):
        assert officer.search_document == officer.build_search_document()
    # The search facts it writes while generating are what refresh_search_facts derives from the records.
    assert stale_search_facts() == []
    assert refresh_search_facts() == 0
    assert Officer.objects.filter(search_facts="").count() == 0


@pytest.mark.django_db
def test_one_demo_user_per_role():
    generate()
    users = {u.username: u for u in get_user_model().objects.all()}
    for username, role, national, pool_level, *_ in DEMO_USERS:
        user = users[username]
        assignment = RoleAssignment.objects.get(user=user)
        assert assignment.role == role
        assert assignment.scope == (Scope.NATIONAL if national else Scope.POOLS)
        assert [p.code for p in assignment.pools.all()] == ([HOME_POOL] if pool_level else [])
        assert authenticate(RequestFactory().post("/login/"), username=username, password=DEMO_PASSWORD) == user
    assert {row[1] for row in DEMO_USERS} == set(Role.values)
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["coordinator"].is_superuser
    secondee = Officer.objects.get(user=users["secondee"])
    assert secondee.pool.code == HOME_POOL
    assert secondee.secondments.exists()


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_published_authenticator_key():
    spec = importlib.util.spec_from_file_location("dev", Path(__file__).resolve().parent.parent / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)  # dev.py runs with a bare python3: not a package module
    generate()
    user = get_user_model().objects.get(username="auditor")
    client = Client()
    client.post("/login/", {"username": "auditor", "password": DEMO_PASSWORD})
    response = client.post("/account/second-factor/verify/", {"code": dev.demo_code(), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert TOTPDevice.objects.get(user=user).name == "Demo authenticator"
    assert dev.DEMO_TOTP_KEY == DEMO_TOTP_KEY


@pytest.mark.django_db
def test_same_seed_gives_identical_data_and_another_seed_does_not():
    generate()
    first = fingerprint()
    result = generate(reset=True)
    assert not result.skipped
    assert Officer.objects.count() == N
    assert fingerprint() == first
    generate(reset=True, seed=7)
    assert fingerprint() != first


@pytest.mark.django_db
def test_running_again_generates_nothing():
    generate()
    counts = generate().counts
    again = generate()
    assert again.skipped
    assert "already has 200 officers" in again.message
    assert again.counts == counts
    # The demo users and the reporting secondees' own accounts.
    reporters = Officer.objects.filter(user__isnull=False).exclude(user__username="secondee").count()
    assert reporters > 0
    assert get_user_model().objects.count() == len(DEMO_USERS) + reporters


@pytest.mark.django_db
def test_command_with_the_real_mission_registry():
    out = StringIO()
    call_command("demo_data", "--officers", "40", "--seed", "3", stdout=out)
    assert "Generated 40 officers (seed 3)" in out.getvalue()
    assert Officer.objects.count() == 40
    assert stale_search_facts() == []
    assert Mission.objects.count() > 0
    out = StringIO()
    call_command("demo_data", "--officers", "40", "--seed", "3", stdout=out)
    assert "already has 40 officers" in out.getvalue()
    assert Officer.objects.count() == 40


@pytest.mark.django_db
def test_demo_calls_are_on_active_missions_of_their_organisation_with_nominations():
    from dividend.selection.models import Call, CallPosition, Nomination

    generate()
    calls = list(Call.objects.order_by("id"))
    # The fixed registry has active EU and UN missions, no active OSCE one: the OSCE calls are left out.
    assert [(c.organisation, c.status) for c in calls] == [
        ("eu_csdp", "open"), ("eu_csdp", "open"), ("eu_csdp", "draft"), ("un", "open"), ("un", "national_selection")]
    positions = CallPosition.objects.select_related("call", "position__mission")
    assert all(cp.position.mission.status == "active" and cp.position.mission.organisation == cp.call.organisation
               for cp in positions)
    assert all(c.national_deadline < c.organisation_deadline and HOME_POOL in c.pools.values_list("code", flat=True)
               for c in calls)
    assert not Nomination.objects.filter(call_position__call__status="draft").exists()
    assert Nomination.objects.filter(officer__user__username="secondee").exists()


@pytest.mark.django_db
def test_the_un_assessment_job_description_is_used_on_un_missions_only():
    call_command("demo_data", "--officers", "40", "--seed", "3", stdout=StringIO())
    with_assessment = Position.objects.filter(job_description__required_qualifications__code="un_saat")
    assert with_assessment.exists()
    assert set(with_assessment.values_list("mission__organisation", flat=True)) == {"un"}


@pytest.mark.django_db
def test_demo_positions_have_tags_burdens_and_strategic_positions_with_holders():
    from dividend.selection.models import PositionAssessment
    from dividend.selection.rotation import rotations

    generate()
    positions = Position.objects.all()
    assert not positions.filter(burden__isnull=True).exists()
    # MINUSCA in the Central African Republic: a very hard duty station; UN missions elsewhere hard.
    assert set(positions.filter(mission__acronym="MINUSCA").values_list("burden", flat=True)) == {4}
    assert set(positions.filter(mission__acronym="UNMIK").values_list("burden", flat=True)) == {3}
    border = positions.filter(title="Border Management Adviser").first()
    if border is not None:
        assert "border_management" in border.thematic_tags.values_list("code", flat=True)
    assert positions.filter(thematic_tags__isnull=False).exists()
    strategic = list(positions.filter(strategic=True).select_related("mission"))
    states = rotations(strategic, today=TODAY)
    assert strategic and any(r.holder is not None for r in states.values())
    assessed = PositionAssessment.objects.filter(position__in=strategic)
    assert assessed.count() == len(strategic)
    assert {a.set_by.username for a in assessed} == {"policy"}


@pytest.mark.django_db
def test_demo_secondments_being_prepared_have_their_checklist_and_some_backfills():
    from dividend.preparation.models import Backfill, Checklist, ChecklistItem, DailyCost

    generate()
    preparing = Secondment.objects.filter(status=Secondment.Status.PREPARING,
                                          position__mission__organisation__in=["eu_csdp", "un", "osce"])
    assert preparing.exists()
    assert set(Checklist.objects.values_list("secondment_id", flat=True)) == set(preparing.values_list("pk", flat=True))
    assert ChecklistItem.objects.filter(done=True).exists() and DailyCost.objects.count() == 7
    assert Backfill.objects.exists()


# --- Field reports (issue 12): the demo shows the reports app working --------------------------------


def report_fingerprint() -> str:
    """Every demo report and what was made of it, by natural keys."""
    from dividend.reports.models import FieldReport, MonthlyReport, Product

    rows = [(r.officer.service_number, r.draft_key, r.mission.acronym, r.kind, r.period_start, r.period_end, r.title,
             r.body, r.places, r.marking, r.credibility, r.reliability, r.status, r.submitted_at,
             sorted(t.code for t in r.themes.all()))
            for r in FieldReport.objects.select_related("officer", "mission").prefetch_related("themes")
            .order_by("officer__service_number", "draft_key")]
    rows += [(p.reference, p.title, p.status, p.marking, sorted(p.cited_reports().values_list("draft_key", flat=True)))
             for p in Product.objects.order_by("kind", "number")]
    rows += [(m.reference, m.status, m.marking) for m in MonthlyReport.objects.all()]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_demo_field_reports_fill_every_reports_page_and_keep_the_board_honest():
    from dividend.care.board import board_secondments, board_sections
    from dividend.reports import access, duplicates
    from dividend.reports.models import (
        DuplicateCandidate,
        FieldReport,
        IntelligenceDebriefing,
        MonthlyReport,
        Product,
        ReportAssignment,
        ReportFeedback,
        TriageComment,
    )
    from dividend.reports.overdue import monthly_reports_overdue
    from dividend.reports.search import check_index, search_reports
    from dividend.reports.services import used_in

    result = generate()
    planted = result.reports
    users = {u.username: u for u in get_user_model().objects.all()}
    analyst, analyst2, secondee = users["analyst"], users["analyst2"], users["secondee"]
    reports = FieldReport.objects.all()
    assert reports.count() == result.counts["field reports"] == 30
    assert planted.counts == {
        "field reports": 30, "information requirements": 5, "reporting secondees": 3, "triage moves": 25,
        "comments": 4, "feedback": 20, "products": 3, "monthly mission reports": 1, "debriefings": 1,
        "overdue monthly reports": 1}
    assert set(reports.values_list("kind", flat=True)) == set(FieldReport.Kind.values)
    assert set(reports.values_list("status", flat=True)) == set(FieldReport.Status.values)
    # Every reporting secondee has an account of their own (the secondee role of their pool).
    assert all(r.author_id == r.officer.user_id for r in reports.select_related("officer"))
    assert get_user_model().objects.count() == len(DEMO_USERS) + planted.counts["reporting secondees"] - 1

    # The duty-of-care board counts as overdue exactly the secondments planted without the month's report.
    overdue = monthly_reports_overdue(Secondment.objects.all(), TODAY)
    assert sorted(overdue.values_list("pk", flat=True)) == planted.overdue
    assert len(planted.overdue) == 1
    sections = {s.key: s for s in board_sections(board_secondments(users["coordinator_national"]), TODAY, 50)}
    assert sections["reports.monthly"].count == len(planted.overdue)

    # Derived data is what the product derives: search index, near-duplicate rows, search facts.
    assert not check_index().missing and not check_index().stale
    assert list(duplicates.check()) == []
    assert stale_search_facts() == []
    found = search_reports(user=analyst, text=planted.search_word)
    containing = reports.filter(Q(title__icontains=planted.search_word) | Q(body__icontains=planted.search_word))
    assert found.total == containing.count() > 0
    # The planted near-duplicate pair is suggested, untriaged; nothing else is.
    assert list(DuplicateCandidate.objects.values_list("report_id", "other_id")) == [planted.duplicate_pair]
    assert set(reports.filter(pk__in=planted.duplicate_pair).values_list("status", flat=True)) == {"new"}

    # Triage: assignments, comments (one for the author), feedback.
    assert ReportAssignment.objects.filter(analyst=analyst).exists()
    assert ReportAssignment.objects.filter(analyst=analyst2).exists()
    assert TriageComment.objects.filter(for_author=True, report__officer__user=secondee).count() == 1
    assert ReportFeedback.objects.filter(report__officer__user=secondee).exists()

    # Products: approved by an analyst who is not the author; the secondee sees theirs was used.
    flash = Product.objects.get(kind=Product.Kind.FLASH)
    assert flash.status == Product.Status.PUBLISHED
    assert {flash.author, flash.approver} == {analyst, analyst2}
    published = Product.objects.filter(status=Product.Status.PUBLISHED)
    assert published.count() == 2 and all(p.approver_id not in (None, p.author_id) for p in published)
    assert Product.objects.filter(status=Product.Status.SUBMITTED).count() == 1
    cited = flash.cited_reports().filter(officer__user=secondee, title__startswith="Armed men at").get()
    assert flash in used_in([cited.pk])[cited.pk]
    assert access.can_read_product(secondee, flash)
    assert cited.feedback.get().verdict == ReportFeedback.Verdict.USEFUL

    # The monthly mission report (§7), approved by the second analyst; a debriefing (§8) for its group only.
    monthly = MonthlyReport.objects.get()
    assert monthly.status == MonthlyReport.Status.APPROVED and monthly.month == dt.date(2025, 4, 1)
    assert (monthly.author, monthly.approver) == (analyst, analyst2) and monthly.reports.exists()
    debriefing = IntelligenceDebriefing.objects.get()
    assert debriefing.reports.exists()
    assert IntelligenceDebriefing.objects.visible_to(analyst).count() == 1
    assert IntelligenceDebriefing.objects.visible_to(secondee).count() == 0


@pytest.mark.django_db
def test_demo_reports_are_deterministic_and_regenerate():
    generate()
    first = report_fingerprint()
    users = get_user_model().objects.count()
    generate(reset=True)
    assert report_fingerprint() == first
    assert get_user_model().objects.count() == users  # the secondees' accounts are updated in place


@pytest.mark.django_db
def test_the_reports_benchmark_can_leave_the_demo_reports_out():
    from dividend.reports.models import FieldReport

    result = generate(reports=False)
    assert result.reports is None and FieldReport.objects.count() == 0
