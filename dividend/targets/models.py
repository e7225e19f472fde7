"""Targets per year and pool (officers deployed, women, organisations, French speakers) and the
monthly snapshots of the secondments they are measured against.

A `MonthlySnapshot` is derived data: the figures of the secondments at the end of one month, per
pool and nationally (`pool` empty), computed by `targets.figures.compute` from the secondments, the
officers' gender, rank and languages and the missions' organisation as they stood when it was taken
(`manage.py take_snapshots`). It is then kept as taken: a secondment corrected later does not change
it. `manage.py take_snapshots --check` lists the snapshots the records would now give differently,
and `targets.services.recompute_snapshot` recomputes one on purpose, with a reason, writing the old
and new figures to the audit log. Nothing else writes a snapshot.

The denominator of "share of the police service" targets is the pool's headcount (`Pool.headcount`;
nationally the sum over the pools), copied into each snapshot when it is taken, so a later change of
a headcount does not rewrite the past either.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access

# Targets and snapshots from this year to this one (a year outside is a typing error).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Kind(models.TextChoices):
    DEPLOYED = "deployed", _("Officers deployed")
    WOMEN = "women", _("Women deployed")
    WOMEN_COMMAND = "women_command", _("Women at command level")
    UN = "un", _("Officers in UN missions")
    EU = "eu", _("Officers in EU missions")
    OSCE = "osce", _("Officers in OSCE missions")
    FRENCH = "french", _("French speakers deployed")


# What each kind counts (a snapshot's figure) and what its share is of (another figure).
COUNTED = {Kind.DEPLOYED: "deployed", Kind.WOMEN: "women", Kind.WOMEN_COMMAND: "women_command", Kind.UN: "un",
           Kind.EU: "eu", Kind.OSCE: "osce", Kind.FRENCH: "french"}
SHARE_OF = {Kind.DEPLOYED: "headcount", Kind.WOMEN: "deployed", Kind.WOMEN_COMMAND: "command",
            Kind.UN: "deployed", Kind.EU: "deployed", Kind.OSCE: "deployed", Kind.FRENCH: "deployed"}
SHARE_OF_LABELS = {"headcount": _("of the police service (headcount)"), "deployed": _("of the officers deployed"),
                   "command": _("of the officers deployed at command level")}


class Measure(models.TextChoices):
    NUMBER = "number", _("Number")
    SHARE = "share", _("Share (%)")


class Bound(models.TextChoices):
    FLOOR = "floor", _("Floor (at least)")
    CEILING = "ceiling", _("Ceiling (at most)")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of the figures see the national targets and those of the pools their roles cover."""
        if not access.can_read_figures(user):
            return self.none()
        pools = access.figure_pools(user)
        if pools is access.EVERY_POOL:
            return self
        return self.filter(Q(pool__isnull=True) | Q(pool__in=pools))


class Target(models.Model):
    """One target for a year: national (no pool) or a pool's; a number or a share, a floor or a ceiling."""

    year = models.PositiveSmallIntegerField(_("year"))
    pool = models.ForeignKey("pools.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("pool"), help_text=_("Empty: a national target."))
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=8, choices=Measure.choices)
    bound = models.CharField(_("bound"), max_length=8, choices=Bound.choices)
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("Where the target comes from (a regulatory letter, the EU Compact)."))
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["year", "pool__name", "kind", "measure", "bound", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "pool", "kind", "measure", "bound"], condition=Q(pool__isnull=False),
                                    name="target_unique_per_pool"),
            models.UniqueConstraint(fields=["year", "kind", "measure", "bound"], condition=Q(pool__isnull=True),
                                    name="target_unique_national"),
        ]

    def __str__(self):
        return f"{self.year} {self.where}: {self.get_kind_display()} {self.describe_value()}"

    @property
    def where(self) -> str:
        return self.pool.name if self.pool_id else str(_("national"))

    def describe_value(self) -> str:
        sign = "≥" if self.bound == Bound.FLOOR else "≤"
        return f"{sign} {format_value(self.value, self.measure)}"

    def clean(self):
        problems = target_problems(year=self.year, measure=self.measure, value=self.value)
        if problems:
            raise ValidationError(problems)
        twin = Target.objects.filter(year=self.year, pool=self.pool_id, kind=self.kind, measure=self.measure,
                                     bound=self.bound).exclude(pk=self.pk)
        if self.year and twin.exists():
            raise ValidationError(_("%(where)s already has this target for %(year)s: change that one.")
                                  % {"where": self.where, "year": self.year})

    def met_by(self, actual) -> bool | None:
        """Whether an actual figure meets the target; None when there is no actual to compare."""
        if actual is None:
            return None
        return actual >= self.value if self.bound == Bound.FLOOR else actual <= self.value

    def actual_in(self, snapshot) -> Decimal | None:
        """This target's figure in a snapshot: the count, or the share in % (two decimals) of its base;
        None for a share whose base is zero (nothing to take a share of)."""
        count = getattr(snapshot, COUNTED[self.kind])
        if self.measure == Measure.NUMBER:
            return Decimal(count)
        base = getattr(snapshot, SHARE_OF[self.kind])
        if not base:
            return None
        return (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.01"))


def format_value(value, measure) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"
    return f"{text} %" if measure == Measure.SHARE else text


def target_problems(*, year, measure, value) -> dict[str, str]:
    """What is wrong with a target's year and value, by field (empty: nothing)."""
    problems = {}
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        problems["year"] = _("The year is from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    if value is not None:
        if value < 0:
            problems["value"] = _("A target cannot be negative.")
        elif measure == Measure.SHARE and value > 100:
            problems["value"] = _("A share is at most 100 %%; %(value)s %% is more than the whole.") % {"value": value}
        elif measure == Measure.NUMBER and value != value.to_integral_value():
            problems["value"] = _("A number of officers is a whole number.")
    return problems


FIGURES = ["headcount", "deployed", "women", "command", "women_command", "un", "eu", "osce", "french",
           "person_months"]
FIGURE_LABELS = {"headcount": _("Headcount"), "deployed": _("Deployed"), "women": _("Women"),
                 "command": _("At command level"), "women_command": _("Women at command level"),
                 "un": _("UN"), "eu": _("EU"), "osce": _("OSCE"), "french": _("French speakers"),
                 "person_months": _("Person-months")}


class MonthlySnapshotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """As the targets: national snapshots and those of the pools the reader's roles cover."""
        if not access.can_read_figures(user):
            return self.none()
        pools = access.figure_pools(user)
        if pools is access.EVERY_POOL:
            return self
        return self.filter(Q(pool__isnull=True) | Q(pool__in=pools))

    def between(self, first_month: dt.date, last_month: dt.date):
        return self.filter(month__gte=first_month, month__lte=last_month)


class MonthlySnapshot(models.Model):
    """The secondments at the end of one month, for one pool or nationally (derived data, see the
    module's docstring). Counts are of officers on a secondment that took place (deployed, returned,
    reintegrated) on the month's last day; person-months are the days on mission during the month
    over the month's days, summed."""

    month = models.DateField(_("month"), help_text=_("The month's first day; the figures are at its last day."))
    pool = models.ForeignKey("pools.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("pool"), help_text=_("Empty: every pool together."))
    headcount = models.PositiveIntegerField(_("headcount"))
    deployed = models.PositiveIntegerField(_("deployed"))
    women = models.PositiveIntegerField(_("women deployed"))
    command = models.PositiveIntegerField(_("deployed at command level"))
    women_command = models.PositiveIntegerField(_("women at command level"))
    un = models.PositiveIntegerField(_("in UN missions"))
    eu = models.PositiveIntegerField(_("in EU missions"))
    osce = models.PositiveIntegerField(_("in OSCE missions"))
    french = models.PositiveIntegerField(_("French speakers deployed"))
    person_months = models.DecimalField(_("person-months"), max_digits=10, decimal_places=2)
    taken_at = models.DateTimeField()
    recomputed_at = models.DateTimeField(null=True, blank=True)

    objects = MonthlySnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "pool__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "pool"], condition=Q(pool__isnull=False),
                                    name="snapshot_unique_per_pool"),
            models.UniqueConstraint(fields=["month"], condition=Q(pool__isnull=True), name="snapshot_unique_national"),
        ]

    def __str__(self):
        where = self.pool.name if self.pool_id else _("national")
        return f"{self.month:%Y-%m} {where}"

    @property
    def month_end(self) -> dt.date:
        return month_end(self.month)

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in FIGURES}


def month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from `first`'s to `last`'s, both included."""
    months, cursor = [], first.replace(day=1)
    while cursor <= last:
        months.append(cursor)
        cursor = month_end(cursor) + dt.timedelta(days=1)
    return months
