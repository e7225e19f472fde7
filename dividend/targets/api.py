"""The targets API: the targets of a year with their actuals from the monthly snapshots, setting a
target, the snapshots and recomputing one on purpose. Input goes through the same forms and
workflows as the pages. Consolidated figures only: no officer is named."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from dividend.common.api import IdFilter, IdPath, Limit, Offset, Page, Text, error_responses, form_errors

from . import access, services
from .forms import RecomputeForm, SnapshotFilterForm, TargetForm
from .models import Bound, Kind, Measure, MonthlySnapshot, Target

router = Router(tags=["targets"])

Year = Annotated[int, Field(ge=0, le=9999, description="A year, 2000 to 2100.")]
Month = Annotated[str, Field(max_length=7, description="A month, YYYY-MM.")]


class PointOut(Schema):
    month: str
    actual: Decimal | None
    met: bool | None


class TargetOut(Schema):
    id: int
    year: int
    pool: int | None = Field(description="The pool's id; null: a national target.")
    pool_name: str | None
    kind: Kind
    measure: Measure
    bound: Bound
    value: Decimal
    note: str
    actual: Decimal | None = Field(description="From the year's latest snapshot; null: none yet (or a share of nothing).")
    month: str | None = Field(description="The month of that snapshot, YYYY-MM.")
    met: bool | None
    series: list[PointOut]


class TargetIn(Schema):
    year: Year
    pool: IdFilter | None = None
    kind: Kind
    measure: Measure
    bound: Bound
    value: Annotated[float, Field(ge=-1e9, le=1e9, description="A number of officers (whole) or a share in % "
                                                               "(0 to 100), two decimals.")]
    note: Text(300) = ""


class TargetFilters(Schema):
    year: Year | None = None


class SnapshotOut(Schema):
    id: int
    month: str
    pool: int | None
    pool_name: str | None
    headcount: int
    deployed: int
    women: int
    command: int
    women_command: int
    un: int
    eu: int
    osce: int
    french: int
    person_months: Decimal
    taken_at: dt.datetime
    recomputed_at: dt.datetime | None


class SnapshotPage(Page):
    items: list[SnapshotOut]


class SnapshotFilters(Schema):
    first_month: Month | None = None
    last_month: Month | None = None
    pool: IdFilter | None = None
    limit: Limit = 100
    offset: Offset = 0


class RecomputeIn(Schema):
    reason: Text(500)


class RecomputeOut(Schema):
    snapshot: SnapshotOut
    changed: list[str]


def _gate(user):
    if not access.can_read_figures(user):
        raise PermissionDenied("The targets and their figures are for the Ministry liaison, policy officers, "
                               "coordinators, auditors and administrators.")


def _target_out(status) -> dict:
    t = status.target
    return {"id": t.pk, "year": t.year, "pool": t.pool_id, "pool_name": t.pool.name if t.pool_id else None,
            "kind": t.kind, "measure": t.measure, "bound": t.bound, "value": t.value, "note": t.note,
            "actual": status.actual, "month": f"{status.month:%Y-%m}" if status.month else None, "met": status.met,
            "series": [{"month": f"{p.month:%Y-%m}", "actual": p.actual, "met": p.met} for p in status.series]}


def _snapshot_out(s) -> dict:
    return {"id": s.pk, "month": f"{s.month:%Y-%m}", "pool": s.pool_id, "pool_name": s.pool.name if s.pool_id else None,
            **s.figures(), "taken_at": s.taken_at, "recomputed_at": s.recomputed_at}


@router.get("/targets", response={200: list[TargetOut], **error_responses(400, 401, 403)})
def list_targets(request, filters: Query[TargetFilters]):
    """The targets of a year (default: this year) you may read, each with its actual and met, from the
    monthly snapshots (`series`: every month with a snapshot)."""
    _gate(request.user)
    year = filters.year or timezone.localdate().year
    targets = Target.objects.visible_to(request.user).filter(year=year).select_related("pool")
    return [_target_out(s) for s in services.statuses(targets)]


def _save(request, payload: TargetIn, target):
    data = payload.dict()
    data["value"] = f"{data['value']:.10g}"
    form = TargetForm(data={k: ("" if v is None else v) for k, v in data.items()}, user=request.user, target=target)
    if not form.is_valid():
        raise form_errors(form)
    target, _changed = services.save_target(actor=request.user, target=target, **form.cleaned_data)
    return services.statuses([Target.objects.select_related("pool").get(pk=target.pk)])[0]


@router.post("/targets", response={201: TargetOut, **error_responses(400, 401, 403)})
def create_target(request, payload: TargetIn):
    """A new target (policy officers and administrators; a national one: national ones)."""
    _gate(request.user)
    if not access.can_set_targets(request.user):
        raise PermissionDenied("Targets are set by policy officers and administrators.")
    return Status(201, _target_out(_save(request, payload, None)))


@router.put("/targets/{target_id}", response={200: TargetOut, **error_responses(400, 401, 403, 404)})
def update_target(request, target_id: IdPath, payload: TargetIn):
    """Change a target: only what differs is written and audited."""
    _gate(request.user)
    target = get_object_or_404(Target.objects.visible_to(request.user).select_related("pool"), pk=target_id)
    if not access.can_set_target(request.user, target.pool):
        raise PermissionDenied("Targets are set by policy officers and administrators of the pool.")
    return _target_out(_save(request, payload, target))


@router.get("/snapshots", response={200: SnapshotPage, **error_responses(400, 401, 403)})
def list_snapshots(request, filters: Query[SnapshotFilters]):
    """Monthly snapshots you may read, newest first, for a range of months and a pool."""
    _gate(request.user)
    form = SnapshotFilterForm({"first_month": filters.first_month or "", "last_month": filters.last_month or "",
                               "pool": filters.pool or ""}, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    snapshots = MonthlySnapshot.objects.visible_to(request.user).select_related("pool")
    if data["first_month"]:
        snapshots = snapshots.filter(month__gte=data["first_month"])
    if data["last_month"]:
        snapshots = snapshots.filter(month__lte=data["last_month"])
    if data["pool"]:
        snapshots = snapshots.filter(pool=data["pool"])
    count = snapshots.count()
    items = list(snapshots[filters.offset:filters.offset + filters.limit])
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [_snapshot_out(s) for s in items]}


@router.post("/snapshots/{snapshot_id}/recompute", response={200: RecomputeOut, **error_responses(400, 401, 403, 404)})
def recompute(request, snapshot_id: IdPath, payload: RecomputeIn):
    """Recompute a snapshot from the records as they are now, with a reason (audited with the old and
    new figures); `changed` lists the figures that moved (none: nothing written)."""
    _gate(request.user)
    snapshot = get_object_or_404(MonthlySnapshot.objects.visible_to(request.user).select_related("pool"),
                                 pk=snapshot_id)
    if not access.can_recompute_snapshot(request.user, snapshot):
        raise PermissionDenied("A snapshot is recomputed by whoever sets its pool's targets.")
    form = RecomputeForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    snapshot, changed = services.recompute_snapshot(actor=request.user, snapshot=snapshot, **form.cleaned_data)
    return {"snapshot": _snapshot_out(snapshot), "changed": changed}
