"""Secondments: an officer on a position, with dates and a status.

An officer's mission history and the country/thematic expertise it implies are derived from here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

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
        """Secondments that happened or are happening (not planned or cancelled)."""
        return self.filter(status__in=[Secondment.Status.DEPLOYED, Secondment.Status.COMPLETED,
                                       Secondment.Status.WITHDRAWN])

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

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]
