"""A table as a PDF written directly, without a layout engine: for long tables (a ranking of 192 countries)
that WeasyPrint takes seconds to lay out. A4 landscape, the PDF's built-in Helvetica (nothing embedded),
header row repeated on each page, "Page n of N"; columns sized to their contents and the page width,
cells too long for their column cut with "…", headers wrapped on up to three lines.

Text is written in the built-in fonts' encoding (Windows-1252: Western European letters, ’ “ ” – € …);
another character is written as its base letter when it has one (ł → l is not one: "?"), so pages stay
readable and searchable without embedding a font.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zlib

from django.http import HttpResponse

from .exports import Table

PAGE_W, PAGE_H = 841.89, 595.28  # A4 landscape, points
MARGIN = 42.52  # 1.5 cm
SIZE, TITLE_SIZE = 8.0, 14.0
ROW_H, LINE_H, PAD = 11.0, 9.5, 4.0
MAX_HEADER_LINES = 3

# Advance widths (1/1000 em) of Windows-1252 bytes 32–255 in Helvetica and Helvetica-Bold (Adobe's AFM).
_W = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278] + [556] * 10 + [
    278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500,
    556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500,
    500, 500, 334, 260, 334, 584, 350,
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333,
    556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667,
    667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500]
_WB = [278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278] + [556] * 10 + [
    333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
    778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556,
    611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556,
    556, 500, 389, 280, 389, 584, 350,
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333,
    611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667,
    667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611,
    611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556]
ELLIPSIS = "\x85"  # … in Windows-1252


def _encodable(text: str) -> str:
    """The text in Windows-1252 characters (as a str of those bytes, latin-1 decoded)."""
    out = []
    for ch in text.replace("\r", " ").replace("\n", " ").replace("\t", " "):
        try:
            out.append(ch.encode("cp1252").decode("latin-1"))
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch)[:1]
            try:
                out.append(base.encode("cp1252").decode("latin-1") if base != ch else "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def _width(text: str, size: float, bold: bool = False) -> float:
    widths = _WB if bold else _W
    return sum(widths[ord(c) - 32] if 32 <= ord(c) <= 255 else 500 for c in text) * size / 1000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _fit(text: str, room: float) -> str:
    if _width(text, SIZE) <= room:
        return text
    while text and _width(text + ELLIPSIS, SIZE) > room:
        text = text[:-1]
    return text + ELLIPSIS


def _wrap(text: str, room: float) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}".strip()
        if line and _width(candidate, SIZE, True) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > MAX_HEADER_LINES:
        lines = lines[:MAX_HEADER_LINES - 1] + [" ".join(lines[MAX_HEADER_LINES - 1:])]
    return [_fit(x, room) if _width(x, SIZE, True) > room else x for x in lines]


def _column_widths(headers: list[str], rows: list[list[str]]) -> list[float]:
    """Each column as wide as its longest cell or header word, then all scaled to the page width."""
    room = PAGE_W - 2 * MARGIN
    natural = []
    for j, header in enumerate(headers):
        cells = max((_width(r[j], SIZE) for r in rows if j < len(r)), default=0.0)
        word = max((_width(w, SIZE, True) for w in header.split(" ")), default=0.0)
        natural.append(max(cells, word) + 2 * PAD)
    total = sum(natural) or 1.0
    if total <= room:
        return [w * room / total for w in natural]
    # Too wide: narrow columns keep their width, the wide ones share what is left.
    fair = room / len(natural)
    keep = sum(w for w in natural if w <= fair)
    wide = sum(w for w in natural if w > fair) or 1.0
    return [w if w <= fair else w * (room - keep) / wide for w in natural]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _text(x: float, y: float, text: str, font: str = "F1", size: float = SIZE) -> str:
    return f"BT /{font} {size:g} Tf {x:.2f} {y:.2f} Td ({_esc(text)}) Tj ET"


def table_pdf_bytes(table: Table, *, subtitle: str = "") -> bytes:
    """The table as PDF bytes: title, subtitle, then the rows under a header repeated on every page."""
    headers = [_encodable(str(h)) for h in table.headers]
    rows = [[_encodable(_cell(v)) for v in row] for row in table.rows]
    widths = _column_widths(headers, rows)
    xs = [MARGIN + sum(widths[:j]) for j in range(len(widths))]
    header_lines = [_wrap(h, w - 2 * PAD) for h, w in zip(headers, widths, strict=True)]
    header_h = max((len(lines) for lines in header_lines), default=1) * LINE_H + 4
    top = PAGE_H - MARGIN
    first_top = top - TITLE_SIZE - 6 - (SIZE + 6 if subtitle else 0)
    bottom = MARGIN + 14  # the page number's line

    pages: list[list[list[str]]] = []
    start, y0 = 0, first_top
    while True:
        fit = max(1, int((y0 - header_h - bottom) // ROW_H))
        pages.append(rows[start:start + fit])
        start += fit
        if start >= len(rows):
            break
        y0 = top

    streams = []
    for n, page_rows in enumerate(pages, start=1):
        ops = ["0.6 G 0.5 w"]
        y = top
        if n == 1:
            ops.append(_text(MARGIN, y - TITLE_SIZE, _encodable(table.title), "F2", TITLE_SIZE))
            y -= TITLE_SIZE + 6
            if subtitle:
                ops.append(_text(MARGIN, y - SIZE, _encodable(subtitle)))
                y -= SIZE + 6
        ops.append(f"0.933 g {MARGIN:.2f} {y - header_h:.2f} {PAGE_W - 2 * MARGIN:.2f} {header_h:.2f} re f 0 g")
        for x, lines in zip(xs, header_lines, strict=True):
            for k, line in enumerate(lines):
                ops.append(_text(x + PAD, y - 2 - SIZE - k * LINE_H, line, "F2"))
        y -= header_h
        ops.append(f"{MARGIN:.2f} {y:.2f} m {PAGE_W - MARGIN:.2f} {y:.2f} l S")
        for row in page_rows:
            for x, w, value in zip(xs, widths, row, strict=False):
                if value:
                    ops.append(_text(x + PAD, y - ROW_H + 3, _fit(value, w - 2 * PAD)))
            y -= ROW_H
            ops.append(f"{MARGIN:.2f} {y:.2f} m {PAGE_W - MARGIN:.2f} {y:.2f} l S")
        label = f"Page {n} of {len(pages)}"
        ops.append(_text(PAGE_W - MARGIN - _width(label, SIZE), MARGIN, label))
        streams.append("\n".join(ops).encode("latin-1"))
    return _document(streams, _encodable(table.title))


def _document(streams: list[bytes], title: str) -> bytes:
    """The PDF file: catalog, page tree, the two built-in fonts, one page and content stream per page."""
    n_pages = len(streams)
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in page_ids) + b"] /Count %d >>" % n_pages,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    }
    for page_id, stream in zip(page_ids, streams, strict=True):
        packed = zlib.compress(stream, 6)
        objects[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R "
                            b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (PAGE_W, PAGE_H, page_id + 1))
        objects[page_id + 1] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + \
            b"\nendstream"
    info_id = max(objects) + 1
    objects[info_id] = b"<< /Title (" + _esc(title).encode("latin-1") + b") /Producer (Dividend) >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (info_id + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, info_id + 1))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (info_id + 1, info_id, xref)
    return bytes(out)


def render_table_pdf(table: Table, filename: str, *, subtitle: str = "") -> HttpResponse:
    """The table as a PDF download (as common.exports.render_pdf, for tables too long to lay out there)."""
    response = HttpResponse(table_pdf_bytes(table, subtitle=subtitle), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
