"""Full-text search over field reports (issue 12 §9): ranking, highlighted matches, filters, access.

One Python interface, each engine's own search:

- SQLite: the FTS5 table `reports_search_fts` (unicode61 tokenizer, diacritics removed), ranked by
  bm25 with the title weighing ten times the rest; `highlight()` and `snippet()` mark the matches.
- PostgreSQL: the tsvector column `reports_reportsearchtext.vector` ('simple' configuration, title
  weighted A, the rest B) with a GIN index, ranked by `ts_rank`; `ts_headline` marks the matches.

The index is DERIVED DATA. `ReportSearchText` holds, per report, the text it is found by
(`collect_texts` below is the one function that gathers it: title, body, places, countries, theme
names, and attachment text where a report has attachments); the engine indexes that table (reports
migration 0008; `store_texts` writes new rows). The services that create or change a report call
`refresh_reports` in their transaction; `manage.py reports_search_index --check` finds rows that are
missing or stale (non-zero exit), `--rebuild` writes them all again.

Prefixes on SQLite: every word is searched as a prefix ("checkpoint" also finds "checkpoints").
FTS5 answers a prefix query by merging the lists of every term the prefix begins into one list in
memory before it returns a row, so its cost grows with the reports: at 1,000,000 generated
reports "police"* took 103 ms, "police" OR "policeman" OR "policing" 29 ms, "police" alone 11 ms
(the first 1,000 matches, bm25 included). So a word is looked up in the table of the index's terms
(`ReportSearchTerm`, derived data filled with the search text; `reports_search_index --check`
compares it with the terms FTS5 holds) and searched as the terms it begins, OR-ed: at most
MAX_EXPANSIONS of them, else (and for a word with other than ASCII letters and digits, whose
folding only FTS5 knows for sure) as the engine's prefix query.

Facets on SQLite: a filtered search with a common word read up to 85,000 matches of a theme at
1,000,000 reports to find the thousand newest in the period (144 ms listed, 59 ms tested one by
one). So the search text also holds tokens of what a report is filtered by (`facets`: author, mission,
themes, countries, months of its period) in a third FTS5 column that the users' words never search,
and a search with such filters, or by a user who reads few officers' reports, asks FTS5 for the
words AND the filters' (authors') tokens: the engine intersects the postings and yields only
reports that may pass. The mission, theme and country tokens decide their filters, as the words
decide the text (both derived data); each match is still tested against the access rules and the
period (whose months only narrow it). PostgreSQL keeps the facets in the table but not in its
tsvector.

Bounded (issue 12 §10): a search with words collects the COUNT_LIMIT most recently filed matches
the user may read, then counts and ranks those only; `SearchPage.exact` says whether more match.

Access: every search starts from `FieldReport.objects.visible_to(user)`; the count, the page and the
snippets are computed over that set only (each match is tested against it as it is collected), so
none of them reveals a report the user may not read.
Intelligence debriefings are no field reports and are never indexed.

Users' text is never engine syntax: `terms()` keeps words (letters and digits) only, at most
`MAX_TERMS` of at most `MAX_TERM_LENGTH` characters, drops operators written in capitals (AND, OR,
NOT, NEAR), and every word must match (as a prefix). Highlighting is safe: the engine marks matches
with two private-use characters (stripped from indexed text), the text is HTML-escaped, then the
markers become <mark> and </mark>.
"""

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dividend.common.database import insert_rows

from .duplicates import COMBINING
from .models import FieldReport, ReportSearchTerm, ReportSearchText

MARK_START, MARK_END = "\ue000", "\ue001"
MAX_QUERY_LENGTH = 500
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
WORD = re.compile(r"[^\W_]+")
TITLE_WEIGHT = 10.0
SNIPPET_WORDS = 24
# A search with words counts and ranks at most this many matches, the most recently filed (see
# search_reports); beyond it the count reads "more than 1,000".
COUNT_LIMIT = 1000
FTS_TABLE = "reports_search_fts"
# FTS5's own list of its terms per column (fts5vocab), created per connection when the terms are
# checked or rebuilt.
VOCABULARY_TABLE = "reports_search_fts_column_terms"
# Facets (see `facets`): a prefix and an id or month make one token; a longer period is one token.
FACET_AUTHOR, FACET_MISSION, FACET_THEME, FACET_COUNTRY, FACET_MONTH = "xo", "xm", "xt", "xc", "xp"
LONG_PERIOD = "xplong"
PERIOD_MONTHS = 24
# A user reading the reports of at most this many officers (with reports) is searched through their
# tokens; beyond, the access rule is tested on each match only.
MAX_AUTHORS = 500
WORD_COLUMNS, FACET_COLUMN = "{title text}", "{facets}"
TERM_LENGTH = ReportSearchTerm._meta.get_field("term").max_length
MAX_EXPANSIONS = 32
TOKEN = re.compile(r"[^\W_]+")


# --- The indexed text ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")


def document(*, title: str, body: str, places: str = "", country_names=(), theme_names=(),
             attachment_texts=(), officer_id=None, mission_id=None, theme_ids=(), country_ids=(),
             period_start=None, period_end=None) -> tuple[str, str, str]:
    """The (title, text, facets) a report is found by, from its parts."""
    parts = [body, places, " ".join(country_names), " ".join(theme_names), *attachment_texts]
    return (_clean(title), _clean("\n".join(p for p in parts if p)),
            facets(officer_id=officer_id, mission_id=mission_id, theme_ids=theme_ids, country_ids=country_ids,
                   period_start=period_start, period_end=period_end))


def _months(start, end) -> list[str]:
    """The months (YYYYMM) from `start` to `end`, both dates, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def facets(*, officer_id=None, mission_id=None, theme_ids=(), country_ids=(), period_start=None,
           period_end=None) -> str:
    """The tokens of what a report is filtered by: its author (the officer, which decides who may
    read it), mission, themes, countries and the months its period covers (a period longer than
    PERIOD_MONTHS months is one token, LONG_PERIOD). One word each for FTS5, in a column the users'
    words never search (see `_filtered_expression`)."""
    tokens = [f"{FACET_AUTHOR}{officer_id}"] if officer_id else []
    tokens += [f"{FACET_MISSION}{mission_id}"] if mission_id else []
    tokens += [f"{FACET_THEME}{pk}" for pk in sorted(theme_ids)]
    tokens += [f"{FACET_COUNTRY}{pk}" for pk in sorted(country_ids)]
    if period_start and period_end:
        months = _months(period_start, period_end)
        tokens += [LONG_PERIOD] if len(months) > PERIOD_MONTHS else [FACET_MONTH + m for m in months]
    return " ".join(tokens)


def collect_texts(report_ids) -> dict[int, tuple[str, str]]:
    """The indexed (title, text) of each report of `report_ids`, read from the database: the one
    place that says what a report is found by (title, body, places, countries, theme names, and the
    extracted text of its attachments). Four queries for any number of reports."""
    report_ids = list(report_ids)
    if not report_ids:
        return {}
    themes, countries = {}, {}
    through = FieldReport.themes.through
    for report_id, pk, name in through.objects.filter(fieldreport_id__in=report_ids).order_by(
            "fieldreport_id", "thematicarea__name").values_list("fieldreport_id", "thematicarea_id", "thematicarea__name"):
        themes.setdefault(report_id, []).append((pk, name))
    through = FieldReport.countries.through
    for report_id, pk, name in through.objects.filter(fieldreport_id__in=report_ids).order_by(
            "fieldreport_id", "country__name").values_list("fieldreport_id", "country_id", "country__name"):
        countries.setdefault(report_id, []).append((pk, name))
    attachments = _attachment_texts(report_ids)
    return {pk: document(title=title, body=body, places=places,
                         country_names=[name for _pk, name in countries.get(pk, ())],
                         theme_names=[name for _pk, name in themes.get(pk, ())],
                         attachment_texts=attachments.get(pk, ()), officer_id=officer_id, mission_id=mission_id,
                         theme_ids=[t for t, _name in themes.get(pk, ())],
                         country_ids=[c for c, _name in countries.get(pk, ())],
                         period_start=start, period_end=end)
            for pk, title, body, places, officer_id, mission_id, start, end in FieldReport.objects.filter(
                pk__in=report_ids).order_by().values_list("pk", "title", "body", "places", "officer_id", "mission_id",
                                                          "period_start", "period_end")}


def _attachment_texts(report_ids) -> dict[int, list[str]]:
    """The extracted text of each report's attachments, where the attachments model exists."""
    from django.apps import apps

    try:
        model = apps.get_model("reports", "ReportAttachment")
    except LookupError:
        return {}
    texts = {}
    for report_id, text in model.objects.filter(report_id__in=report_ids).order_by("report_id", "pk").values_list(
            "report_id", "text"):
        if text:
            texts.setdefault(report_id, []).append(text)
    return texts


def store_texts(rows: list[tuple[int, str, str, str]]) -> None:
    """Write new search-text rows (report id, title, text, facets) and, on SQLite, their FTS5 entries in one
    batch of statements. (An insert trigger would do the latter, but a write to FTS5 from a trigger
    flushes a new index segment per row and merges segments every few rows: 20 ms a row at 35,000
    reports. PostgreSQL's trigger computes the tsvector per row, which costs no such merge.)"""
    if not rows:
        return
    insert_rows(ReportSearchText._meta.db_table, ["report_id", "title", "text", "facets"], rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, title, text, facets) VALUES (%s, %s, %s, %s)", rows)  # noqa: S608 - fixed table name, bound parameters # nosec B608
        store_terms(text for _pk, title, body, _facets in rows for text in (title, body))


def index_terms(texts) -> set[str]:
    """The terms FTS5's tokenizer (unicode61, remove_diacritics 2) makes of `texts`, as Python
    tells them: runs of letters and digits, lower-cased, cut to TERM_LENGTH characters; a text
    with other characters also read without its diacritics. Both readings, because FTS5 removes the
    diacritics of Latin letters only, and keeps a combining mark inside its word ("H̱olon", H and
    U+0331, is "holon" to FTS5; Python's \\w splits it): the gazetteer's cities at 1,000,000
    reports had 6 such names, which `check_index` found. A form FTS5 does not hold costs nothing; a
    term missing from the table would hide reports from a prefix search."""
    words = set()
    for text in texts:
        lowered = text.lower()
        words.update(TOKEN.findall(lowered))
        if not lowered.isascii():
            words.update(TOKEN.findall(COMBINING.sub("", unicodedata.normalize("NFD", lowered))))
    return {word[:TERM_LENGTH] for word in words}


def store_terms(texts) -> None:
    """Add the terms of `texts` to the table of the index's terms (SQLite; known ones are skipped)."""
    if connection.vendor != "sqlite":
        return
    table = connection.ops.quote_name(ReportSearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT OR IGNORE INTO {table}(term) VALUES (%s)",  # noqa: S608 - the model's table, bound parameters # nosec B608
                           [(term,) for term in sorted(index_terms(texts))])


def _vocabulary(cursor) -> str:
    """A query of FTS5's own list of the terms of its word columns (title, text; not the facets),
    through an fts5vocab table of this connection."""
    cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCABULARY_TABLE} "
                   f"USING fts5vocab(main, {FTS_TABLE}, col)")
    return f"(SELECT DISTINCT term FROM temp.{VOCABULARY_TABLE} WHERE col IN ('title', 'text'))"  # noqa: S608 - fixed names # nosec B608


def fill_terms_from_index() -> int:
    """Make the table of terms exactly the terms FTS5 holds in its word columns (SQLite); returns how many."""
    if connection.vendor != "sqlite":
        return 0
    table = connection.ops.quote_name(ReportSearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        vocabulary = _vocabulary(cursor)
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's table # nosec B608
        cursor.execute(f"INSERT OR IGNORE INTO {table}(term) SELECT substr(term, 1, %s) FROM {vocabulary}",  # noqa: S608 - fixed names # nosec B608
                       [TERM_LENGTH])
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - the model's table # nosec B608
        return cursor.fetchone()[0]


def missing_terms(limit: int = 20) -> list[str]:
    """Terms FTS5 holds that the table of terms lacks (SQLite; reading every term of the index)."""
    if connection.vendor != "sqlite":
        return []
    table = connection.ops.quote_name(ReportSearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        vocabulary = _vocabulary(cursor)
        cursor.execute(f"SELECT v.term FROM {vocabulary} AS v WHERE NOT EXISTS (SELECT 1 FROM {table} t "  # noqa: S608 - fixed names # nosec B608
                       "WHERE t.term = substr(v.term, 1, %s)) LIMIT %s", [TERM_LENGTH, limit])
        return [term for (term,) in cursor.fetchall()]


def refresh_reports(report_ids) -> None:
    """Write the search text of these reports again (call it after creating or changing a report,
    in the same transaction). Deleted reports lose theirs with them (cascade; a trigger removes
    them from FTS5)."""
    texts = collect_texts(report_ids)
    with transaction.atomic():
        ReportSearchText.objects.filter(report_id__in=list(texts)).delete()
        store_texts([(pk, *parts) for pk, parts in texts.items()])


@dataclass
class IndexCheck:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    engine_problem: str = ""
    missing_terms: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.engine_problem or self.missing_terms)


def check_index(batch_size: int = 2000) -> IndexCheck:
    """Compare every report's search text with what `collect_texts` gives now; ask the engine
    whether its index matches the table (FTS5 integrity-check; tsvectors recomputed); on SQLite,
    whether the table of terms holds every term of the index."""
    result = IndexCheck()
    last = 0
    while True:
        ids = list(FieldReport.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        last = ids[-1]
        expected = collect_texts(ids)
        stored = {pk: (title, text, facets) for pk, title, text, facets in ReportSearchText.objects.filter(
            report_id__in=ids).values_list("report_id", "title", "text", "facets")}
        for pk in ids:
            if pk not in stored:
                result.missing.append(pk)
            elif stored[pk] != expected.get(pk):
                result.stale.append(pk)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            try:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")  # noqa: S608 - fixed table name # nosec B608
            except Exception as error:  # noqa: BLE001 - the engine reports a corrupt index as an error
                result.engine_problem = str(error)
            else:
                result.missing_terms = missing_terms()
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT report_id FROM reports_reportsearchtext WHERE vector IS DISTINCT FROM "
                "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', text), 'B')) "
                "ORDER BY report_id LIMIT 20")
            wrong = [row[0] for row in cursor.fetchall()]
            if wrong:
                result.engine_problem = f"tsvector out of date for reports {wrong}"
    return result


def rebuild_index(batch_size: int = 2000, log=None) -> int:
    """Write every report's search text again, then have the engine rebuild its index. Returns the
    number of reports."""
    count, last = 0, 0
    ReportSearchText.objects.exclude(report__in=FieldReport.objects.all()).delete()
    while True:
        ids = list(FieldReport.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        last = ids[-1]
        refresh_reports(ids)
        count += len(ids)
        if log:
            log(f"{count} reports")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608 - fixed table name # nosec B608
            fill_terms_from_index()
        elif connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE reports_reportsearchtext SET vector = setweight(to_tsvector('simple', title), 'A') "
                "|| setweight(to_tsvector('simple', text), 'B')")
    return count


# --- Queries -------------------------------------------------------------------------------------


def terms(query: str) -> list[str]:
    """The plain words of a user's query: letters and digits only, lower-cased, each once, at most
    MAX_TERMS of at most MAX_TERM_LENGTH characters; AND, OR, NOT and NEAR written in capitals are
    taken for operators and dropped. Nothing else of the input reaches the engine."""
    text = unicodedata.normalize("NFKC", (query or "")[:MAX_QUERY_LENGTH])
    words = []
    for word in WORD.findall(text):
        if word in OPERATORS:
            continue
        word = word.casefold()[:MAX_TERM_LENGTH]
        if word not in words:
            words.append(word)
        if len(words) == MAX_TERMS:
            break
    return words


def _match_expression(words: list[str]) -> str:
    """The engine's query for `words` (each a prefix, all required). Words hold letters and digits
    only (`terms`), so quoting them is enough. On SQLite a word is the terms it begins, where
    `expansions` knows them (see the module's docstring)."""
    if connection.vendor == "postgresql":
        return " & ".join(f"'{w}':*" for w in words)
    parts = []
    for word in words:
        found = expansions(word)
        if found is None:
            parts.append(f'"{word}"*')
        else:
            parts.append(" OR ".join(f'"{term}"' for term in found).join("()") if len(found) > 1 else f'"{found[0]}"')
    return " AND ".join(parts)  # FTS5 reads two phrases side by side as AND, a phrase and a group not


def _facet_groups(filters: "SearchFilters", authors=None) -> list[str]:
    """FTS5 expressions of the facet tokens a report must hold to pass `filters` (each group one
    filter: any of its tokens): mission, themes, countries, and a period with both ends, at most
    PERIOD_MONTHS * 2 months long; and `authors` (officer ids) where given. The months and the
    authors are necessary, not sufficient: every match is still tested against the period and the
    access rules (see search_reports)."""
    groups = [[f"{FACET_AUTHOR}{int(pk)}" for pk in authors]] if authors else []
    if filters.mission:
        groups.append([f"{FACET_MISSION}{int(filters.mission)}"])
    if filters.themes:
        groups.append([f"{FACET_THEME}{int(pk)}" for pk in filters.themes])
    if filters.countries:
        groups.append([f"{FACET_COUNTRY}{int(pk)}" for pk in filters.countries])
    if filters.period_from and filters.period_to and filters.period_from <= filters.period_to:
        months = _months(filters.period_from, filters.period_to)
        if len(months) <= PERIOD_MONTHS * 2:
            groups.append([FACET_MONTH + m for m in months] + [LONG_PERIOD])
    return [" OR ".join(f'"{token}"' for token in sorted(set(group))).join("()") for group in groups]


def _authors(user, readable) -> list[int] | None:
    """The officers whose reports `user` reads, where they are few enough to ask the index for
    (MAX_AUTHORS; None: every officer, or too many)."""
    authors = readable.authors_read_by(user)
    if authors is None:
        return None
    found = list(authors.values_list("pk", flat=True)[:MAX_AUTHORS + 1])
    return found if len(found) <= MAX_AUTHORS else None


def _filtered_expression(expression: str, groups: list[str]) -> str:
    """`expression` (the users' words) searched in the word columns only, AND each facet group in the
    facets column: a word never matches a facet token, and FTS5 intersects the filters' postings
    with the words' before a report is read."""
    parts = [f"{WORD_COLUMNS} : ({expression})", *(f"{FACET_COLUMN} : {group}" for group in groups)]
    return " AND ".join(parts)


def expansions(word: str) -> list[str] | None:
    """The index's terms that begin with `word` (SQLite), or None where the engine's prefix query
    is the answer: a word with other than ASCII letters and digits, more than MAX_EXPANSIONS terms,
    one cut to TERM_LENGTH, or none known (the prefix query then costs nothing if FTS5 has none
    either, and finds what the table would lack if it has)."""
    if not (word.isascii() and word.isalnum()) or len(word) >= TERM_LENGTH:
        return None
    table = connection.ops.quote_name(ReportSearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {table} WHERE term >= %s AND term < %s ORDER BY term LIMIT %s",  # noqa: S608 - the model's table, bound parameters # nosec B608
                       [word, word + "\U0010ffff", MAX_EXPANSIONS + 1])
        found = [term for (term,) in cursor.fetchall()]
    if not found or len(found) > MAX_EXPANSIONS or any(len(term) >= TERM_LENGTH for term in found):
        return None
    return found


@dataclass
class SearchFilters:
    themes: list = field(default_factory=list)        # ThematicArea ids: any of them
    countries: list = field(default_factory=list)     # Country ids: any of them
    place: str = ""                                   # part of the places text
    mission: int | None = None
    period_from: object = None                        # the report's period overlaps [from, to]
    period_to: object = None
    markings: list = field(default_factory=list)
    statuses: list = field(default_factory=list)

    def apply(self, reports):
        if self.themes:
            reports = reports.filter(pk__in=FieldReport.themes.through.objects.filter(
                thematicarea_id__in=list(self.themes)).values("fieldreport_id"))
        if self.countries:
            reports = reports.filter(pk__in=FieldReport.countries.through.objects.filter(
                country_id__in=list(self.countries)).values("fieldreport_id"))
        if self.place:
            reports = reports.filter(places__icontains=self.place)
        if self.mission:
            reports = reports.filter(mission_id=self.mission)
        if self.period_from:
            reports = reports.filter(period_end__gte=self.period_from)
        if self.period_to:
            reports = reports.filter(period_start__lte=self.period_to)
        if self.markings:
            reports = reports.filter(marking__in=list(self.markings))
        if self.statuses:
            reports = reports.filter(status__in=list(self.statuses))
        return reports


@dataclass
class Hit:
    report: FieldReport
    title_html: str
    snippet_html: str
    score: float | None


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    number: int
    page_size: int
    words: list[str]
    # False when more reports match than were counted (COUNT_LIMIT): `total` is then a lower bound.
    exact: bool = True

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def marked(text: str) -> str:
    """HTML of an engine's highlighted text: escaped, then the engine's markers become <mark>."""
    text = text or ""
    if text.count(MARK_START) != text.count(MARK_END):
        text = text.replace(MARK_START, "").replace(MARK_END, "")
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308 - escaped first # nosec B308 B703


def _plain_snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def search_reports(*, user, text: str = "", filters: SearchFilters | None = None, number: int = 1,
                   page_size: int = 20) -> SearchPage:
    """One page of the reports `user` may read that match every word of `text` and the filters,
    best match first (without words: the newest first), with the count and highlighted snippets.

    With words, the search is bounded (issue 12 §10: p95 under 50 ms at 100,000 reports): it takes
    the COUNT_LIMIT most recently filed matches the user may read, counts them (`exact` False when
    there are more: "more than 1,000") and ranks only those. Ranking and counting all 40,000
    matches of a common word took 150 to 900 ms a search; the newest first is the index's own
    order on both engines, so collecting them stops after COUNT_LIMIT + 1."""
    words = terms(text)
    filters = filters or SearchFilters()
    number = max(1, int(number or 1))
    readable = FieldReport.objects.visible_to(user)
    visible = filters.apply(readable).order_by()
    if not words:
        return _browse(visible, words, number, page_size)
    expression = _match_expression(words)
    limit = COUNT_LIMIT
    try:
        if connection.vendor == "postgresql":
            candidates = _candidates_postgresql(expression, visible, limit + 1)
        else:
            groups = _facet_groups(filters, _authors(user, readable))
            expression = _filtered_expression(expression, groups)
            if groups:
                # FTS5 yields only reports that may pass; each is tested (correlated) against the
                # access rules and the filters its tokens do not decide. The mission, theme and
                # country tokens decide theirs, as the words do (derived data, `--check`): testing
                # the theme again took #7 from 28 to 88 ms (p50) at 1,000,000 reports.
                decided = replace(filters, mission=None, themes=[], countries=[])
                candidates = _candidates_sqlite(expression, decided.apply(readable).order_by(), limit + 1)
            else:
                # Restrictions an index serves (the user's pools or own reports, a place, a period
                # with one end) leave few reports: SQLite lists them once (see _candidates_sqlite).
                few = bool(readable.query.where or filters.period_from or filters.period_to)
                candidates = _candidates_sqlite(expression, visible, limit + 1, materialise=few)
    except EmptyResultSet:  # the user may read no report at all
        return SearchPage([], 0, 1, page_size, words)
    exact = len(candidates) <= limit
    candidates = candidates[:limit]
    total = len(candidates)
    if not total:
        return SearchPage([], 0, 1, page_size, words)
    number = min(number, max(1, -(-total // page_size)))  # past the last page: the last page
    offset = (number - 1) * page_size
    # Best first; equal scores: the newer first.
    ranked = sorted(candidates, key=lambda hit: (-hit[1], -hit[0]))[offset:offset + page_size]
    ids = [pk for pk, _score in ranked]
    reports = FieldReport.objects.with_related().in_bulk(ids)
    marks = _highlights(expression, ids)
    hits = [Hit(report=reports[pk], title_html=marked(marks.get(pk, ("", ""))[0] or reports[pk].title),
                snippet_html=marked(marks.get(pk, ("", ""))[1]), score=score)
            for pk, score in ranked if pk in reports]
    return SearchPage(hits, total, number, page_size, words, exact=exact)


def _browse(visible, words, number, page_size) -> SearchPage:
    total = visible.count()
    last = max(1, -(-total // page_size))
    number = min(number, last)
    reports = list(visible.with_related().order_by("-submitted_at", "-id")[(number - 1) * page_size:number * page_size])
    hits = [Hit(report=r, title_html=escape(r.title), snippet_html=escape(_plain_snippet(r.body)), score=None)
            for r in reports]
    return SearchPage(hits, total, number, page_size, words)


def _visible_condition(visible, outer_id: str):
    """SQL (and parameters) true when the report whose id is `outer_id` is in `visible`, or None
    when `visible` is every report (a national analyst without filters: nothing to test). A
    correlated EXISTS, tested on each match as the newest matches are collected: the filters and
    the access rules cost a key lookup per match read, never a pass over every report they allow
    (materialising "amber or amber+strict, new" took 120 ms of 160 at 100,000 reports on SQLite)."""
    if not visible.query.where:
        return None, []
    table = connection.ops.quote_name(FieldReport._meta.db_table)
    outer = f"{table}.{connection.ops.quote_name('id')} = {outer_id}"
    correlated = visible.extra(where=[outer]).values("pk")  # noqa: S610 - fixed names, no user input # nosec B610
    sql, params = correlated.query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


def _candidates_sqlite(expression, visible, limit, *, materialise: bool = False) -> list[tuple[int, float]]:
    """Up to `limit` (id, score) of matching visible reports, the most recently filed first: FTS5
    reads its doclists in rowid order (descending on request) and stops at the limit. The score is
    bm25 with the title weighing TITLE_WEIGHT times the rest (higher is better), computed in the
    same pass for the rows kept only.

    `materialise`: the visible reports are listed once (from their indexes) and each match looked
    up in the list, instead of the correlated test per match: 30 to 40 % less for a pool analyst,
    a mission, a theme and period at 100,000 reports; for "amber or amber+strict, new" (37,000
    reports, read row by row) six times more. ("+rowid": the list is tested on each match, never
    handed to FTS5 as rowids to look up one by one, which made a filtered search a hundred times
    slower.)"""
    where, args = f"{FTS_TABLE} MATCH %s", [expression]
    if materialise and visible.query.where:
        subquery, params = visible.values("pk").query.sql_with_params()
        where += f" AND +rowid IN ({subquery})"
        args += list(params)
    else:
        condition, params = _visible_condition(visible, f"{FTS_TABLE}.rowid")
        if condition:
            where += f" AND {condition}"
            args += params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, bm25({FTS_TABLE}, %s, 1.0, 0.0) FROM {FTS_TABLE} WHERE {where} "  # noqa: S608 - fixed names, bound parameters # nosec B608
                       "ORDER BY rowid DESC LIMIT %s", [TITLE_WEIGHT, *args, limit])
        return [(pk, -score) for pk, score in cursor.fetchall()]


def _candidates_postgresql(expression, visible, limit, *, walk: bool | None = None) -> list[tuple[int, float]]:
    """Up to `limit` (id, score) of matching visible reports, the most recently filed first; the
    score is ts_rank (title A, the rest B), computed for the rows kept only.

    Two ways, chosen by the planner's estimate of the matches (its statistics of the lexemes):
    many matches: walk the reports newest first and test each (the planner's usual choice, 2 ms
    for the newest 1,000 of 40,000 matches); few: the GIN index gives every match, then the newest
    (a materialised CTE). The planner costs the tsvector test at a fraction of what it takes (3 µs
    a row), so it walked 34,000 reports for a word of 2,939 matches (70 to 130 ms; the index: 3 to
    12 ms). Walking reads about limit × reports / matches rows at ~3 µs, the index every match at
    ~0.75 µs: the walk is cheaper above 2 × √(limit × reports) matches."""
    where, args = "s.vector @@ to_tsquery('simple', %s)", [expression]
    condition, params = _visible_condition(visible, "s.report_id")
    if condition:
        where += f" AND {condition}"
        args += params
    if walk is None:
        matches, reports = _estimates_postgresql(expression)
        walk = matches >= 2 * math.sqrt(limit * reports)
    if not walk:
        sql = (f"WITH m AS MATERIALIZED (SELECT s.report_id FROM reports_reportsearchtext s WHERE {where}) "  # noqa: S608 - fixed names, bound parameters # nosec B608
               "SELECT s.report_id, ts_rank(s.vector, to_tsquery('simple', %s)) FROM "
               "(SELECT report_id FROM m ORDER BY report_id DESC LIMIT %s) n "
               "JOIN reports_reportsearchtext s ON s.report_id = n.report_id ORDER BY s.report_id DESC")
        args = [*args, expression, limit]
    else:
        sql = (f"SELECT s.report_id, ts_rank(s.vector, to_tsquery('simple', %s)) FROM reports_reportsearchtext s "  # noqa: S608 - fixed names, bound parameters # nosec B608
               f"WHERE {where} ORDER BY s.report_id DESC LIMIT %s")
        args = [expression, *args, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def _estimates_postgresql(expression) -> tuple[float, float]:
    """The planner's estimates of the reports matching `expression` and of all reports (EXPLAIN:
    no row is read; 0.2 ms)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM reports_reportsearchtext s "
                       "WHERE s.vector @@ to_tsquery('simple', %s)", [expression])
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'reports_reportsearchtext'::regclass")
        reports = cursor.fetchone()[0]
    return float(plan[0]["Plan"]["Plan Rows"]), max(float(reports), 1.0)


def _highlights(expression, ids) -> dict[int, tuple[str, str]]:
    """(title, snippet) of each report of `ids`, matches between MARK_START and MARK_END: the
    engine's own highlighting, for the page's reports only."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            options = (f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS + 11}, '
                       f'MinWords={SNIPPET_WORDS - 9}')
            sql = ("SELECT s.report_id, ts_headline('simple', s.title, q.query, %s), "  # noqa: S608 - placeholders only # nosec B608
                   "ts_headline('simple', s.text, q.query, %s) "
                   f"FROM reports_reportsearchtext s, to_tsquery('simple', %s) AS q(query) WHERE s.report_id IN ({marks})")
            cursor.execute(sql, [f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true', options, expression, *ids])
        else:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), snippet({FTS_TABLE}, 1, %s, %s, ' … ', %s) "  # noqa: S608 - fixed names, bound parameters # nosec B608
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s AND +rowid IN ({marks})",
                [MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS, expression, min(ids), max(ids), *ids])
        return {pk: (title, snippet) for pk, title, snippet in cursor.fetchall()}
