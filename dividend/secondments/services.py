"""Secondment workflows. Every status change goes through make_move (one function per move)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.roster.access import can_manage_secondments
from dividend.roster.facts import refresh_search_facts
from dividend.roster.services import save_officer

from .access import can_change_secondment, can_make_move
from .models import Extension, Handover, Promotion, Secondment
from .signals import secondment_moved

# A secondment can be recorded as selected (by hand, outside a call), as preparing, or (for mission
# history that predates Dividend) as already under way or returned.
INITIAL_STATUSES = (Secondment.Status.SELECTED, Secondment.Status.PREPARING, Secondment.Status.DEPLOYED,
                    Secondment.Status.RETURNED)


def record_read(*, actor, secondment: Secondment, fields) -> None:
    """Log that `actor` was shown one secondment (the API's record, the edit form opened): one entry,
    naming the officer too, as the list pages do."""
    record(actor=actor, action="read", obj=secondment, fields=list(fields), detail={"officer_id": secondment.officer_id})


def create_secondment(*, actor, officer, position, start_date, end_date=None,
                      status=Secondment.Status.SELECTED, reason: str = "") -> Secondment:
    """Record that an officer goes (or went) to a position.

    Steps: 1. check the actor manages this officer's secondments; 2. check the initial status
    (selected, preparing, deployed, or returned with an end date); 3. lock the officer and validate the dates
    (in order, and not overlapping another of the officer's secondments unless that one was
    cancelled); 4. save with who/when/why; 5. refresh the officer's search facts (mission history
    implies expertise); 6. write the audit log.
    """
    if not can_manage_secondments(actor, officer):
        raise PermissionDenied(_("You may not record secondments for this officer."))
    if status not in INITIAL_STATUSES:
        raise ValidationError({"status": _("A secondment starts as selected, preparing, deployed or returned.")})
    if status == Secondment.Status.RETURNED and end_date is None:
        raise ValidationError({"end_date": _("A returned secondment needs its end date.")})
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
    """Correct where and when a secondment is (the status moves only through make_move).

    Steps: 1. check the actor manages this officer's secondments; 2. validate the dates (a completed or
    withdrawn secondment keeps an end date); 3. in one transaction, lock the row, compare and save;
    4. refresh the officer's search facts (another mission implies other expertise); 5. audit the
    changed fields. Returns the changed fields (empty: nothing changed, nothing logged).
    """
    if not can_manage_secondments(actor, secondment.officer):
        raise PermissionDenied(_("You may not change this secondment."))
    if end_date is None and secondment.status in Secondment.ENDED:
        raise ValidationError({"end_date": _("A %(status)s secondment keeps its end date.") % {
            "status": secondment.get_status_display().lower()}})
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


def make_move(*, actor, secondment: Secondment, move, reason: str = "", date: dt.date | None = None) -> Secondment:
    """Move a secondment on through its lifecycle (Secondment.TRANSITIONS); the per-move functions
    below call this.

    Steps: 1. check the actor may make this move on this officer's secondment (access.MOVE_ROLES);
    2. check the move is allowed from the current status, with a reason where one is required and a
    date that fits it (an extension ends after the current end; a return is not before the start nor
    in the future; a cut-short return is before the planned end); 3. in one transaction, lock the row
    and check its status again, record who/when/why, the new end date, the cut-short flag and reason,
    an Extension row, and validate the dates (no overlap with the officer's other secondments);
    4. tell higher apps (signals.secondment_moved, inside the transaction: a preparation checklist is
    made with the move or not at all); 5. refresh the officer's search facts (whether it counts as
    mission history may change); 6. write the audit log.
    """
    if move not in Secondment.Move.values:
        raise ValidationError({"move": _("Unknown move '%(move)s'.") % {"move": move}})
    move = Secondment.Move(move)
    if not can_make_move(actor, secondment, move):
        raise PermissionDenied(_("You may not %(move)s this secondment.") % {"move": move.label.lower()})
    reason = (reason or "").strip()
    _check_move(secondment, move, reason, date)
    with transaction.atomic():
        locked = Secondment.objects.select_for_update().get(pk=secondment.pk)
        _check_move(locked, move, reason, date)  # another user may have moved it meanwhile
        previous = {"status": locked.status, "end_date": locked.end_date, "cut_short": locked.cut_short}
        locked.status = locked.status_after(move)
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = actor
        locked.status_reason = reason or move.label
        today = timezone.localdate()
        if move == Secondment.Move.EXTEND:
            locked.end_date = date
        elif move in (Secondment.Move.RETURN, Secondment.Move.CUT_SHORT):
            locked.end_date = date or today
        if move == Secondment.Move.CUT_SHORT:
            locked.cut_short, locked.cut_short_reason = True, reason
        locked.full_clean()
        locked.save()
        if move == Secondment.Move.EXTEND:
            Extension.objects.create(secondment=locked, previous_end_date=previous["end_date"], new_end_date=date,
                                     reason=reason, recorded_at=locked.status_changed_at, recorded_by=actor)
        secondment_moved.send(sender=Secondment, secondment=locked, move=move, actor=actor)
        refresh_search_facts(officer_ids=[locked.officer_id])
        changes = {name: (old, getattr(locked, name)) for name, old in previous.items() if getattr(locked, name) != old}
        record(actor=actor, action="status", obj=locked, changes=changes,
               detail={"officer_id": locked.officer_id, "move": move.value, "reason": locked.status_reason})
    for name in ("status", "status_changed_at", "status_changed_by", "status_reason", "end_date", "cut_short",
                 "cut_short_reason"):
        setattr(secondment, name, getattr(locked, name))
    return secondment


def _check_move(secondment: Secondment, move, reason: str, date) -> None:
    """Refuse a move out of order, without a needed reason, or with a date that contradicts the record."""
    if not secondment.can_make(move):
        raise ValidationError(_("A %(status)s secondment cannot be moved on by “%(move)s”.") % {
            "status": secondment.get_status_display().lower(), "move": move.label.lower()})
    if move in Secondment.REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give a reason for “%(move)s”.") % {"move": move.label.lower()}})
    if date is not None and move not in Secondment.DATED:
        raise ValidationError({"date": _("“%(move)s” takes no date.") % {"move": move.label}})
    today = timezone.localdate()
    if move == Secondment.Move.EXTEND:
        if date is None:
            raise ValidationError({"date": _("Give the new end date.")})
        if secondment.end_date is not None and date <= secondment.end_date:
            raise ValidationError({"date": _("An extension ends after the current end date (%(end)s).") % {
                "end": f"{secondment.end_date:%Y-%m-%d}"}})
        if date < secondment.start_date:
            raise ValidationError({"date": _("The new end date is before the start date.")})
    if move in (Secondment.Move.RETURN, Secondment.Move.CUT_SHORT):
        back = date or today
        if back < secondment.start_date:
            raise ValidationError({"date": _("The return is before the departure (%(start)s).") % {
                "start": f"{secondment.start_date:%Y-%m-%d}"}})
        if back > today:
            raise ValidationError({"date": _("A return is recorded once the officer is back: the date is in the future.")})
        if (move == Secondment.Move.CUT_SHORT and secondment.end_date is not None
                and back >= secondment.end_date):
            raise ValidationError({"date": _("A secondment cut short ends before its planned end (%(end)s).") % {
                "end": f"{secondment.end_date:%Y-%m-%d}"}})


def start_preparing(*, actor, secondment: Secondment, reason: str = "") -> Secondment:
    """Selected → preparing: the pre-deployment checklist starts (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.PREPARE, reason=reason)


def deploy(*, actor, secondment: Secondment, reason: str = "") -> Secondment:
    """Preparing → deployed: the officer has left for the mission (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.DEPLOY, reason=reason)


def extend(*, actor, secondment: Secondment, end_date: dt.date, reason: str) -> Secondment:
    """A deployed secondment gets a later end date, kept as an Extension (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.EXTEND, reason=reason, date=end_date)


def complete_return(*, actor, secondment: Secondment, returned_on: dt.date | None = None, reason: str = "") -> Secondment:
    """Deployed → returned at the end of the mission (today unless given) (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.RETURN, reason=reason, date=returned_on)


def cut_short(*, actor, secondment: Secondment, reason: str, returned_on: dt.date | None = None) -> Secondment:
    """Deployed → returned before the planned end, with the reason kept on the record (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.CUT_SHORT, reason=reason,
                     date=returned_on)


def reintegrate(*, actor, secondment: Secondment, reason: str = "") -> Secondment:
    """Returned → reintegrated: the returnee holds their next post at home (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.REINTEGRATE, reason=reason)


def cancel(*, actor, secondment: Secondment, reason: str) -> Secondment:
    """Selected or preparing → cancelled, with a reason (make_move)."""
    return make_move(actor=actor, secondment=secondment, move=Secondment.Move.CANCEL, reason=reason)


def record_promotion(*, actor, secondment: Secondment, rank, effective_on: dt.date, reason: str = "") -> Promotion:
    """A deployed officer is promoted: the new rank goes on their record and the promotion on the
    secondment.

    Steps: 1. check the actor manages this officer's secondments; 2. validate: the secondment is
    deployed, the rank differs from the officer's, the date falls within the secondment and not in the
    future; 3. in one transaction, lock the officer, save the new rank through
    roster.services.save_officer (its own permission check, search document and audit entry) and the
    Promotion row; 4. write the audit log (the promotion, naming the officer).
    """
    if not can_change_secondment(actor, secondment):
        raise PermissionDenied(_("You may not change this secondment."))
    if secondment.status != Secondment.Status.DEPLOYED:
        raise ValidationError(_("A promotion while deployed is recorded on a deployed secondment; this one is %(status)s.")
                              % {"status": secondment.get_status_display().lower()})
    officer = secondment.officer
    if rank.pk == officer.rank_id:
        raise ValidationError({"rank": _("The officer already holds this rank.")})
    if effective_on < secondment.start_date or effective_on > timezone.localdate() or (
            secondment.end_date is not None and effective_on > secondment.end_date):
        raise ValidationError({"effective_on": _("The promotion takes effect during the secondment, and not in the future.")})
    with transaction.atomic():
        officer = type(officer).objects.select_for_update().select_related("pool", "rank").get(pk=officer.pk)
        previous = officer.rank
        officer.rank = rank
        save_officer(actor=actor, officer=officer)
        promotion = Promotion.objects.create(secondment=secondment, previous_rank=previous, new_rank=rank,
                                             effective_on=effective_on, reason=reason.strip(),
                                             recorded_at=timezone.now(), recorded_by=actor)
        record(actor=actor, action="create", obj=promotion,
               fields=["previous_rank", "new_rank", "effective_on", "reason"],
               detail={"officer_id": officer.pk, "secondment_id": secondment.pk})
    secondment.officer = officer
    return promotion


def record_handover(*, actor, secondment: Secondment, successor: Secondment, handed_over_on: dt.date,
                    notes: str = "") -> Handover:
    """The outgoing secondee hands the position over to the successor.

    Steps: 1. check the actor manages the outgoing officer's secondments; 2. validate: the outgoing
    secondment took place, the successor is another live secondment (selected, preparing or deployed)
    on the same position, the date falls within the outgoing secondment, not before the successor
    starts and not in the future, and no handover is recorded yet; 3. save the Handover in one
    transaction with the outgoing row locked; 4. write the audit log.
    """
    if not can_change_secondment(actor, secondment):
        raise PermissionDenied(_("You may not change this secondment."))
    live = (Secondment.Status.SELECTED, Secondment.Status.PREPARING, Secondment.Status.DEPLOYED)
    if not secondment.took_place:
        raise ValidationError(_("A handover is recorded for a secondment that took place."))
    if successor.pk == secondment.pk or successor.position_id != secondment.position_id or successor.status not in live:
        raise ValidationError({"successor": _("The successor is another selected, preparing or deployed secondment "
                                              "on the same position.")})
    if (handed_over_on < max(secondment.start_date, successor.start_date) or handed_over_on > timezone.localdate()
            or (secondment.end_date is not None and handed_over_on > secondment.end_date)):
        raise ValidationError({"handed_over_on": _("The handover falls within the outgoing secondment, on or after "
                                                   "the successor's start, and not in the future.")})
    with transaction.atomic():
        Secondment.objects.select_for_update().filter(pk=secondment.pk).exists()
        if Handover.objects.filter(secondment=secondment).exists():
            raise ValidationError(_("The handover of this secondment is already recorded."))
        handover = Handover.objects.create(secondment=secondment, successor=successor, handed_over_on=handed_over_on,
                                           notes=notes.strip(), recorded_at=timezone.now(), recorded_by=actor)
        record(actor=actor, action="create", obj=handover, fields=["successor", "handed_over_on", "notes"],
               detail={"officer_id": secondment.officer_id, "successor_officer_id": successor.officer_id})
    return handover


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
