"""Rapid deployment alerts (issue 11 §4): for a crisis at short notice, a coordinator alerts officers
chosen from the roster's crisis query, each recipient answers (available / not available; no answer
until they do) and the time of the answer is kept; then the coordinator deploys some of those who
said available (the alert is filled: closed) or stands the alert down. Either way everyone not
chosen is told at once, so nobody waits packed.

Every change goes through `alerts.services` (one function per move, audited).
"""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.access import EVERY_POOL

from . import access


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators: the alerts reaching an officer of their pools (national: every alert); a
        secondee: the alerts sent to them."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.alert_pools(user)
        if pools is EVERY_POOL:
            return self
        condition = Q(pk__in=[])
        if pools:
            condition |= Q(pk__in=Recipient.objects.filter(officer__pool_id__in=pools).values("alert_id"))
        if access.can_reply(user):
            condition |= Q(pk__in=Recipient.objects.filter(officer__user=user).values("alert_id"))
        return self.filter(condition)

    def with_related(self):
        return self.select_related("position", "position__mission", "created_by")


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed (filled)")
        STOOD_DOWN = "stood_down", _("Stood down")

    # Allowed moves; each through its function in alerts.services (deploy, stand_down).
    TRANSITIONS = {
        Status.OPEN: {Status.CLOSED, Status.STOOD_DOWN},
        Status.CLOSED: set(),
        Status.STOOD_DOWN: set(),
    }

    title = models.CharField(_("title"), max_length=200, validators=[no_markup])
    message = models.TextField(_("message"), max_length=4000,
                               help_text=_("What happened, where, what is needed: the recipients read this."))
    position = models.ForeignKey("missions.Position", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="alerts", verbose_name=_("mission position"))
    start_date = models.DateField(_("departure"))
    end_date = models.DateField(_("return"), null=True, blank=True)
    # The crisis query's conditions the recipients were chosen with (as the page sent them).
    query = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True, max_length=2000)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="alert_dates_in_order"),
        ]
        indexes = [models.Index(fields=["status", "-sent_at"])]

    def __str__(self):
        return self.title

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def pool_ids(self) -> set[int]:
        return set(self.recipients.values_list("officer__pool_id", flat=True))


class RecipientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see the recipients of their pools (national: every one); a secondee their
        own answer."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.alert_pools(user)
        if pools is EVERY_POOL:
            return self
        condition = Q(officer__pool_id__in=pools) if pools else Q(pk__in=[])
        if access.can_reply(user):
            condition |= Q(officer__user=user)
        return self.filter(condition)

    def with_related(self):
        return self.select_related("officer", "officer__pool", "officer__rank")


class Recipient(models.Model):
    class Answer(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        AVAILABLE = "available", _("Available")
        NOT_AVAILABLE = "not_available", _("Not available")

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DEPLOYED = "deployed", _("Deployed")
        STOOD_DOWN = "stood_down", _("Stood down")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="alert_recipients")
    answer = models.CharField(_("answer"), max_length=14, choices=Answer.choices, default=Answer.NO_ANSWER)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[no_markup],
                            help_text=_("E.g. when you could leave at the earliest."))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # When the outcome's e-mail was handed to the mail backend (on commit of the deploy or stand-down).
    told_at = models.DateTimeField(null=True, blank=True)
    secondment = models.ForeignKey("secondments.Secondment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")
        ordering = ["alert", "id"]
        constraints = [models.UniqueConstraint(fields=["alert", "officer"], name="alert_recipient_once")]
        indexes = [models.Index(fields=["officer", "alert"])]

    def __str__(self):
        return f"{self.alert_id}: {self.officer_id}"

    @property
    def replied(self) -> bool:
        return self.answer != self.Answer.NO_ANSWER


@dataclass(frozen=True)
class Figures:
    """An alert's replies so far: counts, the response rate and the median time to first reply."""

    recipients: int
    available: int
    not_available: int
    no_answer: int
    median_reply: dt.timedelta | None  # over those who replied; None before the first reply

    @property
    def replied(self) -> int:
        return self.available + self.not_available

    @property
    def response_rate(self) -> float:
        """Share of recipients who replied, in per cent with one decimal (0.0 without recipients)."""
        return round(100 * self.replied / self.recipients, 1) if self.recipients else 0.0

    @property
    def median_minutes(self) -> float | None:
        return None if self.median_reply is None else round(self.median_reply.total_seconds() / 60, 1)


def figures(sent_at: dt.datetime, rows) -> Figures:
    """The figures of one alert from its recipients' (answer, answered_at) pairs: a reply's time is
    counted from the alert's sending, in whole seconds; the median of an even number of replies is
    the mean of the middle two."""
    counts = {a: 0 for a in Recipient.Answer.values}
    seconds = []
    for answer, answered_at in rows:
        counts[answer] += 1
        if answer != Recipient.Answer.NO_ANSWER and answered_at is not None:
            seconds.append(int((answered_at - sent_at).total_seconds()))
    median = dt.timedelta(seconds=statistics.median(seconds)) if seconds else None
    return Figures(recipients=sum(counts.values()), available=counts[Recipient.Answer.AVAILABLE],
                   not_available=counts[Recipient.Answer.NOT_AVAILABLE], no_answer=counts[Recipient.Answer.NO_ANSWER],
                   median_reply=median)
