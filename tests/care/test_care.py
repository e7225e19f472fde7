"""Duty of care (issue 11 §3): contact log, overdue computations and escalation with a fixed clock,
restricted records, the misconduct finding on the roster, bad input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.care import services
from dividend.care.board import contact_overdue, ending_soon
from dividend.care.models import (
    Appraisal,
    CareFile,
    Contact,
    Escalation,
    LeaveDebriefing,
    LeavePeriod,
    MisconductCase,
    overdue_since,
)
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment
from tests.factories import make_officer, make_position, make_secondment

from .conftest import NOW, START, TODAY

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def _log(care, day, **kw):
    return services.log_contact(actor=care["desk"], secondment=care["secondment"], contact_on=day, channel="phone",
                                wellbeing="well", notes=kw.pop("notes", "Sleeps badly."), now=NOW, **kw)


# --- Overdue computations ------------------------------------------------------------------------

def test_a_contact_is_overdue_from_the_start_of_the_day_after_the_interval():
    assert overdue_since(dt.date(2026, 11, 1), 10) == aware(2026, 11, 12, 0, 0)


def test_the_board_counts_a_contact_overdue_after_more_than_the_interval(care):
    _log(care, dt.date(2026, 11, 1))
    secondments = Secondment.objects.all()
    assert list(contact_overdue(secondments, dt.date(2026, 11, 11), 10)) == []
    assert list(contact_overdue(secondments, dt.date(2026, 11, 12), 10)) == [care["secondment"]]


def test_without_a_contact_the_count_starts_with_the_deployment(care):
    (row,) = contact_overdue(Secondment.objects.all(), TODAY, 10)
    assert row.counted_from == START


def test_the_interval_is_a_setting(care, settings):
    _log(care, dt.date(2026, 11, 1))
    settings.DIVIDEND_CARE_CONTACT_DAYS = 30
    assert list(contact_overdue(Secondment.objects.all(), dt.date(2026, 12, 1))) == []
    assert list(contact_overdue(Secondment.objects.all(), dt.date(2026, 12, 2))) == [care["secondment"]]


def test_only_deployed_secondments_count(care):
    planned = make_secondment(make_officer(care["pool"]), make_position(care["mission"]),
                              status=Secondment.Status.PREPARING, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert planned not in contact_overdue(Secondment.objects.all(), TODAY, 10)


def test_ending_soon_is_the_next_sixty_days(care):
    s = care["secondment"]
    assert list(ending_soon(Secondment.objects.all(), dt.date(2027, 8, 1))) == [s]  # 60 days before 30 September
    assert list(ending_soon(Secondment.objects.all(), dt.date(2027, 7, 31))) == []


# --- Escalation: exact timings -------------------------------------------------------------------

@pytest.fixture
def named(care):
    services.assign_desk_officer(actor=care["hr"], secondment=care["secondment"], desk_officer=care["desk"])
    services.name_care_officers(actor=care["hr"], pool=care["pool"], duty_officer=care["duty"],
                                head_of_unit=care["head"])
    _log(care, dt.date(2026, 11, 1))
    return care


def _steps():
    return [(e.step, e.due_at, e.notified.username if e.notified else None)
            for e in Escalation.objects.order_by("due_at")]


def test_escalation_steps_fall_due_at_their_exact_hours(named):
    overdue = aware(2026, 11, 12, 0, 0)
    assert services.record_escalations(now=overdue - SECOND, interval_days=10) == []
    assert len(services.record_escalations(now=overdue, interval_days=10)) == 1
    assert services.record_escalations(now=overdue + 24 * HOUR - SECOND, interval_days=10) == []
    assert len(services.record_escalations(now=overdue + 24 * HOUR, interval_days=10)) == 1
    assert services.record_escalations(now=overdue + 48 * HOUR - SECOND, interval_days=10) == []
    assert len(services.record_escalations(now=overdue + 48 * HOUR, interval_days=10)) == 1
    assert services.record_escalations(now=overdue + 100 * HOUR, interval_days=10) == []
    assert _steps() == [("desk_officer", overdue, "desk"), ("duty_officer", overdue + 24 * HOUR, "duty"),
                        ("head_of_unit", overdue + 48 * HOUR, "head")]


def test_a_late_run_records_every_step_due_with_its_own_due_time(named):
    overdue = aware(2026, 11, 12, 0, 0)
    recorded = services.record_escalations(now=overdue + 72 * HOUR, interval_days=10)
    assert [(e.step, e.due_at, e.recorded_at) for e in recorded] == [
        ("desk_officer", overdue, overdue + 72 * HOUR), ("duty_officer", overdue + 24 * HOUR, overdue + 72 * HOUR),
        ("head_of_unit", overdue + 48 * HOUR, overdue + 72 * HOUR)]


def test_each_step_is_audited_naming_the_officer(named):
    before = AuditEntry.objects.count()
    services.record_escalations(now=aware(2026, 11, 12, 0, 0), interval_days=10)
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.object_type, entry.detail["officer_id"], entry.detail["step"]) == (
        "create", "care.escalation", named["officer"].pk, "desk_officer")


def test_a_new_contact_starts_a_new_count(named):
    services.record_escalations(now=aware(2026, 11, 12, 0, 0), interval_days=10)
    _log(named, dt.date(2026, 11, 13))
    assert services.record_escalations(now=aware(2026, 11, 20, 0, 0), interval_days=10) == []
    (step,) = services.record_escalations(now=aware(2026, 11, 24, 0, 0), interval_days=10)
    assert (step.step, step.last_contact_on) == ("desk_officer", dt.date(2026, 11, 13))


def test_a_step_with_nobody_named_is_recorded_with_nobody_told(care):
    recorded = services.record_escalations(now=overdue_since(START, 10), interval_days=10)
    assert [(e.step, e.notified_id) for e in recorded] == [("desk_officer", None)]


# --- The contact log -----------------------------------------------------------------------------

def test_a_contact_refreshes_the_last_contact(care):
    _log(care, dt.date(2026, 11, 5))
    _log(care, dt.date(2026, 11, 2))
    assert CareFile.objects.get(secondment=care["secondment"]).last_contact_on == dt.date(2026, 11, 5)


def test_a_contact_is_audited_without_its_notes(care):
    contact = _log(care, dt.date(2026, 11, 5), notes="Marker-notes-123")
    entry = AuditEntry.objects.filter(object_type="care.contact", object_id=str(contact.pk)).get()
    assert entry.fields == ["channel", "contact_on", "notes", "wellbeing"]
    assert "Marker-notes-123" not in str(entry.detail)


@pytest.mark.parametrize(("day", "field", "message"), [
    (dt.date(2026, 9, 30), "contact_on", "The contact (2026-09-30) is before the deployment started (2026-10-01)."),
    (dt.date(2026, 11, 21), "contact_on", "This date (2026-11-21) is in the future."),
])
def test_a_contact_on_a_day_that_contradicts_the_deployment_is_refused(care, day, field, message):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        _log(care, day)
    assert error.value.message_dict == {field: [message]}
    assert Contact.objects.count() == 0 and AuditEntry.objects.count() == before


def test_a_contact_after_the_secondment_ended_is_refused(care):
    s = care["secondment"]
    Secondment.objects.filter(pk=s.pk).update(end_date=dt.date(2026, 11, 10))
    s.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.log_contact(actor=care["desk"], secondment=s, contact_on=dt.date(2026, 11, 11), channel="phone",
                             wellbeing="well", now=NOW)
    assert error.value.message_dict == {"contact_on": [
        "The contact (2026-11-11) is after the secondment's end (2026-11-10)."]}


def test_only_a_deployed_secondment_gets_contacts(care):
    planned = make_secondment(make_officer(care["pool"]), make_position(care["mission"]),
                              status=Secondment.Status.PREPARING, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        services.log_contact(actor=care["desk"], secondment=planned, contact_on=TODAY, channel="phone",
                             wellbeing="well", now=NOW)
    assert error.value.messages == ["Only a deployed secondment has a contact log; this one is preparing."]


@pytest.mark.parametrize("who", ["national", "secondee", "beta"])
def test_only_need_to_know_keeps_the_contact_log(care, who):
    with pytest.raises(PermissionDenied):
        services.log_contact(actor=care[who], secondment=care["secondment"], contact_on=TODAY, channel="phone",
                             wellbeing="well", now=NOW)
    assert Contact.objects.count() == 0


def test_an_unknown_channel_is_refused(care):
    with pytest.raises(ValidationError) as error:
        services.log_contact(actor=care["desk"], secondment=care["secondment"], contact_on=TODAY, channel="pigeon",
                             wellbeing="well", now=NOW)
    assert error.value.message_dict == {"channel": ["Choose a channel from the list."]}


# --- Desk officer, pool's care officers ------------------------------------------------------------

def test_the_desk_officer_is_a_coordinator_of_the_officers_pool(care):
    for who in ("hr", "national", "beta"):
        with pytest.raises(ValidationError) as error:
            services.assign_desk_officer(actor=care["hr"], secondment=care["secondment"], desk_officer=care[who])
        assert error.value.message_dict == {"desk_officer": [
            "The desk officer must be a coordinator of the officer's pool."]}
    assert services.assign_desk_officer(actor=care["hr"], secondment=care["secondment"], desk_officer=care["desk"])
    assert not services.assign_desk_officer(actor=care["hr"], secondment=care["secondment"], desk_officer=care["desk"])


def test_naming_the_same_care_officers_again_changes_nothing(care):
    kw = {"pool": care["pool"], "duty_officer": care["duty"], "head_of_unit": care["head"]}
    assert services.name_care_officers(actor=care["hr"], **kw) == ["duty_officer", "head_of_unit"]
    before = AuditEntry.objects.count()
    assert services.name_care_officers(actor=care["hr"], **kw) == []
    assert AuditEntry.objects.count() == before


def test_another_pools_coordinator_names_nobody(care):
    with pytest.raises(PermissionDenied):
        services.name_care_officers(actor=care["beta"], pool=care["pool"], duty_officer=care["duty"],
                                    head_of_unit=None)


# --- Leave and its debriefing --------------------------------------------------------------------

def test_leave_dates_that_contradict_each_other_are_refused(care):
    with pytest.raises(ValidationError) as error:
        services.record_leave(actor=care["hr"], secondment=care["secondment"], start_date=dt.date(2026, 12, 10),
                              end_date=dt.date(2026, 12, 1))
    assert error.value.message_dict == {"end_date": ["The leave ends before it starts."]}
    assert LeavePeriod.objects.count() == 0


def test_overlapping_leave_is_refused(care):
    services.record_leave(actor=care["hr"], secondment=care["secondment"], start_date=dt.date(2026, 12, 1),
                          end_date=dt.date(2026, 12, 14))
    with pytest.raises(ValidationError) as error:
        services.record_leave(actor=care["hr"], secondment=care["secondment"], start_date=dt.date(2026, 12, 14),
                              end_date=dt.date(2026, 12, 20))
    assert error.value.messages == ["This leave overlaps the leave from 2026-12-01 to 2026-12-14."]


def test_a_debriefing_is_held_during_the_leave(care):
    leave = services.record_leave(actor=care["hr"], secondment=care["secondment"], start_date=dt.date(2026, 11, 1),
                                  end_date=dt.date(2026, 11, 14))
    with pytest.raises(ValidationError) as error:
        services.record_leave_debriefing(actor=care["desk"], leave=leave, held_on=dt.date(2026, 11, 15),
                                         content="x", now=NOW)
    assert error.value.message_dict == {"held_on": ["The debriefing is held during the leave (2026-11-01 to 2026-11-14)."]}
    services.record_leave_debriefing(actor=care["desk"], leave=leave, held_on=dt.date(2026, 11, 3),
                                     content="Checkpoints moved.", now=NOW)
    assert LeaveDebriefing.objects.get().content == "Checkpoints moved."


def test_the_secondee_records_no_debriefing_about_themself(care):
    leave = services.record_leave(actor=care["hr"], secondment=care["secondment"], start_date=dt.date(2026, 11, 1),
                                  end_date=dt.date(2026, 11, 14))
    with pytest.raises(PermissionDenied):
        services.record_leave_debriefing(actor=care["secondee"], leave=leave, held_on=dt.date(2026, 11, 3),
                                         content="x", now=NOW)


# --- Performance and misconduct ------------------------------------------------------------------

@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # a refusal stores nothing to reset
@given(rating=st.one_of(st.integers(max_value=0), st.integers(min_value=6)))
def test_an_appraisal_rating_out_of_range_is_refused(care, rating):
    with pytest.raises(ValidationError) as error:
        services.record_appraisal(actor=care["desk"], secondment=care["secondment"], kind="appraisal",
                                  dated_on=dt.date(2026, 11, 1), rating=rating, now=NOW)
    assert error.value.message_dict == {"rating": ["An appraisal's rating is a whole number from 1 to 5."]}
    assert Appraisal.objects.count() == 0


def test_underperformance_needs_what_was_reported(care):
    with pytest.raises(ValidationError) as error:
        services.record_appraisal(actor=care["desk"], secondment=care["secondment"], kind="underperformance",
                                  dated_on=dt.date(2026, 11, 1), now=NOW)
    assert error.value.message_dict == {"summary": ["Say what the mission reported."]}


def _case(care, category="sea"):
    return services.report_misconduct(actor=care["desk"], secondment=care["secondment"], category=category,
                                      reported_on=dt.date(2026, 11, 2), allegation="Alleged.", now=NOW)


def test_a_substantiated_case_puts_the_finding_on_the_officers_record(care):
    case = _case(care)
    services.decide_misconduct(actor=care["desk"], case=case, status="substantiated", decided_on=dt.date(2026, 11, 18),
                               outcome="Dismissed from the mission.", repatriated_on=dt.date(2026, 11, 19), now=NOW)
    officer = Officer.objects.get(pk=care["officer"].pk)
    assert officer.misconduct_recorded_on == dt.date(2026, 11, 18)
    assert officer.misconduct_on_record is True
    entry = AuditEntry.objects.filter(object_type="roster.officer", object_id=str(officer.pk)).order_by("-id").first()
    assert entry.detail["changes"] == {"misconduct_recorded_on": {"changed": True}}


def test_selection_reads_the_finding_as_yes_or_no(care):
    from dividend.selection.candidates import candidate_facts

    assert candidate_facts([Officer.objects.get(pk=care["officer"].pk)], viewer=None)[0].misconduct is False
    case = _case(care)
    services.decide_misconduct(actor=care["desk"], case=case, status="substantiated", decided_on=dt.date(2026, 11, 18),
                               outcome="Upheld.", now=NOW)
    assert candidate_facts([Officer.objects.get(pk=care["officer"].pk)], viewer=None)[0].misconduct is True


def test_an_unsubstantiated_case_leaves_the_record_clear(care):
    case = _case(care)
    services.decide_misconduct(actor=care["desk"], case=case, status="unsubstantiated",
                               decided_on=dt.date(2026, 11, 18), outcome="No evidence.", now=NOW)
    assert Officer.objects.get(pk=care["officer"].pk).misconduct_recorded_on is None


def test_a_decided_case_is_not_decided_again(care):
    case = _case(care)
    services.decide_misconduct(actor=care["desk"], case=case, status="unsubstantiated",
                               decided_on=dt.date(2026, 11, 18), outcome="No evidence.", now=NOW)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.decide_misconduct(actor=care["desk"], case=case, status="substantiated",
                                   decided_on=dt.date(2026, 11, 19), outcome="Upheld.", now=NOW)
    assert error.value.message_dict == {"status": ["A case that is not substantiated cannot become substantiated."]}


@pytest.mark.parametrize(("kw", "errors"), [
    ({"decided_on": dt.date(2026, 11, 1)}, {"decided_on": [
        "The decision (2026-11-01) is before the case was reported (2026-11-02)."]}),
    ({"status": "unsubstantiated", "repatriated_on": dt.date(2026, 11, 19)},
     {"repatriated_on": ["Only a substantiated case leads to repatriation."]}),
    ({"decided_on": dt.date(2026, 11, 21)}, {"decided_on": ["This date (2026-11-21) is in the future."]}),
])
def test_a_decision_with_contradicting_dates_changes_nothing(care, kw, errors):
    case = _case(care)
    with pytest.raises(ValidationError) as error:
        services.decide_misconduct(actor=care["desk"], case=case, **({"status": "substantiated",
                                                                        "decided_on": dt.date(2026, 11, 18),
                                                                        "outcome": "x", "now": NOW} | kw))
    assert error.value.message_dict == errors
    case.refresh_from_db()
    assert case.status == MisconductCase.Status.OPEN
    assert Officer.objects.get(pk=care["officer"].pk).misconduct_recorded_on is None


def test_a_national_coordinator_gets_no_misconduct_details(care):
    _case(care)
    assert MisconductCase.objects.visible_to(care["national"]).count() == 0
    assert MisconductCase.objects.visible_to(care["secondee"]).count() == 0
    assert MisconductCase.objects.visible_to(care["desk"]).count() == 1
    with pytest.raises(PermissionDenied):
        _case(care | {"desk": care["national"]})


# --- Incidents and contingents -------------------------------------------------------------------

def test_an_incident_before_the_deployment_is_refused(care):
    with pytest.raises(ValidationError) as error:
        services.record_incident(actor=care["hr"], secondment=care["secondment"], occurred_on=dt.date(2026, 9, 1),
                                 kind="road", severity="low", now=NOW)
    assert error.value.message_dict == {"occurred_on": [
        "The incident (2026-09-01) is before the deployment started (2026-10-01)."]}


def test_a_contingent_leader_is_one_of_at_least_two_deployed_on_the_mission(care):
    with pytest.raises(ValidationError) as error:
        services.appoint_contingent_leader(actor=care["hr"], mission=care["mission"], leader=care["secondment"])
    assert error.value.message_dict == {"leader": [
        "A contingent has at least two national officers on the mission."]}
    make_secondment(make_officer(care["pool"]), make_position(care["mission"]), status=Secondment.Status.DEPLOYED,
                    start=START, end=dt.date(2027, 3, 1))
    assert services.appoint_contingent_leader(actor=care["hr"], mission=care["mission"], leader=care["secondment"])
    assert care["mission"].contingent.leader_id == care["secondment"].pk
