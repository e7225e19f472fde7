"""Workflows of the careers app: the learning plan and its agreement, the debriefing, skills
appraisals and the six-month follow-up, vacancies and placements. Each is a keyword-only function,
`actor` first, audited; edits compare before they write and return the changed fields (empty:
nothing changed, nothing written, nothing logged)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.secondments import services as secondment_services
from dividend.secondments.models import Secondment

from . import access
from .matching import score_returnee
from .models import (
    APPRAISAL_ITEM_CODES,
    MAX_OBJECTIVES,
    MIN_OBJECTIVES,
    RATING_MAX,
    RATING_MIN,
    RETURNED,
    RETURNEE_STATUSES,
    Appraisal,
    AppraisalRating,
    Debriefing,
    FollowUp,
    LearningObjective,
    LearningPlan,
    Placement,
    PlanReview,
    Vacancy,
    VacancySkill,
)

FOLLOW_UP_AFTER_DAYS = 182  # "six months after return"
CANCELLED, DEPLOYED = Secondment.Status.CANCELLED, Secondment.Status.DEPLOYED


def _lock(secondment) -> Secondment:
    return Secondment.objects.select_for_update().select_related("officer").get(pk=secondment.pk)


# --- Learning objectives and career plan ------------------------------------------------------

def validate_objectives(objectives) -> list[tuple]:
    """[(skill, target level)] checked: 3 to 6 rows, each with a skill, a level 1–4, no skill twice.
    A ValidationError naming every problem (the objectives field)."""
    rows = list(objectives or [])
    errors = []
    if not MIN_OBJECTIVES <= len(rows) <= MAX_OBJECTIVES:
        errors.append(_("Give %(min)s to %(max)s learning objectives, not %(count)s.") % {
            "min": MIN_OBJECTIVES, "max": MAX_OBJECTIVES, "count": len(rows)})
    seen = set()
    for number, row in enumerate(rows, start=1):
        skill, level = (tuple(row) + (None, None))[:2]
        if skill is None:
            errors.append(_("Objective %(row)s has no skill: tie each objective to a skill of the taxonomy.") % {
                "row": number})
            continue
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 4:
            errors.append(_("Objective %(row)s: the target level must be 1 to 4, not %(level)s.") % {
                "row": number, "level": level})
        if skill.pk in seen:
            errors.append(_("Objective %(row)s: %(skill)s is already an objective.") % {"row": number, "skill": skill})
        seen.add(skill.pk)
    if errors:
        raise ValidationError({"objectives": errors})
    return rows


def set_learning_plan(*, actor, secondment: Secondment, objectives, career_plan: str) -> list[str]:
    """Write the learning objectives and the career plan of a secondment (the officer or a supervisor).

    Steps: 1. check the actor may edit the officer's plan; 2. validate: 3 to 6 objectives, each a
    skill with a target level 1–4, no skill twice, a career plan, the secondment not cancelled;
    3. one transaction: lock the secondment, compare with the stored plan and write only a change; a
    change clears both confirmations (the new version is agreed afresh); 4. audit the changed fields.
    Returns the changed fields.
    """
    officer = secondment.officer
    if not access.can_edit_plan(actor, officer):
        raise PermissionDenied(_("You may not change this officer's learning plan."))
    rows = validate_objectives(objectives)
    career_plan = (career_plan or "").replace("\r\n", "\n").strip()
    if not career_plan:
        raise ValidationError({"career_plan": _("Write the career plan: where the officer's career goes next.")})
    if secondment.status == CANCELLED:
        raise ValidationError(_("The secondment was cancelled: it has no learning plan."))
    with transaction.atomic():
        _lock(secondment)
        plan = LearningPlan.objects.filter(secondment=secondment).first()
        new_objectives = [(skill.pk, level) for skill, level in rows]
        old_objectives = ([] if plan is None else
                          list(plan.objectives.order_by("order", "id").values_list("skill_id", "target_level")))
        changes = {}
        if old_objectives != new_objectives:
            changes["objectives"] = (old_objectives, new_objectives)
        if plan is None or plan.career_plan != career_plan:
            changes["career_plan"] = (None if plan is None else plan.career_plan, career_plan)
        if not changes:
            return []
        now = timezone.now()
        if plan is None:
            plan = LearningPlan(secondment=secondment)
        elif plan.agreed or plan.officer_confirmed_at or plan.supervisor_confirmed_at:
            changes["confirmations"] = ("confirmed", "cleared")
        plan.career_plan, plan.updated_at, plan.updated_by = career_plan, now, actor
        plan.officer_confirmed_at = plan.officer_confirmed_by = None
        plan.supervisor_confirmed_at = plan.supervisor_confirmed_by = None
        plan.save()
        if "objectives" in changes:
            kept = {o.skill_id: o for o in plan.objectives.all()}
            for order, (skill_id, level) in enumerate(new_objectives):
                objective = kept.pop(skill_id, None)
                if objective is None:
                    LearningObjective.objects.create(plan=plan, skill_id=skill_id, target_level=level, order=order)
                elif (objective.target_level, objective.order) != (level, order):
                    objective.target_level, objective.order = level, order
                    objective.save(update_fields=["target_level", "order"])
            for objective in kept.values():  # dropped objectives take their ratings with them
                objective.delete()
        record(actor=actor, action="update" if old_objectives else "create", obj=plan,
               changes={k: (str(v[0]), str(v[1])) for k, v in changes.items()},
               detail={"officer_id": officer.pk, "secondment_id": secondment.pk})
    return sorted(changes)


def confirm_plan(*, actor, plan: LearningPlan, side: str) -> LearningPlan:
    """The officer or a supervisor confirms the learning plan as it stands.

    Steps: 1. check the actor may confirm for `side` ("officer": the officer themself; "supervisor":
    a coordinator or HR manager of the officer's pool or national, not the officer); 2. validate: the
    plan has its objectives and this side has not confirmed this version yet; 3. save who and when;
    4. audit (decide).
    """
    officer = plan.secondment.officer
    if side == "officer":
        allowed = access.can_confirm_as_officer(actor, officer)
    elif side == "supervisor":
        allowed = access.can_confirm_as_supervisor(actor, officer)
    else:
        raise ValidationError({"side": _("Confirm as the officer or as the supervisor.")})
    if not allowed:
        raise PermissionDenied(_("You may not confirm this plan as the %(side)s.") % {"side": side})
    with transaction.atomic():
        plan = LearningPlan.objects.select_for_update().select_related("secondment__officer").get(pk=plan.pk)
        if getattr(plan, f"{side}_confirmed_at") is not None:
            raise ValidationError(_("Already confirmed by the %(side)s.") % {"side": side})
        if not MIN_OBJECTIVES <= plan.objectives.count() <= MAX_OBJECTIVES:
            raise ValidationError(_("The plan needs %(min)s to %(max)s objectives before it is confirmed.") % {
                "min": MIN_OBJECTIVES, "max": MAX_OBJECTIVES})
        setattr(plan, f"{side}_confirmed_at", timezone.now())
        setattr(plan, f"{side}_confirmed_by", actor)
        plan.save(update_fields=[f"{side}_confirmed_at", f"{side}_confirmed_by"])
        record(actor=actor, action="decide", obj=plan, fields=[f"{side}_confirmed_at"],
               detail={"officer_id": officer.pk, "secondment_id": plan.secondment_id, "side": side,
                       "agreed": plan.agreed})
    return plan


def review_plan(*, actor, plan: LearningPlan, stage: str, note: str) -> PlanReview:
    """Review the agreed plan during the deployment or after it.

    Steps: 1. check the actor sees and may edit the plan; 2. validate: the plan is agreed, the stage
    fits the secondment (during: deployed; after: back home), a note; 3. save; 4. audit.
    """
    secondment = plan.secondment
    if not access.can_edit_plan(actor, secondment.officer):
        raise PermissionDenied(_("You may not review this plan."))
    note = (note or "").replace("\r\n", "\n").strip()
    if stage not in PlanReview.Stage.values:
        raise ValidationError({"stage": _("Review during or after the deployment.")})
    if not note:
        raise ValidationError({"note": _("Write the review.")})
    if not plan.agreed:
        raise ValidationError(_("The plan is not agreed yet: both the officer and the supervisor confirm it first."))
    if stage == PlanReview.Stage.DURING and secondment.status != DEPLOYED:
        raise ValidationError({"stage": _("A review during the deployment needs a deployed secondment.")})
    if stage == PlanReview.Stage.AFTER and secondment.status not in RETURNEE_STATUSES:
        raise ValidationError({"stage": _("A review after the deployment needs the officer back home.")})
    with transaction.atomic():
        review = PlanReview.objects.create(plan=plan, stage=stage, note=note, reviewed_by=actor,
                                           reviewed_at=timezone.now())
        record(actor=actor, action="create", obj=review, fields=["stage", "note"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    return review


# --- Debriefing --------------------------------------------------------------------------------

DEBRIEFING_FIELDS = (*Debriefing.RESTRICTED_FIELDS, "contacts")


def save_debriefing(*, actor, secondment: Secondment, **fields) -> list[str]:
    """Write the end-of-mission debriefing (restricted: need-to-know).

    Steps: 1. check the actor has need-to-know for the officer; 2. validate: the secondment took
    place (deployed, returned or reintegrated), every section filled; 3. one transaction: compare and
    write a change only; 4. audit the changed fields, the restricted ones only as changed.
    """
    officer = secondment.officer
    if not access.can_write_debriefing(actor, officer):
        raise PermissionDenied(_("Only the officer and those with need-to-know write the debriefing."))
    if secondment.status not in (DEPLOYED, *RETURNEE_STATUSES):
        raise ValidationError(_("A debriefing is for a secondment that took place."))
    values = {name: (fields.get(name) or "").replace("\r\n", "\n").strip() for name in DEBRIEFING_FIELDS}
    missing = {name: [_("Fill in this section.")] for name in Debriefing.RESTRICTED_FIELDS if not values[name]}
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        _lock(secondment)
        debriefing = Debriefing.objects.filter(secondment=secondment).first()
        changes = {name: (getattr(debriefing, name, None), value) for name, value in values.items()
                   if debriefing is None or getattr(debriefing, name) != value}
        if not changes:
            return []
        now = timezone.now()
        created = debriefing is None
        if created:
            debriefing = Debriefing(secondment=secondment, written_by=actor, written_at=now)
        for name, value in values.items():
            setattr(debriefing, name, value)
        debriefing.updated_at = now
        debriefing.full_clean(exclude=["secondment"])
        debriefing.save()
        record(actor=actor, action="create" if created else "update", obj=debriefing, changes=changes,
               restricted=Debriefing.RESTRICTED_FIELDS,
               detail={"officer_id": officer.pk, "secondment_id": secondment.pk})
    return sorted(changes)


# --- Appraisals and the six-month follow-up ----------------------------------------------------

def appraisal_subjects(secondment) -> list[str]:
    """The keys an appraisal of this secondment rates: "objective:<id>" per learning objective,
    then the fixed items."""
    plan = LearningPlan.objects.filter(secondment=secondment).first()
    objectives = [] if plan is None else list(plan.objectives.values_list("pk", flat=True))
    return [f"objective:{pk}" for pk in objectives] + list(APPRAISAL_ITEM_CODES)


def save_appraisal(*, actor, secondment: Secondment, stage: str, rater: str, ratings: dict) -> list[str]:
    """Rate each learning objective and each fixed item (1–4), before or after the mission, as the
    officer (self) or the supervisor.

    Steps: 1. check the actor may rate as `rater`; 2. validate: stage and rater known, a learning
    plan exists, every subject rated once with a whole number 1–4 and nothing else rated; after the
    mission: the officer is back; 3. one transaction: compare, write the changed ratings; 4. audit.
    Returns the changed subjects.
    """
    officer = secondment.officer
    if rater not in Appraisal.Rater.values:
        raise ValidationError({"rater": _("Rate as the officer (self) or as the supervisor.")})
    if stage not in Appraisal.Stage.values:
        raise ValidationError({"stage": _("Rate before or after the mission.")})
    if not access.can_rate(actor, officer, rater):
        raise PermissionDenied(_("You may not give this officer's %(rater)s ratings.") % {"rater": rater})
    subjects = appraisal_subjects(secondment)
    if not subjects[:1] or not subjects[0].startswith("objective:"):
        raise ValidationError(_("Set the learning objectives first: the appraisal rates each of them."))
    if stage == Appraisal.Stage.AFTER and secondment.status not in RETURNEE_STATUSES:
        raise ValidationError({"stage": _("The rating after the mission is given once the officer is back.")})
    errors = []
    for key in subjects:
        value = ratings.get(key)
        if value is None or value == "":
            errors.append(_("%(subject)s: give a rating.") % {"subject": key})
        elif isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            errors.append(_("%(subject)s: a rating is %(min)s to %(max)s, not %(value)s.") % {
                "subject": key, "min": RATING_MIN, "max": RATING_MAX, "value": value})
    unknown = sorted(set(ratings) - set(subjects))
    if unknown:
        errors.append(_("Not rated in this appraisal: %(keys)s.") % {"keys": ", ".join(map(str, unknown))})
    if errors:
        raise ValidationError({"ratings": errors})
    with transaction.atomic():
        _lock(secondment)
        appraisal = Appraisal.objects.filter(secondment=secondment, stage=stage, rater=rater).first()
        stored = {} if appraisal is None else {_key(r): r for r in appraisal.ratings.all()}
        changed = [key for key in subjects if key not in stored or stored[key].rating != ratings[key]]
        if not changed:
            return []
        now = timezone.now()
        if appraisal is None:
            appraisal = Appraisal.objects.create(secondment=secondment, stage=stage, rater=rater, rated_by=actor,
                                                 rated_at=now)
        else:
            appraisal.rated_by, appraisal.rated_at = actor, now
            appraisal.save(update_fields=["rated_by", "rated_at"])
        for key in changed:
            if key in stored:
                stored[key].rating = ratings[key]
                stored[key].save(update_fields=["rating"])
            elif key.startswith("objective:"):
                AppraisalRating.objects.create(appraisal=appraisal, objective_id=int(key.split(":")[1]),
                                               rating=ratings[key])
            else:
                AppraisalRating.objects.create(appraisal=appraisal, item=key, rating=ratings[key])
        record(actor=actor, action="update" if stored else "create", obj=appraisal,
               changes={key: (stored[key].rating if key in stored else None, ratings[key]) for key in changed},
               detail={"officer_id": officer.pk, "secondment_id": secondment.pk, "stage": stage, "rater": rater})
    return changed


def _key(rating: AppraisalRating) -> str:
    return f"objective:{rating.objective_id}" if rating.objective_id else rating.item


def follow_up_choices(secondment) -> list[str]:
    """The codes the six-month question offers: the objectives' skills, then the fixed items."""
    plan = LearningPlan.objects.filter(secondment=secondment).first()
    skills = [] if plan is None else list(plan.objectives.values_list("skill__code", flat=True))
    return skills + [code for code in APPRAISAL_ITEM_CODES if code not in skills]


def follow_up_due(secondment) -> dt.date | None:
    return None if secondment.end_date is None else secondment.end_date + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)


def answer_follow_up(*, actor, secondment: Secondment, skills_used, note: str = "", today=None) -> list[str]:
    """Six months after return: which new skills did the officer use in their post?

    Steps: 1. check the actor is the officer or a supervisor; 2. validate: the officer is back and
    six months have passed since the return, each skill one of the offered ones; 3. compare and
    write a change; 4. audit.
    """
    officer = secondment.officer
    if not access.can_answer_follow_up(actor, officer):
        raise PermissionDenied(_("You may not answer for this officer."))
    if secondment.status not in RETURNEE_STATUSES:
        raise ValidationError(_("The question is asked six months after the officer is back."))
    due = follow_up_due(secondment)
    if due > (today or timezone.localdate()):
        raise ValidationError(_("The question is asked from %(date)s, six months after the return.") % {
            "date": due.isoformat()})
    offered = follow_up_choices(secondment)
    unknown = [code for code in skills_used if code not in offered]
    if unknown:
        raise ValidationError({"skills_used": _("Not a skill of this secondment: %(codes)s.") % {
            "codes": ", ".join(map(str, unknown))}})
    used = [code for code in offered if code in set(skills_used)]
    note = (note or "").replace("\r\n", "\n").strip()
    with transaction.atomic():
        _lock(secondment)
        answer = FollowUp.objects.filter(secondment=secondment).first()
        changes = {}
        if answer is None or answer.skills_used != used:
            changes["skills_used"] = (None if answer is None else answer.skills_used, used)
        if answer is None or answer.note != note:
            changes["note"] = (None if answer is None else answer.note, note)
        if not changes:
            return []
        created = answer is None
        answer = answer or FollowUp(secondment=secondment)
        answer.skills_used, answer.note, answer.answered_by, answer.answered_at = used, note, actor, timezone.now()
        answer.save()
        record(actor=actor, action="create" if created else "update", obj=answer, changes=changes,
               detail={"officer_id": officer.pk, "secondment_id": secondment.pk})
    return sorted(changes)


# --- Vacancies and placements ------------------------------------------------------------------

VACANCY_FIELDS = ("pool", "post", "unit", "location")


def _vacancy_state(vacancy) -> dict:
    return {"pool": vacancy.pool_id, "post": vacancy.post, "unit": vacancy.unit, "location": vacancy.location,
            "skills": sorted((s.skill_id, s.level) for s in vacancy.skills.all()),
            "countries": sorted(c.pk for c in vacancy.countries.all()),
            "themes": sorted(t.pk for t in vacancy.themes.all())}


def save_vacancy(*, actor, vacancy: Vacancy | None = None, pool, post, unit, location, skills=(), countries=(),
                 themes=()) -> tuple[Vacancy, list[str]]:
    """Create or change a domestic vacancy.

    Steps: 1. check the actor manages vacancies of the pool (and of the vacancy's current pool);
    2. validate: post, unit, location given, each required skill once with a level 1–4; an open
    vacancy only; 3. one transaction: compare and write; 4. audit. Returns (vacancy, changed fields).
    """
    probe = Vacancy(pool=pool)
    if not access.can_manage_vacancy(actor, probe) or (vacancy is not None and not access.can_manage_vacancy(
            actor, vacancy)):
        raise PermissionDenied(_("You may not manage vacancies of this pool."))
    if vacancy is not None and vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError(_("Only an open vacancy is changed."))
    skills = list(skills)
    ids = [skill.pk for skill, _level in skills]
    if len(ids) != len(set(ids)):
        raise ValidationError({"skills": _("A skill is required twice: keep one row for it.")})
    if any(not 1 <= level <= 4 for _skill, level in skills):
        raise ValidationError({"skills": _("A required level is 1 to 4.")})
    new = {"pool": pool.pk, "post": post.strip(), "unit": unit.strip(), "location": location.strip(),
           "skills": sorted((skill.pk, level) for skill, level in skills),
           "countries": sorted(c.pk for c in countries), "themes": sorted(t.pk for t in themes)}
    with transaction.atomic():
        created = vacancy is None
        if created:
            vacancy = Vacancy(created_by=actor, created_at=timezone.now())
            old = {}
        else:
            vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            old = _vacancy_state(vacancy)
        changes = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
        if not changes:
            return vacancy, []
        vacancy.pool, vacancy.post, vacancy.unit, vacancy.location = pool, new["post"], new["unit"], new["location"]
        vacancy.full_clean(exclude=["created_by"])
        vacancy.save()
        if "skills" in changes:
            vacancy.skills.all().delete()
            VacancySkill.objects.bulk_create([VacancySkill(vacancy=vacancy, skill_id=s, level=level)
                                              for s, level in new["skills"]])
        if "countries" in changes:
            vacancy.countries.set(new["countries"])
        if "themes" in changes:
            vacancy.themes.set(new["themes"])
        record(actor=actor, action="create" if created else "update", obj=vacancy,
               changes={k: (str(a), str(b)) for k, (a, b) in changes.items()})
    return vacancy, sorted(changes)


def place(*, actor, vacancy: Vacancy, secondment: Secondment, start_date: dt.date) -> Placement:
    """Place a returnee on a vacancy: the secondment becomes reintegrated.

    Steps: 1. check the actor manages the vacancy and may reintegrate the officer (the line manager:
    an HR manager of the officer's pool, secondments.access); 2. validate: the
    vacancy is open, the secondment is returned and not placed, the placement starts on or after the
    return; 3. one transaction: lock both, score the returnee (components kept with the placement;
    "new skills taken into account" when the skills gained on mission scored), save, fill the
    vacancy, reintegrate the secondment (secondments.services); 4. audit.
    """
    if not access.can_place(actor, vacancy, secondment):
        raise PermissionDenied(_("You may not place this officer on this vacancy."))
    errors = {}
    if vacancy.status != Vacancy.Status.OPEN:
        errors["vacancy"] = [_("The vacancy is %(status)s: only an open one is filled.") % {
            "status": vacancy.get_status_display().lower()}]
    if secondment.status != RETURNED:
        errors["secondment"] = [_("Only a returned secondment is placed (this one is %(status)s).") % {
            "status": secondment.status}]
    elif Placement.objects.filter(secondment=secondment).exists():
        errors["secondment"] = [_("This returnee is already placed.")]
    if start_date is None:
        errors["start_date"] = [_("Give the date the post starts.")]
    elif secondment.end_date is not None and start_date < secondment.end_date:
        errors["start_date"] = [_("The placement starts on %(start)s, before the return on %(end)s.") % {
            "start": start_date.isoformat(), "end": secondment.end_date.isoformat()}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        secondment = _lock(secondment)
        if vacancy.status != Vacancy.Status.OPEN or Placement.objects.filter(secondment=secondment).exists():
            raise ValidationError(_("The vacancy or the returnee was placed meanwhile."))
        score = score_returnee(vacancy, secondment)
        placement = Placement.objects.create(vacancy=vacancy, secondment=secondment, officer=secondment.officer,
                                             start_date=start_date, score=score.as_dict(),
                                             skills_considered=score.skills_considered, placed_by=actor,
                                             placed_at=timezone.now())
        vacancy.status = Vacancy.Status.FILLED
        vacancy.save(update_fields=["status"])
        secondment_services.reintegrate(actor=actor, secondment=secondment, reason=_("placed on %(post)s (%(unit)s)") % {"post": vacancy.post, "unit": vacancy.unit})
        record(actor=actor, action="create", obj=placement, fields=["vacancy", "secondment", "start_date", "score"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                       "total": score.total, "skills_considered": score.skills_considered})
    return placement
