"""Outcomes of the selection in figures (issue 10, section 7): nominations and success rate by pool,
gender, organisation and year; the time from a call's publication to each nomination (overall and per
call); release refusals (count, share, days to the release decision), which show the coordinators what
each home unit gives back.

Everything is counted over `Nomination.objects.visible_to(user)`, the nominations the reader may see on
the other pages, so a figure never reveals a nomination the lists would hide. One query reads the
slim facts of those nominations (no name); the groups and medians are computed here in Python, the
same on SQLite and PostgreSQL.

Definitions (docs/selection.md, "Analytics"):

- *with an outcome*: selected, reserve or not selected; *success rate* = selected ÷ with an outcome
  (nominations still in the running, withdrawn or not released are not yet a success or a failure);
- *days from call to nomination*: from the call's publication date to the day of the nomination;
- *release decisions*: nominations whose release step was decided (released, refused, or approved
  without release); *refusal share* = refused ÷ release decisions; *days to the release decision*:
  from the nomination to that decision;
- the year is the year of the nomination.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dividend.common.exports import Table
from dividend.roster.models import GENDER_CHOICES

from .models import Call, Nomination

OUTCOME = frozenset(Nomination.OUTCOMES)
SELECTED = Nomination.Status.SELECTED
REFUSED = Nomination.Status.REFUSED
GENDERS = dict(GENDER_CHOICES)
ORGANISATIONS = dict(Call._meta.get_field("organisation").choices)
# The breakdowns, in the order of the page and the export: (key, title).
BREAKDOWNS = (("pool", gettext_lazy("By pool")), ("gender", gettext_lazy("By gender")),
              ("organisation", gettext_lazy("By organisation")), ("year", gettext_lazy("By year")))


@dataclass(frozen=True)
class Fact:
    """What the figures need of one nomination (no name, no officer id)."""

    pool: str  # the officer's pool's code
    gender: str
    organisation: str
    year: int
    call_id: int
    status: str
    days_from_call: int
    release_days: int | None  # None: the release step is not decided


@dataclass(frozen=True)
class Group:
    """The figures of one group of nominations (a pool, a gender, an organisation, a year, a call)."""

    key: str
    label: str
    nominations: int
    with_outcome: int
    selected: int
    median_days_from_call: float | None
    first_days_from_call: int | None
    release_decisions: int
    refused: int
    awaiting_release: int
    median_release_days: float | None

    @property
    def success_rate(self) -> float | None:
        """Selected ÷ with an outcome, in percent (None before any outcome)."""
        return 100 * self.selected / self.with_outcome if self.with_outcome else None

    @property
    def refusal_share(self) -> float | None:
        """Refused ÷ release decisions, in percent (None before any decision)."""
        return 100 * self.refused / self.release_decisions if self.release_decisions else None


@dataclass(frozen=True)
class CallFigures:
    """One call's line: its facts and the figures of its nominations."""

    call_id: int
    reference: str
    title: str
    organisation: str  # code
    organisation_label: str
    published_on: dt.date
    figures: Group


@dataclass
class Analytics:
    total: Group
    breakdowns: list[tuple[str, str, list[Group]]] = field(default_factory=list)  # (key, title, groups)
    calls: list[CallFigures] = field(default_factory=list)


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def group(key: str, label: str, facts: list[Fact]) -> Group:
    days = [f.days_from_call for f in facts]
    release = [f.release_days for f in facts if f.release_days is not None]
    return Group(
        key=key, label=label, nominations=len(facts),
        with_outcome=sum(1 for f in facts if f.status in OUTCOME),
        selected=sum(1 for f in facts if f.status == SELECTED),
        median_days_from_call=_median(days), first_days_from_call=min(days) if days else None,
        release_decisions=len(release), refused=sum(1 for f in facts if f.status == REFUSED),
        awaiting_release=sum(1 for f in facts if f.status == Nomination.Status.AWAITING_RELEASE),
        median_release_days=_median(release))


def _days(start: dt.datetime, end: dt.datetime) -> int:
    return (end - start).days


def facts_of(nominations) -> tuple[list[Fact], dict[int, tuple], dict[str, str]]:
    """The facts of `nominations` (a queryset) in one query, the calls they are to
    ({id: (reference, title, organisation, published_on)}) and the pools' names by code."""
    rows = nominations.order_by().values_list(
        "officer__pool__code", "officer__pool__name", "officer__gender", "call_position__call_id", "call_position__call__reference",
        "call_position__call__title", "call_position__call__organisation", "call_position__call__published_on",
        "status", "nominated_at", "release_decided_at")
    facts, calls, pools = [], {}, {}
    for pool, pool_name, gender, call_id, reference, title, organisation, published, status, at, decided in rows:
        day = timezone.localtime(at).date()
        calls.setdefault(call_id, (reference, title, organisation, published))
        pools.setdefault(pool, pool_name)
        facts.append(Fact(pool=pool, gender=gender, organisation=organisation, year=day.year, call_id=call_id,
                          status=status, days_from_call=(day - published).days,
                          release_days=_days(at, decided) if decided is not None else None))
    return facts, calls, pools


def selection_analytics(user) -> Analytics:
    """The figures over the nominations `user` may see (one query; see the module docstring)."""
    facts, calls, pools = facts_of(Nomination.objects.visible_to(user))
    analytics = Analytics(total=group("total", _("All nominations"), facts))
    labels = {"pool": lambda code: pools.get(code, code), "gender": lambda g: str(GENDERS.get(g, g)),
              "organisation": lambda o: str(ORGANISATIONS.get(o, o)), "year": str}
    for key, title in BREAKDOWNS:
        by: dict = defaultdict(list)
        for fact in facts:
            by[getattr(fact, key)].append(fact)
        order = sorted(by, reverse=True) if key == "year" else sorted(by, key=lambda v: labels[key](v).lower())
        analytics.breakdowns.append((key, str(title), [group(str(v), labels[key](v), by[v]) for v in order]))
    per_call: dict = defaultdict(list)
    for fact in facts:
        per_call[fact.call_id].append(fact)
    for call_id, (reference, title, organisation, published) in sorted(
            calls.items(), key=lambda item: (item[1][3], item[0]), reverse=True):
        analytics.calls.append(CallFigures(call_id, reference, title, organisation,
                                           str(ORGANISATIONS.get(organisation, organisation)), published,
                                           group(str(call_id), reference, per_call[call_id])))
    return analytics


# --- Export ---------------------------------------------------------------------------------------

def _rounded(value, digits=1):
    return None if value is None else round(value, digits)


def analytics_table(analytics: Analytics) -> Table:
    """Every group of every breakdown, then every call, one row each, under the same headings."""
    headers = [_("Breakdown"), _("Group"), _("Nominations"), _("With an outcome"), _("Selected"),
               _("Success rate (%)"), _("Median days from call to nomination"),
               _("First nomination (days after the call)"), _("Release decisions"), _("Releases refused"),
               _("Refusal share (%)"), _("Median days to the release decision"), _("Awaiting release")]

    def row(breakdown: str, label: str, g: Group) -> list:
        return [breakdown, label, g.nominations, g.with_outcome, g.selected, _rounded(g.success_rate),
                _rounded(g.median_days_from_call), g.first_days_from_call, g.release_decisions, g.refused,
                _rounded(g.refusal_share), _rounded(g.median_release_days), g.awaiting_release]

    rows = [row(_("Total"), str(analytics.total.label), analytics.total)]
    for _key, title, groups in analytics.breakdowns:
        rows.extend(row(title, g.label, g) for g in groups)
    rows.extend(row(_("By call"), f"{c.reference} – {c.title}", c.figures) for c in analytics.calls)
    return Table(title=_("Selection analytics"), headers=headers, rows=rows)
