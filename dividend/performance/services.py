"""Workflows and figures of mission performance (issue 14 §7): indicators and their status, periodic
values with their sources, the secondees' contributions, the border-management assessments; the
progress figures the pages, the export, the API and the accountability app read
(`mission_performance_summary`).

Each workflow is a keyword-only function, `actor` first, audited; edits compare before they write
and return the changed fields (empty: nothing changed, nothing written, nothing logged). A figure
whose data does not exist is None, never filled in.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.pools.access import EVERY_POOL, is_superuser, pools_where
from dividend.pools.models import Role
from dividend.reports.models import FieldReport
from dividend.secondments.models import Secondment

from . import access
from .models import (
    AREA_GUIDANCE,
    RATING_MAX,
    RATING_MIN,
    Area,
    AreaRating,
    Assessment,
    Contribution,
    Direction,
    Indicator,
    IndicatorValue,
    ResultLevel,
    contributed_missions,
    is_border_management,
)

__all__ = ["AREA_GUIDANCE", "add_contribution", "border_progress", "indicator_progress", "mission_performance_summary",
           "remove_contribution", "save_assessment", "save_indicator", "save_value", "set_indicator_status"]

TEXT_FIELDS = ("text", "unit")


def _clean(text) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _require_contributed(mission):
    if not contributed_missions().filter(pk=mission.pk).exists():
        raise ValidationError(_("%(mission)s has no secondment that took place: the country does not contribute "
                                "to it, so it has no performance record.") % {"mission": mission.acronym})


# --- Indicators ------------------------------------------------------------------------------

def validate_indicator(*, level, text, unit, baseline, baseline_date, target, target_date, direction) -> dict:
    """The indicator's fields checked; a ValidationError naming each field at fault."""
    errors: dict[str, list] = {}
    if level not in ResultLevel.values:
        errors.setdefault("level", []).append(_("Choose the result level: output, outcome or impact."))
    if direction not in Direction.values:
        errors.setdefault("direction", []).append(_("Say whether a higher or a lower value is better."))
    text, unit = _clean(text), _clean(unit)
    if not text:
        errors.setdefault("text", []).append(_("Say what the indicator measures."))
    if not unit:
        errors.setdefault("unit", []).append(_("Give the unit of its values."))
    if baseline is None:
        errors.setdefault("baseline", []).append(_("Give the baseline value."))
    if target is None:
        errors.setdefault("target", []).append(_("Give the target value."))
    if baseline_date is None:
        errors.setdefault("baseline_date", []).append(_("Give the date of the baseline."))
    if baseline is not None and target is not None and direction in Direction.values:
        if direction == Direction.INCREASE and not target > baseline:
            errors.setdefault("target", []).append(_(
                "Higher is better, so the target (%(target)s) must be above the baseline (%(baseline)s).") % {
                "target": target, "baseline": baseline})
        if direction == Direction.DECREASE and not target < baseline:
            errors.setdefault("target", []).append(_(
                "Lower is better, so the target (%(target)s) must be below the baseline (%(baseline)s).") % {
                "target": target, "baseline": baseline})
    if baseline_date and target_date and target_date <= baseline_date:
        errors.setdefault("target_date", []).append(_(
            "The target date (%(target)s) must come after the baseline date (%(baseline)s).") % {
            "target": target_date.isoformat(), "baseline": baseline_date.isoformat()})
    if errors:
        raise ValidationError(errors)
    return {"level": level, "text": text, "unit": unit, "baseline": Decimal(baseline).quantize(Decimal("0.01")),
            "baseline_date": baseline_date, "target": Decimal(target).quantize(Decimal("0.01")),
            "target_date": target_date, "direction": direction}


INDICATOR_FIELDS = ("level", "text", "unit", "baseline", "baseline_date", "target", "target_date", "direction")


def save_indicator(*, actor, mission=None, indicator: Indicator | None = None, **fields) -> tuple[Indicator, list[str]]:
    """Create an indicator of `mission`, or change `indicator`.

    Steps: 1. check the actor may record performance; 2. validate: the mission is one the country
    contributes to, a result level, text and unit, a baseline with its date, a target beyond the
    baseline in the better direction, a target date after the baseline's; 3. one transaction: compare
    with the stored indicator and write only a change; 4. audit the changed fields. Returns the
    indicator and the changed fields (empty: nothing changed).
    """
    if not (access.can_edit_indicator(actor, indicator) if indicator else access.can_record_performance(actor)):
        raise PermissionDenied(_("Indicators are recorded by policy officers, analysts and administrators."))
    mission = indicator.mission if indicator is not None else mission
    if mission is None:
        raise ValidationError({"mission": _("Choose the mission.")})
    clean = validate_indicator(**{name: fields.get(name) for name in INDICATOR_FIELDS})
    _require_contributed(mission)
    now = timezone.now()
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator.objects.create(mission=mission, created_by=actor, created_at=now, updated_at=now,
                                                 **clean)
            record(actor=actor, action="create", obj=indicator, fields=list(INDICATOR_FIELDS),
                   detail={"mission_id": mission.pk})
            return indicator, list(INDICATOR_FIELDS)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        changes = {name: (getattr(indicator, name), value) for name, value in clean.items()
                   if getattr(indicator, name) != value}
        if not changes:
            return indicator, []
        for name, (_old, new) in changes.items():
            setattr(indicator, name, new)
        indicator.updated_at = now
        indicator.save()
        record(actor=actor, action="update", obj=indicator,
               changes={k: (str(old), str(new)) for k, (old, new) in changes.items()},
               detail={"mission_id": mission.pk})
    return indicator, sorted(changes)


def set_indicator_status(*, actor, indicator: Indicator, status: str) -> Indicator:
    """Retire an indicator the mission's framework dropped, or take it up again.

    Steps: 1. check the actor may edit the indicator; 2. validate the move (active ↔ retired); 3. save;
    4. audit (status).
    """
    if not access.can_edit_indicator(actor, indicator):
        raise PermissionDenied(_("Indicators are recorded by policy officers, analysts and administrators."))
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if status not in Indicator.Status.values or not indicator.can_move_to(status):
            raise ValidationError({"status": _("An indicator that is %(now)s cannot become %(to)s.") % {
                "now": indicator.get_status_display().lower(), "to": status}})
        old = indicator.status
        indicator.status, indicator.updated_at = status, timezone.now()
        indicator.save(update_fields=["status", "updated_at"])
        record(actor=actor, action="status", obj=indicator, changes={"status": (old, status)},
               detail={"mission_id": indicator.mission_id})
    return indicator


# --- Values ------------------------------------------------------------------------------------

def validate_value(*, indicator: Indicator, period_start, period_end, value, source, existing=None) -> dict:
    """A value's fields checked: the period in order and not overlapping another value's, a number,
    a source. A ValidationError naming each field at fault."""
    errors: dict[str, list] = {}
    source = _clean(source)
    if period_start is None:
        errors.setdefault("period_start", []).append(_("Give the first day of the period."))
    if period_end is None:
        errors.setdefault("period_end", []).append(_("Give the last day of the period."))
    if period_start and period_end and period_end < period_start:
        errors.setdefault("period_end", []).append(_(
            "The period ends on %(end)s, before it starts on %(start)s: give the period in order.") % {
            "end": period_end.isoformat(), "start": period_start.isoformat()})
    if value is None:
        errors.setdefault("value", []).append(_("Give the value."))
    if not source:
        errors.setdefault("source", []).append(_(
            "Name the source of the value: the mission's CPAS report of the quarter, a document reference or a link."))
    if period_start and period_end and period_end >= period_start:
        others = indicator.values.filter(period_start__lte=period_end, period_end__gte=period_start)
        if existing is not None:
            others = others.exclude(pk=existing.pk)
        clash = others.order_by("period_start").first()
        if clash is not None:
            errors.setdefault("period_start", []).append(_(
                "The indicator has a value for %(start)s – %(end)s already: periods may not overlap.") % {
                "start": clash.period_start.isoformat(), "end": clash.period_end.isoformat()})
    if errors:
        raise ValidationError(errors)
    return {"period_start": period_start, "period_end": period_end,
            "value": Decimal(value).quantize(Decimal("0.01")), "source": source}


VALUE_FIELDS = ("period_start", "period_end", "value", "source")


def save_value(*, actor, indicator: Indicator, existing: IndicatorValue | None = None, **fields
               ) -> tuple[IndicatorValue, list[str]]:
    """Enter an indicator's value for a period, or correct one.

    Steps: 1. check the actor may enter values; 2. validate: the indicator is active (for a new
    value), the period in order and overlapping no other value's, a value, a source; 3. one
    transaction: lock the indicator, compare with the stored value and write only a change; 4. audit.
    Returns the value and the changed fields.
    """
    if not access.can_enter_value(actor, indicator):
        raise PermissionDenied(_("Values are entered by policy officers, analysts and administrators."))
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if existing is None and indicator.status != Indicator.Status.ACTIVE:
            raise ValidationError(_("The indicator is retired: it takes no new values."))
        clean = validate_value(indicator=indicator, existing=existing,
                               **{name: fields.get(name) for name in VALUE_FIELDS})
        if existing is None:
            value = IndicatorValue.objects.create(indicator=indicator, entered_by=actor, entered_at=timezone.now(),
                                                  **clean)
            record(actor=actor, action="create", obj=value, fields=list(VALUE_FIELDS),
                   detail={"indicator_id": indicator.pk, "mission_id": indicator.mission_id})
            return value, list(VALUE_FIELDS)
        value = IndicatorValue.objects.select_for_update().get(pk=existing.pk, indicator=indicator)
        changes = {name: (getattr(value, name), new) for name, new in clean.items() if getattr(value, name) != new}
        if not changes:
            return value, []
        for name, (_old, new) in changes.items():
            setattr(value, name, new)
        value.entered_by, value.entered_at = actor, timezone.now()
        value.save()
        record(actor=actor, action="update", obj=value,
               changes={k: (str(old), str(new)) for k, (old, new) in changes.items()},
               detail={"indicator_id": indicator.pk, "mission_id": indicator.mission_id})
    return value, sorted(changes)


# --- Contributions -----------------------------------------------------------------------------

def contribution_secondments(indicator: Indicator):
    """Secondments that may contribute to the indicator: those on its mission that took place."""
    return Secondment.objects.filter(position__mission_id=indicator.mission_id, status__in=Secondment.TOOK_PLACE)


def evidence_reports(secondment: Secondment):
    """Field reports that may evidence a contribution: the officer's own on the secondment's mission."""
    return FieldReport.objects.filter(officer_id=secondment.officer_id, mission_id=secondment.position.mission_id)


def contributor_secondments(user):
    """Secondments whose contributions the user may add: those of their pools' officers as a
    coordinator (national coordinators and superusers: all)."""
    if is_superuser(user):
        return Secondment.objects.all()
    pools = pools_where(user, Role.COORDINATOR)
    return Secondment.objects.all() if pools is EVERY_POOL else Secondment.objects.filter(officer__pool__in=pools)


def add_contribution(*, actor, indicator: Indicator, secondment: Secondment, description: str, reports=()
                     ) -> Contribution:
    """Link a secondee's secondment to an indicator, saying what it contributed.

    Steps: 1. check the actor coordinates the officer's pool (or nationally); 2. validate: the
    secondment took place on the indicator's mission, not linked to the indicator yet, a description,
    each evidence report the officer's own on that mission; 3. save; 4. audit (naming the officer).
    """
    if not access.can_add_contribution(actor, secondment):
        raise PermissionDenied(_("Contributions are added by the coordinators of the officer's pool."))
    description = _clean(description)
    errors: dict[str, list] = {}
    if not contribution_secondments(indicator).filter(pk=secondment.pk).exists():
        errors.setdefault("secondment", []).append(_(
            "This secondment did not take place on %(mission)s: it cannot contribute to its indicators.") % {
            "mission": indicator.mission.acronym})
    elif Contribution.objects.filter(indicator=indicator, secondment=secondment).exists():
        errors.setdefault("secondment", []).append(_("This secondment's contribution to the indicator is recorded "
                                                     "already."))
    if not description:
        errors.setdefault("description", []).append(_("Say what the secondee contributed."))
    reports = list(reports or [])
    allowed = set(evidence_reports(secondment).filter(pk__in=[r.pk for r in reports]).values_list("pk", flat=True))
    wrong = [r.pk for r in reports if r.pk not in allowed]
    if wrong:
        errors.setdefault("reports", []).append(_(
            "Not the officer's own reports on the mission: %(ids)s.") % {"ids": ", ".join(f"#{pk}" for pk in wrong)})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contribution = Contribution.objects.create(indicator=indicator, secondment=secondment, description=description,
                                                   added_by=actor, added_at=timezone.now())
        if reports:
            contribution.reports.set(reports)
        record(actor=actor, action="create", obj=contribution, fields=["description", "reports"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "indicator_id": indicator.pk, "reports": sorted(allowed)})
    return contribution


def remove_contribution(*, actor, contribution: Contribution) -> None:
    """Remove a contribution recorded by mistake.

    Steps: 1. check the actor coordinates the officer's pool; 2. delete; 3. audit (delete, naming the officer).
    """
    if not access.can_remove_contribution(actor, contribution):
        raise PermissionDenied(_("Contributions are removed by the coordinators of the officer's pool."))
    with transaction.atomic():
        record(actor=actor, action="delete", obj=contribution,
               detail={"officer_id": contribution.secondment.officer_id, "secondment_id": contribution.secondment_id,
                       "indicator_id": contribution.indicator_id})
        contribution.delete()


# --- Border-management assessments ---------------------------------------------------------------

def validate_ratings(ratings: dict, *, kind: str) -> dict:
    """{area: (rating, narrative, source)} checked: known areas, each rating on the scale with a
    narrative and a source; a baseline rates every area, a later assessment at least one."""
    errors: dict[str, list] = {}
    clean = {}
    for area, row in (ratings or {}).items():
        if area not in Area.values:
            errors.setdefault("__all__", []).append(_("Unknown area: %(area)s.") % {"area": area})
            continue
        rating, narrative, source = (tuple(row) + (None, None, None))[:3]
        label = Area(area).label
        if rating is None or isinstance(rating, bool) or not isinstance(rating, int) \
                or not RATING_MIN <= rating <= RATING_MAX:
            errors.setdefault(area, []).append(_("%(area)s: the rating is %(min)s to %(max)s on the scale, not "
                                                 "%(rating)s.") % {"area": label, "min": RATING_MIN, "max": RATING_MAX,
                                                                   "rating": rating})
        if not _clean(narrative):
            errors.setdefault(area, []).append(_("%(area)s: say what supports the rating.") % {"area": label})
        if not _clean(source):
            errors.setdefault(area, []).append(_("%(area)s: name the source of the rating.") % {"area": label})
        clean[area] = (rating, _clean(narrative), _clean(source))
    if kind == Assessment.Kind.BASELINE:
        missing = [Area(a).label for a in Area.values if a not in (ratings or {})]
        if missing:
            errors.setdefault("__all__", []).append(_("The baseline rates every area; missing: %(areas)s.") % {
                "areas": ", ".join(str(m) for m in missing)})
    elif not ratings:
        errors.setdefault("__all__", []).append(_("Rate at least one area."))
    if errors:
        raise ValidationError(errors)
    return clean


def save_assessment(*, actor, mission=None, assessment: Assessment | None = None, kind: str, assessed_on, note="",
                    ratings: dict) -> tuple[Assessment, list[str]]:
    """Record the needs-assessment baseline of a border-management mission, a later assessment, or
    correct one.

    Steps: 1. check the actor may record assessments; 2. validate: the mission is a border-management
    mission the country contributes to, one baseline per mission, a later assessment dated after the
    baseline (and the baseline before every later one), no second assessment on the same day, each
    area rated on the scale with a narrative and a source (the baseline: every area); 3. one
    transaction: compare with the stored assessment and write only a change; 4. audit the changed
    areas. Returns the assessment and the changed fields.
    """
    mission = assessment.mission if assessment is not None else mission
    if not access.can_record_assessment(actor, mission):
        raise PermissionDenied(_("Assessments are recorded by policy officers, analysts and administrators."))
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": _("Choose the baseline or a later assessment.")})
    if assessed_on is None:
        raise ValidationError({"assessed_on": _("Give the date of the assessment.")})
    if not is_border_management(mission):
        raise ValidationError(_("%(mission)s is not a border-management mission: it has no IBM needs "
                                "assessment.") % {"mission": mission.acronym})
    _require_contributed(mission)
    clean = validate_ratings(ratings, kind=kind)
    note = _clean(note)
    with transaction.atomic():
        others = Assessment.objects.select_for_update().filter(mission=mission)
        if assessment is not None:
            others = others.exclude(pk=assessment.pk)
        others = list(others)
        baseline = next((a for a in others if a.kind == Assessment.Kind.BASELINE), None)
        if kind == Assessment.Kind.BASELINE and baseline is not None:
            raise ValidationError({"kind": _("The mission has its baseline (%(date)s) already: record a later "
                                             "assessment.") % {"date": baseline.assessed_on.isoformat()}})
        if kind == Assessment.Kind.FOLLOW_UP:
            if baseline is None:
                raise ValidationError({"kind": _("Record the baseline needs assessment first.")})
            if assessed_on <= baseline.assessed_on:
                raise ValidationError({"assessed_on": _(
                    "A later assessment comes after the baseline of %(date)s.") % {
                    "date": baseline.assessed_on.isoformat()}})
        if kind == Assessment.Kind.BASELINE:
            earlier = [a for a in others if a.assessed_on <= assessed_on]
            if earlier:
                raise ValidationError({"assessed_on": _(
                    "The baseline comes before every later assessment; one is dated %(date)s.") % {
                    "date": min(a.assessed_on for a in earlier).isoformat()}})
        if any(a.assessed_on == assessed_on for a in others):
            raise ValidationError({"assessed_on": _("The mission has an assessment on %(date)s already.") % {
                "date": assessed_on.isoformat()}})
        now = timezone.now()
        if assessment is None:
            assessment = Assessment.objects.create(mission=mission, kind=kind, assessed_on=assessed_on, note=note,
                                                   created_by=actor, created_at=now, updated_at=now)
            AreaRating.objects.bulk_create([AreaRating(assessment=assessment, area=area, rating=r, narrative=n,
                                                       source=s) for area, (r, n, s) in _in_order(clean)])
            record(actor=actor, action="create", obj=assessment, fields=["kind", "assessed_on", "note", *clean],
                   detail={"mission_id": mission.pk})
            return assessment, ["kind", "assessed_on", "note", *(a for a, _row in _in_order(clean))]
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        changes = {name: (getattr(assessment, name), value) for name, value in
                   (("kind", kind), ("assessed_on", assessed_on), ("note", note)) if getattr(assessment, name) != value}
        stored = {r.area: r for r in assessment.ratings.all()}
        for area in Area.values:
            old = stored.get(area)
            old_row = None if old is None else (old.rating, old.narrative, old.source)
            if old_row != clean.get(area):
                changes[area] = (old_row, clean.get(area))
        if not changes:
            return assessment, []
        for name in ("kind", "assessed_on", "note"):
            if name in changes:
                setattr(assessment, name, changes[name][1])
        assessment.updated_at = now
        assessment.save()
        for area in Area.values:
            if area not in changes:
                continue
            old, new = stored.get(area), clean.get(area)
            if new is None:
                old.delete()
            elif old is None:
                AreaRating.objects.create(assessment=assessment, area=area, rating=new[0], narrative=new[1],
                                          source=new[2])
            else:
                old.rating, old.narrative, old.source = new
                old.save()
        record(actor=actor, action="update", obj=assessment,
               changes={k: (str(old), str(new)) for k, (old, new) in changes.items()},
               detail={"mission_id": mission.pk})
    return assessment, sorted(changes)


def _in_order(clean: dict):
    return [(area, clean[area]) for area in Area.values if area in clean]


# --- Figures -------------------------------------------------------------------------------------

@dataclass
class IndicatorProgress:
    indicator: Indicator
    latest: IndicatorValue | None  # the value of the latest period, None before any
    progress: float | None  # per cent of the way from baseline to target (can be < 0 or > 100)
    met: bool | None  # the latest value reaches the target in the better direction

    @property
    def latest_value(self):
        return None if self.latest is None else self.latest.value


def indicator_progress(indicator: Indicator, values=None) -> IndicatorProgress:
    """The latest value (by period) against the baseline and the target. `values` may be given
    (prefetched), else read."""
    values = list(indicator.values.all()) if values is None else list(values)
    if not values:
        return IndicatorProgress(indicator, None, None, None)
    latest = max(values, key=lambda v: (v.period_end, v.period_start, v.pk))
    span = indicator.target - indicator.baseline
    progress = round(float((latest.value - indicator.baseline) / span * 100), 1)
    met = latest.value >= indicator.target if indicator.direction == Direction.INCREASE \
        else latest.value <= indicator.target
    return IndicatorProgress(indicator, latest, progress, met)


@dataclass
class AreaProgress:
    area: str
    label: str
    baseline: int | None
    latest: int | None  # the latest later assessment's rating of the area; None if none revisited it
    latest_on: dt.date | None

    @property
    def change(self) -> int | None:
        return None if self.baseline is None or self.latest is None else self.latest - self.baseline


@dataclass
class BorderProgress:
    baseline: Assessment | None
    assessments: list  # every assessment, oldest first (the baseline first)
    areas: list  # AreaProgress per area, in the concept's order

    @property
    def latest_on(self) -> dt.date | None:
        later = [a.assessed_on for a in self.assessments if a.kind == Assessment.Kind.FOLLOW_UP]
        return max(later) if later else None

    def count(self, sign: int) -> int:
        return sum(1 for a in self.areas if a.change is not None and (a.change > 0) - (a.change < 0) == sign)


def border_progress(mission) -> BorderProgress:
    """Per area: the baseline rating, the latest later assessment's rating of it and the change. Two
    queries."""
    assessments = list(Assessment.objects.filter(mission=mission).order_by("assessed_on", "id"))
    ratings = {}
    for r in AreaRating.objects.filter(assessment__mission=mission).order_by("assessment__assessed_on", "id"):
        ratings.setdefault(r.assessment_id, {})[r.area] = r.rating
    baseline = next((a for a in assessments if a.kind == Assessment.Kind.BASELINE), None)
    rows = []
    for area in Area:
        base = None if baseline is None else ratings.get(baseline.pk, {}).get(area.value)
        latest = latest_on = None
        for a in assessments:
            if a.kind == Assessment.Kind.FOLLOW_UP and area.value in ratings.get(a.pk, {}):
                latest, latest_on = ratings[a.pk][area.value], a.assessed_on
        rows.append(AreaProgress(area.value, str(area.label), base, latest, latest_on))
    return BorderProgress(baseline, assessments, rows)


def mission_performance_summary(mission, *, indicators=None, border=None, border_management=None,
                                contributes=None) -> dict:
    """Mission performance in figures, for the accountability app (layer 9) and the API: no personal
    data, and None wherever the data do not exist (no value yet, no baseline, no later assessment).

    Keys: mission_id, acronym; contributes (a secondment took place); indicators (active), retired,
    by_level {output, outcome, impact} (active); with_values (active indicators with a value),
    targets_met (of those, reaching the target), mean_progress (mean per cent of the way from
    baseline to target over those with a value, 1 decimal; None without any); latest_period_end;
    contributions (secondees' contributions) and contributing_secondments (distinct);
    border_management (the mission has the theme); border: None unless a baseline exists, else
    {baseline_on, latest_on, areas: [{area, label, baseline, latest, change}], improved, unchanged,
    worsened, not_reassessed}.

    A page that has read them already passes `indicators` (with their values prefetched), `border`
    (`border_progress`), `border_management` and `contributes`, so they are not read twice.
    """
    if indicators is None:
        indicators = list(Indicator.objects.filter(mission=mission).prefetch_related("values"))
    active = [i for i in indicators if i.status == Indicator.Status.ACTIVE]
    progress = [indicator_progress(i, i.values.all()) for i in active]
    measured = [p for p in progress if p.latest is not None]
    contributions = Contribution.objects.filter(indicator__mission=mission)
    if border_management is None:
        border_management = is_border_management(mission)
    if contributes is None:
        contributes = contributed_missions().filter(pk=mission.pk).exists()
    summary = {
        "mission_id": mission.pk, "acronym": mission.acronym, "contributes": contributes,
        "indicators": len(active), "retired": len(indicators) - len(active),
        "by_level": {level: sum(1 for i in active if i.level == level) for level in ResultLevel.values},
        "with_values": len(measured), "targets_met": sum(1 for p in measured if p.met),
        "mean_progress": round(sum(p.progress for p in measured) / len(measured), 1) if measured else None,
        "latest_period_end": max((p.latest.period_end for p in measured), default=None),
        "contributions": contributions.count(),
        "contributing_secondments": contributions.values("secondment_id").distinct().count(),
        "border_management": border_management, "border": None,
    }
    if border_management:
        border = border_progress(mission) if border is None else border
        if border.baseline is not None:
            summary["border"] = {
                "baseline_on": border.baseline.assessed_on, "latest_on": border.latest_on,
                "areas": [{"area": a.area, "label": a.label, "baseline": a.baseline, "latest": a.latest,
                           "change": a.change} for a in border.areas],
                "improved": border.count(1), "unchanged": border.count(0), "worsened": border.count(-1),
                "not_reassessed": sum(1 for a in border.areas if a.latest is None)}
    return summary
