"""Duty of care during a deployment (issue 11 §3).

Per secondment: a care file (its desk officer, the day of the last contact: derived from the contact
log), the weekly contact log, the escalation steps of a missed contact, leave periods at home with an
optional debriefing, the mission's appraisals and underperformance reports, misconduct cases,
security incidents. Per pool: its duty officer and head of unit. Per mission: the national
contingent's leader.

Restricted (need-to-know, `access.can_read_care_notes`): contact notes, debriefing content,
appraisals and underperformance, misconduct cases. Every change goes through `care.services`.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.access import EVERY_POOL
from dividend.secondments.models import Secondment

from . import access

DEFAULT_CONTACT_DAYS = 10
DEFAULT_ENDING_DAYS = 60


def contact_interval_days() -> int:
    """Days without a contact after which a deployed secondment's contact is overdue
    (`DIVIDEND_CARE_CONTACT_DAYS`, default 10)."""
    return int(getattr(settings, "DIVIDEND_CARE_CONTACT_DAYS", DEFAULT_CONTACT_DAYS))


def ending_window_days() -> int:
    """Days ahead in which an ending secondment shows on the board (`DIVIDEND_CARE_ENDING_DAYS`, 60)."""
    return int(getattr(settings, "DIVIDEND_CARE_ENDING_DAYS", DEFAULT_ENDING_DAYS))


def overdue_since(last_contact_on: dt.date, interval_days: int | None = None) -> dt.datetime:
    """When a contact counted from `last_contact_on` (or the deployment's start) becomes overdue:
    the start of the first day more than the interval after it (local time). Contact on 1 December,
    10 days: due by 11 December, overdue from 12 December 00:00."""
    days = contact_interval_days() if interval_days is None else interval_days
    day = last_contact_on + dt.timedelta(days=days + 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_threshold(today: dt.date, interval_days: int | None = None) -> dt.date:
    """A contact counted from a day before this one is overdue on `today`."""
    days = contact_interval_days() if interval_days is None else interval_days
    return today - dt.timedelta(days=days)


def care_secondments(user):
    """Secondments whose care records the user sees: those of the care pools, and their own."""
    if user is None or not user.is_authenticated:
        return Secondment.objects.none()
    pools = access.care_pools(user)
    if pools is EVERY_POOL:
        return Secondment.objects.all()
    return Secondment.objects.filter(Q(officer__pool__in=pools) | Q(officer__user=user))


def restricted_secondments(user):
    """Secondments whose restricted care records the user reads: need-to-know, not the officer."""
    from dividend.roster.access import restricted_pools

    if user is None or not user.is_authenticated:
        return Secondment.objects.none()
    return Secondment.objects.filter(officer__pool__in=restricted_pools(user)).exclude(officer__user=user)


class CareQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(secondment__in=care_secondments(user))


class RestrictedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(secondment__in=restricted_secondments(user))


class PoolCareOfficers(models.Model):
    """Who a pool's missed contacts escalate to: its duty officer (24 hours after the desk officer)
    and its head of unit (48 hours after)."""

    pool = models.OneToOneField("pools.Pool", on_delete=models.CASCADE, related_name="care_officers")
    duty_officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("duty officer"))
    head_of_unit = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("head of unit"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pool's care officers")
        verbose_name_plural = _("pools' care officers")

    def __str__(self):
        return str(self.pool)


class CareFile(models.Model):
    """A secondment's duty-of-care file: its desk officer and the day of its last contact (derived
    from the contact log by `services.log_contact`)."""

    secondment = models.OneToOneField(Secondment, on_delete=models.CASCADE, related_name="care")
    desk_officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="desk_files", verbose_name=_("desk officer"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)

    objects = CareQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["desk_officer", "last_contact_on"])]

    def __str__(self):
        return f"care {self.secondment_id}"


class Contact(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        EMAIL = "email", _("E-mail")
        MESSAGE = "message", _("Message")
        VISIT = "visit", _("In person")

    class Wellbeing(models.TextChoices):
        WELL = "well", _("Well")
        CONCERN = "concern", _("Some concern")
        URGENT = "urgent", _("Urgent concern")

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="contacts")
    contact_on = models.DateField(_("date of contact"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    wellbeing = models.CharField(_("wellbeing"), max_length=10, choices=Wellbeing.choices)
    # Restricted: need-to-know only (access.can_read_care_notes); never in an export or a list.
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_on", "-id"]
        indexes = [models.Index(fields=["secondment", "-contact_on"])]

    def __str__(self):
        return f"{self.contact_on} {self.channel}"


class Escalation(models.Model):
    """One step of a missed contact's escalation, recorded when it falls due: to the desk officer
    when the contact is overdue, to the duty officer 24 hours later, to the head of unit 48 hours
    later. Counted from `last_contact_on` (the deployment's start before the first contact); a new
    contact starts a new count."""

    class Step(models.TextChoices):
        DESK_OFFICER = "desk_officer", _("Desk officer")
        DUTY_OFFICER = "duty_officer", _("Duty officer")
        HEAD_OF_UNIT = "head_of_unit", _("Head of unit")

    DELAY = {Step.DESK_OFFICER: dt.timedelta(0), Step.DUTY_OFFICER: dt.timedelta(hours=24),
             Step.HEAD_OF_UNIT: dt.timedelta(hours=48)}

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="escalations")
    step = models.CharField(max_length=20, choices=Step.choices)
    last_contact_on = models.DateField()
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    notified = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["secondment", "last_contact_on", "step"],
                                               name="escalation_step_once")]

    def __str__(self):
        return f"{self.secondment_id} {self.step} {self.due_at:%Y-%m-%d %H:%M}"

    @classmethod
    def due_steps(cls, last_contact_on: dt.date, now: dt.datetime, interval_days: int | None = None):
        """(step, due_at) of the steps due by `now` for a contact counted from `last_contact_on`."""
        start = overdue_since(last_contact_on, interval_days)
        return [(step, start + delay) for step, delay in cls.DELAY.items() if start + delay <= now]


class LeavePeriod(models.Model):
    """Leave at home during a deployment."""

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="leave_periods")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="leave_period_in_order")]

    def __str__(self):
        return f"{self.start_date} – {self.end_date}"


class LeaveDebriefing(models.Model):
    """A debriefing held during leave (restricted, kept like the end-of-mission debriefing): experts
    at home pass on more sensitive information then."""

    leave = models.OneToOneField(LeavePeriod, on_delete=models.PROTECT, related_name="debriefing")
    held_on = models.DateField(_("held on"))
    content = models.TextField(_("content"), max_length=20000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"debriefing {self.held_on}"


class Appraisal(models.Model):
    """The mission's appraisal of the secondee (a rating 1–5), or underperformance it reported.
    Restricted."""

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("Appraisal")
        UNDERPERFORMANCE = "underperformance", _("Underperformance reported")

    RATINGS = [(1, _("1 – unsatisfactory")), (2, _("2 – needs improvement")), (3, _("3 – meets expectations")),
               (4, _("4 – exceeds expectations")), (5, _("5 – outstanding"))]

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="appraisals")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    dated_on = models.DateField(_("dated"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, choices=RATINGS,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    reported_by = models.CharField(_("reported by (mission)"), max_length=200, blank=True, validators=[no_markup])
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-dated_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                              name="appraisal_rating_1_to_5")]

    def __str__(self):
        return f"{self.kind} {self.dated_on}"


class MisconductCase(models.Model):
    """A misconduct case reported by the mission, with its outcome and, where it comes to that,
    repatriation. Restricted; a substantiated case is put on the officer's record
    (`roster.services.record_misconduct_finding`), which selection reads as eligible yes/no."""

    class Category(models.TextChoices):
        SEA = "sea", _("Sexual exploitation and abuse")
        HARASSMENT = "harassment", _("Harassment")
        ABUSE_OF_AUTHORITY = "abuse_of_authority", _("Abuse of authority")
        FRAUD = "fraud", _("Fraud or corruption")
        OTHER = "other", _("Other misconduct")

    class Status(models.TextChoices):
        OPEN = "open", _("Under investigation")
        SUBSTANTIATED = "substantiated", _("Substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")

    TRANSITIONS = {Status.OPEN: {Status.SUBSTANTIATED, Status.UNSUBSTANTIATED},
                   Status.SUBSTANTIATED: set(), Status.UNSUBSTANTIATED: set()}

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="misconduct_cases")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    reported_on = models.DateField(_("reported on"))
    allegation = models.TextField(_("allegation"), max_length=4000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    repatriated_on = models.DateField(_("repatriated on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.get_category_display()} {self.reported_on}"

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class SecurityIncident(models.Model):
    """A security incident affecting the secondee (no medical details: whether they were hurt, not how)."""

    class Kind(models.TextChoices):
        ATTACK = "attack", _("Armed attack or shooting")
        KIDNAP = "kidnap", _("Abduction or threat of abduction")
        ROBBERY = "robbery", _("Robbery or burglary")
        ROAD = "road", _("Road accident")
        UNREST = "unrest", _("Civil unrest")
        THREAT = "threat", _("Threat or intimidation")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="security_incidents")
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    hurt = models.BooleanField(_("the secondee was hurt"), default=False)
    description = models.TextField(_("what happened"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"


class Contingent(models.Model):
    """The national contingent on one mission: every secondee deployed there, and its leader (one of
    them), who gathers the contingent's information for the monthly mission report."""

    mission = models.OneToOneField("missions.Mission", on_delete=models.CASCADE, related_name="contingent")
    leader = models.ForeignKey(Secondment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("contingent leader"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    appointed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contingent")

    def __str__(self):
        return str(self.mission)
