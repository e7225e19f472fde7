"""Pages of mission performance: the missions the country contributes to, one mission's performance
(indicators with their latest values and progress, the secondees' contributions, the border
baseline and progress), the indicator's edit page and its values, contributions, the border
assessments, and the export of the values."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.common.exports import render_csv, render_xlsx
from dividend.reports.models import FieldReport

from . import access, services
from .charts import progress_chart
from .exports import values_table
from .forms import AssessmentForm, ContributionForm, IndicatorForm, StatusForm, ValueForm, to_form_errors
from .models import (
    AREA_GUIDANCE,
    BORDER_MANAGEMENT,
    RATING_SCALE,
    Area,
    AreaRating,
    Assessment,
    Contribution,
    Indicator,
    IndicatorValue,
    ResultLevel,
    contributed_missions,
    is_border_management,
)

CONTRIBUTION_FIELDS = ["officer", "secondment", "description", "reports"]


def _gate(user):
    if not access.can_read_performance(user):
        raise PermissionDenied(_("Mission performance is for policy officers, analysts, coordinators, administrators "
                                 "and the Ministry liaison."))


def _mission(user, pk):
    _gate(user)
    return get_object_or_404(contributed_missions(), pk=pk)


def _indicator(user, pk):
    _gate(user)
    return get_object_or_404(Indicator.objects.visible_to(user).select_related("mission"), pk=pk)


def _record_gate(user):
    if not access.can_record_performance(user):
        raise PermissionDenied(_("Indicators, values and assessments are recorded by policy officers, analysts and "
                                 "administrators."))


@login_required
def mission_list(request):
    """The missions the country contributes to, each with its indicators, values and assessments counted."""
    user = request.user
    _gate(user)
    missions = contributed_missions().annotate(
        indicator_count=Count("performance_indicators", filter=Q(performance_indicators__status="active"),
                              distinct=True),
        value_count=Count("performance_indicators__values", distinct=True),
        contribution_count=Count("performance_indicators__contributions", distinct=True),
        assessment_count=Count("border_assessments", distinct=True),
        border=Exists(Mission_themes().filter(mission_id=OuterRef("pk"), thematicarea__code=BORDER_MANAGEMENT)),
    ).order_by("acronym")
    return render(request, "performance/list.html", {"missions": missions,
                                                     "may_record": access.can_record_performance(user)})


def Mission_themes():  # noqa: N802 - the mission–theme link table, read by the list's border column
    from dividend.missions.models import Mission

    return Mission.thematic_areas.through.objects.all()


def _contributions(user, mission):
    """(count per indicator over every contribution, the contributions the user may see with their officers)."""
    counts = dict(Contribution.objects.filter(indicator__mission=mission).values("indicator_id")
                  .annotate(n=Count("id")).values_list("indicator_id", "n"))
    visible = list(Contribution.objects.visible_to(user).filter(indicator__mission=mission).select_related(
        "secondment__officer", "secondment__position").prefetch_related(
        Prefetch("reports", queryset=FieldReport.objects.only("id", "title", "period_start", "period_end"))))
    return counts, visible


@login_required
def mission_detail(request, pk):
    user = request.user
    mission = _mission(user, pk)
    indicators = list(Indicator.objects.filter(mission=mission).prefetch_related("values").order_by("status", "level",
                                                                                                    "id"))
    counts, visible = _contributions(user, mission)
    readable_reports = set(FieldReport.objects.visible_to(user).filter(
        pk__in=[r.pk for c in visible for r in c.reports.all()]).values_list("pk", flat=True)) if visible else set()
    by_indicator: dict[int, list] = {}
    for c in visible:
        by_indicator.setdefault(c.indicator_id, []).append(c)
    rows = [{"progress": services.indicator_progress(i, i.values.all()), "contributions": counts.get(i.pk, 0),
             "named": by_indicator.get(i.pk, [])} for i in indicators]
    if visible:
        record_list(actor=user, object_type="performance.contribution", ids=[c.pk for c in visible],
                    fields=CONTRIBUTION_FIELDS, detail={"mission_id": mission.pk,
                                                        "officer_ids": sorted({c.secondment.officer_id for c in visible})})
    border_management = is_border_management(mission)
    border = services.border_progress(mission) if border_management else None
    return render(request, "performance/mission.html", {
        "mission": mission, "rows": rows, "border": border, "levels": ResultLevel,
        "readable_reports": readable_reports,
        "may_record": access.can_record_performance(user),
        "may_contribute": access.can_add_contributions(user),
        "summary": services.mission_performance_summary(mission, indicators=indicators, border=border,
                                                        border_management=border_management, contributes=True)})


@login_required
def indicator_new(request, pk):
    user = request.user
    mission = _mission(user, pk)
    _record_gate(user)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(actor=user, mission=mission, **form.cleaned_data)
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("performance:mission", pk=mission.pk)
    return render(request, "performance/form.html", {"form": form, "mission": mission, "form_id": "indicator-form",
                                                     "title": _("New indicator")},
                  status=400 if form.errors else 200)


@login_required
def indicator_edit(request, pk):
    user = request.user
    indicator = _indicator(user, pk)
    if not access.can_edit_indicator(user, indicator):
        _record_gate(user)
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            _indicator_obj, changed = services.save_indicator(actor=user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Indicator saved.") if changed else _("Nothing changed."))
            return redirect("performance:mission", pk=indicator.mission_id)
    return render(request, "performance/form.html", {"form": form, "mission": indicator.mission,
                                                     "form_id": "indicator-form", "title": _("Edit the indicator"),
                                                     "indicator": indicator},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def indicator_status(request, pk):
    user = request.user
    indicator = _indicator(user, pk)
    _record_gate(user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.set_indicator_status(actor=user, indicator=indicator, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, _("Not changed: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect("performance:mission", pk=indicator.mission_id)


@login_required
def indicator_values(request, pk):
    """The indicator's values, oldest period first, and the form to enter the next one."""
    user = request.user
    indicator = _indicator(user, pk)
    may_enter = access.can_enter_value(user, indicator)
    if request.method == "POST" and not may_enter:
        _record_gate(user)
    form = ValueForm(request.POST or None, indicator=indicator) if may_enter else None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_value(actor=user, indicator=indicator, **{k: form.cleaned_data[k] for k in (
                "period_start", "period_end", "value", "source")})
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Value entered."))
            return redirect("performance:values", pk=indicator.pk)
    values = list(IndicatorValue.objects.filter(indicator=indicator).order_by("period_start", "id"))
    return render(request, "performance/values.html", {
        "indicator": indicator, "values": values, "form": form,
        "retired": indicator.status != Indicator.Status.ACTIVE,
        "progress": services.indicator_progress(indicator, values)},
        status=400 if form is not None and form.errors else 200)


@login_required
def value_edit(request, pk):
    user = request.user
    _gate(user)
    existing = get_object_or_404(IndicatorValue.objects.visible_to(user).select_related("indicator__mission"), pk=pk)
    indicator = existing.indicator
    if not access.can_enter_value(user, indicator):
        _record_gate(user)
    form = ValueForm(request.POST or None, indicator=indicator, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            _value, changed = services.save_value(actor=user, indicator=indicator, existing=existing,
                                                  **{k: form.cleaned_data[k] for k in (
                                                      "period_start", "period_end", "value", "source")})
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Value corrected.") if changed else _("Nothing changed."))
            return redirect("performance:values", pk=indicator.pk)
    return render(request, "performance/form.html", {"form": form, "mission": indicator.mission,
                                                     "indicator": indicator, "form_id": "value-form",
                                                     "title": _("Correct a value")},
                  status=400 if form.errors else 200)


@login_required
def contribution_new(request, pk):
    user = request.user
    indicator = _indicator(user, pk)
    if not access.can_add_contributions(user):
        raise PermissionDenied(_("Contributions are added by the coordinators of the officer's pool."))
    form = ContributionForm(request.POST or None, indicator=indicator, secondments=services.contributor_secondments(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contribution(actor=user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Contribution recorded."))
            return redirect("performance:mission", pk=indicator.mission_id)
    return render(request, "performance/form.html", {"form": form, "mission": indicator.mission,
                                                     "indicator": indicator, "form_id": "contribution-form",
                                                     "title": _("A secondee's contribution")},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def contribution_remove(request, pk):
    user = request.user
    _gate(user)
    contribution = get_object_or_404(Contribution.objects.visible_to(user).select_related(
        "secondment__officer", "indicator"), pk=pk)
    if not access.can_remove_contribution(user, contribution):
        raise PermissionDenied(_("Contributions are removed by the coordinators of the officer's pool."))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Not removed: confirm the removal."))
    else:
        services.remove_contribution(actor=user, contribution=contribution)
        messages.success(request, _("Contribution removed."))
    return redirect("performance:mission", pk=contribution.indicator.mission_id)


def _border_mission(user, pk):
    mission = _mission(user, pk)
    if not is_border_management(mission):
        raise Http404(_("Not a border-management mission."))
    return mission


@login_required
def border(request, pk):
    """The needs-assessment baseline, the later assessments and the progress per area (table and chart)."""
    user = request.user
    mission = _border_mission(user, pk)
    progress = services.border_progress(mission)
    ratings = {}
    for r in AreaRating.objects.filter(assessment__mission=mission):
        ratings.setdefault(r.assessment_id, {})[r.area] = r
    grid = [{"area": area, "guidance": AREA_GUIDANCE[area],
             "cells": [ratings.get(a.pk, {}).get(area.value) for a in progress.assessments]} for area in Area]
    chart = progress_chart(progress.areas, title=_("Progress against the baseline"),
                           baseline_label=_("baseline"), latest_label=_("latest assessment")) \
        if progress.baseline is not None else ""
    return render(request, "performance/border.html", {
        "mission": mission, "progress": progress, "grid": grid, "chart": chart, "scale": RATING_SCALE,
        "may_record": access.can_record_assessment(user, mission)})


@login_required
def assessment_new(request, pk):
    user = request.user
    mission = _border_mission(user, pk)
    if not access.can_record_assessment(user, mission):
        _record_gate(user)
    has_baseline = Assessment.objects.filter(mission=mission, kind=Assessment.Kind.BASELINE).exists()
    form = AssessmentForm(request.POST or None, initial={
        "kind": Assessment.Kind.FOLLOW_UP if has_baseline else Assessment.Kind.BASELINE})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(actor=user, mission=mission, **form.values())
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("performance:border", pk=mission.pk)
    return render(request, "performance/assessment_form.html", {
        "form": form, "mission": mission, "title": _("New assessment"), "scale": RATING_SCALE},
        status=400 if form.errors else 200)


@login_required
def assessment_edit(request, pk):
    user = request.user
    _gate(user)
    assessment = get_object_or_404(Assessment.objects.visible_to(user).select_related("mission"), pk=pk)
    mission = assessment.mission
    if not access.can_record_assessment(user, mission):
        _record_gate(user)
    form = AssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            _a, changed = services.save_assessment(actor=user, assessment=assessment, **form.values())
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Assessment saved.") if changed else _("Nothing changed."))
            return redirect("performance:border", pk=mission.pk)
    return render(request, "performance/assessment_form.html", {
        "form": form, "mission": mission, "title": _("Edit the assessment"), "scale": RATING_SCALE},
        status=400 if form.errors else 200)


@login_required
def values_export(request, pk, fmt):
    """Every value of the mission's indicators, with its source (no personal data)."""
    user = request.user
    mission = _mission(user, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as CSV or XLSX."))
    table = values_table(mission)
    record(actor=user, action="export", object_type="performance.indicatorvalue",
           object_repr=f"{mission.acronym} indicator values ({fmt})",
           fields=["indicator", "period", "value", "source"], detail={"mission_id": mission.pk, "rows": len(table.rows)})
    name = f"{mission.acronym.lower()}-indicator-values"
    return render_csv(table, name) if fmt == "csv" else render_xlsx(table, name)
