"""The dividend scorecard: what a secondment gave back, per secondment, per mission and per year.

Derived on every read from the records of the lower apps, never stored; each part says where it
comes from, and a part whose data does not exist is MISSING — never filled in. docs/accountability.md,
"The dividend scorecard".

Parts (``PARTS``), each a value from 0 to 1:

- ``relevance``: the position's relevance to national priorities as the selection app computes it
  now (``selection.relevance.relevance_for``: the adopted national ranking, the thematic weights,
  the policy officer's assessments), ÷ 100. Missing when no part of the relevance counts.
- ``reports_contributed``: field reports the officer filed on the mission during the secondment
  ÷ the monthly reports expected (one per full 30 days deployed, at least one), at most 1.
- ``reports_cited``: the share of those reports cited in a published product. Missing without a
  report (a share of nothing).
- ``objectives_met``: the share of the learning objectives rated after the mission at or above their
  target level (the supervisor's rating, else the officer's own). Missing without a learning plan
  with objectives, or without an after-mission rating of them.
- ``skills_used``: the six-month follow-up names at least one new skill used in the post (1) or none
  (0) — the careers KPI "gained useful skills". Missing until it is answered.
- ``expertise_added``: once the officer is back (returned or reintegrated) their record joins the
  returnee pool; the share of the three things the pool can be searched by that this secondment
  adds: host-country knowledge (the mission has a host country), thematic knowledge (the mission
  has thematic areas), network contacts shared in the debriefing. Missing before return.
- ``reintegration``: back but not reintegrated 0; reintegrated 0.5, plus 0.5 when a placement
  records that the new skills were taken into account. Missing before return.

Only secondments that took place (deployed, returned, reintegrated) have a scorecard.

The total: 100 × Σ weight × value ÷ Σ weight over the parts present (the weights of the missing
parts are re-normalised away), with the count of missing parts and the share of the weight present
beside it; no part present: not computable. Per mission and per year, each part is the mean over
the secondments where it is present (with how many), and the total combines those means the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dividend.common.links import object_url
from dividend.common.weights import WeightsError as WeightsError  # re-exported: the callers catch it here
from dividend.common.weights import check_weights

PARTS = ("relevance", "reports_contributed", "reports_cited", "objectives_met", "skills_used", "expertise_added",
         "reintegration")
PART_LABELS = {
    "relevance": _("Priority relevance of the position"),
    "reports_contributed": _("Field reports contributed"),
    "reports_cited": _("Reports cited in products"),
    "objectives_met": _("Learning objectives met"),
    "skills_used": _("Skills used on return"),
    "expertise_added": _("Expertise added to the returnee pool"),
    "reintegration": _("Reintegration outcome"),
}
DEFAULT_WEIGHTS = {"relevance": 25, "reports_contributed": 10, "reports_cited": 15, "objectives_met": 15,
                   "skills_used": 10, "expertise_added": 10, "reintegration": 15}
MAX_WEIGHT = 1000
DAYS_PER_REPORT = 30


def validate_weights(weights) -> dict[str, float]:
    """{part: float} or WeightsError naming every problem (dividend.common.weights.check_weights)."""
    return check_weights(weights, PARTS, MAX_WEIGHT)


# Plain slotted dataclasses, not frozen ones: the scorecard page builds about 4,700 parts and 3,000
# sources per request, and a frozen dataclass's __init__ (object.__setattr__ per field) cost 4.5 ms
# per 4,662 parts against 0.8 ms (timeit).
@dataclass(slots=True)
class Source:
    text: str
    url: str = ""


@dataclass(slots=True)
class Part:
    part: str
    value: float | None  # 0–1; None: MISSING
    detail: str  # the figures behind it, in words
    source: Source
    weight: float = 0.0
    present_in: int | None = None  # aggregates: secondments where the part is present
    of: int | None = None

    @property
    def label(self):
        return PART_LABELS[self.part]

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(100 * self.value, 1)


@dataclass(slots=True)
class Total:
    value: float | None  # 0–100; None: not computable (no part present)
    missing: int
    weight_present: float  # share (0–1) of the model's weight carried by the present parts

    @property
    def computable(self) -> bool:
        return self.value is not None


@dataclass
class Scorecard:
    parts: tuple[Part, ...]
    total: Total
    secondment: object = None  # per secondment
    key: object = None  # per mission (Mission) or per year (int)
    count: int = 1
    extra: dict = field(default_factory=dict)

    def part(self, name) -> Part:
        return next(p for p in self.parts if p.part == name)


def combine(values: dict[str, float | None], weights: dict[str, float]) -> Total:
    """The documented combination: re-normalised over the parts present."""
    present = {p: v for p, v in values.items() if v is not None}
    whole = sum(weights[p] for p in PARTS)
    weight = sum(weights[p] for p in present)
    missing = sum(1 for p in PARTS if values.get(p) is None)
    if weight <= 0:
        return Total(None, missing, 0.0)
    return Total(round(100 * sum(weights[p] * v for p, v in present.items()) / weight, 2), missing,
                 round(weight / whole, 4) if whole else 0.0)


# --- The model in force -------------------------------------------------------------------------------

def model_in_force():
    """(weights, row or None): the newest ScorecardModel's weights, else the defaults (version 0)."""
    from .models import ScorecardModel

    row = ScorecardModel.objects.select_related("set_by").in_force()
    return ({p: float(row.weights.get(p, 0)) for p in PARTS} if row else {p: float(v) for p, v in
                                                                             DEFAULT_WEIGHTS.items()}), row


# --- Facts per secondment, read in a fixed number of queries -------------------------------------------

def scorecard_queryset(user=None, *, personal=False):
    """Secondments that took place, of the pools the user reads scorecards of (all without a user)."""
    from dividend.pools.access import EVERY_POOL
    from dividend.secondments.models import Secondment

    from . import scorecard_access as access

    qs = Secondment.objects.filter(status__in=Secondment.TOOK_PLACE)
    if user is None:
        return qs
    pools = access.personal_scorecard_pools(user) if personal else access.scorecard_pools(user)
    if pools is EVERY_POOL:
        return qs
    return qs.filter(officer__pool__in=pools) if pools else qs.none()


def _deployed_days(s, today) -> int:
    end = min(s.end_date, today) if s.end_date else today
    return max(0, (end - s.start_date).days + 1)


@contextmanager
def _collector_paused():
    """Python's cycle collector off while the cards are made: they and the rows behind them are tens of
    thousands of small objects without cycles (reference counting frees them), and the collector's
    passes over the growing heap took 30-40 % of the time (7,800 secondments: 1.06-1.30 s of CPU
    with it, 0.72-0.77 s without, interleaved)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def secondment_scorecards(secondments, *, today: dt.date | None = None, weights=None) -> list[Scorecard]:
    """One Scorecard per secondment (with officer, position and mission loaded), in order; a fixed
    number of queries however many."""
    with _collector_paused():
        return _secondment_scorecards(secondments, today=today, weights=weights)


def _secondment_scorecards(secondments, *, today, weights) -> list[Scorecard]:
    from django.db.models import Count, Exists, OuterRef, QuerySet

    from dividend.careers.models import (
        Appraisal,
        AppraisalRating,
        Debriefing,
        FollowUp,
        LearningObjective,
        Placement,
    )
    from dividend.missions.models import Mission
    from dividend.reports.models import Citation, FieldReport, Product
    from dividend.secondments.models import Secondment
    from dividend.selection.relevance import relevance_for

    today = today or timezone.localdate()
    if weights is None:
        weights, _row = model_in_force()
    scope = secondments if isinstance(secondments, QuerySet) else None
    secondments = list(secondments)
    if not secondments:
        return []
    relevance = relevance_for(sorted({s.position_id for s in secondments}))
    if scope is not None:
        # A queryset's facts are read through it as a subquery: lists of every id took 0.3 s (profiled) to
        # build into SQL at 7,800 secondments, and 39,000 ids pass the 32,766 variables of SQLite builds
        # with the default limit (Debian's allows more). bench/accountability.py.
        ids = scope.values("pk")
        officer_ids, mission_ids = scope.values("officer_id"), scope.values("position__mission_id")
    else:
        ids = [s.pk for s in secondments]
        officer_ids = sorted({s.officer_id for s in secondments})
        mission_ids = sorted({s.position.mission_id for s in secondments})
    cited = Citation.objects.filter(report=OuterRef("pk"), section__product__status=Product.Status.PUBLISHED)
    reports = defaultdict(list)
    for officer_id, mission_id, submitted, is_cited in (
            FieldReport.objects.filter(officer_id__in=officer_ids, mission_id__in=mission_ids)
            .annotate(cited=Exists(cited)).values_list("officer_id", "mission_id", "submitted_at", "cited")):
        reports[(officer_id, mission_id)].append((timezone.localtime(submitted).date(), is_cited))
    objectives = defaultdict(dict)
    for pk, secondment_id, target in LearningObjective.objects.filter(plan__secondment_id__in=ids).values_list(
            "pk", "plan__secondment_id", "target_level"):
        objectives[secondment_id][pk] = target
    ratings = defaultdict(dict)  # objective -> {rater: rating}
    for objective_id, rater, rating in AppraisalRating.objects.filter(
            appraisal__secondment_id__in=ids, appraisal__stage=Appraisal.Stage.AFTER,
            objective__isnull=False).values_list("objective_id", "appraisal__rater", "rating"):
        ratings[objective_id][rater] = rating
    follow_ups = dict(FollowUp.objects.filter(secondment_id__in=ids).values_list("secondment_id", "skills_used"))
    contacts = dict(Debriefing.objects.filter(secondment_id__in=ids).values_list("secondment_id", "contacts"))
    placements = dict(Placement.objects.filter(secondment_id__in=ids).values_list("secondment_id",
                                                                                   "skills_considered"))
    mission_facts = {m["pk"]: m for m in Mission.objects.filter(pk__in=mission_ids).annotate(
        countries=Count("host_countries", distinct=True), themes=Count("thematic_areas", distinct=True)).values(
        "pk", "countries", "themes")}
    ended = Secondment.ENDED
    # Each text translated once per call, each link's pattern reversed once: per secondment they were
    # 38 translations and 3 reverse() calls, 0.15 s of the scorecard page's 0.25 s CPU at 700 secondments.
    t = {key: str(text) for key, text in TEXTS.items()}
    relevance_url, careers_url, secondment_url = (_url_of(name) for name in (
        "selection:position_relevance", "careers:detail", "secondments:detail"))
    report_source, follow_source = Source(t["report_source"]), Source(t["follow_source"])
    pool_source = Source(t["pool_source"])
    cards = []
    for s in secondments:
        mission_id = s.position.mission_id
        parts = {}
        # Relevance
        rel = relevance.get(s.position_id)
        counted = rel is not None and any(p.counted for p in rel.parts)
        parts["relevance"] = (round(rel.total / 100, 4) if counted else None,
                              t["relevance"] % {"total": rel.total, "source": rel.weights_source}
                              if counted else t["relevance_missing"],
                              Source(t["relevance_source"], relevance_url(s.position_id)))
        # Reports
        end = min(s.end_date, today) if s.end_date else today
        own = [(day, c) for day, c in reports[(s.officer_id, mission_id)] if s.start_date <= day <= end]
        days = _deployed_days(s, today)
        expected = max(1, days // DAYS_PER_REPORT)
        parts["reports_contributed"] = (round(min(1.0, len(own) / expected), 4),
                                        t["reports"] % {"n": len(own), "days": days, "expected": expected},
                                        report_source)
        n_cited = sum(1 for _d, c in own if c)
        parts["reports_cited"] = ((round(n_cited / len(own), 4), t["cited"] % {"cited": n_cited, "n": len(own)})
                                  if own else (None, t["cited_missing"]))
        parts["reports_cited"] += (Source(t["cited_source"]),)
        # Learning objectives
        targets = objectives.get(s.pk, {})
        rated = {pk: (ratings[pk].get("supervisor") or ratings[pk].get("self")) for pk in targets if ratings.get(pk)}
        careers_source = Source(t["careers_source"], careers_url(s.pk))
        if not targets:
            parts["objectives_met"] = (None, t["objectives_none"], careers_source)
        elif not rated:
            parts["objectives_met"] = (None, t["objectives_unrated"] % {"n": len(targets)}, careers_source)
        else:
            met = sum(1 for pk, rating in rated.items() if rating >= targets[pk])
            parts["objectives_met"] = (round(met / len(rated), 4), t["objectives"] % {"met": met, "rated": len(rated)},
                                       careers_source)
        # Skills used
        if s.pk not in follow_ups:
            parts["skills_used"] = (None, t["follow_up_missing"], follow_source)
        else:
            used = follow_ups[s.pk] or []
            parts["skills_used"] = (1.0 if used else 0.0, t["skills_used"] % {"n": len(used)}, follow_source)
        # Expertise and reintegration
        reint_source = Source(t["reintegration_source"], secondment_url(s.pk))
        if s.status not in ended:
            parts["expertise_added"] = (None, t["not_back_pool"], pool_source)
            parts["reintegration"] = (None, t["not_back"], reint_source)
        else:
            facts = mission_facts.get(mission_id, {"countries": 0, "themes": 0})
            items = [facts["countries"] > 0, facts["themes"] > 0, bool((contacts.get(s.pk) or "").strip())]
            yes = [t["yes"] if item else t["no"] for item in items]
            parts["expertise_added"] = (round(sum(items) / 3, 4),
                                        t["expertise"] % {"c": yes[0], "t": yes[1], "n": yes[2]}, pool_source)
            if s.status != Secondment.Status.REINTEGRATED:
                parts["reintegration"] = (0.0, t["returned"], reint_source)
            elif placements.get(s.pk):
                parts["reintegration"] = (1.0, t["reintegrated_placed"], reint_source)
            else:
                parts["reintegration"] = (0.5, t["reintegrated"], reint_source)
        values = {p: parts[p][0] for p in PARTS}
        cards.append(Scorecard(
            parts=tuple(Part(p, parts[p][0], parts[p][1], parts[p][2], weights[p]) for p in PARTS),
            total=combine(values, weights), secondment=s))
    return cards


# The per-secondment texts (secondment_scorecards translates each once per call).
TEXTS = {
    "relevance": _("%(total)s / 100 (%(source)s)"),
    "relevance_missing": _("No part of the position's relevance can be computed."),
    "relevance_source": _("Selection: the position's relevance to national priorities"),
    "report_source": _("Field reports: filed by the officer on the mission during the secondment"),
    "reports": _("%(n)s reports over %(days)s days deployed, %(expected)s expected (one per 30 days)"),
    "cited": _("%(cited)s of %(n)s reports cited in a published product"),
    "cited_missing": _("No report filed: no share to compute."),
    "cited_source": _("Products: citations of the officer's reports in published products"),
    "careers_source": _("Careers: learning plan and after-mission appraisals"),
    "objectives_none": _("No learning objectives agreed."),
    "objectives_unrated": _("%(n)s objectives, none rated after the mission."),
    "objectives": _("%(met)s of %(rated)s rated objectives at or above their target level"),
    "follow_source": _("Careers: the six-month follow-up"),
    "follow_up_missing": _("The six-month follow-up is not answered."),
    "skills_used": _("%(n)s new skills named as used"),
    "pool_source": _("Careers: the returnee pool (mission's countries and themes, shared contacts)"),
    "reintegration_source": _("Secondments: status; careers: placement"),
    "not_back_pool": _("Not back yet: not in the returnee pool."),
    "not_back": _("Not back yet."),
    "expertise": _("host-country knowledge: %(c)s; thematic knowledge: %(t)s; contacts shared: %(n)s"),
    "returned": _("Returned, not reintegrated."),
    "reintegrated_placed": _("Reintegrated on a post that took the new skills into account."),
    "reintegrated": _("Reintegrated; no placement records the new skills taken into account."),
    "yes": _("yes"),
    "no": _("no"),
}


def _url_of(name: str):
    """pk -> the URL of `name` for that pk (its pattern reversed once: dividend.common.links)."""
    return functools.partial(object_url, name)


def aggregate(cards: list[Scorecard], weights, key=None) -> Scorecard:
    """The scorecard of a group of secondments: each part the mean where present."""
    parts = []
    values = {}
    for index, name in enumerate(PARTS):  # every card's parts are in PARTS' order
        present = [c.parts[index].value for c in cards if c.parts[index].value is not None]
        value = round(sum(present) / len(present), 4) if present else None
        values[name] = value
        source = cards[0].parts[index].source if cards else Source("")
        parts.append(Part(name, value, str(_("present for %(n)s of %(of)s secondments") % {"n": len(present),
                                                                                          "of": len(cards)}),
                          Source(source.text), weights[name], len(present), len(cards)))
    return Scorecard(parts=tuple(parts), total=combine(values, weights), key=key, count=len(cards))


def grouped(user, by: str, *, today=None, only=None, cards=None, weights=None, row=None):
    """Per mission (``by="mission"``) or per year of the secondment's start (``"year"``): the
    consolidated scorecards over the secondments the user reads, missions by acronym, newest year
    first; ``only``: one mission id or year; ``cards``: the per-secondment scorecards already read
    (with their ``weights`` and model ``row``), to group them both ways from one read. Returns
    (scorecards, weights, model row)."""
    from dividend.missions.models import Mission

    if cards is None:
        weights, row = model_in_force()
        qs = _consolidated(scorecard_queryset(user))
        if only is not None:
            qs = qs.filter(position__mission_id=only) if by == "mission" else qs.filter(start_date__year=only)
        cards = secondment_scorecards(qs, today=today, weights=weights)
    groups = defaultdict(list)
    for card in cards:
        s = card.secondment
        groups[s.position.mission_id if by == "mission" else s.start_date.year].append(card)
    if by == "mission":
        missions = {m.pk: m for m in Mission.objects.filter(pk__in=list(groups))}
        keys = sorted(groups, key=lambda pk: (missions[pk].acronym, pk))
        return [aggregate(groups[k], weights, missions[k]) for k in keys], weights, row
    return [aggregate(groups[k], weights, k) for k in sorted(groups, reverse=True)], weights, row


def all_cards(user, *, today=None):
    """(per-secondment scorecards of every secondment the user reads consolidated, weights, row)."""
    weights, row = model_in_force()
    return secondment_scorecards(_consolidated(scorecard_queryset(user)), today=today, weights=weights), weights, row


def _consolidated(qs):
    """The secondments of consolidated scorecards with only the columns a card and its grouping read:
    the whole secondment and position rows were 1,300 model instances of about 45 fields for the
    scorecard page's 666 secondments."""
    return qs.select_related("position").only("id", "officer_id", "position_id", "start_date", "end_date", "status",
                                              "position__id", "position__mission_id").order_by("pk")


def table(cards: list[Scorecard], by: str):
    """The scorecards as an export table (docs/accountability.md): per mission or year consolidated
    (no personal data), per secondment with the officer's name."""
    from django.utils.translation import gettext as g

    from dividend.common.exports import Table

    part_headers = []
    for name in PARTS:
        part_headers += [f"{PART_LABELS[name]} (%)", g("%(part)s: source") % {"part": PART_LABELS[name]}]
    if by == "secondment":
        head = [g("secondment"), g("officer"), g("pool"), g("mission"), g("position"), g("start"), g("status")]
    else:
        head = [g("mission") if by == "mission" else g("year"), g("secondments")]
    headers = head + part_headers + [g("total (of 100, over the parts present)"), g("parts missing"),
                                     g("share of the weight present (%)")]
    rows = []
    for card in cards:
        if by == "secondment":
            s = card.secondment
            start = [s.pk, f"{s.officer.last_name}, {s.officer.first_name}", s.officer.pool.name,
                     s.position.mission.acronym, s.position.title, s.start_date.isoformat(), s.get_status_display()]
        else:
            start = [card.key.acronym if by == "mission" else card.key, card.count]
        cells = []
        for part in card.parts:
            cells += [g("MISSING") if part.missing else part.percent,
                      f"{part.source.text}: {part.detail}" if part.detail else part.source.text]
        rows.append(start + cells + [card.total.value if card.total.computable else g("not computable"),
                                     card.total.missing, round(100 * card.total.weight_present, 1)])
    title = {"mission": g("Dividend scorecard per mission"), "year": g("Dividend scorecard per year"),
             "secondment": g("Dividend scorecard per secondment")}[by]
    return Table(title, headers, rows)
