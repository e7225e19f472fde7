"""Portfolio planning's facts from the records, fed to the pure engine (`accountability.portfolio`).

The candidates are the open positions of the open calls (``selection``: call status open, position
status open), one per call position, with:

- ``value``: the position's relevance (0–100) as the selection app computes it
  (`selection.relevance.relevance_for`: the adopted ranking, the thematic weights, the policy
  officer's assessments of international commitments, national and mission interests);
- ``posts`` and ``cost`` = posts × months per post × cost per person-month;
- ``available`` / ``women_available``: officers of the call's pools likely available on the call's
  planned deployment date (`roster`: available from that date or earlier, a maximum duration not
  shorter than the months per post, no unavailable period on that date, no secondment occupying it);
- ``available_total``: those officers of all the open calls' pools together (distinct), on the
  earliest planned deployment date — a ceiling on the posts chosen.

A fixed number of queries plus one per open call (its pools' availability).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from .portfolio import Candidate, Constraints


def _available(pool_ids, date: dt.date, months: int):
    from dividend.roster.models import Officer, UnavailablePeriod
    from dividend.secondments.models import Secondment

    busy = Secondment.objects.occupying().filter(officer_id=OuterRef("pk")).overlapping(date, date)
    away = UnavailablePeriod.objects.filter(officer_id=OuterRef("pk"), start__lte=date, end__gte=date)
    return (Officer.objects.filter(pool_id__in=pool_ids, available_from__isnull=False, available_from__lte=date)
            .filter(Q(max_duration_months__isnull=True) | Q(max_duration_months__gte=months))
            .exclude(Exists(busy)).exclude(Exists(away)))


def open_call_positions():
    from dividend.missions.models import Position
    from dividend.selection.models import Call, CallPosition

    return list(CallPosition.objects.filter(call__status=Call.Status.OPEN, position__status=Position.Status.OPEN)
                .select_related("call", "call__criteria", "position__mission").prefetch_related("call__pools")
                .order_by("call__national_deadline", "call_id", "position__mission__acronym", "position__title", "pk"))


def deployment_date(call) -> dt.date:
    from dividend.selection.models import criteria_of

    return criteria_of(call).effective_deployment_date


def candidates(parameters: dict) -> tuple[list[Candidate], list[dict], int]:
    """(engine candidates, their rows as stored with the run, officers likely available in all)."""
    from dividend.selection.relevance import relevance_for

    months = int(parameters["months_per_post"])
    per_month = float(parameters["cost_per_person_month"])
    rows = open_call_positions()
    relevance = relevance_for(sorted({cp.position_id for cp in rows}))
    per_call = {}
    for cp in rows:
        if cp.call_id not in per_call:
            counts = dict(_available(cp.call.pool_ids(), deployment_date(cp.call), months).values("gender")
                          .annotate(n=Count("pk")).values_list("gender", "n"))
            per_call[cp.call_id] = (sum(counts.values()), counts.get("female", 0))
    out, stored = [], []
    for cp in rows:
        total, women = per_call[cp.call_id]
        value = relevance[cp.position_id].total
        cost = round(cp.posts * months * per_month, 2)
        key = f"cp{cp.pk}"
        label = f"{cp.position.mission.acronym} – {cp.position.title} ({cp.call.reference})"
        out.append(Candidate(key, label, value, cp.posts, cost, cp.call.organisation, total, women))
        stored.append({"key": key, "label": label, "call_position": cp.pk, "position": cp.position_id,
                       "call": cp.call_id, "organisation": cp.call.organisation, "value": value, "posts": cp.posts,
                       "cost": cost, "available": total, "women_available": women})
    available_total = 0
    if rows:
        pools = sorted({p for cp in rows for p in cp.call.pool_ids()})
        earliest = min(deployment_date(cp.call) for cp in rows)
        available_total = _available(pools, earliest, months).count()
    return out, stored, available_total


def constraints(parameters: dict, available_total: int) -> Constraints:
    return Constraints(budget=parameters.get("budget"), max_total=parameters.get("max_total"),
                       available_total=available_total, min_women=parameters.get("min_women"),
                       min_per_organisation=dict(parameters.get("min_per_organisation") or {}))


def portfolio_defaults(year: int) -> tuple[dict, list[str]]:
    """The planning form's initial values from the records, and where each came from (still editable):

    - budget: what remains of the year's national budget lines (`commitments.services.budget_position`);
    - cost per person-month: the costs charged per person-month, this year's or last year's
      (`expected_cost_per_person_month`);
    - the targets of the year set as numbers (`targets.services.target_status`): a ceiling on officers
      deployed → at most so many posts; floors on women, UN, EU and OSCE → at least so many.

    A value whose data does not exist is left empty, and the note says so (never an invented figure).
    """
    from django.utils.translation import gettext as _

    from dividend.commitments.services import budget_position, expected_cost_per_person_month
    from dividend.targets.models import Bound, Kind, Measure
    from dividend.targets.services import target_status

    initial: dict = {"months_per_post": 12}
    notes: list[str] = []
    position = budget_position(year)
    remaining = position["remaining"] if position else None
    if remaining is None:
        notes.append(_("No national budget line exists for %(year)s: enter the budget.") % {"year": year})
    else:
        initial["budget"] = remaining
        notes.append(_("Budget: what remains of the national budget lines for %(year)s (%(amount)s EUR).")
                     % {"year": year, "amount": remaining})
    cost = expected_cost_per_person_month(year)
    if cost is None:
        notes.append(_("No costs per secondment exist: enter the cost per person-month."))
    else:
        initial["cost_per_person_month"] = cost
        notes.append(_("Cost per person-month: the costs charged over their person-months (%(amount)s EUR).")
                     % {"amount": cost})
    fields = {(Kind.DEPLOYED, Bound.CEILING): "max_total", (Kind.WOMEN, Bound.FLOOR): "min_women",
              (Kind.UN, Bound.FLOOR): "min_un", (Kind.EU, Bound.FLOOR): "min_eu_csdp",
              (Kind.OSCE, Bound.FLOOR): "min_osce"}
    for status in target_status(year):
        target = status.target
        field = fields.get((target.kind, target.bound))
        if field and target.measure == Measure.NUMBER:
            initial[field] = int(target.value)
            notes.append(_("%(target)s: the national target for %(year)s.")
                         % {"target": target.get_kind_display(), "year": year})
    return initial, notes
