"""Officer endpoints. Filters are the roster page's, validated by the same form."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record_list
from dividend.common.api import (
    MAX_REPEATS,
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    QueryText,
    error_responses,
    form_errors,
    paginate,
    text_of,
)
from dividend.reference.models import CEFR_BY_VALUE

from . import access, services
from .forms import OfficerForm, RosterSearchForm
from .models import Officer
from .search import SORTS, search_officers

router = Router(tags=["officers"])


class OfficerSummary(Schema):
    id: int
    pool: str
    service_number: str
    first_name: str
    last_name: str
    rank: str
    gender: str
    available_from: dt.date | None
    max_duration_months: int | None


class OfficerPage(Page):
    items: list[OfficerSummary]


class SkillOut(Schema):
    skill: str
    level: int


class LanguageOut(Schema):
    language: str
    speaking: str
    reading: str
    writing: str


class QualificationOut(Schema):
    type: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    level: str
    status: str


class MissionHistoryOut(Schema):
    id: int
    mission: str
    position: str
    start_date: dt.date
    end_date: dt.date | None
    status: str


class OfficerDetail(OfficerSummary):
    date_of_birth: dt.date
    service_start: dt.date | None = Field(None, description="Start of police service.")
    email: str
    phone: str
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    misconduct_recorded_on: dt.date | None = Field(
        None, description="Restricted (need-to-know only): when a substantiated misconduct finding from an "
                          "earlier mission was put on record; null: none, or not shown to you.")
    skills: list[SkillOut]
    languages: list[LanguageOut]
    qualifications: list[QualificationOut]
    country_expertise: list[str]
    thematic_expertise: list[str]
    mission_history: list[MissionHistoryOut]


class OfficerIn(Schema):
    pool: int
    service_number: text_of(Officer, "service_number")
    first_name: text_of(Officer, "first_name")
    last_name: text_of(Officer, "last_name")
    rank: int
    gender: text_of(Officer, "gender")
    date_of_birth: IsoDate
    service_start: IsoDate | None = None
    email: text_of(Officer, "email") = ""
    phone: text_of(Officer, "phone") = ""
    emergency_contact_name: text_of(Officer, "emergency_contact_name") = ""
    emergency_contact_phone: text_of(Officer, "emergency_contact_phone") = ""
    misconduct_recorded_on: IsoDate | None = None
    available_from: IsoDate | None = None
    max_duration_months: int | None = None
    country_expertise: list[int] = []
    thematic_expertise: list[int] = []


class OfficerFilters(Schema):
    """The roster page's filters, checked by its form (RosterSearchForm)."""
    text: QueryText = Field("", description="Free text: names, service number, e-mail, skills, languages.")
    skill: list[QueryText] = Field([], max_length=MAX_REPEATS,
                                   description="`<skill id>:<level 1-4>`; repeat for several (all must match).")
    language: list[QueryText] = Field([], max_length=MAX_REPEATS,
                                      description="`<language id>:<CEFR level A1-C2>`; repeatable.")
    country: list[IdFilter] = Field([], max_length=MAX_REPEATS, description="Country expertise (country ids).")
    region: QueryText = Field("", description="Region expertise: a UN M49 region or subregion name.")
    theme: list[IdFilter] = Field([], max_length=MAX_REPEATS, description="Thematic expertise (thematic area ids).")
    available_from: IsoDate | None = None
    available_to: IsoDate | None = None
    min_months: int | None = Field(None, ge=1, le=60, description="Available for at least this many months (1-60).")
    qualification: list[IdFilter] = Field([], max_length=MAX_REPEATS,
                                          description="Qualification types valid on `qualified_on`.")
    qualified_on: IsoDate | None = None
    pool: list[IdFilter] = Field([], max_length=MAX_REPEATS, description="Pool ids.")
    gender: list[QueryText] = Field([], max_length=MAX_REPEATS, description="female, male, other, undisclosed.")
    min_rank: int | None = Field(None, ge=0, le=32767, description="Minimum rank (rank order, 0-32767).")
    sort: QueryText = Field("", description="One of: " + ", ".join(SORTS) + ".")
    limit: Limit = 50
    offset: Offset = 0

    def as_form_data(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in self.dict(exclude={"limit", "offset"}).items():
            values = value if isinstance(value, list) else [] if value in (None, "") else [value]
            data.setlist(name, [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values])
        return data


SUMMARY_KEYS = ("id", "pool", "service_number", "first_name", "last_name", "rank", "gender", "available_from",
                "max_duration_months")


def summary(officer: Officer) -> dict:
    return {
        "id": officer.pk, "pool": officer.pool.code, "service_number": officer.service_number,
        "first_name": officer.first_name, "last_name": officer.last_name, "rank": officer.rank.code,
        "gender": officer.gender, "available_from": officer.available_from,
        "max_duration_months": officer.max_duration_months,
    }


def detail_of(user, officer: Officer) -> dict:
    restricted = access.can_see_restricted(user, officer)
    qualifications = officer.qualifications.select_related("qualification_type")
    if not restricted:
        qualifications = qualifications.unrestricted()
    data = summary(officer) | {
        "date_of_birth": officer.date_of_birth, "service_start": officer.service_start, "email": officer.email,
        "phone": officer.phone, "skills": [{"skill": s.skill.code, "level": s.level} for s in officer.skills.select_related("skill")],
        "languages": [{"language": lang.language.code, "speaking": CEFR_BY_VALUE[lang.speaking],
                       "reading": CEFR_BY_VALUE[lang.reading], "writing": CEFR_BY_VALUE[lang.writing]}
                      for lang in officer.languages.select_related("language")],
        "qualifications": [{"type": q.qualification_type.code, "issued_on": q.issued_on, "expires_on": q.expires_on,
                            "level": q.level, "status": q.status} for q in qualifications],
        "country_expertise": [c.iso3 for c in officer.country_expertise.all()],
        "thematic_expertise": [t.code for t in officer.thematic_expertise.all()],
        "mission_history": [{"id": s.pk, "mission": s.position.mission.acronym, "position": s.position.title,
                             "start_date": s.start_date, "end_date": s.end_date, "status": s.status}
                            for s in officer.secondments.select_related("position__mission")],
    }
    if restricted:
        data |= {"emergency_contact_name": officer.emergency_contact_name,
                 "emergency_contact_phone": officer.emergency_contact_phone,
                 "misconduct_recorded_on": officer.misconduct_recorded_on}
    return data


@router.get("", response={200: OfficerPage, **error_responses(400, 401, 403)})
def list_officers(request, filters: Query[OfficerFilters]):
    """Search officers with the roster page's filters."""
    if not access.can_use_officer_api(request.user):
        raise PermissionDenied("Your role does not work with the roster.")
    form = RosterSearchForm(filters.as_form_data(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    officers = search_officers(user=request.user, query=form.to_query())
    count, items = paginate(officers, limit=filters.limit, offset=filters.offset)
    items = [summary(o) for o in items]
    record_list(actor=request.user, object_type="roster.officer", ids=[o["id"] for o in items],
                filters=filters.dict(), fields=[f for f in SUMMARY_KEYS if f != "id"], detail={"total": count})
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/{officer_id}", response={200: OfficerDetail, **error_responses(400, 401, 404)})
def get_officer(request, officer_id: IdPath):
    officer = get_object_or_404(Officer.objects.visible_to(request.user).with_related(), pk=officer_id)
    services.record_full_read(actor=request.user, officer=officer,
                              fields=services.visible_fields(request.user, officer))
    return detail_of(request.user, officer)


def _save(request, payload: OfficerIn, instance):
    data = payload.dict()
    form = OfficerForm(data=data, instance=instance, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    officer, _ = services.save_officer(actor=request.user, officer=form.save(commit=False),
                                       countries=form.cleaned_data["country_expertise"],
                                       themes=form.cleaned_data["thematic_expertise"])
    return officer


@router.post("", response={201: OfficerDetail, **error_responses(400, 401, 403)})
def create_officer(request, payload: OfficerIn):
    if not access.can_add_officers(request.user):
        raise PermissionDenied("You may not add officers.")
    officer = _save(request, payload, None)
    return Status(201, _detail_read(request, officer))


@router.put("/{officer_id}", response={200: OfficerDetail, **error_responses(400, 401, 403, 404)})
def update_officer(request, officer_id: IdPath, payload: OfficerIn):
    officer = get_object_or_404(Officer.objects.visible_to(request.user), pk=officer_id)
    if not access.can_edit_officer(request.user, officer):
        raise PermissionDenied("You may not change this officer.")
    return _detail_read(request, _save(request, payload, officer))


def _detail_read(request, officer: Officer) -> dict:
    """The full record a create or update answers with: a read of it, logged as such."""
    services.record_full_read(actor=request.user, officer=officer,
                              fields=services.visible_fields(request.user, officer))
    return detail_of(request.user, officer)
