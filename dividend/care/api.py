"""The duty-of-care API: the board, a secondment's care record, and the writes of the contact log,
leave, incidents and misconduct cases. Input goes through the same forms as the pages and the same
workflows (services.py); restricted texts are in an answer only for need-to-know."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import IdFilter, IdPath, IsoDate, Text, error_responses, form_errors
from dividend.pools.models import Pool

from . import access, services
from .board import board_secondments, board_sections
from .forms import (
    BoardFilterForm,
    ContactForm,
    IncidentForm,
    LeaveForm,
    MisconductDecisionForm,
    MisconductForm,
)
from .models import (
    Appraisal,
    CareFile,
    Contact,
    Escalation,
    LeavePeriod,
    MisconductCase,
    SecurityIncident,
    care_secondments,
)

router = Router(tags=["care"])
ROWS = 200  # secondments per board section in an answer (the count says how many there are)


class BoardRow(Schema):
    secondment_id: int
    officer_id: int
    officer: str
    pool_id: int
    mission: str
    desk_officer: str | None
    counted_from: dt.date | None = None
    end_date: dt.date | None = None
    overdue_items: int | None = None


class BoardSection(Schema):
    key: str
    label: str
    count: int
    rows: list[BoardRow]


class BoardOut(Schema):
    today: dt.date
    sections: list[BoardSection]


class BoardFilters(Schema):
    pool: IdFilter | None = None


class ContactOut(Schema):
    id: int
    contact_on: dt.date
    channel: str
    wellbeing: str
    notes: str | None  # null: restricted, not for this reader


class EscalationOut(Schema):
    step: str
    last_contact_on: dt.date
    due_at: dt.datetime
    recorded_at: dt.datetime
    notified: str | None


class LeaveOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date
    debriefing_held_on: dt.date | None
    debriefing: str | None  # null: none, or restricted


class IncidentOut(Schema):
    id: int
    occurred_on: dt.date
    kind: str
    severity: str
    hurt: bool
    description: str


class MissionAppraisalOut(Schema):
    id: int
    kind: str
    dated_on: dt.date
    rating: int | None
    reported_by: str
    summary: str


class CaseOut(Schema):
    id: int
    category: str
    reported_on: dt.date
    allegation: str
    status: str
    decided_on: dt.date | None
    outcome: str
    repatriated_on: dt.date | None


class CareOut(Schema):
    secondment_id: int
    officer_id: int
    officer: str
    status: str
    desk_officer: str | None
    last_contact_on: dt.date | None
    restricted_shown: bool
    contacts: list[ContactOut]
    escalations: list[EscalationOut]
    leave: list[LeaveOut]
    incidents: list[IncidentOut]
    appraisals: list[MissionAppraisalOut]  # need-to-know only (else empty)
    misconduct_cases: list[CaseOut]  # need-to-know only (else empty)


class ContactIn(Schema):
    contact_on: IsoDate
    channel: Text(10)
    wellbeing: Text(10)
    notes: Text(4000) = ""


class LeaveIn(Schema):
    start_date: IsoDate
    end_date: IsoDate


class IncidentIn(Schema):
    occurred_on: IsoDate
    kind: Text(10)
    severity: Text(10)
    hurt: bool = False
    description: Text(4000) = ""


class MisconductIn(Schema):
    category: Text(20)
    reported_on: IsoDate
    allegation: Text(4000)


class DecisionIn(Schema):
    status: Text(20)
    decided_on: IsoDate
    outcome: Text(4000)
    repatriated_on: IsoDate | None = None


def _gate(user):
    if not access.can_use_care(user) and not care_secondments(user).exists():
        raise PermissionDenied("Duty of care is for coordinators, HR managers and the secondee.")


@router.get("/board", response={200: BoardOut, **error_responses(400, 401, 403)})
def board(request, filters: Query[BoardFilters]):
    """The duty-of-care board of the pools you work with: contact overdue, the overdue items higher
    apps register, secondments ending soon (coordinators and HR managers)."""
    user = request.user
    if not access.can_use_care(user):
        raise PermissionDenied("The duty-of-care board is for coordinators and HR managers.")
    pools = access.care_pools(user)
    form = BoardFilterForm(data={"pool": filters.pool} if filters.pool else {},
                           pools=Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(pk__in=pools))
    if not form.is_valid():
        raise form_errors(form)
    pool = form.cleaned_data.get("pool")
    today = timezone.localdate()
    secondments = board_secondments(user, pool_id=pool.pk if pool else None)
    labels = {"contact": "Contact overdue", "ending": "Ending soon"}
    values = {"contact": "counted_from", "ending": "end_date", "source": "overdue_items"}
    sections = [{"key": section.key, "label": labels.get(section.kind, str(section.label)), "count": section.count,
                 "rows": [{"secondment_id": s.pk, "officer_id": s.officer_id, "officer": s.officer_name,
                           "pool_id": s.pool_id, "mission": s.mission, "desk_officer": s.desk_officer,
                           values[section.kind]: s.value} for s in section.rows]}
                for section in board_sections(secondments, today, ROWS)]
    shown = {r["secondment_id"]: r["officer_id"] for section in sections for r in section["rows"]}
    if shown:
        record_list(actor=user, object_type="secondments.secondment", ids=sorted(shown),
                    fields=["officer", "pool", "mission", "desk_officer", "last_contact", "end_date"],
                    filters={"pool": pool.pk if pool else None}, detail={"officer_ids": sorted(set(shown.values()))})
    return {"today": today, "sections": sections}


def _secondment(user, secondment_id):
    return get_object_or_404(care_secondments(user).select_related("officer", "officer__pool", "position__mission"),
                             pk=secondment_id)


def care_out(user, s) -> dict:
    notes = access.can_read_care_notes(user, s)
    file = CareFile.objects.filter(secondment=s).select_related("desk_officer").first()
    leaves = LeavePeriod.objects.filter(secondment=s).select_related("debriefing")
    return {
        "secondment_id": s.pk, "officer_id": s.officer_id, "officer": s.officer.full_name, "status": s.status,
        "desk_officer": file.desk_officer.get_username() if file and file.desk_officer else None,
        "last_contact_on": file.last_contact_on if file else None, "restricted_shown": notes,
        "contacts": [{"id": c.pk, "contact_on": c.contact_on, "channel": c.channel, "wellbeing": c.wellbeing,
                      "notes": c.notes if notes else None} for c in Contact.objects.filter(secondment=s)],
        "escalations": [{"step": e.step, "last_contact_on": e.last_contact_on, "due_at": e.due_at,
                         "recorded_at": e.recorded_at, "notified": e.notified.get_username() if e.notified else None}
                        for e in Escalation.objects.filter(secondment=s).select_related("notified")],
        "leave": [{"id": leave.pk, "start_date": leave.start_date, "end_date": leave.end_date,
                   "debriefing_held_on": getattr(getattr(leave, "debriefing", None), "held_on", None),
                   "debriefing": getattr(getattr(leave, "debriefing", None), "content", None) if notes else None}
                  for leave in leaves],
        "incidents": [{"id": i.pk, "occurred_on": i.occurred_on, "kind": i.kind, "severity": i.severity,
                       "hurt": i.hurt, "description": i.description}
                      for i in SecurityIncident.objects.filter(secondment=s)],
        "appraisals": [{"id": a.pk, "kind": a.kind, "dated_on": a.dated_on, "rating": a.rating,
                        "reported_by": a.reported_by, "summary": a.summary}
                       for a in Appraisal.objects.filter(secondment=s)] if notes else [],
        "misconduct_cases": [{"id": c.pk, "category": c.category, "reported_on": c.reported_on,
                              "allegation": c.allegation, "status": c.status, "decided_on": c.decided_on,
                              "outcome": c.outcome, "repatriated_on": c.repatriated_on}
                             for c in MisconductCase.objects.filter(secondment=s)] if notes else [],
    }


def _read(user, s) -> dict:
    out = care_out(user, s)
    fields = ["desk_officer", "contacts", "escalations", "leave_periods", "security_incidents"]
    if out["restricted_shown"]:
        fields += ["contact_notes", "leave_debriefings", "appraisals", "misconduct_cases"]
    record(actor=user, action="read", obj=s, fields=fields, detail={"officer_id": s.officer_id, "api": "care"})
    return out


@router.get("/secondments/{secondment_id}", response={200: CareOut, **error_responses(400, 401, 403, 404)})
def get_care(request, secondment_id: IdPath):
    """A secondment's care record; restricted texts (notes, debriefings, performance, misconduct)
    only for need-to-know."""
    _gate(request.user)
    return _read(request.user, _secondment(request.user, secondment_id))


def _write(request, secondment_id, allowed, form_class, payload, action):
    _gate(request.user)
    s = _secondment(request.user, secondment_id)
    if not allowed(request.user, s):
        raise PermissionDenied("You may not change this secondment's care records.")
    form = form_class(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    action(s, form.cleaned_data)
    return Status(201, care_out(request.user, s))


@router.post("/secondments/{secondment_id}/contacts", response={201: CareOut, **error_responses(400, 401, 403, 404)})
def log_contact(request, secondment_id: IdPath, payload: ContactIn):
    """Log a contact with a deployed secondee (need-to-know of the officer's pool: the desk officer)."""
    return _write(request, secondment_id, access.can_keep_contacts, ContactForm, payload,
                  lambda s, d: services.log_contact(actor=request.user, secondment=s, **d))


@router.post("/secondments/{secondment_id}/leave", response={201: CareOut, **error_responses(400, 401, 403, 404)})
def record_leave(request, secondment_id: IdPath, payload: LeaveIn):
    """Record a leave period at home during the deployment."""
    return _write(request, secondment_id, access.can_manage_care, LeaveForm, payload,
                  lambda s, d: services.record_leave(actor=request.user, secondment=s, **d))


@router.post("/secondments/{secondment_id}/incidents",
             response={201: CareOut, **error_responses(400, 401, 403, 404)})
def record_incident(request, secondment_id: IdPath, payload: IncidentIn):
    """Record a security incident affecting the secondee (no medical details)."""
    return _write(request, secondment_id, access.can_manage_care, IncidentForm, payload,
                  lambda s, d: services.record_incident(actor=request.user, secondment=s, **d))


@router.post("/secondments/{secondment_id}/misconduct",
             response={201: CareOut, **error_responses(400, 401, 403, 404)})
def report_misconduct(request, secondment_id: IdPath, payload: MisconductIn):
    """Open a misconduct case reported by the mission (need-to-know)."""
    return _write(request, secondment_id, access.can_record_performance, MisconductForm, payload,
                  lambda s, d: services.report_misconduct(actor=request.user, secondment=s, **d))


@router.post("/misconduct/{case_id}/decision", response={200: CareOut, **error_responses(400, 401, 403, 404)})
def decide_misconduct(request, case_id: IdPath, payload: DecisionIn):
    """Record a case's outcome (need-to-know): substantiated (the finding goes on the officer's
    record, which selection reads as eligible yes/no; repatriation cuts the secondment short) or not."""
    _gate(request.user)
    case = get_object_or_404(MisconductCase.objects.visible_to(request.user).select_related(
        "secondment__officer", "secondment__officer__pool", "secondment__position__mission"), pk=case_id)
    form = MisconductDecisionForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    services.decide_misconduct(actor=request.user, case=case, **form.cleaned_data)
    return care_out(request.user, case.secondment)
