"""The alerts API: rapid deployment alerts (send, read), a recipient's answer, deploying and standing
down. Input goes through the same forms as the web pages and the same workflows (services.py)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
    form_errors,
    paginate,
)

from . import access, services
from .forms import AlertForm, DeployForm, ReplyForm, StandDownForm
from .models import Alert, Recipient, figures
from .services import MAX_RECIPIENTS

router = Router(tags=["alerts"])


class RecipientOut(Schema):
    officer_id: int
    officer: str
    answer: str
    answered_at: dt.datetime | None
    note: str
    outcome: str
    secondment_id: int | None


class FiguresOut(Schema):
    recipients: int
    replied: int
    available: int
    not_available: int
    no_answer: int
    response_rate: Annotated[float, Field(description="Share of recipients who replied, in per cent.")]
    median_reply_seconds: Annotated[float | None, Field(description="Median time from sending to a reply.")]


class AlertOut(Schema):
    id: int
    title: str
    message: str
    position_id: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
    status_reason: str
    sent_at: dt.datetime
    figures: FiguresOut
    recipients: list[RecipientOut]


class AlertSummary(Schema):
    id: int
    title: str
    status: str
    sent_at: dt.datetime
    start_date: dt.date


class AlertPage(Page):
    items: list[AlertSummary]


class AlertFilters(Schema):
    status: Alert.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


class AlertIn(Schema):
    title: Text(200)
    message: Text(4000)
    position: IdFilter | None = None
    start_date: IsoDate
    end_date: IsoDate | None = None
    officers: Annotated[list[IdFilter], Field(max_length=MAX_RECIPIENTS, description="The officers to alert.")]


class ReplyIn(Schema):
    answer: Annotated[Text(14), Field(description="available or not_available")]
    note: Text(300) = ""


class DeployIn(Schema):
    officers: Annotated[list[IdFilter], Field(max_length=MAX_RECIPIENTS,
                                              description="Recipients who answered available, to deploy.")]
    reason: Text(2000) = ""


class StandDownIn(Schema):
    reason: Text(2000)


def alert_out(user, alert: Alert) -> dict:
    recipients = list(Recipient.objects.visible_to(user).filter(alert=alert).select_related("officer").order_by("id"))
    stats = figures(alert.sent_at, [(r.answer, r.answered_at) for r in recipients])
    return {"id": alert.pk, "title": alert.title, "message": alert.message, "position_id": alert.position_id,
            "start_date": alert.start_date, "end_date": alert.end_date, "status": alert.status,
            "status_reason": alert.status_reason, "sent_at": alert.sent_at,
            "figures": {"recipients": stats.recipients, "replied": stats.replied, "available": stats.available,
                        "not_available": stats.not_available, "no_answer": stats.no_answer,
                        "response_rate": stats.response_rate,
                        "median_reply_seconds": None if stats.median_reply is None
                        else stats.median_reply.total_seconds()},
            "recipients": [{"officer_id": r.officer_id, "officer": r.officer.full_name, "answer": r.answer, "answered_at": r.answered_at,
                            "note": r.note, "outcome": r.outcome, "secondment_id": r.secondment_id}
                           for r in recipients]}


def _read(user, alert):
    data = alert_out(user, alert)
    services.record_read(actor=user, alert=alert, officer_ids=[r["officer_id"] for r in data["recipients"]],
                         fields=[k for k in RecipientOut.model_fields])
    return data


def _gate(user):
    if not access.can_use_alerts(user):
        raise PermissionDenied("Rapid deployment alerts are for coordinators and the officers they alert.")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@router.get("", response={200: AlertPage, **error_responses(400, 401, 403)})
def list_alerts(request, filters: Query[AlertFilters]):
    """Alerts you may see (coordinators: those reaching their pools; a secondee: those sent to them), newest first."""
    _gate(request.user)
    alerts = Alert.objects.visible_to(request.user)
    if filters.status is not None:
        alerts = alerts.filter(status=filters.status)
    count, items = paginate(alerts, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="alerts.alert", ids=[a.pk for a in items],
                    filters=filters.dict(), fields=["title", "status", "sent_at", "start_date"],
                    detail={"total": count})
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [{"id": a.pk, "title": a.title, "status": a.status, "sent_at": a.sent_at,
                       "start_date": a.start_date} for a in items]}


@router.post("", response={201: AlertOut, **error_responses(400, 401, 403)})
def create_alert(request, payload: AlertIn):
    """Send a rapid deployment alert to officers of your pools (coordinators); each recipient with an
    e-mail address gets it at once."""
    if not access.can_send_alerts(request.user):
        raise PermissionDenied("Only coordinators send rapid deployment alerts.")
    form = AlertForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    alert = services.create_alert(actor=request.user, base_url=_base_url(request), **form.cleaned_data)
    return Status(201, _read(request.user, alert))


@router.get("/{alert_id}", response={200: AlertOut, **error_responses(400, 401, 403, 404)})
def get_alert(request, alert_id: IdPath):
    """An alert with its figures and the answers of the recipients you may see (a secondee: their own)."""
    _gate(request.user)
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=alert_id)
    return _read(request.user, alert)


@router.post("/{alert_id}/reply", response={200: RecipientOut, **error_responses(400, 401, 403, 404)})
def reply(request, alert_id: IdPath, payload: ReplyIn):
    """Answer an alert sent to you: available or not available, once, while it is open."""
    _gate(request.user)
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=alert_id)
    recipient = Recipient.objects.filter(alert=alert, officer__user=request.user).select_related("officer").first()
    if recipient is None:
        raise PermissionDenied("Only the officer the alert was sent to answers it.")
    form = ReplyForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    r = services.reply(actor=request.user, recipient=recipient, **form.cleaned_data)
    record(actor=request.user, action="read", obj=r, fields=list(RecipientOut.model_fields),
           detail={"officer_id": r.officer_id, "alert_id": r.alert_id})
    return {"officer_id": r.officer_id, "officer": r.officer.full_name, "answer": r.answer, "answered_at": r.answered_at, "note": r.note,
            "outcome": r.outcome, "secondment_id": r.secondment_id}


def _managed(request, alert_id):
    _gate(request.user)
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=alert_id)
    if not access.can_manage_alert(request.user, alert.pool_ids()):
        raise PermissionDenied("Only a coordinator of every pool the alert reaches deploys or stands it down.")
    return alert


@router.post("/{alert_id}/deploy", response={200: AlertOut, **error_responses(400, 401, 403, 404)})
def deploy(request, alert_id: IdPath, payload: DeployIn):
    """Deploy recipients who answered available: the alert is filled (closed), everyone else is told
    to stand down; an alert naming a mission position gives each deployed officer their secondment."""
    alert = _managed(request, alert_id)
    form = DeployForm(data=payload.dict(), alert=alert)
    if not form.is_valid():
        raise form_errors(form)
    alert = services.deploy(actor=request.user, alert=alert, base_url=_base_url(request), **form.cleaned_data)
    return _read(request.user, alert)


@router.post("/{alert_id}/stand-down", response={200: AlertOut, **error_responses(400, 401, 403, 404)})
def stand_down(request, alert_id: IdPath, payload: StandDownIn):
    """Stand the alert down with a reason: nobody is deployed, every recipient is told."""
    alert = _managed(request, alert_id)
    form = StandDownForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    alert = services.stand_down(actor=request.user, alert=alert, base_url=_base_url(request), **form.cleaned_data)
    return _read(request.user, alert)
