"""Rotations of strategic positions and the burden of duty stations: derived data, never stored.

A strategic position (`missions.Position.strategic`) is followed over its rotations from the
secondments on it and the selections made for it (docs/selection.md, "Rotations"):

- the **holder**: the deployed secondment on the position (or a planned one whose start has come);
- a **successor**: a planned secondment on the position starting after the holder's, or a
  nomination selected on a call for the position (its secondment not planned yet);
- the **state**: ``covered`` (the successor starts on or before the holder's last day: a handover
  is possible; or a nomination is selected, its dates to plan), ``late`` (the successor starts
  after it: no handover), ``at_risk`` (the holder ends within
  ``warning_days`` and no successor is found), ``to_find`` (no successor yet, the end further off),
  ``open_ended`` (the holder has no end date), ``vacant`` (nobody holds it, nobody is planned) or
  ``vacant_planned`` (nobody holds it, a successor is planned). ``late``, ``at_risk`` and ``vacant``
  are flagged.

:func:`rotation_state` is a pure function over plain values; :func:`rotations` reads the database.
Burden: :func:`burden_warnings` says why a nomination deserves a second look (a first mission at a
heavy duty station or on a senior post): a warning, never a block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# A post from this rank order on (reference.Rank.order: 5 = superintendent) is a senior post.
SENIOR_RANK_ORDER = 5
DEFAULT_WARNING_DAYS = 90

STATES = {
    "covered": _("Successor found in time"),
    "late": _("Successor starts after the holder leaves"),
    "at_risk": _("Handover at risk: no successor"),
    "to_find": _("No successor yet"),
    "open_ended": _("Held without an end date"),
    "vacant": _("Vacant: nobody planned"),
    "vacant_planned": _("Vacant: successor planned"),
}
FLAGGED = frozenset({"late", "at_risk", "vacant"})


def warning_days() -> int:
    """Days before the holder's end from which a missing successor puts the handover at risk
    (settings.DIVIDEND_HANDOVER_WARNING_DAYS, 90 by default)."""
    return int(getattr(settings, "DIVIDEND_HANDOVER_WARNING_DAYS", DEFAULT_WARNING_DAYS))


@dataclass(frozen=True)
class Tenure:
    """A secondment on the position (or a selection without one: ``start`` None)."""

    officer_id: int
    start: dt.date | None
    end: dt.date | None
    status: str
    secondment_id: int | None = None
    nomination_id: int | None = None


@dataclass(frozen=True)
class Rotation:
    state: str
    holder: Tenure | None
    successor: Tenure | None
    days_left: int | None  # until the holder's last day
    handover_days: int | None  # days holder and successor overlap (negative: the gap)

    @property
    def flagged(self) -> bool:
        return self.state in FLAGGED

    @property
    def label(self):
        return STATES[self.state]


# A secondment's statuses before departure (secondments.Secondment.Status.SELECTED, PREPARING): planned.
UPCOMING = ("selected", "preparing")


def rotation_state(*, today: dt.date, tenures: list[Tenure], selected: list[Tenure] = (),
                   warning: int = DEFAULT_WARNING_DAYS) -> Rotation:
    """The rotation of one position from its live secondments (deployed and planned: ``tenures``)
    and its selected nominations without a secondment yet (``selected``)."""
    holding = [t for t in tenures if t.status == "deployed" or (t.status in UPCOMING and t.start and t.start <= today)]
    holder = max(holding, key=lambda t: (t.status == "deployed", t.start or dt.date.min), default=None)
    after = holder.start if holder else None
    planned = sorted((t for t in tenures if t is not holder and t.status in UPCOMING and t.start
                      and (after is None or t.start > after)), key=lambda t: t.start)
    successor = planned[0] if planned else (selected[0] if selected else None)
    if holder is None:
        return Rotation("vacant_planned" if successor else "vacant", None, successor, None, None)
    if holder.end is None:
        return Rotation("open_ended", holder, successor, None, None)
    days_left = (holder.end - today).days
    if successor is not None and successor.start is None:
        return Rotation("covered", holder, successor, days_left, None)
    if successor is not None:
        handover = (holder.end - successor.start).days + 1  # days both are there (dates inclusive)
        return Rotation("covered" if handover >= 1 else "late", holder, successor, days_left, handover)
    return Rotation("at_risk" if days_left <= warning else "to_find", holder, None, days_left, None)


def rotations(positions, *, today: dt.date | None = None) -> dict[int, Rotation]:
    """{position id: Rotation} for missions.Position rows: two queries for all of them."""
    from django.utils import timezone

    from dividend.secondments.models import Secondment

    from .models import Nomination

    today = today or timezone.localdate()
    ids = [p.pk for p in positions]
    tenures: dict[int, list[Tenure]] = {i: [] for i in ids}
    for s in (Secondment.objects.filter(position_id__in=ids, status__in=(Secondment.Status.DEPLOYED, *UPCOMING))
              .order_by("start_date", "id")):
        tenures[s.position_id].append(Tenure(s.officer_id, s.start_date, s.end_date, s.status, secondment_id=s.pk))
    selected: dict[int, list[Tenure]] = {i: [] for i in ids}
    for n in (Nomination.objects.filter(call_position__position_id__in=ids, status=Nomination.Status.SELECTED,
                                        secondment__isnull=True)
              .select_related("call_position").order_by("status_changed_at", "id")):
        selected[n.call_position.position_id].append(Tenure(n.officer_id, None, None, "selected", nomination_id=n.pk))
    days = warning_days()
    return {i: rotation_state(today=today, tenures=tenures[i], selected=selected[i], warning=days) for i in ids}


def is_senior_post(position) -> bool:
    rank = position.minimum_rank
    return rank is not None and rank.order >= SENIOR_RANK_ORDER


def burden_warnings(position, *, earlier_missions: int) -> list[str]:
    """Why nominating an officer with ``earlier_missions`` missions behind them to ``position``
    deserves a second look: first missions should be at accessible duty stations, senior posts come
    later in a career. A warning to show, never a reason to refuse."""
    if earlier_missions:
        return []
    warnings = []
    if position.heavy_duty_station:
        warnings.append(str(_("First mission at a heavy duty station (burden %(level)s).")
                            % {"level": position.get_burden_display()}))
    if is_senior_post(position):
        warnings.append(str(_("First mission on a senior post (at least %(rank)s).")
                            % {"rank": position.minimum_rank}))
    return warnings


def earlier_missions(officer_ids) -> dict[int, int]:
    """{officer id: missions that took place} (one query)."""
    from django.db.models import Count

    from dividend.secondments.models import Secondment

    counts = dict(Secondment.objects.history().filter(officer_id__in=set(officer_ids)).order_by()
                  .values_list("officer_id").annotate(n=Count("id")))
    return {i: counts.get(i, 0) for i in officer_ids}
