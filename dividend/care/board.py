"""The duty-of-care board's figures, and the hook through which higher apps add overdue items.

`register_overdue_source(name, label, function)` is called from a higher app's `AppConfig.ready()`
(preparation: checklist items overdue; reports: monthly report overdue). `function(secondments,
today)` receives a queryset of the secondments the reader sees on the board (already filtered by
pool) and returns the subset with anything overdue, annotated with `overdue_items` (how many, at
least 1), without evaluating it: the board takes the first rows and the count in the database
(`board_sections`), so a section of thousands of secondments costs two small queries, not
thousands of ids in Python (measured at 100,000 officers: 7,195 overdue ids fetched per request
were a third of the board's time; bench/care.py). The board shows one section per source
registered, in the order of registration.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import Coalesce

from dividend.secondments.models import Secondment

from .models import care_secondments, ending_window_days, overdue_threshold


@dataclass(frozen=True)
class OverdueSource:
    name: str
    label: str  # shown as the section's title (mark it for translation: gettext_lazy)
    function: Callable[..., dict]  # function(secondments, today) -> {secondment id: overdue items}


_SOURCES: dict[str, OverdueSource] = {}


def register_overdue_source(name: str, label, function) -> None:
    """Add a section to the duty-of-care board (see the module's docstring). Registering a name
    again replaces it."""
    _SOURCES[name] = OverdueSource(name, label, function)


def unregister_overdue_source(name: str) -> None:
    _SOURCES.pop(name, None)


def overdue_sources() -> list[OverdueSource]:
    return list(_SOURCES.values())


def overdue_counts(source: OverdueSource, secondments, today: dt.date) -> dict[int, int]:
    """{secondment id: overdue items} of a source, for all of `secondments` (the daily e-mail)."""
    return dict(source.function(secondments, today).order_by().values_list("pk", "overdue_items"))


def board_secondments(user, pool_id: int | None = None):
    """The secondments the user sees on the board: those of their care pools (not their own as a
    secondee: the board is staff work), optionally of one pool."""
    from . import access

    if not access.can_use_care(user):
        return Secondment.objects.none()
    secondments = care_secondments(user)
    pools = access.care_pools(user)
    if pools is not access.EVERY_POOL:
        secondments = secondments.filter(officer__pool__in=pools)
    if pool_id is not None:
        secondments = secondments.filter(officer__pool_id=pool_id)
    return secondments


def with_last_contact(secondments):
    """Annotates `counted_from`: the day a missed contact counts from (the last contact, else the
    deployment's start)."""
    return secondments.annotate(counted_from=Coalesce(F("care__last_contact_on"), F("start_date")))


def contact_overdue(secondments, today: dt.date, interval_days: int | None = None):
    """Deployed secondments without a contact for more than the interval, longest first."""
    threshold = overdue_threshold(today, interval_days)
    deployed = secondments.filter(status=Secondment.Status.DEPLOYED)
    overdue = deployed.filter(Q(care__last_contact_on__lt=threshold)
                              | Q(care__last_contact_on__isnull=True, start_date__lt=threshold))
    return with_last_contact(overdue).order_by("counted_from", "id")


def ending_soon(secondments, today: dt.date, days: int | None = None):
    """Deployed secondments ending from today to `days` ahead (default: the board's window), soonest first."""
    days = ending_window_days() if days is None else days
    return (secondments.filter(status=Secondment.Status.DEPLOYED)
            .ending_between(today, today + dt.timedelta(days=days)).order_by("end_date", "id"))


@dataclass
class BoardRow:
    """What the board shows of a secondment. Plain values, not seven model objects a row: at 200
    rows a request, building those was the largest part of the board's Python time (bench/care.py)."""

    pk: int
    officer_id: int
    officer_name: str
    pool_id: int
    pool: str
    mission: str
    desk_officer: str | None
    start_date: dt.date
    end_date: dt.date | None
    value: object = None  # the section's: the day missed contacts count from, items overdue, or the end


ROW_VALUES = ("pk", "officer_id", "officer__first_name", "officer__last_name", "officer__pool_id", "officer__pool__name",
              "position__mission__acronym", "care__desk_officer__username", "start_date", "end_date")


@dataclass
class BoardSection:
    key: str  # "contact", "ending" or a registered source's name
    kind: str  # "contact", "source" or "ending"
    label: str | None  # the source's label; None for the board's own two sections (the page words them)
    count: int
    rows: list[BoardRow] = field(default_factory=list)


def _first(queryset, limit: int, value: str) -> tuple[list[tuple[int, int, object]], int]:
    """The first `limit` (id, officer id, value) rows of an ordered queryset, narrow (no joins but the filter's),
    and the count of all, in one query: a window count (`COUNT(*) OVER ()`) instead of a second
    query that would read the same rows again."""
    rows = list(queryset.annotate(_total=Window(Count("pk"))).values_list("pk", "officer_id", value, "_total")[:limit])
    return [(pk, officer_id, found) for pk, officer_id, found, _total in rows], (rows[0][3] if rows else 0)


def board_sections(secondments, today: dt.date, limit: int) -> list[BoardSection]:
    """The board's sections for `secondments` (what the reader sees, `board_secondments`): contact
    overdue (longest first), one per registered source (most items first, then the earliest
    start: on PostgreSQL, ordering by id made it walk the key index over every secondment), ending
    soon (soonest first); each with its first `limit` rows and its count. Each section's ids, values and count
    come from one narrow query; the rows of all sections then from one query."""
    sections = []
    top, count = _first(contact_overdue(secondments, today), limit, "counted_from")
    sections.append((BoardSection("contact", "contact", None, count), top))
    for source in overdue_sources():
        found = source.function(secondments, today).order_by("-overdue_items", "start_date", "pk")
        top, count = _first(found, limit, "overdue_items")
        sections.append((BoardSection(source.name, "source", source.label, count), top))
    top, count = _first(ending_soon(secondments, today), limit, "end_date")
    sections.append((BoardSection("ending", "ending", None, count), top))
    ids = {pk for _section, top in sections for pk, _officer_id, _value in top}
    # The officers' ids too, though the secondments' imply them: PostgreSQL then reads those officers
    # by their key instead of scanning all 100,000 for a hash join (22 of 35 ms; bench/care.py).
    officer_ids = {officer_id for _section, top in sections for _pk, officer_id, _value in top}
    rows = {}
    for pk, officer_id, first, last, pool_id, pool, mission, desk, start, end in (
            Secondment.objects.filter(pk__in=ids, officer_id__in=officer_ids).order_by().values_list(*ROW_VALUES)
            if ids else ()):
        rows[pk] = (pk, officer_id, f"{first} {last}", pool_id, pool, mission, desk, start, end)
    for section, top in sections:
        section.rows = [BoardRow(*rows[pk], value=value) for pk, _officer_id, value in top]
    return [section for section, _top in sections]
