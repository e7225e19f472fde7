"""Secondment workflows. Every status change goes through change_status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dividend.audit.services import record
from dividend.roster.access import can_manage_secondments
from dividend.roster.facts import refresh_search_facts

from .models import Secondment

# A secondment can be recorded as planned, or (for mission history that predates Dividend) as
# already under way or finished.
INITIAL_STATUSES = (Secondment.Status.PLANNED, Secondment.Status.DEPLOYED, Secondment.Status.COMPLETED)


def record_read(*, actor, secondment: Secondment, fields) -> None:
    """Log that `actor` was shown one secondment (the API's record, the edit form opened): one entry,
    naming the officer too, as the list pages do."""
    record(actor=actor, action="read", obj=secondment, fields=list(fields), detail={"officer_id": secondment.officer_id})


def create_secondment(*, actor, officer, position, start_date, end_date=None,
                      status=Secondment.Status.PLANNED, reason: str = "") -> Secondment:
    """Record that an officer goes (or went) to a position.

    Steps: 1. check the actor manages this officer's secondments; 2. check the initial status
    (planned, deployed, or completed with an end date); 3. lock the officer and validate the dates
    (in order, and not overlapping another of the officer's secondments unless that one was
    cancelled); 4. save with who/when/why; 5. refresh the officer's search facts (mission history
    implies expertise); 6. write the audit log.
    """
    if not can_manage_secondments(actor, officer):
        raise PermissionDenied("You may not record secondments for this officer.")
    if status not in INITIAL_STATUSES:
        raise ValidationError({"status": "A secondment starts as planned, deployed or completed."})
    if status == Secondment.Status.COMPLETED and end_date is None:
        raise ValidationError({"end_date": "A completed secondment needs its end date."})
    with transaction.atomic():
        # Two secondments recorded at once for one officer would each miss the other's overlap.
        list(type(officer).objects.select_for_update().filter(pk=officer.pk).values_list("pk", flat=True))
        secondment = Secondment(officer=officer, position=position, start_date=start_date, end_date=end_date,
                                status=status, status_changed_at=timezone.now(), status_changed_by=actor,
                                status_reason=reason.strip() or "recorded")
        secondment.full_clean()
        secondment.save()
        refresh_search_facts(officer_ids=[officer.pk])
        record(actor=actor, action="create", obj=secondment,
               fields=["officer", "position", "start_date", "end_date", "status"],
               detail={"officer_id": officer.pk})
    return secondment


def update_secondment(*, actor, secondment: Secondment, position, start_date, end_date=None,
                      reason: str = "") -> list[str]:
    """Correct where and when a secondment is (the status moves only through change_status).

    Steps: 1. check the actor manages this officer's secondments; 2. validate the dates (a completed or
    withdrawn secondment keeps an end date); 3. in one transaction, lock the row, compare and save;
    4. refresh the officer's search facts (another mission implies other expertise); 5. audit the
    changed fields. Returns the changed fields (empty: nothing changed, nothing logged).
    """
    if not can_manage_secondments(actor, secondment.officer):
        raise PermissionDenied("You may not change this secondment.")
    if end_date is None and secondment.status in (Secondment.Status.COMPLETED, Secondment.Status.WITHDRAWN):
        raise ValidationError({"end_date": f"A {secondment.get_status_display().lower()} secondment keeps its end date."})
    with transaction.atomic():
        secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
        new = {"position_id": position.pk, "start_date": start_date, "end_date": end_date}
        changes = {name.removesuffix("_id"): (getattr(secondment, name), value)
                   for name, value in new.items() if getattr(secondment, name) != value}
        fields = sorted(changes)
        if not fields:
            return []
        for name, value in new.items():
            setattr(secondment, name, value)
        secondment.full_clean()
        secondment.save()
        refresh_search_facts(officer_ids=[secondment.officer_id])
        record(actor=actor, action="update", obj=secondment, changes=changes,
               detail={"officer_id": secondment.officer_id, **({"reason": reason.strip()} if reason.strip() else {})})
    return fields


def change_status(*, actor, secondment: Secondment, status: str, reason: str) -> Secondment:
    """Move a secondment to another status.

    Steps: 1. check the actor may manage this officer's secondments; 2. check the move is allowed;
    3. require a reason; 4. record who/when/why on the secondment, ending it today if it ends now without
    an end date, and validate the dates again (in order, no overlap); 5. refresh the officer's search
    facts (whether it counts as mission history may change); 6. write the audit log.
    """
    if not can_manage_secondments(actor, secondment.officer):
        raise PermissionDenied("You may not change this secondment.")
    if status not in Secondment.Status.values:
        raise ValidationError(f"Unknown status '{status}'.")
    if not secondment.can_move_to(status):
        raise ValidationError(f"A {secondment.get_status_display().lower()} secondment cannot become "
                              f"{Secondment.Status(status).label.lower()}.")
    if not reason.strip():
        raise ValidationError("Give a reason for the change.")
    with transaction.atomic():
        previous, previous_end = secondment.status, secondment.end_date
        secondment.status = status
        secondment.status_changed_at = timezone.now()
        secondment.status_changed_by = actor
        secondment.status_reason = reason.strip()
        if status in (Secondment.Status.COMPLETED, Secondment.Status.WITHDRAWN) and secondment.end_date is None:
            secondment.end_date = timezone.localdate()
        secondment.full_clean()
        secondment.save()
        refresh_search_facts(officer_ids=[secondment.officer_id])
        changes = {"status": (previous, status)}
        if secondment.end_date != previous_end:
            changes["end_date"] = (previous_end, secondment.end_date)
        record(actor=actor, action="status", obj=secondment, changes=changes,
               detail={"officer_id": secondment.officer_id, "reason": reason.strip()})
    return secondment


def refresh_facts_of_secondees(*, mission_ids=None, position_ids=None) -> int:
    """After a mission's host countries or thematic areas change (admin, registry reload), or a
    position moves to another mission, refresh the search facts of everyone seconded there: the
    expertise their mission history implies changed. No ids: everyone with a secondment."""
    secondments = Secondment.objects.all()
    if mission_ids is not None:
        secondments = secondments.filter(position__mission_id__in=list(mission_ids))
    if position_ids is not None:
        secondments = secondments.filter(position_id__in=list(position_ids))
    officer_ids = set(secondments.values_list("officer_id", flat=True))
    return refresh_search_facts(officer_ids=officer_ids) if officer_ids else 0
