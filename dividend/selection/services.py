"""Selection workflows: calls, their positions, nominations and outcomes. Every state change goes
through one of these keyword-only functions, which checks permission, validates, writes in one
transaction and appends to the audit log. A selected officer's planned secondment is created only
through `secondments.services.create_secondment`.
"""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record, record_many
from dividend.missions.models import Position, PositionLanguage, PositionSkill
from dividend.secondments.services import create_secondment

from . import access, call_assignment, panel
from .models import (
    AssignmentRun,
    Call,
    CallPosition,
    Decision,
    Nomination,
    PanelScore,
    Team,
    check_position_for_call,
)

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
    """Save a new position, with its job description's required skills, languages, qualifications and
    thematic tags (a catalogue position inherits what the post works on)."""
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
        position.thematic_tags.set(job.thematic_tags.all())
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


def _check_outcome(nomination, outcome, feedback, start_date) -> str:
    if outcome not in Nomination.OUTCOMES:
        raise ValidationError({"outcome": _("Choose selected, reserve or not selected.")})
    _check_move(nomination, outcome)
    feedback = feedback.strip()
    if not feedback:
        raise ValidationError({"feedback": _("Write the feedback the nominee will read.")})
    if outcome == Nomination.Status.SELECTED and start_date is None:
        raise ValidationError({"start_date": _("A selected officer's secondment needs its start date.")})
    return feedback


def _apply_outcome(*, actor, nomination: Nomination, outcome: str, feedback: str, start_date=None,
                   end_date=None) -> Nomination:
    """Move the nominee to the outcome (inside the caller's transaction); a selected officer gets a
    planned secondment through secondments.services.create_secondment (its own checks)."""
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


# --- Selection on the record: panel scores, decisions ---------------------------------------------

SCORING_STATUSES = (Call.Status.OPEN, Call.Status.NATIONAL_SELECTION)


def submit_panel_score(*, actor, nomination: Nomination, score, comment: str = "") -> PanelScore:
    """A panel member scores a nominee of the call, independently: once submitted, the score is final
    (neither changed nor withdrawn: the record shows what each member thought before seeing the others).

    Steps: 1. check the actor sits on the call's panel; 2. validate: the call is open or in national
    selection, the nomination is in the running, the score a whole number from 0 to 100, no score of
    the actor on this nominee yet; 3. save in one transaction (the unique constraint settles a
    double submission); 4. write the audit log.
    """
    call = nomination.call_position.call
    if not access.can_score(actor, call):
        raise PermissionDenied(_("Only the call's panel members score its nominees."))
    if call.status not in SCORING_STATUSES:
        raise ValidationError(_("The call is %(status)s: the panel scores while it is open or in national "
                                "selection.") % {"status": call.get_status_display().lower()})
    if nomination.status not in panel.SCORED:
        raise ValidationError(_("This nomination is %(status)s: it is not scored.") % {
            "status": nomination.get_status_display().lower()})
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is a whole number from 0 to 100.")})
    comment = (comment or "").strip().replace("\r\n", "\n")
    with transaction.atomic():
        if PanelScore.objects.filter(nomination=nomination, member=actor).exists():
            raise ValidationError(_("You have scored this nominee already: a submitted score is final."))
        try:
            with transaction.atomic():
                entry = PanelScore.objects.create(nomination=nomination, member=actor, score=score, comment=comment,
                                                  submitted_at=timezone.now())
        except IntegrityError:
            raise ValidationError(_("You have scored this nominee already: a submitted score is final.")) from None
        record(actor=actor, action="submit", obj=entry, fields=["score", "comment"],
               detail={"call_id": call.pk, "nomination_id": nomination.pk, "officer_id": nomination.officer_id,
                       "score": score})
    return entry


def latest_run(call):
    """The call's latest solved assignment run (what a decision is compared with), or None."""
    return (AssignmentRun.objects.filter(call=call, status__in=("optimal", "feasible"))
            .order_by("-created_at", "-id").first())


def departures_of(*, nomination: Nomination, outcome: str, viewer) -> tuple[list[str], AssignmentRun | None]:
    """How an outcome departs from the ranked order of the position (selecting someone outside the
    top eligible candidates for its posts, or not selecting one inside) and from the call's latest
    optimal assignment (selecting someone it leaves out, or not selecting someone it assigns)."""
    selected = outcome == Nomination.Status.SELECTED
    departures = []
    top = ranked_top(nomination.call_position, viewer=viewer)
    if top is not None and (nomination.pk in top) != selected:
        departures.append(Decision.Departure.RANKING.value)
    run = latest_run(nomination.call_position.call)
    if run is not None and (nomination.pk in run.assigned_nominations()) != selected:
        departures.append(Decision.Departure.ASSIGNMENT.value)
    return departures, run


def ranked_top(call_position: CallPosition, *, viewer) -> set[int] | None:
    """The nominations the ranked order would select for the position: the best eligible ones among
    those that can be selected (released, approved, reserve, or selected already), as many as it has
    posts (None: no ranking to compare with)."""
    from .candidates import rank_position

    ranked = [r for r in rank_position(call_position, viewer=viewer) if r.eligible and r.nomination.status in call_assignment.ASSIGNABLE]
    return {r.nomination.pk for r in ranked[:call_position.posts]}


def propose_decision(*, actor, nomination: Nomination, outcome: str, feedback: str, justification: str = "",
                     start_date=None, end_date=None) -> Decision:
    """Propose the outcome for a nominee (selected, reserve, not selected) with the feedback they will
    read; another coordinator approves it (approve_decision).

    Steps: 1. check the actor may decide on the nominee (a coordinator of their pool or a national
    one); 2. validate the move, the feedback, the start date for a selected officer, no other
    proposal open; compare with the ranked order and the latest optimal assignment: a departure needs
    a written justification; 3. save in one transaction; 4. write the audit log (departures and
    justification included).
    """
    if not access.can_propose_decision(actor, nomination):
        raise PermissionDenied(_("You may not decide on this nomination."))
    feedback = _check_outcome(nomination, outcome, feedback, start_date)
    justification = (justification or "").strip()
    departures, run = departures_of(nomination=nomination, outcome=outcome, viewer=actor)
    if departures and not justification:
        raise ValidationError({"justification": _(
            "This decision departs from %(what)s: write the justification.") % {
            "what": _(" and ").join(_DEPARTURE_TEXT[d]() for d in departures)}})
    with transaction.atomic():
        if Decision.objects.filter(nomination=nomination, status=Decision.Status.PROPOSED).exists():
            raise ValidationError(_("A decision on this nominee awaits approval already."))
        decision = Decision.objects.create(
            nomination=nomination, outcome=outcome, feedback=feedback, start_date=start_date, end_date=end_date,
            justification=justification, departures=departures, assignment_run=run, proposed_by=actor,
            proposed_at=timezone.now())
        record(actor=actor, action="create", obj=decision,
               fields=["outcome", "feedback", "start_date", "end_date", "justification"],
               detail={"call_id": nomination.call_position.call_id, "nomination_id": nomination.pk,
                       "officer_id": nomination.officer_id, "outcome": outcome, "departures": departures,
                       "justification": justification, "assignment_run_id": run.pk if run else None})
    return decision


_DEPARTURE_TEXT = {"ranking": lambda: _("the ranked order"), "assignment": lambda: _("the optimal assignment")}


def _check_approver(actor, decision) -> None:
    nomination = decision.nomination
    if not access.can_decide_outcome(actor, nomination):
        raise PermissionDenied(_("You may not decide on this nomination."))
    if actor.pk == nomination.nominated_by_id:
        raise PermissionDenied(_("You proposed this candidate: another coordinator approves the decision."))
    if actor.pk == decision.proposed_by_id:
        raise PermissionDenied(_("You proposed this decision: another coordinator approves it."))
    if decision.status != Decision.Status.PROPOSED:
        raise ValidationError(_("This decision is %(status)s already.") % {
            "status": decision.get_status_display().lower()})


def approve_decision(*, actor, decision: Decision) -> Decision:
    """Approve a proposed decision: the nominee's outcome is recorded (a selected officer's planned
    secondment created) and they read the feedback.

    Steps: 1. check the actor may decide on the nominee and neither nominated the candidate nor
    proposed the decision; 2. check the decision is still proposed and the move allowed; 3. in one
    transaction: lock the decision, apply the outcome (secondments.services.create_secondment for a
    selected officer), mark it approved; 4. write the audit log (the outcome's and the decision's).
    """
    _check_approver(actor, decision)
    nomination = decision.nomination
    _check_move(nomination, decision.outcome)
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Decision.Status.PROPOSED:
            raise ValidationError(_("This decision is %(status)s already.") % {
                "status": locked.get_status_display().lower()})
        _apply_outcome(actor=actor, nomination=nomination, outcome=decision.outcome, feedback=decision.feedback,
                       start_date=decision.start_date, end_date=decision.end_date)
        decision.status, decision.decided_by, decision.decided_at = Decision.Status.APPROVED, actor, timezone.now()
        decision.save(update_fields=["status", "decided_by", "decided_at"])
        record(actor=actor, action="decide", obj=decision, changes={"status": ("proposed", "approved")},
               detail={"call_id": nomination.call_position.call_id, "nomination_id": nomination.pk,
                       "officer_id": nomination.officer_id, "outcome": decision.outcome,
                       "proposed_by": decision.proposed_by_id, "departures": decision.departures,
                       "justification": decision.justification})
    return decision


def reject_decision(*, actor, decision: Decision, reason: str) -> Decision:
    """Send a proposed decision back, with a reason; the nominee's status does not change.

    Steps: 1. as approve_decision; 2. a reason is required; 3. mark it rejected; 4. audit.
    """
    _check_approver(actor, decision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the decision.")})
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Decision.Status.PROPOSED:
            raise ValidationError(_("This decision is %(status)s already.") % {
                "status": locked.get_status_display().lower()})
        decision.status, decision.decided_by, decision.decided_at = Decision.Status.REJECTED, actor, timezone.now()
        decision.decision_reason = reason
        decision.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record(actor=actor, action="decide", obj=decision, changes={"status": ("proposed", "rejected")},
               detail={"call_id": decision.nomination.call_position.call_id, "nomination_id": decision.nomination_id,
                       "officer_id": decision.nomination.officer_id, "reason": reason})
    return decision


# --- The optimal assignment of a call ------------------------------------------------------------

def run_assignment(*, actor, call: Call, parameters: dict) -> AssignmentRun:
    """Run the optimal assignment of the call's nominees to its posts under the chosen constraints,
    beside the greedy baseline and with each constraint's cost, and store the run (who, when, the
    parameters, the result) so that decisions can be compared with it. An infeasible set of
    constraints is a result (stored, naming the constraints that clash), not an error.

    Steps: 1. check the actor manages the call; 2. validate: the parameters (AssignmentForm's
    cleaned data), the call has nominees who can be assigned; 3. solve (call_assignment.solve) and
    save the run; 4. write the audit log.
    """
    from .engine import AssignmentInputError

    if not access.can_run_assignment(actor, call):
        raise PermissionDenied(_("You may not run the assignment of this call."))
    if not Nomination.objects.filter(call_position__call=call, status__in=call_assignment.ASSIGNABLE).exists():
        raise ValidationError(_("No nominee can be assigned yet: nominations need the line manager's release "
                                "(or an approval without it) first."))
    try:
        status, total, result = call_assignment.solve(call, parameters, viewer=actor)
    except AssignmentInputError as error:
        raise ValidationError(error.messages) from None
    with transaction.atomic():
        run = AssignmentRun.objects.create(call=call, created_by=actor, created_at=timezone.now(),
                                           parameters=parameters, status=status, total_score=total, result=result)
        record(actor=actor, action="create", obj=run, fields=["parameters", "result"],
               detail={"call_id": call.pk, "parameters": parameters, "status": status, "total_score": total,
                       "assigned_nominations": sorted(run.assigned_nominations()),
                       "infeasible_keys": result["optimal"]["infeasible_keys"]})
    return run


# --- Strategic positions (docs/selection.md, "Strategic positions") ------------------------------

def set_relevance_weights(*, actor, weights: dict[str, float], reason: str):
    """Set the weights of the relevance parts in force.

    Steps: 1. check the actor is a national policy officer; 2. validate the weights (every part,
    0–1000, one above 0) and the reason; 3. nothing changed → nothing written; 4. one transaction:
    a new RelevanceWeights row (the earlier ones stay as history); 5. audit with old and new weights.
    Relevance is derived on every read, so there is nothing to refresh. Returns the row in force.
    """
    from .models import RelevanceWeights
    from .relevance import WeightsError, validate_weights, weights_in_force

    if not access.can_set_relevance(actor):
        raise PermissionDenied(_("Only a national policy officer sets the weights of relevance."))
    try:
        clean = validate_weights(weights)
    except WeightsError as error:
        raise ValidationError({part: message for part, message in error.problems.items()}) from None
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for these weights.")})
    with transaction.atomic():
        old, row = weights_in_force()
        if row is not None and {p: float(v) for p, v in old.items()} == clean:
            return row
        row = RelevanceWeights.objects.create(weights=clean, reason=reason[:2000], set_by=_user(actor),
                                              set_at=timezone.now())
        record(actor=actor, action="update", obj=row, changes={"weights": (old, clean)}, detail={"reason": reason})
    return row


ASSESSMENT_FIELDS = ("international_commitments", "national_interests", "mission_interests", "note")
POSITION_STRATEGY_FIELDS = ("burden", "strategic")


def assess_position(*, actor, position: Position, thematic_tags, **fields) -> list[str]:
    """Record a policy officer's strategic assessment of a position: the three 0–1 assessments and a
    note (selection's PositionAssessment, with who and when), and on the position itself its burden,
    whether it is strategic and its thematic tags.

    Steps: 1. check the actor is a national policy officer; 2. validate (assessments 0–1 or empty,
    burden 1–4 or empty); 3. one transaction: lock the position, compare, save only what changed;
    4. audit the changed fields (old → new). Returns the changed fields (empty: nothing written).
    """
    from .models import PositionAssessment

    if not access.can_set_relevance(actor):
        raise PermissionDenied(_("Only a national policy officer assesses positions."))
    for name in ("international_commitments", "national_interests", "mission_interests"):
        value = fields.get(name)
        if value is not None and not 0 <= value <= 1:
            raise ValidationError({name: _("An assessment is a number from 0 to 1.")})
    if fields.get("burden") not in (None, 1, 2, 3, 4):
        raise ValidationError({"burden": _("The burden is a level from 1 to 4, or empty.")})
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        assessment = PositionAssessment.objects.filter(position=position).first()
        changes = {}
        for name in ASSESSMENT_FIELDS:
            old = getattr(assessment, name) if assessment else (None if name != "note" else "")
            new = fields.get(name, "" if name == "note" else None)
            if old != new:
                changes[name] = (old, new)
        position_changes = {name: (getattr(position, name), fields[name]) for name in POSITION_STRATEGY_FIELDS
                            if name in fields and getattr(position, name) != fields[name]}
        old_tags = sorted(t.code for t in position.thematic_tags.all())
        new_tags = sorted(t.code for t in thematic_tags)
        if old_tags != new_tags:
            position_changes["thematic_tags"] = (old_tags, new_tags)
        if changes:
            assessment = assessment or PositionAssessment(position=position)
            for name in ASSESSMENT_FIELDS:
                setattr(assessment, name, fields.get(name, "" if name == "note" else None))
            assessment.set_by, assessment.set_at = _user(actor), timezone.now()
            assessment.full_clean()
            assessment.save()
            record(actor=actor, action="update", obj=assessment, changes=changes,
                   detail={"position_id": position.pk})
        if position_changes:
            for name in POSITION_STRATEGY_FIELDS:
                if name in position_changes:
                    setattr(position, name, fields[name])
            plain = [n for n in POSITION_STRATEGY_FIELDS if n in position_changes]
            if plain:
                position.full_clean()
                position.save(update_fields=plain)
            if "thematic_tags" in position_changes:
                position.thematic_tags.set(thematic_tags)
            record(actor=actor, action="update", obj=position, changes=position_changes)
    return sorted({*changes, *position_changes})


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
