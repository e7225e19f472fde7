"""Demo data for targets (issue 14 §1): the national targets of this year and last (a ceiling of 2 %
of the police service deployed, as Finland has; 40 % women deployed, the EU Compact's aim; women at
command level; officers in UN and EU missions; French speakers, a UN need) and a floor of officers
deployed for the three largest pools, set by the demo policy officer through the targets' workflow;
and the monthly snapshots of the last 24 ended months (`take_snapshots`, by the system)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from dividend.targets import services

SNAPSHOT_MONTHS = 24
NATIONAL = [  # kind, measure, bound, value, note
    ("deployed", "share", "ceiling", "2", "Up to 2 % of the police service (as Finland allows)"),
    ("women", "share", "floor", "40", "EU civilian Compact: 40 % women"),
    ("women_command", "share", "floor", "25", "UN: more women in command"),
    ("un", "number", "floor", "20", ""),
    ("eu", "number", "floor", "40", "National implementation plan"),
    ("french", "number", "floor", "10", "UN need in francophone missions"),
]


def make_targets(generator) -> dict:
    """Targets for this year and last, and the snapshots; returns counts."""
    policy = get_user_model().objects.get(username="policy")
    today = generator.today
    made = 0
    for year in (today.year - 1, today.year):
        for kind, measure, bound, value, note in NATIONAL:
            services.save_target(actor=policy, year=year, pool=None, kind=kind, measure=measure, bound=bound,
                                 value=Decimal(value), note=note)
            made += 1
        for pool in sorted(generator.pools, key=lambda p: (-p.headcount, p.code))[:3]:
            floor = max(1, round(pool.headcount * 0.0004))
            services.save_target(actor=policy, year=year, pool=pool, kind="deployed", measure="number",
                                 bound="floor", value=Decimal(floor), note="")
            made += 1
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    first = last
    for _ in range(SNAPSHOT_MONTHS - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    taken = services.take_snapshots(actor=None, first_month=first, last_month=last, today=today)
    return {"targets": made, "snapshots": len(taken)}


def wipe_targets():
    """Targets and snapshots (they PROTECT the pools, which stay; the snapshots describe the roster
    that a reset replaces)."""
    from dividend.targets.models import MonthlySnapshot, Target

    MonthlySnapshot.objects.all().delete()
    Target.objects.all().delete()
