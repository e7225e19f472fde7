"""The careers API: a secondment's career record (learning plan and its agreement, debriefing,
appraisals, the six-month follow-up), vacancies with their matched returnees and placements, the
returnee pool and the reintegration KPIs. Input goes through the same forms and workflows as the
pages; the debriefing's content is answered only with need-to-know (others get `exists`)."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
    form_errors,
)
from dividend.reference.models import Skill

from . import access, kpis, services
from .forms import AppraisalForm, DebriefingForm, FollowUpForm, PlacementForm, ReturneeSearchForm, VacancyForm
from .matching import candidates
from .models import Appraisal, Debriefing, FollowUp, LearningPlan, Placement, Vacancy, careers_secondments
from .returnees import ReturneeQuery, search

router = Router(tags=["careers"])


class ObjectiveIO(Schema):
    skill: IdFilter | None = Field(None, description="A skill of the reference taxonomy (required).")
    target_level: Annotated[int, Field(ge=0, le=99, description="1 (basic) to 4 (expert).")]


class PlanOut(Schema):
    objectives: list[ObjectiveIO]
    career_plan: str
    officer_confirmed_at: dt.datetime | None
    supervisor_confirmed_at: dt.datetime | None
    agreed: bool


class PlanIn(Schema):
    objectives: Annotated[list[ObjectiveIO], Field(max_length=20)]
    career_plan: Text(4000)


class ConfirmIn(Schema):
    side: Literal["officer", "supervisor"]


class DebriefingOut(Schema):
    id: int | None
    exists: bool
    restricted: bool = Field(description="True: the content is withheld (need-to-know).")
    mandate_implementation: str = ""
    host_country_context: str = ""
    networks_built: str = ""
    lessons_learned: str = ""
    contacts: str = ""


class DebriefingIn(Schema):
    mandate_implementation: Text(8000)
    host_country_context: Text(8000)
    networks_built: Text(8000)
    lessons_learned: Text(8000)
    contacts: Text(500) = ""


class AppraisalOut(Schema):
    stage: str
    rater: str
    ratings: dict[str, int]
    rated_at: dt.datetime


class AppraisalIn(Schema):
    ratings: Annotated[dict[Text(40), int | None], Field(max_length=20, description=(
        'Rating 1–4 per subject: "objective:<id>" for each learning objective, and leadership, '
        "intercultural_competence, responsibility, investigation_methods, transnational_crime, country_knowledge."))]


class FollowUpIO(Schema):
    skills_used: Annotated[list[Text(60)], Field(max_length=40)] = []
    note: Text(2000) = ""


class ScorePart(Schema):
    key: str
    label: str
    points: float
    maximum: int
    reason: str


class ScoreOut(Schema):
    total: float
    parts: list[ScorePart]


class PlacementOut(Schema):
    id: int
    vacancy_id: int
    secondment_id: int
    officer_id: int
    start_date: dt.date
    score: ScoreOut
    skills_considered: bool


class CareerOut(Schema):
    secondment_id: int
    officer_id: int
    status: str
    plan: PlanOut | None
    debriefing: DebriefingOut
    appraisals: list[AppraisalOut]
    follow_up: FollowUpIO | None
    placement: PlacementOut | None


class VacancyOut(Schema):
    id: int
    pool_id: int
    post: str
    unit: str
    location: str
    skills: list[ObjectiveIO]
    countries: list[int]
    themes: list[int]
    status: str


class VacancyPage(Page):
    items: list[VacancyOut]


class VacancyFilters(Schema):
    status: Vacancy.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


class VacancyIn(Schema):
    pool: IdFilter
    post: Text(200)
    unit: Text(200)
    location: Text(120)
    skills: Annotated[list[ObjectiveIO], Field(max_length=20)] = []
    countries: Annotated[list[IdFilter], Field(max_length=50)] = []
    themes: Annotated[list[IdFilter], Field(max_length=50)] = []


class MatchOut(Schema):
    secondment_id: int
    officer_id: int
    name: str
    total: float
    parts: list[ScorePart]


class PlacementIn(Schema):
    secondment: IdFilter
    start_date: IsoDate


class ReturneeOut(Schema):
    officer_id: int
    name: str
    pool: str
    last_mission: str
    returned_on: dt.date
    days_ago: int
    contacts: str


class ReturneePage(Page):
    items: list[ReturneeOut]


class ReturneeFilters(Schema):
    country: IdFilter | None = None
    region: Text(60) = ""
    theme: IdFilter | None = None
    language: IdFilter | None = None
    contacts: Text(100) = ""
    within_years: Literal[1, 2, 5, 10] | None = None
    limit: Limit = 50
    offset: Annotated[int, Field(ge=0, le=100_000)] = 0


class KpiOut(Schema):
    year: int
    pool: str
    returnees: int
    placed: int
    considered: int
    share_considered: float | None
    answered: int
    gained: int
    share_gained: float | None
    median_days: float | None


def _secondment(user, secondment_id):
    if not access.can_use_careers(user):
        raise PermissionDenied("Careers records are for coordinators, HR managers and the secondee.")
    return get_object_or_404(careers_secondments(user).select_related("officer", "position__mission"),
                             pk=secondment_id)


def _career(user, secondment) -> dict:
    officer = secondment.officer
    plan = LearningPlan.objects.filter(secondment=secondment).prefetch_related("objectives").first()
    debriefing = Debriefing.objects.filter(secondment=secondment).first()
    see = access.can_see_debriefing(user, officer)
    d = {"id": debriefing.pk if debriefing else None, "exists": debriefing is not None, "restricted": not see}
    if debriefing is not None and see:
        d |= {name: getattr(debriefing, name) for name in services.DEBRIEFING_FIELDS}
    elif debriefing is not None:
        d["contacts"] = debriefing.contacts
    follow_up = FollowUp.objects.filter(secondment=secondment).first()
    placement = Placement.objects.filter(secondment=secondment).first()
    return {
        "secondment_id": secondment.pk, "officer_id": officer.pk, "status": secondment.status,
        "plan": None if plan is None else {
            "objectives": [{"skill": o.skill_id, "target_level": o.target_level} for o in plan.objectives.all()],
            "career_plan": plan.career_plan, "officer_confirmed_at": plan.officer_confirmed_at,
            "supervisor_confirmed_at": plan.supervisor_confirmed_at, "agreed": plan.agreed},
        "debriefing": d,
        "appraisals": [{"stage": a.stage, "rater": a.rater, "rated_at": a.rated_at,
                        "ratings": {services._key(r): r.rating for r in a.ratings.all()}}
                       for a in Appraisal.objects.filter(secondment=secondment).prefetch_related("ratings")],
        "follow_up": None if follow_up is None else {"skills_used": follow_up.skills_used, "note": follow_up.note},
        "placement": None if placement is None else _placement_out(placement),
    }


def _placement_out(p) -> dict:
    return {"id": p.pk, "vacancy_id": p.vacancy_id, "secondment_id": p.secondment_id, "officer_id": p.officer_id,
            "start_date": p.start_date, "score": p.score, "skills_considered": p.skills_considered}


def _read(user, secondment):
    see = access.can_see_debriefing(user, secondment.officer)
    record(actor=user, action="read", obj=secondment,
           fields=[f for f in ("learning_plan", "debriefing", "appraisals", "follow_up", "placement")
                   if see or f != "debriefing"], detail={"officer_id": secondment.officer_id})
    return _career(user, secondment)


@router.get("/secondments/{secondment_id}", response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def get_career(request, secondment_id: IdPath):
    """A secondment's career record. The debriefing's content only with need-to-know."""
    secondment = _secondment(request.user, secondment_id)
    return _read(request.user, secondment)


def _skills(rows, field="objectives"):
    """API rows → [(skill, level)]: a row without a skill stays None (the workflow names it); an
    unknown skill id is an error here."""
    ids = {row.skill for row in rows if row.skill is not None}
    known = {s.pk: s for s in Skill.objects.filter(pk__in=ids)}
    unknown = sorted(ids - set(known))
    if unknown:
        raise ValidationError({field: [f"Unknown skill id(s): {', '.join(map(str, unknown))}."]})
    return [(known.get(row.skill), row.target_level) for row in rows]


@router.put("/secondments/{secondment_id}/plan", response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def set_plan(request, secondment_id: IdPath, payload: PlanIn):
    """Set the learning objectives (3 to 6, each a skill with a target level 1–4) and the career plan;
    a change clears both confirmations."""
    secondment = _secondment(request.user, secondment_id)
    if not access.can_edit_plan(request.user, secondment.officer):
        raise PermissionDenied("You may not change this officer's learning plan.")
    services.set_learning_plan(actor=request.user, secondment=secondment, objectives=_skills(payload.objectives),
                               career_plan=payload.career_plan)
    return _career(request.user, secondment)


@router.post("/secondments/{secondment_id}/plan/confirm",
             response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def confirm_plan(request, secondment_id: IdPath, payload: ConfirmIn):
    """Confirm the learning plan as the officer or as the supervisor."""
    secondment = _secondment(request.user, secondment_id)
    plan = get_object_or_404(LearningPlan, secondment=secondment)
    services.confirm_plan(actor=request.user, plan=plan, side=payload.side)
    return _career(request.user, secondment)


@router.put("/secondments/{secondment_id}/debriefing",
            response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def put_debriefing(request, secondment_id: IdPath, payload: DebriefingIn):
    """Write the end-of-mission debriefing (the officer, or need-to-know)."""
    secondment = _secondment(request.user, secondment_id)
    if not access.can_write_debriefing(request.user, secondment.officer):
        raise PermissionDenied("Only the officer and those with need-to-know write the debriefing.")
    form = DebriefingForm(data=payload.dict(), instance=Debriefing.objects.filter(secondment=secondment).first())
    if not form.is_valid():
        raise form_errors(form)
    services.save_debriefing(actor=request.user, secondment=secondment, **form.cleaned_data)
    return _career(request.user, secondment)


@router.put("/secondments/{secondment_id}/appraisals/{stage}/{rater}",
            response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def put_appraisal(request, secondment_id: IdPath, stage: Literal["before", "after"],
                  rater: Literal["self", "supervisor"], payload: AppraisalIn):
    """Rate each learning objective and each fixed skill (1–4), before or after the mission."""
    secondment = _secondment(request.user, secondment_id)
    if not access.can_rate(request.user, secondment.officer, rater):
        raise PermissionDenied("You may not give these ratings.")
    form = AppraisalForm.from_api(payload.ratings, secondment=secondment, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    services.save_appraisal(actor=request.user, secondment=secondment, stage=stage, rater=rater,
                            ratings=form.ratings())
    return _career(request.user, secondment)


@router.put("/secondments/{secondment_id}/follow-up",
            response={200: CareerOut, **error_responses(400, 401, 403, 404)})
def put_follow_up(request, secondment_id: IdPath, payload: FollowUpIO):
    """Six months after return: which new skills did you use in your post?"""
    secondment = _secondment(request.user, secondment_id)
    if not access.can_answer_follow_up(request.user, secondment.officer):
        raise PermissionDenied("You may not answer for this officer.")
    form = FollowUpForm(data=payload.dict(), secondment=secondment, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    services.answer_follow_up(actor=request.user, secondment=secondment, **form.cleaned_data)
    return _career(request.user, secondment)


def _vacancy_out(v) -> dict:
    return {"id": v.pk, "pool_id": v.pool_id, "post": v.post, "unit": v.unit, "location": v.location,
            "skills": [{"skill": s.skill_id, "target_level": s.level} for s in v.skills.all()],
            "countries": sorted(c.pk for c in v.countries.all()), "themes": sorted(t.pk for t in v.themes.all()),
            "status": v.status}


def _vacancy_gate(user):
    if not access.can_see_vacancies(user):
        raise PermissionDenied("Vacancies are for coordinators, HR managers and policy officers.")


@router.get("/vacancies", response={200: VacancyPage, **error_responses(400, 401, 403)})
def list_vacancies(request, filters: Query[VacancyFilters]):
    """Domestic vacancies of the pools you work with."""
    _vacancy_gate(request.user)
    vacancies = Vacancy.objects.visible_to(request.user).prefetch_related("skills", "countries", "themes")
    if filters.status is not None:
        vacancies = vacancies.filter(status=filters.status)
    count = vacancies.count()
    items = list(vacancies[filters.offset:filters.offset + filters.limit])
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [_vacancy_out(v) for v in items]}


@router.post("/vacancies", response={201: VacancyOut, **error_responses(400, 401, 403)})
def create_vacancy(request, payload: VacancyIn):
    """A new domestic vacancy (coordinators and HR managers of its pool)."""
    if not access.can_manage_vacancies(request.user):
        raise PermissionDenied("You may not manage vacancies.")
    data = payload.dict()
    skills = _skills(payload.skills, "skills")
    form = VacancyForm(data={k: v for k, v in data.items() if k != "skills"}, user=request.user)
    form.fields["skills"].required = False
    if not form.is_valid():
        raise form_errors(form)
    if any(skill is None for skill, _level in skills):
        raise ValidationError({"skills": ["Each required skill names a skill."]})
    vacancy, _changed = services.save_vacancy(actor=request.user, **(form.cleaned_data | {"skills": skills}))
    return Status(201, _vacancy_out(vacancy))


def _managed_vacancy(user, vacancy_id):
    _vacancy_gate(user)
    vacancy = get_object_or_404(Vacancy.objects.visible_to(user), pk=vacancy_id)
    if not access.can_manage_vacancy(user, vacancy):
        raise PermissionDenied("You may not match or place returnees on this vacancy.")
    return vacancy


def _managed_returnees(user):
    from dividend.secondments.models import Secondment

    pools = access.manager_pools(user)
    qs = Secondment.objects.all() if pools is access.EVERY_POOL else Secondment.objects.filter(officer__pool__in=pools)
    return qs.exclude(officer__user=user)


@router.get("/vacancies/{vacancy_id}/matches", response={200: list[MatchOut], **error_responses(400, 401, 403, 404)})
def vacancy_matches(request, vacancy_id: IdPath):
    """Returnees waiting for a post, best score first, each part of the score with its reason."""
    vacancy = _managed_vacancy(request.user, vacancy_id)
    matches = candidates(vacancy, _managed_returnees(request.user)) if vacancy.status == Vacancy.Status.OPEN else []
    if matches:
        record_list(actor=request.user, object_type="roster.officer", ids=[m.secondment.officer_id for m in matches],
                    fields=["name", "score"], detail={"vacancy_id": vacancy.pk})
    return [{"secondment_id": m.secondment.pk, "officer_id": m.secondment.officer_id,
             "name": m.secondment.officer.full_name, **m.score.as_dict()} for m in matches]


@router.post("/vacancies/{vacancy_id}/placements", response={201: PlacementOut, **error_responses(400, 401, 403, 404)})
def place(request, vacancy_id: IdPath, payload: PlacementIn):
    """Place a returned officer on the vacancy (HR managers of its pool): the vacancy is filled and the
    secondment reintegrated."""
    vacancy = _managed_vacancy(request.user, vacancy_id)
    if not access.can_place_on(request.user, vacancy):
        raise PermissionDenied("Returnees are placed by the HR managers of the vacancy's pool.")
    form = PlacementForm(data=payload.dict(), candidates=_managed_returnees(request.user).select_related("officer"))
    if not form.is_valid():
        raise form_errors(form)
    placement = services.place(actor=request.user, vacancy=vacancy, **form.cleaned_data)
    return Status(201, _placement_out(placement))


@router.get("/returnees", response={200: ReturneePage, **error_responses(400, 401, 403)})
def returnees(request, filters: Query[ReturneeFilters]):
    """The returnee pool: officers back from a mission in a country, region or theme, speaking a
    language, sharing network contacts; the most recently returned first."""
    if not access.can_use_returnee_pool(request.user):
        raise PermissionDenied("The returnee pool is for policy staff, coordinators and HR managers.")
    data = filters.dict()
    form = ReturneeSearchForm(data={k: ("" if data[k] is None else data[k]) for k in
                                    ("country", "region", "theme", "language", "contacts", "within_years")})
    if not form.is_valid():
        raise form_errors(form)
    c = form.cleaned_data
    query = ReturneeQuery(country_id=c["country"].pk if c["country"] else None, region=c["region"],
                          theme_id=c["theme"].pk if c["theme"] else None,
                          language_id=c["language"].pk if c["language"] else None, contacts=c["contacts"],
                          within_years=c["within_years"], today=dt.date.today())
    total, found = search(request.user, query, limit=filters.limit, offset=filters.offset)
    if found:
        record_list(actor=request.user, object_type="roster.officer", ids=[r.officer.pk for r in found],
                    filters=query.as_filters(), fields=["name", "pool", "last_mission", "returned_on", "contacts"],
                    detail={"total": total})
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [
        {"officer_id": r.officer.pk, "name": r.officer.full_name, "pool": r.officer.pool.name,
         "last_mission": r.last.position.mission.acronym, "returned_on": r.returned_on, "days_ago": r.days_ago,
         "contacts": r.contacts} for r in found]}


@router.get("/kpis", response={200: list[KpiOut], **error_responses(401, 403)})
def kpi_list(request):
    """Reintegration KPIs per year of return and pool ("" : all your pools together)."""
    if not access.can_see_kpis(request.user):
        raise PermissionDenied("The KPIs are for coordinators, HR managers and policy officers.")
    return [{"year": r.year, "pool": r.pool, "returnees": r.returnees, "placed": r.placed, "considered": r.considered,
             "share_considered": r.share_considered, "answered": r.answered, "gained": r.gained,
             "share_gained": r.share_gained, "median_days": r.median_days}
            for r in kpis.compute(access.kpi_pools(request.user))]
