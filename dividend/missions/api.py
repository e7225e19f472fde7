import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from dividend.common.api import IdFilter, IdPath, Limit, Offset, Page, QueryText, error_responses, paginate

from .models import Mission, Organisation, Position

router = Router(tags=["missions"])


class MissionOut(Schema):
    id: int
    acronym: str
    name: str
    organisation: str
    host_countries: list[str]
    mandate_types: list[str]
    thematic_areas: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    location: str
    latitude: float | None
    longitude: float | None
    source: str


class MissionPage(Page):
    items: list[MissionOut]


class RequirementOut(Schema):
    code: str
    min_level: int


class PositionOut(Schema):
    id: int
    mission: str
    mission_id: int
    title: str
    reference: str
    duty_station: str
    minimum_rank: str | None
    duration_months: int
    armed: bool
    status: str
    required_skills: list[RequirementOut]
    required_languages: list[RequirementOut]
    required_qualifications: list[str]


class PositionPage(Page):
    items: list[PositionOut]


def mission_out(m: Mission) -> dict:
    return {
        "id": m.pk, "acronym": m.acronym, "name": m.name, "organisation": m.organisation,
        "host_countries": [c.iso3 for c in m.host_countries.all()], "mandate_types": m.mandate_types,
        "thematic_areas": [t.code for t in m.thematic_areas.all()], "start_date": m.start_date,
        "end_date": m.end_date, "status": m.status, "location": m.location, "latitude": m.latitude,
        "longitude": m.longitude, "source": m.source,
    }


def position_out(p: Position) -> dict:
    return {
        "id": p.pk, "mission": p.mission.acronym, "mission_id": p.mission_id, "title": p.title,
        "reference": p.reference, "duty_station": p.duty_station,
        "minimum_rank": p.minimum_rank.code if p.minimum_rank else None, "duration_months": p.duration_months,
        "armed": p.armed, "status": p.status,
        "required_skills": [{"code": s.skill.code, "min_level": s.min_level} for s in p.required_skills.all()],
        "required_languages": [{"code": lang.language.code, "min_level": lang.min_level}
                               for lang in p.required_languages.all()],
        "required_qualifications": [q.code for q in p.required_qualifications.all()],
    }


class MissionFilters(Schema):
    organisation: Organisation | None = None
    status: Mission.Status | None = None
    country: QueryText = ""
    limit: Limit = 50
    offset: Offset = 0


class PositionFilters(Schema):
    mission: IdFilter | None = None
    status: Position.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


@router.get("/missions", response={200: MissionPage, **error_responses(400, 401)})
def list_missions(request, filters: Query[MissionFilters]):
    """Missions, filtered by organisation, status and host country (ISO3)."""
    missions = Mission.objects.visible_to(request.user).matching(
        **filters.dict(include={"organisation", "status", "country"}, exclude_none=True))
    count, items = paginate(missions.prefetch_related("host_countries", "thematic_areas"), limit=filters.limit,
                            offset=filters.offset)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [mission_out(m) for m in items]}


@router.get("/missions/{mission_id}", response={200: MissionOut, **error_responses(400, 401, 404)})
def get_mission(request, mission_id: IdPath):
    return mission_out(get_object_or_404(Mission.objects.visible_to(request.user), pk=mission_id))


def _positions(request):
    return Position.objects.visible_to(request.user).with_related().prefetch_related(
        "required_skills__skill", "required_languages__language", "required_qualifications")


@router.get("/positions", response={200: PositionPage, **error_responses(400, 401)})
def list_positions(request, filters: Query[PositionFilters]):
    """Positions, filtered by mission (id) and status."""
    positions = _positions(request)
    if filters.mission is not None:
        positions = positions.filter(mission_id=filters.mission)
    if filters.status is not None:
        positions = positions.filter(status=filters.status)
    count, items = paginate(positions, limit=filters.limit, offset=filters.offset)
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [position_out(p) for p in items]}


@router.get("/positions/{position_id}", response={200: PositionOut, **error_responses(400, 401, 404)})
def get_position(request, position_id: IdPath):
    return position_out(get_object_or_404(_positions(request), pk=position_id))
