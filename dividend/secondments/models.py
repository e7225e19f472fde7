"""Secondments: an officer on a position, with dates and a status.

An officer's mission history and the country/thematic expertise it implies are derived from here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

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
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DEPLOYED = "deployed", "Deployed"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn early"
        CANCELLED = "cancelled", "Cancelled"

    # Allowed moves; every change goes through secondments.services.change_status.
    TRANSITIONS = {
        Status.PLANNED: {Status.DEPLOYED, Status.CANCELLED},
        Status.DEPLOYED: {Status.COMPLETED, Status.WITHDRAWN},
        Status.COMPLETED: set(),
        Status.WITHDRAWN: set(),
        Status.CANCELLED: set(),
    }

    # A secondment that took place (happened or is happening) counts as mission history and implies
    # expertise; a planned or cancelled one does not. The one definition: history(), took_place.
    TOOK_PLACE = frozenset({Status.DEPLOYED, Status.COMPLETED, Status.WITHDRAWN})

    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="secondments")
    position = models.ForeignKey("missions.Position", on_delete=models.PROTECT, related_name="secondments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_reason = models.TextField(blank=True)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["officer", "status"])]

    def __str__(self):
        return f"{self.officer} → {self.position}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})
        if self.officer_id and self.start_date and self.status != self.Status.CANCELLED:
            clash = (Secondment.objects.filter(officer_id=self.officer_id).exclude(pk=self.pk).occupying()
                     .overlapping(self.start_date, self.end_date).select_related("position__mission")
                     .order_by("start_date", "id").first())
            if clash is not None:
                raise ValidationError(
                    f"These dates overlap the officer's {clash.get_status_display().lower()} secondment to "
                    f"{clash.position.mission.acronym} ({clash.position.title}) from {clash.start_date:%Y-%m-%d} "
                    f"{f'to {clash.end_date:%Y-%m-%d}' if clash.end_date else 'with no end date'}; "
                    "one officer's secondments may not overlap.")

    @property
    def took_place(self) -> bool:
        return self.status in self.TOOK_PLACE

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]


def mission_history_rows(**officer_lookups):
    """(officer id, mission id, host country id, region, subregion, theme id) of the secondments that
    took place, for the officers the lookups select (officer_id__in=[...]); country or theme is None
    for a mission without any. The roster's search facts and crisis query read mission history
    through this (registered in apps.py), as the roster may not reach this app."""
    return Secondment.objects.history().filter(**officer_lookups).values_list(
        "officer_id", "position__mission_id", "position__mission__host_countries",
        "position__mission__host_countries__region", "position__mission__host_countries__subregion",
        "position__mission__thematic_areas").distinct()
