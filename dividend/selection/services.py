"""Selection workflows: calls, their positions, nominations and outcomes. Every state change goes
through one of these keyword-only functions, which checks permission, validates, writes in one
transaction and appends to the audit log. A selected officer's planned secondment is created only
through `secondments.services.create_secondment`.
"""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record, record_many
from dividend.missions.models import Position, PositionLanguage, PositionSkill
from dividend.secondments.services import create_secondment

from . import access
from .models import Call, CallPosition, Nomination, Team, check_position_for_call

CALL_FIELDS = ("organisation", "kind", "reference", "title", "published_on", "organisation_deadline",
               "national_deadline", "notes")


def _check_pools(actor, pools, keep=()) -> None:
    """At least one pool, each coordinated by the actor (or already on the call: `keep`)."""
    if not pools:
        raise ValidationError({"pools": _("Send the call to at least one pool.")})
    own = access.coordinator_pools(actor)
    if own is not access.EVERY_POOL:
        outside = sorted(p.name for p in pools if p.pk not in own and p.pk not in keep)
        if outside:
            raise ValidationError({"pools": _("You coordinate no call for %(pools)s.") % {"pools": ", ".join(outside)}})


def _check_unique_reference(call) -> None:
    clash = Call.objects.filter(organisation=call.organisation, reference=call.reference).exclude(pk=call.pk)
    if clash.exists():
        raise ValidationError({"reference": _("A call of this organisation already has the reference %(reference)s.")
                               % {"reference": call.reference}})


def create_call(*, actor, pools, **fields) -> Call:
    """Record a call for contributions as a draft.

    Steps: 1. check the actor is a coordinator; 2. validate the pools (the actor's own, unless
    national), the dates (published ≤ national pre-deadline < organisation's deadline) and the
    reference (unique per organisation); 3. save the call and its pools in one transaction;
    4. write the audit log.
    """
    if not access.can_create_calls(actor):
        raise PermissionDenied(_("Only coordinators record calls for contributions."))
    _check_pools(actor, pools)
    with transaction.atomic():
        call = Call(**{name: fields[name] for name in CALL_FIELDS if name in fields}, created_by=actor,
                    status_changed_at=timezone.now(), status_changed_by=actor, status_reason="recorded")
        _check_unique_reference(call)
        call.full_clean()
        call.save()
        call.pools.set(pools)
        record(actor=actor, action="create", obj=call, fields=[*CALL_FIELDS, "pools"])
    return call


def update_call(*, actor, call: Call, pools, **fields) -> list[str]:
    """Correct a call's facts and pools (its status moves only through change_call_status).

    Steps: 1. check the actor manages the call; 2. validate as create_call; 3. in one transaction,
    lock the row, compare and save only what changed; 4. audit the changed fields. Returns the
    changed fields (empty: nothing changed, nothing logged).
    """
    if not access.can_manage_call(actor, call):
        raise PermissionDenied(_("You may not change this call."))
    if call.status == Call.Status.CLOSED:
        raise ValidationError(_("A closed call is not changed any more."))
    _check_pools(actor, pools, keep=set(call.pool_ids()))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        changes = {name: (getattr(call, name), fields[name]) for name in CALL_FIELDS
                   if name in fields and getattr(call, name) != fields[name]}
        old_pools = sorted(call.pool_ids())
        new_pools = sorted(p.pk for p in pools)
        if old_pools != new_pools:
            changes["pools"] = (old_pools, new_pools)
        if not changes:
            return []
        for name in CALL_FIELDS:
            if name in fields:
                setattr(call, name, fields[name])
        _check_unique_reference(call)
        call.full_clean()
        if "organisation" in changes:
            for call_position in call.positions.select_related("position__mission"):
                check_position_for_call(call, call_position.position)
        call.save()
        if "pools" in changes:
            call.pools.set(pools)
        record(actor=actor, action="update", obj=call, changes=changes)
    return sorted(changes)


def change_call_status(*, actor, call: Call, status: str, reason: str = "") -> Call:
    """Move a call on: draft → open → national selection → nominations sent → closed (or closed early).

    Steps: 1. check the actor manages the call; 2. check the move is in Call.TRANSITIONS; 3. require
    a reason to close a call early, and positions to open one; 4. record who/when/why on the call;
    5. write the audit log.
    """
    if not access.can_manage_call(actor, call):
        raise PermissionDenied(_("You may not change this call."))
    if status not in Call.Status.values:
        raise ValidationError({"status": _("Unknown status '%(status)s'.") % {"status": status}})
    if not call.can_move_to(status):
        raise ValidationError({"status": _("A call in status %(status)s cannot become %(new)s.") % {
            "status": call.get_status_display().lower(), "new": Call.Status(status).label.lower()}})
    reason = reason.strip()
    if status == Call.Status.CLOSED and call.status != Call.Status.NOMINATIONS_SENT and not reason:
        raise ValidationError({"reason": _("Give a reason to close a call before its nominations are sent.")})
    if status == Call.Status.OPEN and not call.positions.exists():
        raise ValidationError({"status": _("A call opens with at least one position.")})
    with transaction.atomic():
        previous = Call.objects.select_for_update().values_list("status", flat=True).get(pk=call.pk)
        if previous != call.status:  # moved meanwhile
            raise ValidationError({"status": _("The call's status changed meanwhile; reload the page.")})
        call.status = status
        call.status_changed_at = timezone.now()
        call.status_changed_by = actor
        call.status_reason = reason
        call.save(update_fields=["status", "status_changed_at", "status_changed_by", "status_reason"])
        record(actor=actor, action="status", obj=call, changes={"status": (previous, status)},
               detail={"reason": reason} if reason else None)
    return call


def _check_call_open_for_positions(call) -> None:
    if call.status not in (Call.Status.DRAFT, Call.Status.OPEN):
        raise ValidationError(_("Positions are added to a call while it is a draft or open."))


def new_position(*, mission, job_description=None, title="", reference="", duty_station="") -> Position:
    """A new position on a mission of the registry (not saved): from a catalogue job description
    (its title and requirements) or a title of its own."""
    if job_description is not None:
        return Position(mission=mission, job_description=job_description, title=title or job_description.title,
                        reference=reference, duty_station=duty_station or mission.location[:100],
                        minimum_rank_id=job_description.minimum_rank_id,
                        duration_months=job_description.duration_months, armed=job_description.armed)
    return Position(mission=mission, title=title, reference=reference,
                    duty_station=duty_station or mission.location[:100])


def _save_new_position(position: Position) -> Position:
    """Save a new position, with its job description's required skills, languages and qualifications."""
    position.full_clean()
    position.save()
    job = position.job_description
    if job is not None:
        PositionSkill.objects.bulk_create([PositionSkill(position=position, skill_id=s.skill_id, min_level=s.min_level)
                                           for s in job.required_skills.all()])
        PositionLanguage.objects.bulk_create([PositionLanguage(position=position, language_id=lang.language_id,
                                                               min_level=lang.min_level)
                                              for lang in job.required_languages.all()])
        position.required_qualifications.set(job.required_qualifications.all())
    return position


def add_call_position(*, actor, call: Call, position: Position, posts: int = 1) -> CallPosition:
    """Offer a position in a call: an existing one of the registry or a new one (unsaved, from
    `new_position`), saved here through the missions app's own model.

    Steps: 1. check the actor manages the call; 2. check the call takes positions (draft or open);
    3. validate: the mission is of the call's organisation and not closed, the position is not in
    the call yet, the number of posts; 4. save in one transaction; 5. write the audit log.
    """
    return add_call_positions(actor=actor, call=call, items=[(position, posts)])[0]


def add_call_positions(*, actor, call: Call, items, lines=None) -> list[CallPosition]:
    """Several positions at once (an import): all or nothing, each as add_call_position. `items`:
    (position, posts) pairs; `lines`: the file's line of each, to name in errors."""
    if not access.can_manage_call(actor, call):
        raise PermissionDenied(_("You may not change this call."))
    _check_call_open_for_positions(call)
    numbered = lines is not None
    lines = lines if numbered else list(range(1, len(items) + 1))
    problems, seen = [], set(call.positions.values_list("position_id", flat=True))
    for line, (position, posts) in zip(lines, items, strict=True):
        try:
            check_position_for_call(call, position)
            if not 1 <= int(posts) <= 100:
                raise ValidationError({"posts": _("Between 1 and 100 posts.")})
        except ValidationError as error:
            problems.append((line, "; ".join(error.messages)))
            continue
        if position.pk is not None:
            if position.pk in seen:
                problems.append((line, _("%(position)s is in the call already.") % {"position": position}))
            seen.add(position.pk)
    if problems:
        raise ValidationError([_("Line %(line)s: %(reason)s") % {"line": line, "reason": reason}
                               for line, reason in problems] if numbered else [r for _, r in problems])
    created = []
    with transaction.atomic():
        for position, posts in items:
            if position.pk is None:
                position = _save_new_position(position)
                record(actor=actor, action="create", obj=position,
                       fields=["mission", "title", "job_description", "reference"], detail={"call_id": call.pk})
            created.append(CallPosition.objects.create(call=call, position=position, posts=posts))
        entries = [{"action": "create", "obj": cp, "fields": ["call", "position", "posts"],
                    "detail": {"call_id": call.pk}} for cp in created]
        if len(entries) == 1:
            record(actor=actor, **entries[0])
        else:
            record_many(actor=actor, entries=entries)
    return created


def update_call_position(*, actor, call_position: CallPosition, posts: int) -> list[str]:
    """Change the number of posts of a position in a call. Returns the changed fields (empty:
    nothing changed, nothing logged)."""
    call = call_position.call
    if not access.can_manage_call(actor, call):
        raise PermissionDenied(_("You may not change this call."))
    if call.status == Call.Status.CLOSED:
        raise ValidationError(_("A closed call is not changed any more."))
    with transaction.atomic():
        call_position = CallPosition.objects.select_for_update().get(pk=call_position.pk)
        if call_position.posts == posts:
            return []
        changes = {"posts": (call_position.posts, posts)}
        call_position.posts = posts
        call_position.full_clean()
        call_position.save(update_fields=["posts"])
        record(actor=actor, action="update", obj=call_position, changes=changes, detail={"call_id": call.pk})
    return ["posts"]


# --- Nominations ---------------------------------------------------------------------------------

def _check_nomination_possible(call_position: CallPosition, officer, today=None) -> None:
    call = call_position.call
    if call.status != Call.Status.OPEN:
        raise ValidationError(_("The call is %(status)s: it takes no nominations.") % {
            "status": call.get_status_display().lower()})
    today = today or timezone.localdate()
    if today > call.national_deadline:
        raise ValidationError(_("The national pre-deadline (%(deadline)s) has passed: no more nominations.") % {
            "deadline": f"{call.national_deadline:%Y-%m-%d}"})
    if officer.pool_id not in call.pool_ids():
        raise ValidationError(_("The call is not sent to the officer's pool (%(pool)s).") % {"pool": officer.pool.name})
    if Nomination.objects.filter(call_position=call_position, officer=officer, status__in=Nomination.LIVE).exists():
        raise ValidationError(_("%(officer)s is already a candidate for this position.") % {"officer": officer.full_name})


def _create_nomination(*, actor, call_position, officer, origin, motivation, team=None) -> Nomination:
    with transaction.atomic():
        # Two nominations of one officer to one position at once would each miss the other.
        list(type(officer).objects.select_for_update().filter(pk=officer.pk).values_list("pk", flat=True))
        _check_nomination_possible(call_position, officer)
        now = timezone.now()
        nomination = Nomination.objects.create(
            call_position=call_position, officer=officer, origin=origin, nominated_by=actor, nominated_at=now,
            motivation=motivation.strip(), status=Nomination.Status.AWAITING_RELEASE, status_changed_at=now,
            status_changed_by=actor, status_reason=origin, team=team)
        record(actor=actor, action="create", obj=nomination, fields=["call_position", "officer", "origin", "motivation"],
               detail={"officer_id": officer.pk, "call_id": call_position.call_id,
                       **({"team_id": team.pk} if team else {})})
    return nomination


def nominate(*, actor, call_position: CallPosition, officer, motivation: str = "") -> Nomination:
    """A coordinator puts an officer forward for a position in a call.

    Steps: 1. check the actor coordinates the officer's pool; 2. validate: the call is open, the
    national pre-deadline has not passed, the call is sent to the officer's pool, the officer is not
    a candidate for the position yet; 3. lock the officer, save (awaiting the line manager's release);
    4. write the audit log.
    """
    if not access.can_nominate(actor, officer):
        raise PermissionDenied(_("You may not nominate this officer."))
    return _create_nomination(actor=actor, call_position=call_position, officer=officer,
                              origin=Nomination.Origin.COORDINATOR, motivation=motivation)


def nominate_team(*, actor, call_position: CallPosition, name: str, leader, members, equipment: str = "",
                  motivation: str = "") -> Team:
    """A coordinator puts a specialised team forward as one package: one nomination per member to a
    position with enough posts, the leader among them, the equipment list kept with the team.

    Steps: 1. check the actor coordinates every member's pool; 2. validate: at least two members,
    no more than the position's posts, the leader is a member, and every member could be nominated
    alone (open call, before the pre-deadline, the call sent to their pool, not yet a candidate);
    3. one transaction: the team, then its members' nominations (each awaiting its release) — all or
    none; 4. write the audit log (the team, and each nomination).
    """
    members = list(dict.fromkeys(members))
    for officer in members:
        if not access.can_nominate(actor, officer):
            raise PermissionDenied(_("You may not nominate %(officer)s.") % {"officer": officer.full_name})
    problems = []
    if len(members) < 2:
        problems.append(_("A team has at least two members."))
    if len(members) > call_position.posts:
        problems.append(_("The position has %(posts)d posts: a team of %(members)d does not fit.")
                        % {"posts": call_position.posts, "members": len(members)})
    if leader not in members:
        problems.append(_("The team leader must be one of its members."))
    for officer in members:  # every member who could not be nominated alone, not just the first
        try:
            _check_nomination_possible(call_position, officer)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        team = Team.objects.create(call_position=call_position, name=name.strip(), leader=leader,
                                   equipment="\n".join(line.strip() for line in equipment.splitlines() if line.strip()),
                                   nominated_by=actor, nominated_at=timezone.now())
        nominations = [_create_nomination(actor=actor, call_position=call_position, officer=officer,
                                          origin=Nomination.Origin.COORDINATOR, motivation=motivation, team=team)
                       for officer in members]
        record(actor=actor, action="create", obj=team, fields=["call_position", "name", "leader", "equipment"],
               detail={"call_id": call_position.call_id, "officer_ids": [o.pk for o in members],
                       "nomination_ids": [n.pk for n in nominations]})
    return team


def express_interest(*, actor, call_position: CallPosition, officer, motivation: str = "") -> Nomination:
    """An officer puts themself forward for a position, from their own page; then, as a coordinator's
    nomination, it awaits their line manager's release.

    Steps: 1. check the actor is the officer; 2.–4. as nominate.
    """
    if not access.can_express_interest(actor, officer):
        raise PermissionDenied(_("Only the officer expresses their own interest."))
    return _create_nomination(actor=actor, call_position=call_position, officer=officer,
                              origin=Nomination.Origin.INTEREST, motivation=motivation)


def _move(*, actor, nomination: Nomination, status, reason: str, release: bool = False, feedback=None,
          secondment=None) -> Nomination:
    """Save a move of a nomination (checked by the caller) with who/when/why, and audit it."""
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if not locked.can_move_to(status):
            raise ValidationError(_("A nomination in status %(status)s cannot become %(new)s.") % {
                "status": locked.get_status_display().lower(), "new": Nomination.Status(status).label.lower()})
        previous = locked.status
        now = timezone.now()
        nomination.status, nomination.status_changed_at, nomination.status_changed_by = status, now, actor
        nomination.status_reason = reason
        fields = ["status", "status_changed_at", "status_changed_by", "status_reason"]
        changes = {"status": (previous, status)}
        if release:
            nomination.release_decided_at, nomination.release_decided_by = now, actor
            fields += ["release_decided_at", "release_decided_by"]
        if feedback is not None and feedback != locked.feedback:
            changes["feedback"] = (locked.feedback, feedback)
            nomination.feedback = feedback
            fields.append("feedback")
        if secondment is not None:
            nomination.secondment = secondment
            fields.append("secondment")
        nomination.save(update_fields=fields)
        record(actor=actor, action="status", obj=nomination, changes=changes,
               detail={"officer_id": nomination.officer_id, "call_id": nomination.call_position.call_id,
                       **({"reason": reason} if reason else {}),
                       **({"secondment_id": secondment.pk} if secondment is not None else {})})
    return nomination


def _check_move(nomination, status) -> None:
    if not nomination.can_move_to(status):
        raise ValidationError(_("A nomination in status %(status)s cannot become %(new)s.") % {
            "status": nomination.get_status_display().lower(), "new": Nomination.Status(status).label.lower()})


def release(*, actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The line manager lets the officer go if selected.

    Steps: 1. check the actor is an HR manager of the officer's pool; 2. check the nomination awaits
    the release; 3. record the release (who, when: the release step's duration) and audit it.
    """
    if not access.can_decide_release(actor, nomination):
        raise PermissionDenied(_("Only the officer's line manager (HR of their pool) releases them."))
    _check_move(nomination, Nomination.Status.RELEASED)
    return _move(actor=actor, nomination=nomination, status=Nomination.Status.RELEASED, reason=reason.strip(),
                 release=True)


def refuse_release(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The line manager keeps the officer at home, with a reason the officer and coordinator see.

    Steps: 1. check the actor is an HR manager of the officer's pool; 2. check the nomination awaits
    the release and a reason is given; 3. record the refusal and audit it.
    """
    if not access.can_decide_release(actor, nomination):
        raise PermissionDenied(_("Only the officer's line manager (HR of their pool) releases them."))
    _check_move(nomination, Nomination.Status.REFUSED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for refusing the release.")})
    return _move(actor=actor, nomination=nomination, status=Nomination.Status.REFUSED, reason=reason.strip(),
                 release=True)


def approve_without_release(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """A national coordinator approves the nomination without the line manager's release, where
    national rules allow it (settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE), with a written reason.

    Steps: 1. check the setting and that the actor is a national coordinator; 2. check the
    nomination awaits the release and a reason is given; 3. record the approval and audit it.
    """
    if not access.approval_without_release_allowed():
        raise PermissionDenied(_("National rules here require the line manager's release."))
    if not access.can_approve_without_release(actor, nomination):
        raise PermissionDenied(_("Only a national coordinator approves without the release."))
    _check_move(nomination, Nomination.Status.APPROVED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for approving without the release.")})
    return _move(actor=actor, nomination=nomination, status=Nomination.Status.APPROVED, reason=reason.strip(),
                 release=True)


def withdraw_nomination(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The officer or their coordinator withdraws a nomination still in the running, with a reason."""
    if not access.can_withdraw_nomination(actor, nomination):
        raise PermissionDenied(_("You may not withdraw this nomination."))
    _check_move(nomination, Nomination.Status.WITHDRAWN)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the withdrawal.")})
    return _move(actor=actor, nomination=nomination, status=Nomination.Status.WITHDRAWN, reason=reason.strip())


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def decide_outcome(*, actor, nomination: Nomination, outcome: str, feedback: str, start_date=None,
                   end_date=None) -> Nomination:
    """Record the outcome for a nominee: selected, reserve or not selected, with feedback text they
    see on their own page. A selected officer gets a planned secondment on the position, created
    through secondments.services.create_secondment (its own checks: dates, no overlap).

    Steps: 1. check the actor coordinates the officer's pool; 2. check the move (released or
    approved, or reserve, to an outcome) and the feedback; for "selected", the start date (the end
    date defaults to the position's duration); 3. in one transaction: create the planned secondment
    if selected, save the outcome; 4. write the audit log (the secondment's own entry included).
    """
    if not access.can_decide_outcome(actor, nomination):
        raise PermissionDenied(_("You may not decide on this nomination."))
    if outcome not in Nomination.OUTCOMES:
        raise ValidationError({"outcome": _("Choose selected, reserve or not selected.")})
    _check_move(nomination, outcome)
    feedback = feedback.strip()
    if not feedback:
        raise ValidationError({"feedback": _("Write the feedback the nominee will read.")})
    if outcome == Nomination.Status.SELECTED and start_date is None:
        raise ValidationError({"start_date": _("A selected officer's secondment needs its start date.")})
    with transaction.atomic():
        secondment = None
        if outcome == Nomination.Status.SELECTED:
            position = nomination.call_position.position
            end_date = end_date or add_months(start_date, position.duration_months) - dt.timedelta(days=1)
            secondment = create_secondment(actor=actor, officer=nomination.officer, position=position,
                                           start_date=start_date, end_date=end_date,
                                           reason=_("Selected in call %(reference)s") % {
                                               "reference": nomination.call_position.call.reference})
        return _move(actor=actor, nomination=nomination, status=outcome, reason="", feedback=feedback,
                     secondment=secondment)
