"""The figures of a monthly snapshot, computed from the secondments (one query per month).

Counted at the month's last day: officers on a secondment that took place (`Secondment.TOOK_PLACE`:
deployed, returned, reintegrated) whose dates cover that day (started on or before it, no end date
or ending on or after it). Per officer, at the time of computing:

- women: gender "female";
- command level: rank order `COMMAND_RANK_ORDER` (superintendent) or above, the rank the roster holds;
- UN / EU / OSCE: the mission's organisation (`missions.Organisation`: un, eu_csdp, osce);
- French speakers: French spoken at `FRENCH_SPEAKING_LEVEL` (B2) or above in the roster's languages.

Person-months: for every secondment that took place and shares days with the month, the days on
mission within the month over the month's days, summed (two decimals).
Headcount: the pool's `Pool.headcount` (nationally: the sum over the pools).
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q

from dividend.missions.models import Organisation
from dividend.pools.models import Pool
from dividend.roster.models import OfficerLanguage
from dividend.secondments.models import Secondment

from .models import month_end

COMMAND_RANK_ORDER = 5  # reference.Rank.order: 5 = superintendent and above
FRENCH_SPEAKING_LEVEL = 4  # CEFR B2
ORGANISATION_FIGURES = {Organisation.UN: "un", Organisation.EU_CSDP: "eu", Organisation.OSCE: "osce"}
COUNTS = ["deployed", "women", "command", "women_command", "un", "eu", "osce", "french"]


def _empty(headcount: int) -> dict:
    return {"headcount": headcount, **dict.fromkeys(COUNTS, 0), "person_months": Fraction(0)}


def compute(month: dt.date) -> dict:
    """Figures for the month starting on `month`: {pool id: figures, ..., None: national figures},
    every pool included (a pool with nobody deployed has zeros)."""
    first, last = month.replace(day=1), month_end(month)
    days_in_month = (last - first).days + 1
    pools = dict(Pool.objects.values_list("id", "headcount"))
    result = {pool_id: _empty(headcount) for pool_id, headcount in pools.items()}
    result[None] = _empty(sum(pools.values()))
    french = OfficerLanguage.objects.filter(officer=OuterRef("officer_id"), language__code="fr",
                                            speaking__gte=FRENCH_SPEAKING_LEVEL)
    rows = (Secondment.objects.history().filter(start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .annotate(speaks_french=Exists(french))
            .values_list("officer__pool_id", "officer__gender", "officer__rank__order",
                         "position__mission__organisation", "start_date", "end_date", "speaks_french")
            .order_by())
    for pool_id, gender, rank_order, organisation, start, end, speaks_french in rows:
        targets = [result[None]] + ([result[pool_id]] if pool_id in result else [])
        days = ((min(end, last) if end else last) - max(start, first)).days + 1
        on_last_day = end is None or end >= last
        woman, command = gender == "female", rank_order >= COMMAND_RANK_ORDER
        for figures in targets:
            figures["person_months"] += Fraction(days, days_in_month)
            if not on_last_day:
                continue
            figures["deployed"] += 1
            figures["women"] += woman
            figures["command"] += command
            figures["women_command"] += woman and command
            if organisation in ORGANISATION_FIGURES:
                figures[ORGANISATION_FIGURES[organisation]] += 1
            figures["french"] += bool(speaks_french)
    for figures in result.values():
        pm = figures["person_months"]
        figures["person_months"] = (Decimal(pm.numerator) / Decimal(pm.denominator)).quantize(Decimal("0.01"))
    return result
