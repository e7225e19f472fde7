"""Workflows of the duty-of-care app. Each is a keyword-only function, `actor` first, whose
docstring lists its steps; every change writes the audit log (restricted texts by field name only,
never their content)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dividend.audit.services import record
from dividend.roster.services import record_misconduct_finding
from dividend.secondments.models import Secondment
from dividend.secondments.services import cut_short

from . import access
from .models import (
    Appraisal,
    CareFile,
    Contact,
    Contingent,
    Escalation,
    LeaveDebriefing,
    LeavePeriod,
    MisconductCase,
    PoolCareOfficers,
    SecurityIncident,
)


def _today(now=None) -> dt.date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def _within_secondment(secondment: Secondment, day: dt.date, field: str, what: str) -> None:
    """Refuse a day before the secondment's start or after its end."""
    if day < secondment.start_date:
        raise ValidationError({field: _("The %(what)s (%(day)s) is before the deployment started (%(start)s).") % {
            "what": what, "day": f"{day:%Y-%m-%d}", "start": f"{secondment.start_date:%Y-%m-%d}"}})
    if secondment.end_date is not None and day > secondment.end_date:
        raise ValidationError({field: _("The %(what)s (%(day)s) is after the secondment's end (%(end)s).") % {
            "what": what, "day": f"{day:%Y-%m-%d}", "end": f"{secondment.end_date:%Y-%m-%d}"}})


def _not_future(day: dt.date, field: str, today: dt.date) -> None:
    if day > today:
        raise ValidationError({field: _("This date (%(day)s) is in the future.") % {"day": f"{day:%Y-%m-%d}"}})


def _require_deployed(secondment: Secondment) -> None:
    if secondment.status != Secondment.Status.DEPLOYED:
        raise ValidationError(_("Only a deployed secondment has a contact log; this one is %(status)s.") % {
            "status": secondment.get_status_display().lower()})


def care_file(secondment: Secondment) -> CareFile:
    """The secondment's care file, made on first use (no audit: it holds nothing yet)."""
    return CareFile.objects.get_or_create(secondment=secondment)[0]


def name_care_officers(*, actor, pool, duty_officer, head_of_unit) -> list[str]:
    """Name a pool's duty officer and head of unit (users), to whom missed contacts escalate.

    Steps: 1. check the actor may name them for the pool; 2. validate: active accounts; 3. one
    transaction: compare, save; 4. audit the changed fields. Returns them (empty: nothing changed).
    """
    if not access.can_name_care_officers(actor, pool):
        raise PermissionDenied(_("You may not name this pool's duty officer and head of unit."))
    for field, user in (("duty_officer", duty_officer), ("head_of_unit", head_of_unit)):
        if user is not None and not user.is_active:
            raise ValidationError({field: _("This account is not active.")})
    with transaction.atomic():
        current = PoolCareOfficers.objects.select_for_update().filter(pool=pool).first()
        new = {"duty_officer_id": getattr(duty_officer, "pk", None), "head_of_unit_id": getattr(head_of_unit, "pk", None)}
        old = {k: getattr(current, k) if current else None for k in new}
        changes = {k.removesuffix("_id"): (old[k], v) for k, v in new.items() if old[k] != v}
        if not changes:
            return []
        PoolCareOfficers.objects.update_or_create(pool=pool, defaults={**new, "changed_by": actor,
                                                                     "changed_at": timezone.now()})
        record(actor=actor, action="update", object_type="care.poolcareofficers", object_id=pool.pk,
               object_repr=str(pool), changes=changes)
    return sorted(changes)


def assign_desk_officer(*, actor, secondment: Secondment, desk_officer) -> bool:
    """Make a coordinator of the officer's pool the secondment's desk officer.

    Steps: 1. check the actor manages the officer's secondments; 2. validate: the desk officer is a
    coordinator of the officer's pool (pool-scoped: they write restricted notes); 3. one transaction:
    lock the care file, save who/when; 4. audit. Returns whether anything changed.
    """
    if not access.can_manage_care(actor, secondment):
        raise PermissionDenied(_("You may not assign this secondment's desk officer."))
    if desk_officer is not None and not access.may_be_desk_officer(desk_officer, secondment):
        raise ValidationError({"desk_officer": _("The desk officer must be a coordinator of the officer's pool.")})
    with transaction.atomic():
        care_file(secondment)
        file = CareFile.objects.select_for_update().get(secondment=secondment)
        before = file.desk_officer_id
        after = getattr(desk_officer, "pk", None)
        if before == after:
            return False
        file.desk_officer_id, file.assigned_by, file.assigned_at = after, actor, timezone.now()
        file.save(update_fields=["desk_officer", "assigned_by", "assigned_at"])
        record(actor=actor, action="update", obj=file, changes={"desk_officer": (before, after)},
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    return True


def refresh_last_contact(secondment: Secondment) -> dt.date | None:
    """Derived data: the care file's day of the last contact, from the contact log."""
    last = secondment.contacts.order_by("-contact_on").values_list("contact_on", flat=True).first()
    CareFile.objects.update_or_create(secondment=secondment, defaults={"last_contact_on": last})
    return last


def log_contact(*, actor, secondment: Secondment, contact_on: dt.date, channel: str, wellbeing: str,
                notes: str = "", now=None) -> Contact:
    """The desk officer (or another coordinator or HR manager of the pool with need-to-know) logs a
    contact with a deployed secondee.

    Steps: 1. check the actor keeps this secondment's contacts; 2. validate: the secondment is
    deployed, the date is not in the future, not before the deployment's start nor after its end,
    channel and wellbeing from their lists; 3. one transaction: save the contact; 4. refresh the care
    file's last contact (the board's and the escalation's count); 5. audit (field names; the notes
    are restricted and logged only as given).
    """
    if not access.can_keep_contacts(actor, secondment):
        raise PermissionDenied(_("You may not keep this secondment's contact log."))
    _require_deployed(secondment)
    _not_future(contact_on, "contact_on", _today(now))
    _within_secondment(secondment, contact_on, "contact_on", _("contact"))
    if channel not in Contact.Channel.values:
        raise ValidationError({"channel": _("Choose a channel from the list.")})
    if wellbeing not in Contact.Wellbeing.values:
        raise ValidationError({"wellbeing": _("Choose a wellbeing flag from the list.")})
    with transaction.atomic():
        contact = Contact.objects.create(secondment=secondment, contact_on=contact_on, channel=channel,
                                         wellbeing=wellbeing, notes=notes.strip(), recorded_by=actor,
                                         recorded_at=now or timezone.now())
        refresh_last_contact(secondment)
        record(actor=actor, action="create", obj=contact, fields=["contact_on", "channel", "wellbeing", "notes"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk, "restricted": ["notes"]})
    return contact


def record_escalations(*, now=None, interval_days: int | None = None) -> list[Escalation]:
    """Record the escalation steps of missed contacts that fell due by `now` (the daily command).

    For each deployed secondment whose contact is overdue: the desk officer's step when it became
    overdue, the duty officer's 24 hours later, the head of unit's 48 hours later (the pool's named
    users; nobody named: the step is recorded with nobody notified). Each step once per count.
    Steps: 1. find the overdue secondments; 2. compute the steps due; 3. one transaction: save the
    new steps; 4. audit each (the system's entry, naming the officer).
    """
    from .board import contact_overdue

    now = now or timezone.now()
    today = _today(now)
    overdue = list(contact_overdue(Secondment.objects.all(), today, interval_days)
                   .select_related("officer", "care", "officer__pool__care_officers"))
    if not overdue:
        return []
    known = set(Escalation.objects.filter(secondment__in=[s.pk for s in overdue])
                .values_list("secondment_id", "last_contact_on", "step"))
    new = []
    for s in overdue:
        officers = getattr(s.officer.pool, "care_officers", None)
        file = getattr(s, "care", None)
        recipients = {Escalation.Step.DESK_OFFICER: file.desk_officer_id if file else None,
                      Escalation.Step.DUTY_OFFICER: officers.duty_officer_id if officers else None,
                      Escalation.Step.HEAD_OF_UNIT: officers.head_of_unit_id if officers else None}
        for step, due_at in Escalation.due_steps(s.counted_from, now, interval_days):
            if (s.pk, s.counted_from, step) not in known:
                new.append(Escalation(secondment=s, step=step, last_contact_on=s.counted_from, due_at=due_at,
                                      recorded_at=now, notified_id=recipients[step]))
    with transaction.atomic():
        for escalation in new:
            escalation.save()
            record(actor=None, action="create", obj=escalation, fields=["step", "last_contact_on", "due_at"],
                   detail={"officer_id": escalation.secondment.officer_id, "secondment_id": escalation.secondment_id,
                           "step": escalation.step, "notified": escalation.notified_id})
    return new


def _leave_checks(secondment, start_date, end_date, exclude_pk=None) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": _("The leave ends before it starts.")})
    _within_secondment(secondment, start_date, "start_date", _("leave's start"))
    _within_secondment(secondment, end_date, "end_date", _("leave's end"))
    clash = (LeavePeriod.objects.filter(secondment=secondment, start_date__lte=end_date, end_date__gte=start_date)
             .exclude(pk=exclude_pk).first())
    if clash is not None:
        raise ValidationError(_("This leave overlaps the leave from %(start)s to %(end)s.") % {
            "start": f"{clash.start_date:%Y-%m-%d}", "end": f"{clash.end_date:%Y-%m-%d}"})


def record_leave(*, actor, secondment: Secondment, start_date: dt.date, end_date: dt.date) -> LeavePeriod:
    """Record a leave period at home during the deployment.

    Steps: 1. check the actor manages the officer's secondments; 2. validate: the secondment is
    deployed, the dates in order, within the secondment, not overlapping another leave; 3. one
    transaction: save; 4. audit.
    """
    if not access.can_manage_care(actor, secondment):
        raise PermissionDenied(_("You may not record this secondee's leave."))
    if secondment.status != Secondment.Status.DEPLOYED:
        raise ValidationError(_("Leave is recorded for a deployed secondment."))
    _leave_checks(secondment, start_date, end_date)
    with transaction.atomic():
        leave = LeavePeriod.objects.create(secondment=secondment, start_date=start_date, end_date=end_date,
                                           recorded_by=actor, recorded_at=timezone.now())
        record(actor=actor, action="create", obj=leave, fields=["start_date", "end_date"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    return leave


def record_leave_debriefing(*, actor, leave: LeavePeriod, held_on: dt.date, content: str, now=None) -> LeaveDebriefing:
    """Record the debriefing held during a leave (restricted).

    Steps: 1. check need-to-know; 2. validate: one per leave, held during the leave, not in the
    future, content given; 3. one transaction: save; 4. audit (field names only).
    """
    secondment = leave.secondment
    if not access.can_record_performance(actor, secondment):
        raise PermissionDenied(_("You may not record this debriefing."))
    if LeaveDebriefing.objects.filter(leave=leave).exists():
        raise ValidationError(_("This leave's debriefing is recorded already."))
    _not_future(held_on, "held_on", _today(now))
    if not (leave.start_date <= held_on <= leave.end_date):
        raise ValidationError({"held_on": _("The debriefing is held during the leave (%(start)s to %(end)s).") % {
            "start": f"{leave.start_date:%Y-%m-%d}", "end": f"{leave.end_date:%Y-%m-%d}"}})
    if not content.strip():
        raise ValidationError({"content": _("Write what was said.")})
    with transaction.atomic():
        debriefing = LeaveDebriefing.objects.create(leave=leave, held_on=held_on, content=content.strip(),
                                                    recorded_by=actor, recorded_at=timezone.now())
        record(actor=actor, action="create", obj=debriefing, fields=["held_on", "content"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "restricted": ["content"]})
    return debriefing


def record_appraisal(*, actor, secondment: Secondment, kind: str, dated_on: dt.date, rating=None,
                     reported_by: str = "", summary: str = "", now=None) -> Appraisal:
    """Record the mission's appraisal (a rating 1–5) or underperformance it reported (restricted).

    Steps: 1. check need-to-know; 2. validate: a secondment that took place, the date within it and
    not in the future, an appraisal has a rating 1–5, underperformance a summary and no rating;
    3. one transaction: save; 4. audit (field names only).
    """
    if not access.can_record_performance(actor, secondment):
        raise PermissionDenied(_("You may not record this secondee's performance."))
    if not secondment.took_place:
        raise ValidationError(_("Performance is recorded for a secondment that took place."))
    if kind not in Appraisal.Kind.values:
        raise ValidationError({"kind": _("Choose appraisal or underperformance.")})
    _not_future(dated_on, "dated_on", _today(now))
    _within_secondment(secondment, dated_on, "dated_on", _("appraisal's date"))
    if kind == Appraisal.Kind.APPRAISAL:
        if rating is None or isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValidationError({"rating": _("An appraisal's rating is a whole number from 1 to 5.")})
    else:
        if rating is not None:
            raise ValidationError({"rating": _("Underperformance is reported without a rating.")})
        if not summary.strip():
            raise ValidationError({"summary": _("Say what the mission reported.")})
    with transaction.atomic():
        appraisal = Appraisal(secondment=secondment, kind=kind, dated_on=dated_on, rating=rating,
                              reported_by=reported_by.strip(), summary=summary.strip(), recorded_by=actor,
                              recorded_at=timezone.now())
        appraisal.full_clean()
        appraisal.save()
        record(actor=actor, action="create", obj=appraisal, fields=["kind", "dated_on", "rating", "reported_by",
                                                                     "summary"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "restricted": ["rating", "summary"]})
    return appraisal


def report_misconduct(*, actor, secondment: Secondment, category: str, reported_on: dt.date, allegation: str,
                      now=None) -> MisconductCase:
    """Open a misconduct case the mission reported (restricted).

    Steps: 1. check need-to-know; 2. validate: a secondment that took place, the date not in the
    future nor before its start, a category from the list, the allegation given; 3. one transaction:
    save as under investigation; 4. audit (field names only).
    """
    if not access.can_record_performance(actor, secondment):
        raise PermissionDenied(_("You may not record misconduct cases for this secondee."))
    if not secondment.took_place:
        raise ValidationError(_("A misconduct case concerns a secondment that took place."))
    if category not in MisconductCase.Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    _not_future(reported_on, "reported_on", _today(now))
    if reported_on < secondment.start_date:
        raise ValidationError({"reported_on": _("The report (%(day)s) is before the deployment started (%(start)s).")
                               % {"day": f"{reported_on:%Y-%m-%d}", "start": f"{secondment.start_date:%Y-%m-%d}"}})
    if not allegation.strip():
        raise ValidationError({"allegation": _("Say what is alleged.")})
    with transaction.atomic():
        case = MisconductCase.objects.create(secondment=secondment, category=category, reported_on=reported_on,
                                             allegation=allegation.strip(), recorded_by=actor,
                                             recorded_at=timezone.now())
        record(actor=actor, action="create", obj=case, fields=["category", "reported_on", "allegation"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "restricted": ["category", "allegation"]})
    return case


def decide_misconduct(*, actor, case: MisconductCase, status: str, decided_on: dt.date, outcome: str,
                      repatriated_on: dt.date | None = None, now=None) -> MisconductCase:
    """Record a case's outcome: substantiated or not, and a repatriation where it came to that.

    Steps: 1. check need-to-know; 2. validate the move (`MisconductCase.TRANSITIONS`), the dates
    (decision not before the report nor in the future; repatriation only for a substantiated case,
    within the secondment and not before the report), the outcome given; 3. one transaction: save
    who/when; for a substantiated case put the finding on the officer's record through the roster's
    audited workflow (`record_misconduct_finding`: selection then reads eligible yes/no); a
    repatriation of a deployed secondment cuts it short (`secondments.services.cut_short`); 4. audit.
    """
    secondment = case.secondment
    if not access.can_record_performance(actor, secondment):
        raise PermissionDenied(_("You may not decide this case."))
    if status not in MisconductCase.Status.values or not case.can_move_to(status):
        raise ValidationError({"status": _("A case that is %(current)s cannot become %(status)s.") % {
            "current": case.get_status_display().lower(),
            "status": MisconductCase.Status(status).label.lower() if status in MisconductCase.Status.values
            else status}})
    today = _today(now)
    _not_future(decided_on, "decided_on", today)
    if decided_on < case.reported_on:
        raise ValidationError({"decided_on": _("The decision (%(day)s) is before the case was reported (%(reported)s).")
                               % {"day": f"{decided_on:%Y-%m-%d}", "reported": f"{case.reported_on:%Y-%m-%d}"}})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what was decided.")})
    if repatriated_on is not None:
        if status != MisconductCase.Status.SUBSTANTIATED:
            raise ValidationError({"repatriated_on": _("Only a substantiated case leads to repatriation.")})
        _not_future(repatriated_on, "repatriated_on", today)
        if repatriated_on < case.reported_on:
            raise ValidationError({"repatriated_on": _("The repatriation is before the case was reported.")})
        _within_secondment(secondment, repatriated_on, "repatriated_on", _("repatriation"))
    with transaction.atomic():
        case = MisconductCase.objects.select_for_update().get(pk=case.pk)
        if not case.can_move_to(status):
            raise ValidationError({"status": _("This case was decided meanwhile.")})
        before = case.status
        case.status, case.decided_on, case.outcome, case.repatriated_on = status, decided_on, outcome.strip(), repatriated_on
        case.status_changed_by, case.status_changed_at = actor, timezone.now()
        case.save(update_fields=["status", "decided_on", "outcome", "repatriated_on", "status_changed_by",
                                 "status_changed_at"])
        if status == MisconductCase.Status.SUBSTANTIATED:
            record_misconduct_finding(actor=actor, officer=secondment.officer, day=decided_on,
                                      reason=f"care.misconductcase {case.pk}")
        if repatriated_on is not None and secondment.status == Secondment.Status.DEPLOYED:
            # The secondment's own workflow: the reason stays neutral (others see the secondment).
            cut_short(actor=actor, secondment=secondment, returned_on=repatriated_on,
                      reason=gettext_noop("Repatriated before the end of the mission"))
        record(actor=actor, action="status", obj=case, changes={"status": (before, status)},
               fields=["decided_on", "outcome", "repatriated_on"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "restricted": ["outcome"]})
    return case


def record_incident(*, actor, secondment: Secondment, occurred_on: dt.date, kind: str, severity: str,
                    hurt: bool = False, description: str = "", now=None) -> SecurityIncident:
    """Record a security incident affecting the secondee.

    Steps: 1. check the actor manages the officer's secondments; 2. validate: a secondment that took
    place, the date within it and not in the future, kind and severity from their lists; 3. one
    transaction: save; 4. audit.
    """
    if not access.can_manage_care(actor, secondment):
        raise PermissionDenied(_("You may not record incidents for this secondee."))
    if not secondment.took_place:
        raise ValidationError(_("An incident concerns a secondment that took place."))
    _not_future(occurred_on, "occurred_on", _today(now))
    _within_secondment(secondment, occurred_on, "occurred_on", _("incident"))
    if kind not in SecurityIncident.Kind.values:
        raise ValidationError({"kind": _("Choose a type from the list.")})
    if severity not in SecurityIncident.Severity.values:
        raise ValidationError({"severity": _("Choose a severity from the list.")})
    with transaction.atomic():
        incident = SecurityIncident.objects.create(secondment=secondment, occurred_on=occurred_on, kind=kind,
                                                   severity=severity, hurt=bool(hurt), description=description.strip(),
                                                   recorded_by=actor, recorded_at=timezone.now())
        record(actor=actor, action="create", obj=incident,
               fields=["occurred_on", "kind", "severity", "hurt", "description"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    return incident


def contingent_members(mission):
    """The deployed secondments on the mission's positions: its national contingent."""
    return Secondment.objects.deployed().filter(position__mission=mission)


def appoint_contingent_leader(*, actor, mission, leader: Secondment | None) -> bool:
    """Appoint (or clear) the leader of the national contingent on a mission.

    Steps: 1. check the actor manages the leader's secondments (clearing: the former leader's);
    2. validate: the leader is deployed on this mission, with at least one other national officer
    there; 3. one transaction: save who/when; 4. audit. Returns whether anything changed.
    """
    current = Contingent.objects.filter(mission=mission).select_related("leader__officer").first()
    target = leader if leader is not None else (current.leader if current else None)
    if target is not None and not access.can_manage_care(actor, target):
        raise PermissionDenied(_("You may not appoint this contingent's leader."))
    if target is None and not access.can_use_care(actor):
        raise PermissionDenied(_("You may not appoint this contingent's leader."))
    if leader is not None:
        members = contingent_members(mission)
        if not members.filter(pk=leader.pk).exists():
            raise ValidationError({"leader": _("The leader must be deployed on %(mission)s now.") % {
                "mission": mission.acronym}})
        if members.count() < 2:
            raise ValidationError({"leader": _("A contingent has at least two national officers on the mission.")})
    with transaction.atomic():
        contingent, _created = Contingent.objects.select_for_update().get_or_create(mission=mission)
        before = contingent.leader_id
        after = getattr(leader, "pk", None)
        if before == after:
            return False
        contingent.leader_id, contingent.appointed_by, contingent.appointed_at = after, actor, timezone.now()
        contingent.save(update_fields=["leader", "appointed_by", "appointed_at"])
        record(actor=actor, action="update", obj=contingent, changes={"leader": (before, after)},
               detail={"mission_id": mission.pk,
                       **({"officer_id": leader.officer_id} if leader is not None else {})})
    return True


def overdue_for_desk_officer(user, today: dt.date, interval_days: int | None = None):
    """The deployed secondments whose contact is overdue, of which `user` is the desk officer."""
    from .board import contact_overdue

    return contact_overdue(Secondment.objects.filter(care__desk_officer=user), today, interval_days)

