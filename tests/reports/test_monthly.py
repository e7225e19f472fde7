"""The monthly mission report (issue 12 §7): drafted from the month's accepted field reports and the
contact log (never its notes), edited by its author, submitted, approved or returned by a second
analyst; its marking at least as strict as the strictest cited report; bad input refused with a
clear message and nothing stored."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.care import services as care
from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.reports import access, monthly, services
from dividend.reports.models import MonthlyReport
from dividend.secondments.models import Secondment

from ..factories import make_officer, make_position, make_secondment, make_user
from .test_reports import file

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
MONTH = TODAY.replace(day=1)


def accepted(world, key, **overrides):
    report = file(world, key, **overrides)
    services.change_report_status(actor=world["users"]["analyst"], report=report, status="accepted")
    return report


@pytest.fixture
def month(world):
    """Three reports on the world's mission this month: a security one (accepted, amber), a political
    one (accepted, rule of law) and one still new."""
    security = accepted(world, "sec-0001", title="Checkpoints north", body="Two new checkpoints opened near Gao.",
                        marking="amber")
    political = accepted(world, "pol-0001", title="New justice minister", body="The cabinet was reshuffled.")
    political.themes.set([ThematicArea.objects.get(code="rule_of_law")])
    pending = file(world, "new-0001", title="Still in triage", body="Not accepted yet.")
    return {"security": security, "political": political, "pending": pending}


def draft(world, actor="analyst", **overrides):
    fields = {"mission": world["mission"], "month": MONTH} | overrides
    return monthly.create_monthly_report(actor=world["users"][actor], **fields)


def texts(report, **overrides):
    return {"security_assessment": report.security_assessment, "political_update": report.political_update,
            "contingent_work": report.contingent_work, "marking": report.marking} | overrides


# --- Drafting -------------------------------------------------------------------------------------


def test_the_draft_cites_the_months_accepted_security_reports_in_the_assessment(world, month):
    report = draft(world)
    assert report.security_assessment.splitlines()[0] == (
        f"- Checkpoints north ({month['security'].period_start:%d.%m.}–{TODAY:%d.%m.%Y}, TLP:AMBER) "
        f"[FR-{month['security'].pk}]")


def test_the_draft_puts_rule_of_law_reports_in_the_political_update(world, month):
    report = draft(world)
    assert f"[FR-{month['political'].pk}]" in report.political_update
    assert f"FR-{month['political'].pk}" not in report.security_assessment


def test_the_draft_cites_accepted_reports_only(world, month):
    report = draft(world)
    assert sorted(report.reports.values_list("pk", flat=True)) == sorted([month["security"].pk,
                                                                         month["political"].pk])
    assert "Still in triage" not in report.security_assessment + report.political_update


def test_the_draft_leaves_out_reports_the_drafter_may_not_read(world, month):
    report = draft(world, actor="analyst_beta")  # pool beta's analyst reads none of Aalto's reports
    assert (report.reports.count(), report.security_assessment) == (
        0, "No accepted field report on the security situation this month.")


def test_the_draft_is_marked_as_strictly_as_its_strictest_report(world, month):
    accepted(world, "red-0001", title="Red", marking="red")
    assert draft(world).marking == "red"


def test_a_draft_citing_green_reports_only_starts_at_amber(world):
    accepted(world, "grn-0001")
    assert draft(world).marking == "amber"


def test_the_draft_starts_as_a_draft_by_its_author_and_is_audited(world, month):
    report = draft(world)
    entry = AuditEntry.objects.filter(object_type="reports.monthlyreport", action="create").get()
    assert (report.status, report.author, report.reference) == (
        "draft", world["users"]["analyst"], f"MMR-EUTEST-{MONTH:%Y-%m}")
    assert entry.detail["cited"] == sorted([month["security"].pk, month["political"].pk])
    assert "Gao" not in str(entry.detail)


@pytest.fixture
def contingent(world):
    """Three secondees of pool alpha deployed to the world's mission with contacts this month, one of
    them with a restricted note."""
    coordinator = world["users"]["coordinator"]
    secondments = [make_secondment(make_officer(world["pools"][0]), make_position(world["mission"]),
                                   status=Secondment.Status.DEPLOYED, start=TODAY - dt.timedelta(days=60),
                                   end=TODAY + dt.timedelta(days=100)) for _ in range(3)]
    for secondment, wellbeing in zip(secondments, ["well", "well", "concern"], strict=True):
        care.log_contact(actor=coordinator, secondment=secondment, contact_on=MONTH, channel="phone",
                         wellbeing=wellbeing, notes="Sleeps badly since the attack." if wellbeing == "concern" else "")
    return secondments


def test_the_contingent_section_counts_the_contacts_the_drafter_sees_and_never_their_notes(world, contingent):
    both = make_user(None, roles=[(Role.ANALYST, [world["pools"][0]]), (Role.COORDINATOR, [world["pools"][0]])])
    report = monthly.create_monthly_report(actor=both, mission=world["mission"], month=MONTH)
    assert report.contingent_work == (
        "4 secondees of the national contingent were deployed during the month.\n"
        "The desk officers logged 3 contacts with 3 secondees (Phone: 3).\n"
        "Wellbeing at the contacts: Well: 2, Some concern: 1.\n"
        "0 accepted field reports of the contingent cover the month.")
    assert "Sleeps" not in report.contingent_work


def test_an_analyst_without_care_access_gets_no_contact_figures(world, contingent):
    report = draft(world)
    assert "The contact log you may see holds no contact with them this month." in report.contingent_work


def test_wellbeing_is_not_summarised_over_fewer_than_three_secondees(world, contingent):
    both = make_user(None, roles=[(Role.ANALYST, [world["pools"][0]]), (Role.COORDINATOR, [world["pools"][0]])])
    secondment = contingent[0]
    contingent[1].contacts.all().delete()
    contingent[2].contacts.all().delete()
    report = monthly.create_monthly_report(actor=both, mission=world["mission"], month=MONTH)
    assert report.contingent_work.splitlines()[1:3] == [
        "The desk officers logged 1 contact with 1 secondee (Phone: 1).",
        "Wellbeing is not summarised over fewer than 3 secondees."]
    assert secondment.officer.last_name not in report.contingent_work


# --- Bad input: nothing stored ----------------------------------------------------------------------


def test_a_month_in_the_future_is_refused(world):
    later = (MONTH + dt.timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError) as error:
        draft(world, month=later)
    assert error.value.message_dict == {"month": [
        f"{later:%Y-%m} has not begun: a monthly report is written on the current month or an earlier one."]}
    assert MonthlyReport.objects.count() == 0


def test_a_second_report_on_the_same_mission_and_month_is_refused(world):
    draft(world)
    with pytest.raises(ValidationError) as error:
        draft(world, actor="national_analyst")
    assert error.value.message_dict == {"month": [
        f"The monthly report on EUTEST for {MONTH:%Y-%m} exists already."]}
    assert MonthlyReport.objects.count() == 1


def test_someone_who_is_not_an_analyst_may_not_draft(world):
    with pytest.raises(PermissionDenied):
        draft(world, actor="coordinator")
    assert MonthlyReport.objects.count() == 0


# --- Editing ----------------------------------------------------------------------------------------


def test_saving_unchanged_changes_nothing_and_audits_nothing(world, month):
    report = draft(world)
    before = (MonthlyReport.objects.values().get(), AuditEntry.objects.count())
    monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report, **texts(report))
    assert (MonthlyReport.objects.values().get(), AuditEntry.objects.count()) == before


def test_an_edit_saves_the_text_and_audits_the_fields_changed(world, month):
    report = draft(world)
    monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                **texts(report, political_update="Calm after the reshuffle."))
    report.refresh_from_db()
    entry = AuditEntry.objects.filter(object_type="reports.monthlyreport", action="update").get()
    assert (report.political_update, entry.fields) == (
        "Calm after the reshuffle.", ["political_update", "reports"])


def test_the_citations_follow_the_references_in_the_text(world, month):
    report = draft(world)
    monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                **texts(report, political_update="Calm after the reshuffle."))
    assert list(report.reports.values_list("pk", flat=True)) == [month["security"].pk]


def test_a_reference_to_a_report_not_accepted_is_refused(world, month):
    report = draft(world)
    before = MonthlyReport.objects.values().get()
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                    **texts(report, political_update=f"See FR-{month['pending'].pk}."))
    assert error.value.messages == [f"Only accepted field reports on EUTEST are cited; not these: "
                                    f"FR-{month['pending'].pk}."]
    assert MonthlyReport.objects.values().get() == before


def test_a_reference_to_a_report_the_author_may_not_read_is_refused(world, month):
    report = monthly.create_monthly_report(actor=world["users"]["analyst_beta"], mission=world["mission"],
                                           month=MONTH)
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst_beta"], report=report,
                                    **texts(report, political_update=f"See FR-{month['political'].pk}."))
    assert error.value.messages == [f"Not a field report you may read: FR-{month['political'].pk}."]
    assert report.reports.count() == 0


def test_a_marking_below_the_strictest_cited_report_is_refused(world, month):
    report = draft(world)
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report, **texts(report, marking="green"))
    assert error.value.message_dict == {"marking": [
        "A cited report is marked TLP:AMBER: mark the monthly report at least as strictly."]}
    assert MonthlyReport.objects.get().marking == "amber"


@pytest.mark.parametrize("field", monthly.TEXT_FIELDS)
def test_an_empty_section_is_refused(world, month, field):
    report = draft(world)
    before = MonthlyReport.objects.values().get()
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report, **texts(report, **{field: "  "}))
    assert error.value.message_dict == {field: ["Write this section; it may be short."]}
    assert MonthlyReport.objects.values().get() == before


def test_classified_text_is_refused_and_nothing_stored(world, month):
    report = draft(world)
    before = MonthlyReport.objects.values().get()
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                    **texts(report, contingent_work="SECRET UE/EU SECRET: the plan"))
    assert list(error.value.message_dict) == ["contingent_work"]
    assert MonthlyReport.objects.values().get() == before


def test_only_the_author_edits(world, month):
    report = draft(world)
    with pytest.raises(PermissionDenied):
        monthly.edit_monthly_report(actor=world["users"]["national_analyst"], report=report,
                                    **texts(report, political_update="Mine now."))
    assert MonthlyReport.objects.get().political_update == report.political_update


def test_a_null_character_is_refused_and_nothing_stored(world, month):
    report = draft(world)
    before = MonthlyReport.objects.values().get()
    with pytest.raises(ValidationError) as error:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                    **texts(report, political_update="a\x00b"))
    assert error.value.message_dict == {"political_update": ["Null characters are not allowed."]}
    assert MonthlyReport.objects.values().get() == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300))
def test_any_text_is_stored_as_given_or_refused_with_a_message(world, text):
    report = MonthlyReport.objects.filter(mission=world["mission"], month=MONTH).first() or draft(world)
    try:
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                    **texts(report, political_update=text))
    except ValidationError as error:
        assert error.messages
    else:
        report.refresh_from_db()
        assert report.political_update == text.replace("\r\n", "\n").strip()


# --- The workflow ------------------------------------------------------------------------------------


def submitted(world):
    report = draft(world)
    return monthly.submit_monthly_report(actor=world["users"]["analyst"], report=report)


def test_the_author_submits_and_who_and_when_are_recorded(world, month):
    report = submitted(world)
    report.refresh_from_db()
    assert (report.status, report.status_changed_by) == ("submitted", world["users"]["analyst"])
    entry = AuditEntry.objects.filter(object_type="reports.monthlyreport", action="status").get()
    assert (entry.detail["from"], entry.detail["to"]) == ("draft", "submitted")


def test_a_second_analyst_approves(world, month):
    report = submitted(world)
    monthly.approve_monthly_report(actor=world["users"]["national_analyst"], report=report)
    report.refresh_from_db()
    assert (report.status, report.approver, report.approved_at is not None) == (
        "approved", world["users"]["national_analyst"], True)


def test_the_author_may_not_approve_their_own_report(world, month):
    report = submitted(world)
    with pytest.raises(PermissionDenied) as error:
        monthly.approve_monthly_report(actor=world["users"]["analyst"], report=report)
    assert str(error.value) == "The author does not approve their own monthly report: a second analyst does."
    assert MonthlyReport.objects.get().status == "submitted"


def test_an_analyst_who_may_not_read_a_cited_report_may_not_approve(world, month):
    report = submitted(world)
    with pytest.raises(PermissionDenied):
        monthly.approve_monthly_report(actor=world["users"]["analyst_beta"], report=report)
    assert MonthlyReport.objects.get().status == "submitted"


def test_a_draft_may_not_be_approved_before_it_is_submitted(world, month):
    report = draft(world)
    with pytest.raises(ValidationError) as error:
        monthly.approve_monthly_report(actor=world["users"]["national_analyst"], report=report)
    assert error.value.messages == ["A monthly report that is draft cannot be moved to approved."]


def test_a_return_needs_a_reason_and_the_author_reads_it(world, month):
    report = submitted(world)
    with pytest.raises(ValidationError) as error:
        monthly.return_monthly_report(actor=world["users"]["national_analyst"], report=report, reason=" ")
    assert error.value.message_dict == {"reason": ["Say why: the author reads it."]}
    monthly.return_monthly_report(actor=world["users"]["national_analyst"], report=report, reason="Shorter, please.")
    report.refresh_from_db()
    assert (report.status, report.status_reason) == ("returned", "Shorter, please.")


def test_the_author_may_not_return_their_own_report(world, month):
    report = submitted(world)
    with pytest.raises(PermissionDenied):
        monthly.return_monthly_report(actor=world["users"]["analyst"], report=report, reason="Oops")
    assert MonthlyReport.objects.get().status == "submitted"


def test_a_returned_report_is_edited_and_submitted_again(world, month):
    report = submitted(world)
    monthly.return_monthly_report(actor=world["users"]["national_analyst"], report=report, reason="Shorter.")
    monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report,
                                **texts(report, contingent_work="Four secondees; all well."))
    monthly.submit_monthly_report(actor=world["users"]["analyst"], report=report)
    report.refresh_from_db()
    assert (report.status, report.contingent_work) == ("submitted", "Four secondees; all well.")


def test_a_submitted_or_approved_report_is_no_longer_edited(world, month):
    report = submitted(world)
    with pytest.raises(PermissionDenied):
        monthly.edit_monthly_report(actor=world["users"]["analyst"], report=report, **texts(report))
    monthly.approve_monthly_report(actor=world["users"]["national_analyst"], report=report)
    with pytest.raises(ValidationError):
        monthly.submit_monthly_report(actor=world["users"]["analyst"], report=report)
    assert MonthlyReport.objects.get().status == "approved"


# --- Who reads it --------------------------------------------------------------------------------------


def test_it_is_read_by_its_author_and_the_analysts_who_read_every_cited_report(world, month):
    report = draft(world)
    readers = {name for name, user in world["users"].items()
               if MonthlyReport.objects.visible_to(user).filter(pk=report.pk).exists()}
    assert readers == {"analyst", "national_analyst"}
    assert {name for name, user in world["users"].items() if access.can_read_monthly_report(user, report)} == readers


def test_the_month_last_due_lists_the_missions_with_a_deployed_secondee(world):
    due_month, rows = monthly.missions_due(world["users"]["analyst"], today=TODAY)
    assert [m.acronym for m, r in rows] == ["EUTEST"] and rows[0][1] is None
