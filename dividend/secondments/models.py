"""Secondments: an officer on a position, with dates and a status.

An officer's mission history and the country/thematic expertise it implies are derived from here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.pools.access import EVERY_POOL
from dividend.roster import access as roster_access


class SecondmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Secondments of officers the user may see (the roster's visibility rule)."""
        from dividend.roster.models import Officer

        if user is None or not user.is_authenticated:
            return self.none()
        if roster_access.roster_pools(user) is EVERY_POOL:
            return self
        return self.filter(officer__in=Officer.objects.visible_to(user))

    def history(self):
        """Secondments that took place (Secondment.TOOK_PLACE): the officer's mission history."""
        return self.filter(status__in=Secondment.TOOK_PLACE)

    def occupying(self):
        """Secondments that take up the officer's time on their dates: every one but cancelled ones."""
        return self.exclude(status=Secondment.Status.CANCELLED)

    def overlapping(self, start_date, end_date):
        """Secondments sharing at least one day with start_date..end_date (dates inclusive; no end
        date: open-ended, on both sides)."""
        overlap = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        return overlap if end_date is None else overlap.filter(start_date__lte=end_date)

    def deployed(self):
        """Officers on mission now: secondments in the deployed status."""
        return self.filter(status=Secondment.Status.DEPLOYED)

    def ending_between(self, start_date, end_date):
        """Secondments whose end date falls from start_date to end_date (inclusive)."""
        return self.filter(end_date__gte=start_date, end_date__lte=end_date)

    def with_related(self):
        return self.select_related("officer", "officer__pool", "position", "position__mission")


class Secondment(models.Model):
    """An officer on a position, from selection to back home and using what they learned."""

    class Status(models.TextChoices):
        SELECTED = "selected", _("Selected")
        PREPARING = "preparing", _("Preparing")
        DEPLOYED = "deployed", _("Deployed")
        RETURNED = "returned", _("Returned")
        REINTEGRATED = "reintegrated", _("Reintegrated")
        CANCELLED = "cancelled", _("Cancelled")

    class Move(models.TextChoices):
        """The moves of the lifecycle; each has its function in secondments.services."""

        PREPARE = "prepare", _("Start preparing")
        DEPLOY = "deploy", _("Deploy")
        EXTEND = "extend", _("Extend")
        RETURN = "return", _("Return")
        CUT_SHORT = "cut_short", _("Cut short")
        REINTEGRATE = "reintegrate", _("Reintegrate")
        CANCEL = "cancel", _("Cancel")

    # Allowed moves: (from, move) -> to. Extending keeps a deployed secondment deployed with a later
    # end date; cutting short returns it early with a reason (cut_short is kept on the record).
    TRANSITIONS = {
        (Status.SELECTED, Move.PREPARE): Status.PREPARING,
        (Status.SELECTED, Move.CANCEL): Status.CANCELLED,
        (Status.PREPARING, Move.DEPLOY): Status.DEPLOYED,
        (Status.PREPARING, Move.CANCEL): Status.CANCELLED,
        (Status.DEPLOYED, Move.EXTEND): Status.DEPLOYED,
        (Status.DEPLOYED, Move.RETURN): Status.RETURNED,
        (Status.DEPLOYED, Move.CUT_SHORT): Status.RETURNED,
        (Status.RETURNED, Move.REINTEGRATE): Status.REINTEGRATED,
    }
    # Moves that need a reason; the others take one if given.
    REASON_REQUIRED = frozenset({Move.EXTEND, Move.CUT_SHORT, Move.CANCEL})
    # Moves that take a date: the new end date (extend), the day the officer came back (return, cut short).
    DATED = frozenset({Move.EXTEND, Move.RETURN, Move.CUT_SHORT})

    # A secondment that took place (happened or is happening) counts as mission history and implies
    # expertise; a selected, preparing or cancelled one does not. The one definition: history(), took_place.
    TOOK_PLACE = frozenset({Status.DEPLOYED, Status.RETURNED, Status.REINTEGRATED})
    # Over: the officer is back (history that can no longer move but to reintegration).
    ENDED = frozenset({Status.RETURNED, Status.REINTEGRATED})

    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="secondments")
    position = models.ForeignKey("missions.Position", on_delete=models.PROTECT, related_name="secondments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SELECTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_reason = models.TextField(blank=True)
    cut_short = models.BooleanField(default=False, help_text=_("Returned before the planned end date."))
    cut_short_reason = models.TextField(blank=True)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        # (status, start_date) and (status, end_date): the duty-of-care board's sections (deployed,
        # ending soon, deployed during last month) read a range of one status, not all 30,000 rows.
        indexes = [models.Index(fields=["officer", "status"]), models.Index(fields=["status", "start_date"]),
                   models.Index(fields=["status", "end_date"])]

    def __str__(self):
        return f"{self.officer} → {self.position}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.officer_id and self.start_date and self.status != self.Status.CANCELLED:
            clash = (Secondment.objects.filter(officer_id=self.officer_id).exclude(pk=self.pk).occupying()
                     .overlapping(self.start_date, self.end_date).select_related("position__mission")
                     .order_by("start_date", "id").first())
            if clash is not None:
                facts = {"status": clash.get_status_display().lower(), "mission": clash.position.mission.acronym,
                         "position": clash.position.title, "start": f"{clash.start_date:%Y-%m-%d}",
                         "end": f"{clash.end_date:%Y-%m-%d}" if clash.end_date else ""}
                if clash.end_date:
                    message = _("These dates overlap the officer's %(status)s secondment to %(mission)s (%(position)s) "
                                "from %(start)s to %(end)s; one officer's secondments may not overlap.")
                else:
                    message = _("These dates overlap the officer's %(status)s secondment to %(mission)s (%(position)s) "
                                "from %(start)s with no end date; one officer's secondments may not overlap.")
                raise ValidationError(message % facts)

    @property
    def took_place(self) -> bool:
        return self.status in self.TOOK_PLACE

    def moves(self) -> list:
        """The moves allowed from the current status, in the lifecycle's order."""
        return [move for move in self.Move if (self.status, move) in self.TRANSITIONS]

    def can_make(self, move) -> bool:
        return (self.status, move) in self.TRANSITIONS

    def status_after(self, move):
        return self.TRANSITIONS[(self.status, move)]


class Extension(models.Model):
    """One extension of a deployed secondment: the end date before and after, who, when and why."""

    secondment = models.ForeignKey(Secondment, on_delete=models.CASCADE, related_name="extensions")
    previous_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField()
    reason = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.secondment_id}: {self.previous_end_date} → {self.new_end_date}"


def mission_history_rows(**officer_lookups):
    """(officer id, mission id, host country id, region, subregion, theme id) of the secondments that
    took place, for the officers the lookups select (officer_id__in=[...]); country or theme is None
    for a mission without any. The roster's search facts and crisis query read mission history
    through this (registered in apps.py), as the roster may not reach this app."""
    return Secondment.objects.history().filter(**officer_lookups).values_list(
        "officer_id", "position__mission_id", "position__mission__host_countries",
        "position__mission__host_countries__region", "position__mission__host_countries__subregion",
        "position__mission__thematic_areas").distinct()


class Promotion(models.Model):
    """A rank change while deployed: written to the officer's record (their rank) and kept here with
    the rank before, the date it took effect, who recorded it and why."""

    secondment = models.ForeignKey(Secondment, on_delete=models.CASCADE, related_name="promotions")
    previous_rank = models.ForeignKey("reference.Rank", on_delete=models.PROTECT, related_name="+")
    new_rank = models.ForeignKey("reference.Rank", on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self):
        return f"{self.secondment_id}: {self.previous_rank_id} → {self.new_rank_id} ({self.effective_on})"


class Handover(models.Model):
    """The outgoing secondee hands the position over to their successor (a strategic position's
    rotation): when, and what was handed over. One per outgoing secondment."""

    secondment = models.OneToOneField(Secondment, on_delete=models.CASCADE, related_name="handover")
    successor = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="taken_over")
    handed_over_on = models.DateField()
    notes = models.TextField(blank=True, help_text=_("Files, contacts and open matters handed over."))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    def __str__(self):
        return f"{self.secondment_id} → {self.successor_id} ({self.handed_over_on})"
