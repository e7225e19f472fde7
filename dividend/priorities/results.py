"""Reading stored runs: ranking (sortable), country breakdown, comparison, robustness, export tables.

Everything here reads ``PriorityRun`` and ``RunCountry`` rows; nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dividend.common.collation import rules_for, sort_key
from dividend.common.exports import Table
from dividend.reference.names import country_name_of

from .models import PriorityRun, RunCountry

# Sort keys of the ranking: query value → (field, descending first). "dim:<id>" sorts by a dimension.
SORTS = {
    "rank": ("rank", False), "-rank": ("rank", True),
    "name": ("name", False), "-name": ("name", True),
    "iso3": ("iso3", False), "-iso3": ("iso3", True),
    "score": ("score", False), "-score": ("score", True),
    "reliability": ("reliability", False), "-reliability": ("reliability", True),
    "missing": ("missing_count", False), "-missing": ("missing_count", True),
    "median": ("median_rank", False), "-median": ("median_rank", True),
    "shift": ("mean_abs_shift", False), "-shift": ("mean_abs_shift", True),
}


def ranked_rows(run: PriorityRun, *, with_detail: bool = False):
    """Countries with a rank, best first (detail JSON deferred unless asked)."""
    rows = RunCountry.objects.filter(run=run, rank__isnull=False).order_by("rank")
    return rows if with_detail else rows.defer("detail")


def sort_rows(run: PriorityRun, rows: list[RunCountry], sort: str) -> tuple[list[RunCountry], str]:
    """Sort rows by a SORTS key or ``[-]dim:<dimension id>``; unknown keys fall back to rank."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key.startswith("dim:") and key[4:] in {d["id"] for d in run.dimensions}:
        dim = key[4:]

        def value(r):
            return r.dimension_scores.get(dim)
    elif sort in ("name", "-name"):  # the name shown, in the rules of the reader's language
        rules = rules_for(get_language())

        def value(r):
            return sort_key(country_name_of(r.iso3), rules)
    elif sort in SORTS:
        field = SORTS[sort][0]

        def value(r):
            return getattr(r, field)
    else:
        return _with_dims(run, sorted(rows, key=lambda r: r.rank)), "rank"
    present = [r for r in rows if value(r) is not None]
    absent = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: r.rank)
    present.sort(key=value, reverse=descending)  # stable: ties stay in rank order
    return _with_dims(run, present + sorted(absent, key=lambda r: r.rank)), sort


def _with_dims(run: PriorityRun, rows: list[RunCountry]) -> list[RunCountry]:
    """Attach ``dims``: the dimension scores in column order (for templates)."""
    for r in rows:
        r.dims = [r.dimension_scores.get(d["id"]) for d in run.dimensions]
    return rows


_QUANTUM = {d: Decimal(1).scaleb(-d) for d in range(7)}


def fixed(x, digits: int, point: str = ".") -> str:
    """``x|floatformat:digits`` without the template filter's cost (2,000 calls a ranking page): the
    number's shortest text rounded half up; "" for None; ``point`` = the locale's decimal separator."""
    if x is None:
        return ""
    try:
        d = Decimal(repr(float(x))).quantize(_QUANTUM[digits], ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):  # nan, inf: as floatformat shows them
        return str(x)
    text = f"{d:f}"
    if not d and text.startswith("-"):
        text = text[1:]  # floatformat writes no sign on a value rounded to zero
    return text.replace(".", point) if point != "." else text


@dataclass(frozen=True)
class RankingLine:
    """One row of the ranking page, every cell formatted (the template only places them)."""

    rank: int
    iso3: str
    name: str
    url: str
    score: str
    dims: list[str]
    reliability: str
    missing: int
    median: str
    p05: str
    p95: str
    shift: str


def ranking_lines(run: PriorityRun, rows: list[RunCountry]) -> list[RankingLine]:
    """The ranking page's rows: numbers as ``floatformat`` writes them (score 4 decimals, dimensions 3,
    reliability 2, ranks 0, shift 1) and each country's URL, built once rather than per row."""
    point = formats.get_format("DECIMAL_SEPARATOR")
    prefix = reverse("priorities:country", args=[run.pk, "AAA"])[:-4]
    return [RankingLine(r.rank, r.iso3, country_name_of(r.iso3), f"{prefix}{r.iso3}/", fixed(r.score, 4, point),
                        ["–" if v is None else fixed(v, 3, point) for v in r.dims], fixed(r.reliability, 2, point),
                        r.missing_count, fixed(r.median_rank, 0, point), fixed(r.p05_rank, 0, point),
                        fixed(r.p95_rank, 0, point), fixed(r.mean_abs_shift, 1, point))
            for r in rows]


def ranking_body(lines: list[RankingLine], *, robust: bool) -> SafeString:
    """The ranking table's rows as HTML in one pass (192 rows × 16 cells through the template engine cost
    more than the rest of the page). Names are escaped; the other cells are numbers and ISO3 codes."""
    out = []
    for r in lines:
        dims = "".join(f"<td>{v}</td>" for v in r.dims)
        tail = f"<td>{r.median} <span class=\"muted\">({r.p05}–{r.p95})</span></td><td>{r.shift}</td>" if robust else ""
        out.append(f'<tr><td>{r.rank}</td><td><a href="{escape(r.url)}">{escape(r.name)}</a> '
                   f'<span class="muted">{escape(r.iso3)}</span></td>\n<td>{r.score}</td>{dims}\n'
                   f"<td>{r.reliability}</td><td>{r.missing}</td>\n{tail}</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - every text cell is escaped above, the others are numbers # nosec B308 B703


def _num(x, digits=4):
    return None if x is None else round(float(x), digits)


def ranking_table(run: PriorityRun, rows: list[RunCountry]) -> Table:
    dims = run.dimensions
    headers = [_("Rank"), "ISO3", _("Country"), _("Score"), *[d["label"] for d in dims], _("Reliability"),
               _("Missing indicators")]
    robust = bool(run.draws)
    if robust:
        headers += [_("Median rank"), _("Rank 5%"), _("Rank 95%"), _("Mean abs. rank shift")]
    out = []
    for r in rows:
        line = [r.rank, r.iso3, country_name_of(r.iso3), _num(r.score), *[_num(r.dimension_scores.get(d["id"])) for d in dims],
                _num(r.reliability, 3), r.missing_count]
        if robust:
            line += [_num(r.median_rank, 1), _num(r.p05_rank, 1), _num(r.p95_rank, 1), _num(r.mean_abs_shift, 2)]
        out.append(line)
    return Table(title=_("Priority ranking %(run)s") % {"run": run.pk}, headers=headers, rows=out)


def robustness_table(run: PriorityRun, rows: list[RunCountry]) -> Table:
    return Table(title=_("Robustness run %(run)s") % {"run": run.pk},
                 headers=[_("Rank"), "ISO3", _("Country"), _("Median rank"), _("Rank 5%"), _("Rank 95%"),
                          _("Mean abs. rank shift")],
                 rows=[[r.rank, r.iso3, country_name_of(r.iso3), _num(r.median_rank, 1), _num(r.p05_rank, 1), _num(r.p95_rank, 1),
                        _num(r.mean_abs_shift, 2)] for r in rows])


MAX_INDENTED_DEPTH = 12  # deeper lines are indented as this level (dividend.css has a class per level)


@dataclass
class BreakdownLine:
    id: str
    label: str
    depth: int
    indicator: bool
    weight: float
    score: float | None
    contribution: float
    raw: float | None
    year: int | None
    source: str

    @property
    def depth_class(self) -> str:
        """The CSS class indenting this line (16px a level, site CSS; no inline style under the CSP)."""
        return f"depth-{min(self.depth, MAX_INDENTED_DEPTH)}"


def breakdown(run: PriorityRun, row: RunCountry) -> list[BreakdownLine]:
    """The tree (pre-order) with this country's node scores, contributions, raw values and years."""
    d = row.detail
    out = []
    for node in run.tree:
        nid = node["id"]
        out.append(BreakdownLine(
            nid, node["label"], node["depth"], node["indicator"], node["weight"], d["node_scores"].get(nid),
            d["contributions"].get(nid, 0.0), d["raw_values"].get(nid), d["value_years"].get(nid),
            f"{node['dataset']} / {node['column']}" if node["indicator"] else ""))
    return out


@dataclass
class Shift:
    iso3: str
    name: str
    rank_a: int | None
    rank_b: int | None
    score_a: float | None
    score_b: float | None

    @property
    def shift(self) -> int | None:
        """Positive = moved up (more relevant) in B."""
        return None if self.rank_a is None or self.rank_b is None else self.rank_a - self.rank_b


def compare(a: PriorityRun, b: PriorityRun) -> list[Shift]:
    """Rank shifts between two runs (countries in either), biggest moves first."""
    fields = ("iso3", "name", "rank", "score")
    rows_a = {r["iso3"]: r for r in RunCountry.objects.filter(run=a).values(*fields)}
    rows_b = {r["iso3"]: r for r in RunCountry.objects.filter(run=b).values(*fields)}
    out = []
    for iso3 in sorted(set(rows_a) | set(rows_b)):
        ra, rb = rows_a.get(iso3, {}), rows_b.get(iso3, {})
        out.append(Shift(iso3, country_name_of(iso3), ra.get("rank"), rb.get("rank"),
                         ra.get("score"), rb.get("score")))
    out.sort(key=lambda s: (s.shift is None, -abs(s.shift or 0), min(s.rank_a or 10**6, s.rank_b or 10**6)))
    return out


def comparison_table(a: PriorityRun, b: PriorityRun, shifts: list[Shift]) -> Table:
    return Table(title=_("Runs %(a)s and %(b)s") % {"a": a.pk, "b": b.pk},
                 headers=["ISO3", _("Country"), _("Rank run %(run)s") % {"run": a.pk}, _("Rank run %(run)s") % {"run": b.pk},
                          _("Shift (up +)"), _("Score run %(run)s") % {"run": a.pk}, _("Score run %(run)s") % {"run": b.pk}],
                 rows=[[s.iso3, s.name, s.rank_a, s.rank_b, s.shift, _num(s.score_a), _num(s.score_b)]
                       for s in shifts])
