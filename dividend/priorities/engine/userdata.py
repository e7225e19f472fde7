"""User datasets: rows of (country, year, value) uploaded as CSV/XLSX or sent as JSON records, checked
row by row (every bad row reported with its line, reading stopped after MAX_ROW_PROBLEMS) before the
indicator library (datasets.IndicatorLibrary) takes them as a column."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .datasets import iso3, known_countries
from .errors import DatasetError, RowProblem, Text, gettext_noop


@dataclass(frozen=True)
class UserRow:
    line: int
    iso3: str
    year: int
    value: float


_HEADER_ALIASES = {"iso3": "iso3", "iso": "iso3", "iso_code": "iso3", "code": "iso3", "country_code": "iso3",
                   "year": "year", "value": "value"}


def parse_user_rows(content: str | bytes, filename: str | None = None, *, check_countries: bool = True,
                    max_rows: int | None = None) -> list[UserRow]:
    """Parse an uploaded CSV (text or bytes) or XLSX (bytes) with columns iso3, year, value.

    All or nothing: every bad row is reported (line number = CSV line / spreadsheet row) in one
    :class:`DatasetError`; nothing is returned unless all rows are good. With ``max_rows``, a file with
    more data rows is refused as soon as the reading gets there.
    """
    is_xlsx = (isinstance(content, bytes) and content[:4] == b"PK\x03\x04") or \
        (filename or "").lower().endswith(".xlsx")
    if is_xlsx:
        raw = _xlsx_rows(content if isinstance(content, bytes) else content.encode(), max_rows)
    else:
        try:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            line = content[:exc.start].count(b"\n") + 1
            raise DatasetError([RowProblem(line, Text(gettext_noop("the file is not UTF-8 text; save it as CSV "
                                                                   "UTF-8")))]) from None
        raw = _csv_rows(text, max_rows)
    return _validate_rows(raw, check_countries)


def parse_user_records(records: list, *, check_countries: bool = True) -> list[UserRow]:
    """Rows given as data (``[iso3, year, value]`` each; a JSON body), read as the same rows of a CSV
    file would be (cells as text), without writing and parsing that file; line = position, 1-based."""
    def cells(record) -> list[object]:
        if isinstance(record, dict):
            record = [record.get("iso3"), record.get("year"), record.get("value")]
        elif not isinstance(record, list | tuple):
            record = [record]
        return ["" if v is None else str(v) for v in list(record)[:3]]

    # A generator: a body of bad rows is refused at the MAX_ROW_PROBLEMS-th problem without turning the
    # other rows into cells (100,000 rows of unknown countries: about 2 s of CPU less, measured).
    raw = itertools.chain([(0, ["iso3", "year", "value"])], ((i, cells(r)) for i, r in enumerate(records, start=1)))
    return _validate_rows(raw, check_countries)


def _bounded(rows, max_rows: int | None) -> list[tuple[int, list[object]]]:
    """The (line, cells) pairs, read one at a time; more than ``max_rows`` data rows (the header and
    blank rows not counted) stop the reading with a DatasetError naming the limit."""
    out: list[tuple[int, list[object]]] = []
    data_rows = -1  # the first non-blank row is the header
    for line, row in rows:
        if any(c not in (None, "") and str(c).strip() for c in row):
            data_rows += 1
            if max_rows is not None and data_rows > max_rows:
                raise DatasetError([RowProblem(line, _too_many(max_rows))])
        out.append((line, row))
    return out


def _csv_rows(text: str, max_rows: int | None = None) -> list[tuple[int, list[object]]]:
    first = text[:4096].splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first and "," not in first else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        if max_rows is not None and text.count("\n") > max_rows:
            # Perhaps too many rows (line breaks also come in quoted cells and blank lines): count them
            # first, keeping nothing, so a file beyond the limit is refused before its rows are built.
            counter = csv.reader(io.StringIO(text), delimiter=delimiter)
            rows = 0
            for row in counter:
                rows += any(c.strip() for c in row)
                if rows > max_rows + 1:  # the header and max_rows data rows
                    raise DatasetError([RowProblem(counter.line_num, _too_many(max_rows))])
        # No more rows than line breaks: within the limit, or counted above.
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:  # e.g. a field beyond the csv module's 128 KB bound
        raise DatasetError([RowProblem(reader.line_num, Text(gettext_noop("not readable as CSV (%(reason)s)"),
                                                             reason=str(exc)))]) from None


def _xlsx_rows(data: bytes, max_rows: int | None = None) -> list[tuple[int, list[object]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise DatasetError([RowProblem(1, _not_xlsx(exc))]) from exc
    try:
        sheet = wb.worksheets[0]
        return _bounded(((i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)),
                        max_rows)
    except DatasetError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is streamed, not when it is opened
        raise DatasetError([RowProblem(1, _not_xlsx(exc))]) from exc
    finally:
        wb.close()


MAX_ROW_PROBLEMS = 1000  # a file of bad rows stops being read after this many


def _validate_rows(raw: Iterable[tuple[int, list[object]]], check_countries: bool) -> list[UserRow]:
    raw = ((n, r) for n, r in raw if any(c not in (None, "") and str(c).strip() for c in r))
    first = next(raw, None)
    if first is None:
        raise DatasetError([RowProblem(1, Text(gettext_noop("the file is empty")))])
    header_line, header = first
    names = [_HEADER_ALIASES.get(str(h or "").strip().lower()) for h in header]
    missing = [n for n in ("iso3", "year", "value") if n not in names]
    if missing:
        raise DatasetError([RowProblem(header_line, Text(gettext_noop("header must have columns iso3, year, value; "
                                                                      "missing: %(missing)s"),
                                                         missing=", ".join(missing)))])
    pos = {n: names.index(n) for n in ("iso3", "year", "value")}
    known = known_countries() if check_countries else None
    problems: list[RowProblem] = []
    rows: list[UserRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in raw:
        cell = {k: (row[i] if i < len(row) else None) for k, i in pos.items()}
        reasons = []
        code = str(cell["iso3"] or "").strip().upper()
        if not code:
            reasons.append(Text(gettext_noop("iso3 is empty")))
        elif not re.fullmatch(r"[A-Z]{3}", code):
            reasons.append(Text(gettext_noop("iso3 %(code)s is not a three-letter code"), code=repr(code)))
        elif known is not None and iso3(code) not in known:
            reasons.append(Text(gettext_noop("unknown country code %(code)s"), code=repr(code)))
        year = _as_int(cell["year"])
        if year is None:
            reasons.append(Text(gettext_noop("year %(year)s is not a whole number"), year=_show(cell["year"])))
        elif not 1900 <= year <= 2100:
            reasons.append(Text(gettext_noop("year %(year)s is outside 1900-2100"), year=year))
        value = _as_float(cell["value"])
        if value is None:
            hint = (Text(gettext_noop(" (use a dot as decimal separator)"))
                    if re.fullmatch(r"-?\d+,\d+", str(cell["value"]).strip()) else "")
            reasons.append(Text(gettext_noop("value %(value)s is not a number%(hint)s"), value=_show(cell["value"]),
                                hint=hint))
        if not reasons:
            key = (iso3(code), year)
            if key in seen:
                reasons.append(Text(gettext_noop("duplicate %(country)s %(year)s (first on line %(line)s)"),
                                    country=key[0], year=year, line=seen[key]))
            else:
                seen[key] = line
                rows.append(UserRow(line, key[0], year, value))
        problems.extend(RowProblem(line, r) for r in reasons)
        if len(problems) >= MAX_ROW_PROBLEMS:
            # Nothing will be stored: reading on would only make a longer list nobody reads.
            raise DatasetError(problems[:MAX_ROW_PROBLEMS], truncated=True)
    if problems:
        raise DatasetError(problems)
    if not rows:
        raise DatasetError([RowProblem(header_line, Text(gettext_noop("no data rows under the header")))])
    return rows


def _too_many(max_rows: int) -> Text:
    return Text(gettext_noop("the file has more than %(limit)s rows; the limit is %(limit)s"), limit=f"{max_rows:,}")


def _not_xlsx(exc: Exception) -> Text:
    return Text(gettext_noop("not a readable XLSX file (%(reason)s)"), reason=exc.__class__.__name__)


def _show(v: object) -> str:
    return Text(gettext_noop("(empty)")) if v is None or str(v).strip() == "" else repr(str(v).strip())


def _as_int(v: object) -> int | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else None
    text = str(v).strip()
    if re.fullmatch(r"\d{1,4}(\.0+)?", text):
        return int(float(text))
    return None


def _as_float(v: object) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return float(v) if math.isfinite(v) else None
    text = str(v).strip()
    try:
        f = float(text)
    except ValueError:
        return None
    return f if math.isfinite(f) and not re.search(r"[a-zA-Z]", text.replace("e", "").replace("E", "")) else None


