"""Reading uploaded CSV/XLSX into (line number, row dict) pairs, for imports."""

import csv
import datetime as dt
import io


class TabularFileError(ValueError):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """Headers and rows of a CSV or XLSX file; each row keeps the line number a user sees in their program."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise TabularFileError(f"The file is not a readable XLSX workbook ({error.__class__.__name__}).") from error
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_row = next(iterator, None)
        if header_row is None:
            raise TabularFileError("The file is empty.")
        headers = [_cell_text(h).lower() for h in header_row]
        rows = []
        for line, values in enumerate(iterator, start=2):
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                continue
            rows.append((line, dict(zip(headers, cells + [""] * (len(headers) - len(cells)), strict=False))))
        return headers, rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TabularFileError("The file is not UTF-8 text; save it as CSV UTF-8.") from error
    reader = csv.reader(io.StringIO(text))
    header_row = next(reader, None)
    if not header_row:
        raise TabularFileError("The file is empty.")
    headers = [h.strip().lower() for h in header_row]
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(headers):
            rows.append((line, {"__error__": f"has {len(values)} cells but the header has {len(headers)}"}))
            continue
        rows.append((line, dict(zip(headers, [v.strip() for v in values] + [""] * (len(headers) - len(values)),
                                    strict=False))))
    return headers, rows
