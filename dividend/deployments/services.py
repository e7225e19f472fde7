"""Secondment workflows. Every status change goes through change_status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dividend.audit.services import record
from dividend.pools import access

from .models import Secondment


def create_secondment(*, actor, officer, position, start_date, end_date=None) -> Secondment:
    """Record that an officer goes (or went) to a position; starts as planned."""
    if not (access.can_manage_secondments(actor) and access.can_edit_officer(actor, officer)
            or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("You may not record secondments for this officer.")
    with transaction.atomic():
        secondment = Secondment(officer=officer, position=position, start_date=start_date, end_date=end_date,
                                status=Secondment.Status.PLANNED, status_changed_at=timezone.now(),
                                status_changed_by=actor, status_reason="created")
        secondment.full_clean()
        secondment.save()
        record(actor=actor, action="create", obj=secondment, fields=["officer", "position", "start_date", "end_date"])
    return secondment


def change_status(*, actor, secondment: Secondment, status: str, reason: str) -> Secondment:
    """Move a secondment to another status.

    Steps: 1. check the actor may manage this officer's secondments; 2. check the move is allowed;
    3. require a reason; 4. record who/when/why on the secondment; 5. write the audit log.
    """
    if not (access.can_manage_secondments(actor) and access.can_edit_officer(actor, secondment.officer)
            or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("You may not change this secondment.")
    if status not in Secondment.Status.values:
        raise ValidationError(f"Unknown status '{status}'.")
    if not secondment.can_move_to(status):
        raise ValidationError(f"A {secondment.get_status_display().lower()} secondment cannot become "
                              f"{Secondment.Status(status).label.lower()}.")
    if not reason.strip():
        raise ValidationError("Give a reason for the change.")
    with transaction.atomic():
        previous = secondment.status
        secondment.status = status
        secondment.status_changed_at = timezone.now()
        secondment.status_changed_by = actor
        secondment.status_reason = reason.strip()
        if status in (Secondment.Status.COMPLETED, Secondment.Status.WITHDRAWN) and secondment.end_date is None:
            secondment.end_date = timezone.localdate()
        secondment.save()
        record(actor=actor, action="status", obj=secondment, fields=["status"],
               detail={"from": previous, "to": status, "reason": reason.strip()})
    return secondment
