"""The selection API's strategic positions: a position's relevance to national priorities with its
parts, the most strategic open positions, the relevance weights. Mounted with the calls under
/api/selection (dividend/api.py)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from dividend.common.api import (
    IdPath,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
)

from . import access, services
from .forms import (
    RelevanceWeightsForm,
)
from .models import (
    CallPosition,
)
from .relevance import PARTS, SORTS, relevance_for, strategic_call_positions, weights_in_force

router = Router(tags=["selection"])


# --- Strategic positions (docs/selection.md, "Strategic positions") ------------------------------

class HostCountryOut(Schema):
    iso3: str
    name: str
    rank: int | None
    score: float | None
    relative: float | None


class ThemeOut(Schema):
    code: str
    name: str
    weight: float


class RelevancePartOut(Schema):
    part: str
    label: str
    weight: float
    value: float | None = Field(description="0–1; null: left out of the total (see note)")
    points: float | None = Field(description="The part's share of the total (out of 100)")
    counted: bool
    note: str
    countries: list[HostCountryOut] = []
    themes: list[ThemeOut] = []
    set_by: str = ""
    set_at: dt.datetime | None = None


class PositionRelevanceOut(Schema):
    position_id: int
    total: float
    ranking_adopted: bool
    ranking_message: str
    weights_source: str
    themes_source: str
    burden: int | None
    burden_label: str
    burden_meaning: str
    strategic: bool
    parts: list[RelevancePartOut]


class StrategicOut(Schema):
    call_position_id: int
    call_id: int
    call_reference: str
    national_deadline: dt.date
    mission: str
    title: str
    relevance: PositionRelevanceOut


class StrategicPage(Page):
    items: list[StrategicOut]


class StrategicFilters(Schema):
    sort: Annotated[Text(10), Field(description="relevance, deadline, burden or -burden")] = "relevance"
    limit: Limit = 50
    offset: Offset = 0


class RelevanceWeightsOut(Schema):
    weights: dict[str, float]
    default: bool = Field(description="true: no policy officer has set them yet")
    reason: str
    set_by: str
    set_at: dt.datetime | None


class RelevanceWeightsIn(Schema):
    weights: dict[Text(40), float] = Field(description="Every part: " + ", ".join(PARTS) + "; 0–1000 each")
    reason: Text(2000)


def relevance_out(relevance) -> dict:
    parts = []
    for p in relevance.parts:
        row = {"part": p.part, "label": str(p.label), "weight": p.weight, "value": p.value, "points": p.points,
               "counted": p.counted, "note": p.note, "set_by": p.set_by, "set_at": p.set_at}
        if p.part == "country":
            row["countries"] = [c.__dict__ for c in p.detail]
        elif p.part in ("mission_themes", "position_themes"):
            row["themes"] = [t.__dict__ for t in p.detail]
        parts.append(row)
    return {"position_id": relevance.extra.get("position_id"), "total": relevance.total,
            "ranking_adopted": relevance.ranking_adopted,
            "ranking_message": relevance.ranking_message, "weights_source": relevance.weights_source,
            "themes_source": relevance.themes_source, "burden": relevance.burden,
            "burden_label": str(relevance.burden_label), "burden_meaning": relevance.burden_meaning,
            "strategic": relevance.strategic, "parts": parts}


def _weights_out() -> dict:
    weights, row = weights_in_force()
    return {"weights": weights, "default": row is None, "reason": row.reason if row else "",
            "set_by": row.set_by.get_username() if row and row.set_by else "", "set_at": row.set_at if row else None}


@router.get("/call-positions/{call_position_id}/relevance",
            response={200: PositionRelevanceOut, **error_responses(400, 401, 403, 404)})
def get_relevance(request, call_position_id: IdPath):
    """A call position's relevance to national priorities: every part with its weight, value (0–1)
    and points; when no ranking is adopted the country part is left out and says so."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    cp = get_object_or_404(CallPosition.objects.visible_to(request.user), pk=call_position_id)
    return relevance_out(relevance_for([cp.position_id])[cp.position_id])


@router.get("/strategic", response={200: StrategicPage, **error_responses(400, 401, 403)})
def list_strategic(request, filters: Query[StrategicFilters]):
    """The positions of open calls you see, most strategic first (or by `sort`)."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    if filters.sort not in SORTS:
        raise ValidationError({"sort": [f"sort must be one of {', '.join(SORTS)}."]})
    rows = strategic_call_positions(request.user, filters.sort)  # a list, sorted by derived relevance
    count, items = len(rows), rows[filters.offset:filters.offset + filters.limit]
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [
        {"call_position_id": cp.pk, "call_id": cp.call_id, "call_reference": cp.call.reference,
         "national_deadline": cp.call.national_deadline, "mission": cp.position.mission.acronym,
         "title": cp.position.title, "relevance": relevance_out(relevance)} for cp, relevance in items]}


@router.get("/relevance-weights", response={200: RelevanceWeightsOut, **error_responses(400, 401, 403)})
def get_relevance_weights(request):
    """The weights of the relevance parts in force."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied("You have no role that works with calls for contributions.")
    return _weights_out()


@router.put("/relevance-weights", response={200: RelevanceWeightsOut, **error_responses(400, 401, 403)})
def put_relevance_weights(request, payload: RelevanceWeightsIn):
    """Set the weights (a national policy officer): every part, 0–1000, at least one above 0, with a
    reason. Audited; the earlier weights stay as history."""
    if not access.can_set_relevance(request.user):
        raise PermissionDenied("Only a national policy officer sets the weights of relevance.")
    unknown = sorted(set(payload.weights) - set(PARTS))
    form = RelevanceWeightsForm(data={**payload.weights, "reason": payload.reason})
    if unknown or not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()} if not form.is_valid() else {}
        for name in unknown:
            errors[name] = [f"Unknown part (the parts: {', '.join(PARTS)})."]
        raise ValidationError(errors)
    services.set_relevance_weights(actor=request.user, weights=form.weights(), reason=form.cleaned_data["reason"])
    return _weights_out()
