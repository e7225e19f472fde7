"""Pages of the targets app: the targets of a year with their actuals over time (an accessible table,
CSV/XLSX), the target forms, the monthly snapshots and recomputing one on purpose."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record
from dividend.common.exports import render_csv, render_xlsx

from . import access, exports, services
from .forms import RecomputeForm, SnapshotFilterForm, TargetForm, _to_form_errors
from .models import FIGURE_LABELS, FIGURES, FIRST_YEAR, LAST_YEAR, MonthlySnapshot, Target, format_value


def _gate(user):
    if not access.can_read_figures(user):
        raise PermissionDenied(_("The targets and their figures are for the Ministry liaison, policy officers, "
                                 "coordinators, auditors and administrators."))


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise Http404(_("A year is from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return int(raw)


def _statuses(user, year):
    return services.statuses(Target.objects.visible_to(user).filter(year=year).select_related("pool"))


@login_required
def year_page(request):
    user = request.user
    _gate(user)
    year = _year(request)
    statuses = _statuses(user, year)
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    rows = []
    for status in statuses:
        by_month = {p.month: p for p in status.series}
        rows.append({"status": status, "target": status.target,
                     "value": format_value(status.target.value, status.target.measure),
                     "actual": format_value(status.actual, status.target.measure) if status.latest else None,
                     "cells": [(m, by_month.get(m), format_value(by_month[m].actual, status.target.measure)
                                if m in by_month else None) for m in months],
                     "may_edit": access.can_set_target(user, status.target.pool)})
    years = sorted(set(Target.objects.visible_to(user).values_list("year", flat=True).order_by().distinct()) | {year})
    return render(request, "targets/year.html", {
        "year": year, "rows": rows, "months": months, "years": years,
        "may_add": access.can_set_targets(user)})


@login_required
def year_export(request, fmt):
    user = request.user
    _gate(user)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as CSV or XLSX."))
    year = _year(request)
    statuses = _statuses(user, year)
    record(actor=user, action="export", object_type="targets.target", object_repr=f"Targets {year} ({fmt})",
           fields=["target", "month", "actual", "met"], detail={"year": year, "targets": len(statuses)})
    table = exports.status_table(year, statuses)
    name = f"targets-{year}"
    return render_csv(table, name) if fmt == "csv" else render_xlsx(table, name)


@login_required
def target_new(request):
    return _target_form(request, None)


@login_required
def target_edit(request, pk):
    _gate(request.user)
    target = get_object_or_404(Target.objects.visible_to(request.user).select_related("pool"), pk=pk)
    return _target_form(request, target)


def _target_form(request, target):
    user = request.user
    if not (access.can_set_target(user, target.pool) if target else access.can_set_targets(user)):
        raise PermissionDenied(_("Targets are set by policy officers and administrators."))
    form = TargetForm(request.POST or None, user=user, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            target, changed = services.save_target(actor=user, target=target, **form.cleaned_data)
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Target saved.") if changed else _("Nothing changed."))
            return redirect(f"{reverse('targets:year')}?year={target.year}")
    return render(request, "targets/form.html", {
        "form": form, "title": _("Change the target") if target else _("New target"), "target": target},
        status=400 if form.errors else 200)


@login_required
def snapshot_list(request):
    user = request.user
    _gate(user)
    form = SnapshotFilterForm(request.GET or None, user=user)
    snapshots = MonthlySnapshot.objects.visible_to(user).select_related("pool")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["first_month"]:
            snapshots = snapshots.filter(month__gte=data["first_month"])
        if data["last_month"]:
            snapshots = snapshots.filter(month__lte=data["last_month"])
        if data["pool"]:
            snapshots = snapshots.filter(pool=data["pool"])
    elif form.is_bound:
        snapshots = snapshots.none()
    if request.GET.get("format") == "csv":
        record(actor=user, action="export", object_type="targets.monthlysnapshot", object_repr="Snapshots (csv)",
               fields=FIGURES, detail={"filters": {k: v for k, v in request.GET.items() if v}})
        return render_csv(exports.snapshot_table(snapshots.iterator()), "snapshots")
    page = Paginator(snapshots, 100).get_page(request.GET.get("page"))
    items = list(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "targets/snapshots.html", {
        "form": form, "page": page, "figures": [(name, FIGURE_LABELS[name]) for name in FIGURES],
        "rows": [{"snapshot": s, "values": [getattr(s, name) for name in FIGURES],
                  "may_recompute": access.can_recompute_snapshot(user, s)} for s in items],
        "querystring": params.urlencode(), "recompute_form": RecomputeForm()},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def snapshot_recompute(request, pk):
    user = request.user
    _gate(user)
    snapshot = get_object_or_404(MonthlySnapshot.objects.visible_to(user).select_related("pool"), pk=pk)
    if not access.can_recompute_snapshot(user, snapshot):
        raise PermissionDenied(_("A snapshot is recomputed by whoever sets its pool's targets."))
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not recomputed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            snapshot, changed = services.recompute_snapshot(actor=user, snapshot=snapshot, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not recomputed: ") + "; ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("Recomputed %(snapshot)s: %(figures)s changed.") % {
                    "snapshot": snapshot, "figures": ", ".join(str(FIGURE_LABELS[n]) for n in changed)})
            else:
                messages.info(request, _("Nothing changed: the snapshot matches the records."))
    return redirect(f"{reverse('targets:snapshots')}?first_month={snapshot.month:%Y-%m}&"
                    f"last_month={snapshot.month:%Y-%m}")
