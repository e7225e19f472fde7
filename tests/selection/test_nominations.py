import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.secondments.models import Secondment
from dividend.selection import services
from dividend.selection.models import Call, Nomination

from .conftest import TODAY, make_eligible

pytestmark = pytest.mark.django_db


def nominate(sel, officer="aalto", actor="coordinator"):
    return services.nominate(actor=sel["users"][actor], call_position=sel["cp"], officer=sel[officer])


def decide(sel, nomination, outcome, feedback, **dates):
    """The outcome on the record: proposed by the pool's coordinator, approved by the national one."""
    decision = services.propose_decision(actor=sel["users"]["coordinator"], nomination=nomination, outcome=outcome,
                                         feedback=feedback, **dates)
    services.approve_decision(actor=sel["users"]["national"], decision=decision)
    nomination.refresh_from_db()
    return nomination


def released(sel):
    nomination = nominate(sel)
    return services.release(actor=sel["users"]["hr"], nomination=nomination)


def test_a_coordinator_nominates_an_officer_of_their_pool_awaiting_release(sel):
    nomination = nominate(sel)
    assert (nomination.status, nomination.origin, nomination.nominated_by) == (
        "awaiting_release", "coordinator", sel["users"]["coordinator"])
    entry = AuditEntry.objects.get(object_type="selection.nomination", action="create")
    assert entry.detail["officer_id"] == sel["aalto"].pk


def test_a_coordinator_cannot_nominate_an_officer_of_another_pool(sel):
    with pytest.raises(PermissionDenied):
        nominate(sel, officer="berg")
    assert Nomination.objects.count() == 0


def test_an_officer_of_a_pool_the_call_is_not_sent_to_is_refused(sel):
    with pytest.raises(ValidationError) as error:
        nominate(sel, officer="berg", actor="national")
    assert error.value.messages == ["The call is not sent to the officer's pool (Beta Police)."]


def test_nominations_after_the_pre_deadline_are_refused(sel):
    Call.objects.filter(pk=sel["call"].pk).update(national_deadline=TODAY - dt.timedelta(days=1),
                                                  published_on=TODAY - dt.timedelta(days=30))
    sel["cp"].call.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        nominate(sel)
    assert error.value.messages == [
        f"The national pre-deadline ({TODAY - dt.timedelta(days=1):%Y-%m-%d}) has passed: no more nominations."]
    assert Nomination.objects.count() == 0


def test_a_draft_call_takes_no_nominations(sel):
    Call.objects.filter(pk=sel["call"].pk).update(status=Call.Status.DRAFT)
    sel["cp"].call.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        nominate(sel)
    assert error.value.messages == ["The call is draft: it takes no nominations."]


def test_an_officer_is_nominated_once_per_position(sel):
    nominate(sel)
    with pytest.raises(ValidationError) as error:
        nominate(sel)
    assert error.value.messages == ["Aino Aalto is already a candidate for this position."]


def test_an_officer_expresses_interest_for_themself_only(sel):
    nomination = services.express_interest(actor=sel["users"]["secondee"], call_position=sel["cp"], officer=sel["aalto"])
    assert (nomination.origin, nomination.status) == ("interest", "awaiting_release")
    with pytest.raises(PermissionDenied):
        services.express_interest(actor=sel["users"]["secondee"], call_position=sel["cp"], officer=sel["carlsson"])


def test_the_line_manager_releases_and_the_step_is_timed(sel):
    nomination = released(sel)
    assert (nomination.status, nomination.release_decided_by, nomination.release_days) == (
        "released", sel["users"]["hr"], 0)


def test_a_refusal_needs_a_reason(sel):
    nomination = nominate(sel)
    with pytest.raises(ValidationError) as error:
        services.refuse_release(actor=sel["users"]["hr"], nomination=nomination, reason=" ")
    assert error.value.message_dict == {"reason": ["Give the reason for refusing the release."]}
    nomination.refresh_from_db()
    assert nomination.status == "awaiting_release"


def test_an_hr_manager_of_another_pool_cannot_release(sel):
    with pytest.raises(PermissionDenied):
        services.release(actor=sel["users"]["hr_beta"], nomination=nominate(sel))


def test_approval_without_release_is_refused_unless_the_setting_allows_it(sel, settings):
    nomination = nominate(sel)
    settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE = False
    with pytest.raises(PermissionDenied):
        services.approve_without_release(actor=sel["users"]["national"], nomination=nomination, reason="urgent")
    settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE = True
    approved = services.approve_without_release(actor=sel["users"]["national"], nomination=nomination,
                                                reason="Crisis centre decision")
    assert (approved.status, approved.status_reason) == ("approved", "Crisis centre decision")


def test_only_a_national_coordinator_approves_without_release(sel, settings):
    settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE = True
    with pytest.raises(PermissionDenied):
        services.approve_without_release(actor=sel["users"]["coordinator"], nomination=nominate(sel), reason="x")


def test_an_outcome_waits_for_the_release(sel):
    nomination = nominate(sel)
    with pytest.raises(ValidationError) as error:
        decide(sel, nomination, "selected", "Well done", start_date=TODAY + dt.timedelta(days=90))
    assert error.value.messages == ["A nomination in status awaiting release cannot become selected."]
    assert Secondment.objects.count() == 0


def test_a_selected_officer_gets_a_selected_secondment(sel):
    make_eligible(sel["aalto"])  # the ranked order selects Aalto: no justification needed
    nomination = released(sel)
    start = dt.date(2027, 3, 1)
    decided = decide(sel, nomination, "selected", "Strong mission experience.", start_date=start)
    secondment = Secondment.objects.get()
    assert (decided.status, decided.feedback, decided.secondment_id) == ("selected", "Strong mission experience.",
                                                                         secondment.pk)
    assert (secondment.officer_id, secondment.position_id, secondment.status, secondment.start_date,
            secondment.end_date) == (sel["aalto"].pk, sel["position"].pk, "selected", start, dt.date(2028, 2, 29))


def test_a_reserve_gets_no_secondment_and_may_be_selected_later(sel):
    nomination = decide(sel, released(sel), "reserve", "First reserve.")
    assert (nomination.status, Secondment.objects.count()) == ("reserve", 0)
    decide(sel, nomination, "not_selected", "The post was filled.")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.feedback) == ("not_selected", "The post was filled.")


def test_an_outcome_needs_feedback(sel):
    with pytest.raises(ValidationError) as error:
        decide(sel, released(sel), "not_selected", "")
    assert error.value.message_dict == {"feedback": ["Write the feedback the nominee will read."]}


def test_a_selection_whose_secondment_overlaps_changes_nothing(sel):
    from dividend.secondments.services import create_secondment

    create_secondment(actor=sel["users"]["coordinator"], officer=sel["aalto"], position=sel["position"],
                      start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 12, 31))
    nomination = released(sel)
    with pytest.raises(ValidationError):
        decide(sel, nomination, "selected", "Selected.", start_date=dt.date(2027, 6, 1))
    nomination.refresh_from_db()
    assert (nomination.status, nomination.feedback, Secondment.objects.count()) == ("released", "", 1)


def test_the_officer_withdraws_with_a_reason(sel):
    nomination = nominate(sel)
    withdrawn = services.withdraw_nomination(actor=sel["users"]["secondee"], nomination=nomination,
                                             reason="Family reasons")
    assert withdrawn.status == "withdrawn"
    again = nominate(sel)  # a withdrawn nomination does not block a new one
    assert again.status == "awaiting_release"
