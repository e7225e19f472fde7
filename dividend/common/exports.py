"""Exporters return a Table (headers + rows); CSV, XLSX and PDF are renderers over it."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string

# Cells starting with these are read as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Iterable[list] = field(default_factory=list)


def csv_safe(value) -> str:
    """Text for a CSV cell; a leading formula character is neutralised with an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        # Negative numbers stay numbers: only text is defused.
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def render_csv(table: Table, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM so spreadsheet programs read UTF-8
        yield writer.writerow(table.headers)
        for row in table.rows:
            yield writer.writerow([csv_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(table: Table) -> bytes:
    return tables_xlsx_bytes([table])


def tables_xlsx_bytes(tables: list[Table]) -> bytes:
    """One workbook of several tables, a sheet each under its title (a report of many parts)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for table in tables:
        title = "".join("-" if c in "[]:*?/\\" else c for c in table.title)[:31]
        sheet = workbook.create_sheet(title=title or "Export")
        header_cells = []
        for name in table.headers:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in table.rows:
            sheet.append([("'" + v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_xlsx(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def pdf_bytes(table: Table, *, subtitle: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("common/table_pdf.html", {"table": table, "rows": list(table.rows),
                                                      "subtitle": subtitle})
    return HTML(string=html).write_pdf()


def render_pdf(table: Table, filename: str, *, subtitle: str = "") -> HttpResponse:
    response = HttpResponse(pdf_bytes(table, subtitle=subtitle), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def tables_pdf_bytes(title: str, tables: list[Table], *, subtitle: str = "") -> bytes:
    """One PDF of several tables, each under its title (a report of many parts)."""
    from weasyprint import HTML

    html = render_to_string("common/tables_pdf.html", {
        "title": title, "subtitle": subtitle, "tables": [(table, list(table.rows)) for table in tables]})
    return HTML(string=html).write_pdf()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}


def html_pdf_bytes(template: str, context: dict) -> bytes:
    """A PDF of one of our templates (WeasyPrint): documents that are not tables."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def render_html_pdf(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(html_pdf_bytes(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
