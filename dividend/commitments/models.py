"""What commits the country and what it costs (issue 14 §2).

Three parts, each without personal data but the costs charged to a secondment:

- commitment documents (Sweden's annual regulatory letter with targets, assignments and funds;
  Germany's national implementation plan for the EU civilian Compact) and their assignments, each
  with an owner, a report-back date and a status (open → in progress → reported; cancelled);
- the national coordination forum (Belgium's monthly consultation chaired by the foreign ministry,
  the Dutch steering group, the German working group): its meetings, the decisions taken (join a
  mission, pursue a strategic position, input to a mandate review) and their follow-up (open → done
  or dropped);
- budget lines per year and pool (a dedicated line for peace operations, replacement funding for the
  home units, training) and the costs charged to them per secondment, committed or paid.

Statuses move only through `services.move_assignment` / `services.move_follow_up`, which check the
TRANSITIONS table below, record who, when and why, and write the audit log.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, two after the point


def _pool_scoped(queryset, user):
    """National rows and those of the pools the reader's roles cover (none without a reading role)."""
    if not access.can_read_commitments(user):
        return queryset.none()
    pools = access.reader_pools(user)
    if pools is access.EVERY_POOL:
        return queryset
    return queryset.filter(Q(pool__isnull=True) | Q(pool__in=pools))


class CommitmentDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _pool_scoped(self, user)


class CommitmentDocument(models.Model):
    """A document that commits the country: national (no pool) or a seconding organisation's."""

    class Kind(models.TextChoices):
        REGULATORY_LETTER = "regulatory_letter", _("Annual regulatory letter")
        IMPLEMENTATION_PLAN = "implementation_plan", _("National implementation plan")
        OTHER = "other", _("Other commitment")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    issued_by = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    pool = models.ForeignKey("pools.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("pool"))
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CommitmentDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("commitment document")

    def __str__(self):
        return f"{self.title} ({self.year})"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(document__in=CommitmentDocument.objects.visible_to(user).values("pk"))

    def overdue(self, today=None):
        """Not reported (nor cancelled) after their report-back date."""
        today = today or timezone.localdate()
        return self.filter(status__in=Assignment.PENDING, report_back_on__lt=today)


class Assignment(models.Model):
    """One assignment of a commitment document: what is to be done, by whom, reported back when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORTED = "reported", _("Reported back")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.OPEN: {Status.IN_PROGRESS, Status.REPORTED, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.REPORTED, Status.CANCELLED, Status.OPEN},
        Status.REPORTED: {Status.IN_PROGRESS},  # reopened: the report was sent back
        Status.CANCELLED: {Status.OPEN},
    }
    PENDING = (Status.OPEN, Status.IN_PROGRESS)

    document = models.ForeignKey(CommitmentDocument, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("document"))
    text = models.CharField(_("assignment"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("The authority or unit that answers for it."))
    report_back_on = models.DateField(_("report back by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    status_reason = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["report_back_on", "id"]
        verbose_name = _("assignment")

    def __str__(self):
        return self.text

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def moves(self) -> list:
        return [s for s in self.Status if self.can_move_to(s)]

    def is_overdue(self, today=None) -> bool:
        return self.status in self.PENDING and self.report_back_on < (today or timezone.localdate())


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if access.can_read_commitments(user) else self.none()


class CoordinationForum(models.Model):
    """The national coordination forum (or one of them): who chairs it, which bodies take part."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    chaired_by = models.CharField(_("chaired by"), max_length=200)
    members = models.CharField(_("members"), max_length=500,
                               help_text=_("The bodies taking part, e.g. police, justice, defence, finance, customs."))
    cadence = models.CharField(_("meets"), max_length=100, blank=True, help_text=_("e.g. monthly"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("coordination forum")

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if access.can_read_commitments(user) else self.none()


class ForumMeeting(models.Model):
    forum = models.ForeignKey(CoordinationForum, on_delete=models.CASCADE, related_name="meetings",
                              verbose_name=_("forum"))
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("minutes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("forum meeting")
        constraints = [models.UniqueConstraint(fields=["forum", "held_on"], name="one_meeting_per_forum_and_day")]

    def __str__(self):
        return f"{self.forum} {self.held_on:%Y-%m-%d}"


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if access.can_read_commitments(user) else self.none()


class Decision(models.Model):
    """A decision the forum took at a meeting."""

    class Kind(models.TextChoices):
        JOIN_MISSION = "join_mission", _("Join a mission")
        STRATEGIC_POSITION = "strategic_position", _("Pursue a strategic position")
        MANDATE_REVIEW = "mandate_review", _("Input to a mandate review")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("decision"), max_length=500)
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("mission"))
    position = models.ForeignKey("missions.Position", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("position"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__held_on", "id"]
        verbose_name = _("decision")

    def __str__(self):
        return self.text


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if access.can_read_commitments(user) else self.none()

    def overdue(self, today=None):
        return self.filter(status=FollowUp.Status.OPEN, due_on__lt=today or timezone.localdate())


class FollowUp(models.Model):
    """What a decision asks someone to do, and whether it was done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    TRANSITIONS = {Status.OPEN: {Status.DONE, Status.DROPPED}, Status.DONE: {Status.OPEN},
                   Status.DROPPED: {Status.OPEN}}

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups",
                                 verbose_name=_("decision"))
    action = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    status_reason = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")

    def __str__(self):
        return self.action

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def moves(self) -> list:
        return [s for s in self.Status if self.can_move_to(s)]

    def is_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())


class BudgetLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _pool_scoped(self, user)


class BudgetLine(models.Model):
    """Money set aside for a year: nationally (no pool) or for one seconding organisation."""

    class Kind(models.TextChoices):
        PEACE_OPERATIONS = "peace_operations", _("Peace operations (dedicated line)")
        REPLACEMENT = "replacement", _("Replacement funding for home units")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    year = models.PositiveSmallIntegerField(_("year"))
    pool = models.ForeignKey("pools.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("pool"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "pool__name", "kind", "title", "id"]
        verbose_name = _("budget line")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative")]

    def __str__(self):
        return f"{self.title} {self.year}"


class CostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Costs as records, each naming a secondment: on a budget line the user reads and of a secondment
        the user sees (the roster's rule). The budget's figures sum every cost of the lines read
        (services.budget_position): a sum names nobody."""
        from dividend.secondments.models import Secondment

        return self.filter(line__in=BudgetLine.objects.visible_to(user).values("pk"),
                           secondment__in=Secondment.objects.visible_to(user).values("pk"))


class SecondmentCost(models.Model):
    """An amount charged to a budget line for one secondment: committed (planned) or paid."""

    class Category(models.TextChoices):
        SALARY = "salary", _("Salary and allowances")
        TRAVEL = "travel", _("Travel")
        INSURANCE = "insurance", _("Insurance")
        REPLACEMENT = "replacement", _("Replacement at home")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        PAID = "paid", _("Paid")

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="costs", verbose_name=_("budget line"))
    secondment = models.ForeignKey("secondments.Secondment", on_delete=models.PROTECT, related_name="costs",
                                   verbose_name=_("secondment"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PAID)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    incurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CostQuerySet.as_manager()

    class Meta:
        ordering = ["-incurred_on", "id"]
        verbose_name = _("secondment cost")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="secondment_cost_not_negative")]

    def __str__(self):
        return f"{self.get_category_display()} {self.amount}"
