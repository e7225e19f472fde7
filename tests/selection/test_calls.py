import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.selection import services
from dividend.selection.forms import CallForm
from dividend.selection.models import Call, CallPosition

from ..factories import make_mission, make_position
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def call_fields(**overrides):
    fields = {"organisation": "eu_csdp", "kind": "short_notice", "reference": "EU-2027-02", "title": "Planning team",
              "published_on": TODAY, "organisation_deadline": TODAY + dt.timedelta(days=10),
              "national_deadline": TODAY + dt.timedelta(days=5)}
    return fields | overrides


def test_a_coordinator_records_a_call_as_a_draft_with_an_audit_entry(sel):
    alpha = sel["pools"][0]
    call = services.create_call(actor=sel["users"]["coordinator"], pools=[alpha], **call_fields())
    assert (call.status, call.kind, call.pool_ids()) == ("draft", "short_notice", [alpha.pk])
    entry = AuditEntry.objects.filter(object_type="selection.call", object_id=str(call.pk)).get()
    assert entry.action == "create"


def test_the_national_pre_deadline_must_be_before_the_organisations(sel):
    with pytest.raises(ValidationError) as error:
        services.create_call(actor=sel["users"]["coordinator"], pools=[sel["pools"][0]],
                             **call_fields(national_deadline=TODAY + dt.timedelta(days=10)))
    assert error.value.message_dict == {"national_deadline": [
        f"The national pre-deadline must be before the organisation's deadline "
        f"({TODAY + dt.timedelta(days=10):%Y-%m-%d})."]}
    assert Call.objects.filter(reference="EU-2027-02").count() == 0


def test_the_form_refuses_deadlines_in_the_wrong_order(sel):
    data = {k: str(v) for k, v in call_fields(national_deadline=TODAY + dt.timedelta(days=12)).items()}
    form = CallForm(data | {"pools": [sel["pools"][0].pk]}, user=sel["users"]["coordinator"])
    assert not form.is_valid()
    assert list(form.errors) == ["national_deadline"]


def test_a_pool_coordinator_cannot_send_a_call_to_another_pool(sel):
    with pytest.raises(ValidationError) as error:
        services.create_call(actor=sel["users"]["coordinator"], pools=[sel["pools"][1]], **call_fields())
    assert error.value.message_dict == {"pools": ["You coordinate no call for Beta Police."]}


def test_an_hr_manager_cannot_record_a_call(sel):
    with pytest.raises(PermissionDenied):
        services.create_call(actor=sel["users"]["hr"], pools=[sel["pools"][0]], **call_fields())


def test_the_reference_is_unique_per_organisation(sel):
    with pytest.raises(ValidationError) as error:
        services.create_call(actor=sel["users"]["national"], pools=[sel["pools"][0]],
                             **call_fields(reference="EU-2027-01"))
    assert error.value.message_dict == {"reference": ["A call of this organisation already has the reference EU-2027-01."]}


def test_status_moves_follow_the_table(sel):
    call, coordinator = sel["call"], sel["users"]["coordinator"]
    with pytest.raises(ValidationError) as error:
        services.change_call_status(actor=coordinator, call=call, status="nominations_sent")
    assert error.value.message_dict == {"status": ["A call in status open cannot become nominations sent."]}
    services.change_call_status(actor=coordinator, call=call, status="national_selection")
    services.change_call_status(actor=coordinator, call=call, status="nominations_sent")
    services.change_call_status(actor=coordinator, call=call, status="closed")
    call.refresh_from_db()
    assert (call.status, call.status_changed_by) == ("closed", coordinator)
    moves = AuditEntry.objects.filter(object_type="selection.call", action="status").order_by("id")
    assert [e.detail["changes"]["status"] for e in moves] == [
        {"old": "draft", "new": "open"}, {"old": "open", "new": "national_selection"},
        {"old": "national_selection", "new": "nominations_sent"}, {"old": "nominations_sent", "new": "closed"}]


def test_closing_a_call_early_needs_a_reason(sel):
    with pytest.raises(ValidationError) as error:
        services.change_call_status(actor=sel["users"]["coordinator"], call=sel["call"], status="closed")
    assert error.value.message_dict == {"reason": ["Give a reason to close a call before its nominations are sent."]}


def test_a_call_without_positions_does_not_open(sel):
    call = services.create_call(actor=sel["users"]["coordinator"], pools=[sel["pools"][0]], **call_fields())
    with pytest.raises(ValidationError) as error:
        services.change_call_status(actor=sel["users"]["coordinator"], call=call, status="open")
    assert error.value.message_dict == {"status": ["A call opens with at least one position."]}


def test_a_coordinator_of_another_pool_cannot_move_the_call(sel):
    with pytest.raises(PermissionDenied):
        services.change_call_status(actor=sel["users"]["coordinator_beta"], call=sel["call"], status="closed",
                                    reason="no")


def test_saving_a_call_unchanged_writes_nothing(sel):
    call = sel["call"]
    before = AuditEntry.objects.count()
    fields = services.update_call(actor=sel["users"]["coordinator"], call=call, pools=list(call.pools.all()),
                                  **{k: getattr(call, k) for k in services.CALL_FIELDS})
    assert (fields, AuditEntry.objects.count()) == ([], before)


def test_a_position_on_a_mission_of_another_organisation_is_refused(sel):
    un_position = make_position(make_mission("UNTEST", organisation="un"))
    with pytest.raises(ValidationError) as error:
        services.add_call_position(actor=sel["users"]["coordinator"], call=sel["call"], position=un_position)
    assert error.value.messages == ["UNTEST is a mission of United Nations, not of EU CSDP like the call."]
    assert CallPosition.objects.filter(position=un_position).count() == 0


def test_a_new_position_from_a_job_description_copies_its_requirements(sel):
    from dividend.missions.models import JobDescription, JobDescriptionSkill
    from dividend.reference.models import Skill

    job = JobDescription.objects.create(code="border_adviser", title="Border management adviser", duration_months=6)
    JobDescriptionSkill.objects.create(job_description=job, skill=Skill.objects.get(code="training"), min_level=3)
    position = services.new_position(mission=sel["mission"], job_description=job)
    cp = services.add_call_position(actor=sel["users"]["coordinator"], call=sel["call"], position=position, posts=1)
    stored = cp.position
    assert (stored.title, stored.duration_months, stored.mission_id) == ("Border management adviser", 6,
                                                                         sel["mission"].pk)
    assert [(s.skill.code, s.min_level) for s in stored.required_skills.all()] == [("training", 3)]
