"""GET /api/reports/search (issue 12 §9): full-text search of the field reports the caller may read,
best match first, with highlighted title and snippet (HTML: the text escaped, matches in <mark>).
Input goes through the search page's form; any words are accepted (operators and quotes are read
as plain words)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from dividend.audit.services import record_list
from dividend.common.api import IdFilter, IsoDate, Text, error_responses, form_errors

from . import access
from .search import search_reports
from .search_forms import MAX_PAGE, MAX_TEXT, ReportSearchForm

router = Router(tags=["reports"])
PAGE_SIZE = 20


class SearchHit(Schema):
    id: int
    title: str
    title_html: Annotated[str, Field(description="The title, HTML-escaped, matches in <mark>.")]
    snippet_html: Annotated[str, Field(description="The best passage of the text, HTML-escaped, matches in <mark>.")]
    mission_id: int
    period_start: dt.date
    period_end: dt.date
    marking: str
    status: str
    score: float | None


class SearchResults(Schema):
    count: Annotated[int, Field(description=(
        "The number of matching reports you may read; with words, counted up to 1,000 (see count_exact)."))]
    count_exact: Annotated[bool, Field(description=(
        "False when more reports match than `count`: a search with words counts and ranks only the 1,000 "
        "most recently filed matches (add words or filters to narrow it)."))]
    page: int
    pages: int
    page_size: int
    words: Annotated[list[str], Field(description="The words searched for, as read from q.")]
    items: list[SearchHit]


class SearchParams(Schema):
    q: Text(MAX_TEXT) = ""
    themes: Annotated[list[IdFilter], Field(max_length=50)] = []
    countries: Annotated[list[IdFilter], Field(max_length=50)] = []
    place: Text(100) = ""
    mission: IdFilter | None = None
    period_from: IsoDate | None = None
    period_to: IsoDate | None = None
    marking: Annotated[list[Text(12)], Field(max_length=5)] = []
    status: Annotated[list[Text(20)], Field(max_length=5)] = []
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1


@router.get("", response={200: SearchResults, **error_responses(400, 401, 403)})
def search(request, params: Query[SearchParams]):
    """Field reports you may read matching every word of `q` (prefixes) and the filters, best match
    first; without words, the newest first. 20 per page."""
    user = request.user
    if not access.can_use_reports(user):
        raise PermissionDenied("Field reports are for secondees and analysts.")
    data = {key: value for key, value in params.dict().items() if value not in (None, "", [])}
    form = ReportSearchForm(data=data, user=user)
    if not form.is_valid():
        raise form_errors(form)
    page = search_reports(user=user, text=form.cleaned_data["q"], filters=form.filters(),
                          number=form.cleaned_data["page"] or 1, page_size=PAGE_SIZE)
    if page.hits:
        record_list(actor=user, object_type="reports.fieldreport", ids=[h.report.pk for h in page.hits],
                    fields=["title", "mission", "period_start", "period_end", "marking", "status", "body"],
                    filters={k: v for k, v in data.items()},
                    detail={"officer_ids": sorted({h.report.officer_id for h in page.hits}), "search": True})
    return {"count": page.total, "count_exact": page.exact, "page": page.number, "pages": page.num_pages, "page_size": PAGE_SIZE,
            "words": page.words,
            "items": [{"id": h.report.pk, "title": h.report.title, "title_html": str(h.title_html),
                       "snippet_html": str(h.snippet_html), "mission_id": h.report.mission_id,
                       "period_start": h.report.period_start, "period_end": h.report.period_end,
                       "marking": h.report.marking, "status": h.report.status, "score": h.score}
                      for h in page.hits]}
