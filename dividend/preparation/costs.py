"""What the officers' absences cost a home unit (a pool) and how each post is covered: one row per
secondment of the pool's officers that is selected, being prepared or deployed (the absences to
come and under way). Cost: the figure entered on the backfill, else days away × the daily cost of
the officer's rank (`DailyCost`, set in the admin). Read by the pool's backfill page and the API
alike; a fixed number of queries however many rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dividend.roster.search import name_ordering
from dividend.secondments.models import Secondment

from .models import Backfill, DailyCost, absence_cost, absence_days

COST_BASIS = {
    "entered": _("figure entered"),
    "rate": _("days × daily cost of the rank"),
    "open_ended": _("open-ended: no end date yet"),
    "no_rate": _("no daily cost set for this rank"),
}


def absent_statuses() -> tuple:
    return (Secondment.Status.SELECTED, Secondment.Status.PREPARING, Secondment.Status.DEPLOYED)


@dataclass
class AbsenceRow:
    secondment: Secondment
    backfill: Backfill | None
    days: int | None
    daily_cost: Decimal | None
    cost: Decimal | None
    basis: str

    @property
    def basis_label(self) -> str:
        return str(COST_BASIS[self.basis])


@dataclass
class PoolAbsences:
    rows: list[AbsenceRow] = field(default_factory=list)
    total_cost: Decimal = Decimal("0.00")
    uncosted: int = 0  # rows whose cost is not known (open-ended, or no daily cost for the rank)
    by_arrangement: dict[str, int] = field(default_factory=dict)  # arrangement (or "none": not recorded) → rows


def daily_costs() -> dict[int, Decimal]:
    return dict(DailyCost.objects.order_by().values_list("rank_id", "amount"))


def pool_absences(pool) -> PoolAbsences:
    secondments = list(Secondment.objects.filter(officer__pool=pool, status__in=absent_statuses())
                       .select_related("officer", "officer__rank", "officer__pool", "position__mission")
                       .order_by("start_date", *name_ordering("officer__"), "id"))
    backfills = {b.secondment_id: b for b in Backfill.objects.filter(secondment__in=[s.pk for s in secondments])
                 .select_related("substitute", "promoted")}
    rates = daily_costs()
    result = PoolAbsences(by_arrangement={key: 0 for key in [*Backfill.Arrangement.values, "none"]})
    for s in secondments:
        backfill = backfills.get(s.pk)
        cost, basis = absence_cost(s, backfill, rates)
        result.rows.append(AbsenceRow(s, backfill, absence_days(s), rates.get(s.officer.rank_id), cost, basis))
        if cost is None:
            result.uncosted += 1
        else:
            result.total_cost += cost
        result.by_arrangement[backfill.arrangement if backfill else "none"] += 1
    return result
