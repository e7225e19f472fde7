"""Workflows of the targets app: setting targets, taking monthly snapshots, finding stale ones,
recomputing one on purpose (audited), and `target_status`, the figures other apps read.

`target_status(year, pool=None)` is the function higher apps (accountability's dashboards and
portfolio planning) call: each target of the year with its actual from the snapshots. It applies no
access rule: the caller asks `targets.access.can_read_figures` first (docs/accountability.md).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.models import AuditEntry
from dividend.audit.services import record, record_many

from . import access, figures
from .models import FIGURES, MonthlySnapshot, Target, months_between


def save_target(*, actor, target: Target | None = None, year: int, pool, kind: str, measure: str, bound: str,
                value: Decimal, note: str = "") -> tuple[Target, list[str]]:
    """Create or change a target.

    Steps: 1. check the actor sets targets of the pool (national: a national policy officer or
    administrator), and of the target's current pool; 2. validate: year 2000–2100, value not
    negative, a share at most 100 %, a number whole, one target per year, pool, kind, measure and
    bound (Target.clean); 3. one transaction: compare, write only what changed; 4. audit (create or
    update, old and new values). Returns (target, changed fields); nothing changed: nothing written.
    """
    if not access.can_set_target(actor, pool) or (target is not None and not access.can_set_target(actor, target.pool)):
        raise PermissionDenied(_("Targets are set by policy officers and administrators of the pool "
                                 "(national targets: national ones)."))
    new = {"year": year, "pool": pool.pk if pool else None, "kind": kind, "measure": measure, "bound": bound,
           "value": Decimal(value).quantize(Decimal("0.01")), "note": (note or "").strip()}
    with transaction.atomic():
        created = target is None
        if created:
            target, old = Target(), {}
        else:
            target = Target.objects.select_for_update().get(pk=target.pk)
            old = {"year": target.year, "pool": target.pool_id, "kind": target.kind, "measure": target.measure,
                   "bound": target.bound, "value": target.value, "note": target.note}
        changes = {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}
        if not changes:
            return target, []
        target.year, target.pool, target.kind, target.measure = year, pool, kind, measure
        target.bound, target.value, target.note = bound, new["value"], new["note"]
        now = timezone.now()
        target.updated_at = now
        if created:
            target.created_at = now
        target.full_clean()
        target.save()
        record(actor=actor, action="create" if created else "update", obj=target,
               changes={name: (None if a is None else str(a), None if b is None else str(b))
                        for name, (a, b) in changes.items()})
    return target, sorted(changes)


def check_months(first_month: dt.date, last_month: dt.date, *, today: dt.date | None = None) -> list[dt.date]:
    """The months from `first_month` to `last_month` (first days), refused in the wrong order or
    when the last has not ended yet: a snapshot is of a month's end."""
    today = today or timezone.localdate()
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    if last_month < first_month:
        raise ValidationError({"last_month": _("The last month %(last)s is before the first, %(first)s.")
                               % {"last": f"{last_month:%Y-%m}", "first": f"{first_month:%Y-%m}"}})
    if last_month >= today.replace(day=1):
        raise ValidationError({"last_month": _("%(month)s has not ended yet: a snapshot is taken at a month's end.")
                               % {"month": f"{last_month:%Y-%m}"}})
    return months_between(first_month, last_month)


def take_snapshots(*, actor, first_month: dt.date, last_month: dt.date, today: dt.date | None = None) -> list:
    """Take the snapshots of the months given, for every pool and nationally, that are not taken yet.

    Steps: 1. validate the months (in order, ended); 2. per month, one transaction: skip the pools
    (and national) whose snapshot exists (a snapshot is kept as taken), compute the figures from the
    secondments (targets.figures), save the new snapshots; 3. audit one "create" entry per snapshot.
    Run by `manage.py take_snapshots` (and the demo). Returns the snapshots taken.
    """
    months = check_months(first_month, last_month, today=today)
    taken = []
    for month in months:
        with transaction.atomic():
            existing = dict(MonthlySnapshot.objects.filter(month=month).values_list("pool_id", "pk"))
            now = timezone.now()
            new = [MonthlySnapshot(month=month, pool_id=pool_id, taken_at=now, **values)
                   for pool_id, values in figures.compute(month).items() if pool_id not in existing]
            if not new:
                continue
            MonthlySnapshot.objects.bulk_create(new)
            saved = list(MonthlySnapshot.objects.filter(month=month).exclude(pk__in=existing.values())
                         .select_related("pool").order_by("pool__name", "id"))
            record_many(actor=actor, entries=[
                {"action": AuditEntry.Action.CREATE, "obj": s, "fields": FIGURES,
                 "detail": {"month": f"{month:%Y-%m}", "pool_id": s.pool_id,
                            "figures": {k: str(v) for k, v in s.figures().items()}}} for s in saved])
            taken.extend(saved)
    return taken


@dataclass
class Stale:
    snapshot: MonthlySnapshot
    differences: dict = field(default_factory=dict)  # figure -> (in the snapshot, from the records now)


def stale_snapshots(*, first_month: dt.date, last_month: dt.date, pool_ids=None) -> list[Stale]:
    """Snapshots of these months that the records would now give differently (corrected since):
    read-only, nothing is changed. `pool_ids`: only these pools' (and national) snapshots."""
    found = []
    snapshots = MonthlySnapshot.objects.between(first_month.replace(day=1), last_month.replace(day=1)).select_related(
        "pool").order_by("month", "pool__name", "id")
    by_month: dict = {}
    for snapshot in snapshots:
        if pool_ids is not None and snapshot.pool_id is not None and snapshot.pool_id not in pool_ids:
            continue
        by_month.setdefault(snapshot.month, []).append(snapshot)
    for month, kept in by_month.items():
        now = figures.compute(month)
        for snapshot in kept:
            fresh = now.get(snapshot.pool_id)
            if fresh is None:
                continue
            differences = {name: (getattr(snapshot, name), fresh[name]) for name in FIGURES
                           if getattr(snapshot, name) != fresh[name]}
            if differences:
                found.append(Stale(snapshot, differences))
    return found


def recompute_snapshot(*, actor, snapshot: MonthlySnapshot, reason: str) -> tuple[MonthlySnapshot, list[str]]:
    """Recompute one snapshot from the records as they are now, on purpose.

    Steps: 1. check the actor may (access.can_recompute_snapshot: who sets the pool's targets);
    2. validate: a reason is given; 3. one transaction: lock the snapshot, compute the month's
    figures, compare, write only if they differ (recomputed_at set); 4. audit "recompute" with the
    old and new figures and the reason. Returns (snapshot, changed figures); none changed: nothing
    written, nothing logged.
    """
    if not access.can_recompute_snapshot(actor, snapshot):
        raise PermissionDenied(_("A snapshot is recomputed by whoever sets its pool's targets."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the snapshot is recomputed (e.g. which record was corrected).")})
    with transaction.atomic():
        snapshot = MonthlySnapshot.objects.select_for_update(of=("self",)).select_related("pool").get(pk=snapshot.pk)
        fresh = figures.compute(snapshot.month)[snapshot.pool_id]
        changes = {name: (getattr(snapshot, name), fresh[name]) for name in FIGURES if getattr(snapshot, name) != fresh[name]}
        if not changes:
            return snapshot, []
        for name, (_old, new) in changes.items():
            setattr(snapshot, name, new)
        snapshot.recomputed_at = timezone.now()
        snapshot.save(update_fields=[*changes, "recomputed_at"])
        record(actor=actor, action=AuditEntry.Action.RECOMPUTE, obj=snapshot,
               changes={name: (str(a), str(b)) for name, (a, b) in changes.items()},
               detail={"reason": reason, "month": f"{snapshot.month:%Y-%m}", "pool_id": snapshot.pool_id})
    return snapshot, sorted(changes)


# --- Actual against target ------------------------------------------------------------------------

@dataclass
class Point:
    month: dt.date
    actual: Decimal | None
    met: bool | None


@dataclass
class TargetStatus:
    """A target with its actual: `actual`/`met`/`month` from the year's latest snapshot of its pool
    (None: no snapshot yet, or a share of nothing), and the `series` of every month's snapshot."""

    target: Target
    series: list[Point]

    @property
    def latest(self) -> Point | None:
        return self.series[-1] if self.series else None

    @property
    def actual(self):
        return self.latest.actual if self.latest else None

    @property
    def met(self):
        return self.latest.met if self.latest else None

    @property
    def month(self):
        return self.latest.month if self.latest else None


def statuses(targets) -> list[TargetStatus]:
    """Each target with its monthly actuals (one query for the snapshots of all their years and pools)."""
    targets = list(targets)
    if not targets:
        return []
    years = {t.year for t in targets}
    pool_ids = {t.pool_id for t in targets if t.pool_id is not None}
    snapshots = MonthlySnapshot.objects.filter(month__year__in=years).order_by("month")
    national = any(t.pool_id is None for t in targets)
    if national:
        snapshots = snapshots.filter(pool__isnull=True) | snapshots.filter(pool_id__in=pool_ids)
    else:
        snapshots = snapshots.filter(pool_id__in=pool_ids)
    by_key: dict = {}
    for snapshot in snapshots.order_by("month"):
        by_key.setdefault((snapshot.month.year, snapshot.pool_id), []).append(snapshot)
    result = []
    for target in targets:
        series = []
        for snapshot in by_key.get((target.year, target.pool_id), []):
            actual = target.actual_in(snapshot)
            series.append(Point(snapshot.month, actual, target.met_by(actual)))
        result.append(TargetStatus(target, series))
    return result


def target_status(year: int, pool=None) -> list[TargetStatus]:
    """The targets of `year` (national with pool=None, else that pool's) with their actuals: for
    other apps (accountability). A target without snapshots has actual None and met None: never a
    figure made up. The caller checks access.can_read_figures."""
    targets = Target.objects.filter(year=year).select_related("pool")
    targets = targets.filter(pool__isnull=True) if pool is None else targets.filter(pool=pool)
    return statuses(targets)
