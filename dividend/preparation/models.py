"""Getting a selected officer ready to leave (issue 11 §2): the pre-deployment checklist and the
backfill of the home post.

- A checklist template per mission organisation (EU CSDP, UN, OSCE: `missions.Organisation`) lists
  items with their due dates counted back from departure (days before the secondment's start
  date). Templates are reference data: the shipped file `dividend/data/preparation/
  checklist_templates.json` (each item with its source line), loaded by `load_checklist_templates`
  and editable in the admin.
- A secondment's checklist is made from its mission's template when the secondment moves to
  preparing (or on demand, for a secondment recorded by hand); each item is done or not, with who
  and when; an item not done after its due date is overdue.
- The medical item answers yes/no only: no note, no detail (need-to-know: only a need-to-know
  coordinator or HR manager ticks it, roster.access.can_see_restricted).
- Backfill: how the home post is covered while the officer is away (a substitute from the pool's
  backfill roster, a temporary promotion of a junior officer, or left vacant), the replacement
  funding, and what the absence costs (days × the daily cost of the officer's rank, or a figure
  entered).

Every change goes through `preparation.services` (one function per move, audited).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.missions.models import Organisation
from dividend.pools.access import EVERY_POOL

from . import access

MAX_DAYS_BEFORE = 365


class Kind(models.TextChoices):
    """What a checklist item is about."""

    BRIEFING = "briefing", _("Briefing")
    SECURITY_BRIEFING = "security_briefing", _("Internal-security briefing")
    RETURNEE_EXCHANGE = "returnee_exchange", _("Exchange with a returnee")
    MEDICAL = "medical", _("Medical")
    VISA = "visa", _("Visa")
    TRAINING = "training", _("Training")
    EQUIPMENT = "equipment", _("Equipment")
    INSURANCE = "insurance", _("Insurance")
    CAVEATS = "caveats", _("National caveats")


class ChecklistTemplate(models.Model):
    """The pre-deployment checklist of one mission organisation."""

    organisation = models.CharField(_("organisation"), max_length=12, choices=Organisation.choices, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[no_markup])
    source = models.TextField(_("source"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["organisation"]

    def __str__(self):
        return self.name


class TemplateItem(models.Model):
    """One item of a template: due `days_before` departure (0: on the day of departure; never after it)."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[no_markup])
    description = models.TextField(_("description"), blank=True, max_length=2000)
    days_before = models.PositiveSmallIntegerField(
        _("due, days before departure"), validators=[MinValueValidator(0), MaxValueValidator(MAX_DAYS_BEFORE)],
        help_text=_("Counted back from the secondment's start date; an item is never due after departure."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["template", "-days_before", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="template_item_code_once")]

    def __str__(self):
        return self.title


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Checklists of secondments the user prepares (coordinators and HR managers of the officer's
        pool, or national ones), and the secondee's own."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.preparer_pools(user)
        if pools is EVERY_POOL:
            return self
        return self.filter(Q(secondment__officer__pool__in=pools) | Q(secondment__officer__user=user))

    def with_related(self):
        return self.select_related("secondment", "secondment__officer", "secondment__officer__pool",
                                   "secondment__officer__rank", "secondment__position",
                                   "secondment__position__mission")


class Checklist(models.Model):
    """A secondment's pre-deployment checklist, made from its organisation's template."""

    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.CASCADE, related_name="checklist")
    template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="checklists")
    caveats = models.TextField(
        _("national caveats"), blank=True, max_length=2000,
        help_text=_("What the officer may not be redeployed to or used for in the mission, one per line."))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("pre-deployment checklist")
        verbose_name_plural = _("pre-deployment checklists")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.secondment}"

    @property
    def caveat_list(self) -> list[str]:
        return [line.strip() for line in self.caveats.splitlines() if line.strip()]


class ChecklistItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(checklist__in=Checklist.objects.visible_to(user))

    def open(self):
        return self.filter(done=False)

    def overdue(self, today: dt.date):
        """Not done and past their due date (the due date itself is still in time), on secondments
        being prepared (selected or preparing: after departure the checklist is history)."""
        return self.filter(done=False, due_date__lt=today, checklist__secondment__status__in=preparing_statuses())


def preparing_statuses() -> tuple:
    """The secondment statuses in which a checklist is worked on."""
    from dividend.secondments.models import Secondment

    return (Secondment.Status.SELECTED, Secondment.Status.PREPARING)


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # Never on the medical item (yes/no only).
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The returnee exchange: whom the officer met (an officer back from the same mission or region).
    returnee = models.ForeignKey("roster.Officer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("returnee"))

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "due_date", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="checklist_item_code_once")]
        indexes = [models.Index(fields=["done", "due_date"], name="checklist_item_open_due")]

    def __str__(self):
        return self.title

    @property
    def medical(self) -> bool:
        return self.kind == Kind.MEDICAL

    def is_overdue(self, today: dt.date) -> bool:
        return not self.done and self.due_date < today


# --- Backfill --------------------------------------------------------------------------------------

class DailyCost(models.Model):
    """What a day of an officer of this rank costs the home unit (set by an administrator in the
    admin): the absence's cost is days × this, unless a figure is entered for the secondment."""

    rank = models.OneToOneField("reference.Rank", on_delete=models.CASCADE, related_name="daily_cost")
    amount = models.DecimalField(_("daily cost"), max_digits=9, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("daily cost per rank")
        verbose_name_plural = _("daily costs per rank")
        ordering = ["rank__order"]

    def __str__(self):
        return f"{self.rank}: {self.amount}"


class BackfillRosterQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.preparer_pools(user)
        return self if pools is EVERY_POOL else self.filter(pool__in=pools)


class BackfillRosterEntry(models.Model):
    """An officer of a pool who stands ready to fill in for a seconded colleague."""

    pool = models.ForeignKey("pools.Pool", on_delete=models.CASCADE, related_name="backfill_roster")
    officer = models.ForeignKey("roster.Officer", on_delete=models.CASCADE, related_name="backfill_entries")
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField()

    objects = BackfillRosterQuerySet.as_manager()

    class Meta:
        verbose_name = _("backfill roster entry")
        verbose_name_plural = _("backfill roster")
        ordering = ["pool", "officer__last_name", "officer__first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["pool", "officer"], name="backfill_roster_once")]

    def __str__(self):
        return f"{self.officer}"


class BackfillQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Backfills of the posts of officers the user prepares (the secondee's own is not theirs
        to see: it is about the home unit)."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.preparer_pools(user)
        return self if pools is EVERY_POOL else self.filter(secondment__officer__pool__in=pools)


class Backfill(models.Model):
    class Arrangement(models.TextChoices):
        SUBSTITUTE = "substitute", _("Substitute from the backfill roster")
        PROMOTION = "promotion", _("Temporary promotion of a junior officer")
        VACANT = "vacant", _("Left vacant")

    class Funding(models.TextChoices):
        NONE = "none", _("No replacement funding")
        UNIT = "unit", _("Home unit's own budget")
        CENTRAL = "central", _("Central (national) replacement budget")
        ORGANISATION = "organisation", _("Reimbursed by the mission's organisation")
        OTHER = "other", _("Other (see the note)")

    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.CASCADE, related_name="backfill")
    arrangement = models.CharField(_("how the post is covered"), max_length=12, choices=Arrangement.choices)
    substitute = models.ForeignKey("roster.Officer", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="substitutions", verbose_name=_("substitute"))
    promoted = models.ForeignKey("roster.Officer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="temporary_promotions", verbose_name=_("officer promoted"))
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    funding = models.CharField(_("replacement funding"), max_length=12, choices=Funding.choices, default=Funding.NONE)
    funding_note = models.CharField(_("funding note"), max_length=500, blank=True)
    cost_figure = models.DecimalField(
        _("cost of the absence (entered)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: days away × the daily cost of the officer's rank."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    objects = BackfillQuerySet.as_manager()

    class Meta:
        verbose_name = _("backfill")
        verbose_name_plural = _("backfills")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")), name="backfill_period_in_order"),
        ]

    def __str__(self):
        return f"{self.secondment}: {self.get_arrangement_display()}"

    @property
    def covering(self):
        """The officer who covers the post (substitute or promoted), or None (vacant)."""
        return self.substitute if self.arrangement == self.Arrangement.SUBSTITUTE else (
            self.promoted if self.arrangement == self.Arrangement.PROMOTION else None)


def absence_days(secondment) -> int | None:
    """Days the officer is away from the home post: the secondment's start to end date, both
    inclusive; None while it has no end date."""
    if secondment.end_date is None:
        return None
    return (secondment.end_date - secondment.start_date).days + 1


def absence_cost(secondment, backfill: "Backfill | None", rates: dict[int, Decimal]):
    """(cost, how it was reached) of the officer's absence for the home unit: the figure entered on
    the backfill, else days × the daily cost of the officer's rank (`rates`: rank id → amount);
    (None, why) when neither is known."""
    if backfill is not None and backfill.cost_figure is not None:
        return backfill.cost_figure, "entered"
    days = absence_days(secondment)
    rate = rates.get(secondment.officer.rank_id)
    if days is None:
        return None, "open_ended"
    if rate is None:
        return None, "no_rate"
    return (rate * days).quantize(Decimal("0.01")), "rate"
