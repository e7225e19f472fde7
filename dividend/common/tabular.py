"""Reading uploaded CSV/XLSX into (line number, row dict) pairs, for imports; the limits of every upload.

Limits (settings, docs/operations.md "Limits"): DIVIDEND_UPLOAD_MAX_BYTES (the file as sent),
DIVIDEND_UPLOAD_MAX_UNCOMPRESSED_BYTES (an XLSX is a zip archive: what it expands to, read from the
archive's directory before anything is decompressed) and DIVIDEND_UPLOAD_MAX_ROWS (counted while the
rows are read, one at a time). `check_upload` is what forms call on the uploaded file before it is read;
`read_rows` checks again, so a command or a service given bytes is held to the same bounds.
"""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings


class TabularFileError(ValueError):
    pass


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_rows: int


def upload_limits() -> UploadLimits:
    return UploadLimits(settings.DIVIDEND_UPLOAD_MAX_BYTES, settings.DIVIDEND_UPLOAD_MAX_UNCOMPRESSED_BYTES,
                        settings.DIVIDEND_UPLOAD_MAX_ROWS)


def _size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}".replace(f".0 {unit}", f" {unit}")
    return f"{size:,} bytes"


def check_upload(name: str, file, size: int | None = None) -> None:
    """Refuse a file beyond the size limits before it is read (TabularFileError naming the limit).

    `file`: bytes or a binary file object (an UploadedFile: only an XLSX's zip directory is read, and
    the file is rewound).
    """
    limits = upload_limits()
    if size is None:
        size = len(file) if isinstance(file, bytes | bytearray) else file.size
    if size > limits.max_bytes:
        raise TabularFileError(f"The file is {_size(size)}; the limit is {_size(limits.max_bytes)}.")
    handle = io.BytesIO(file) if isinstance(file, bytes | bytearray) else file
    head = handle.read(4)
    handle.seek(0)
    # By its name or by its content: a zip archive named .csv is read as XLSX by the dataset parser.
    if not (name.lower().endswith(".xlsx") or head == b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(handle) as archive:
            # The sizes the directory declares bound what decompression yields: zipfile stops at them
            # (and fails the CRC check if the data claim more), so the sum is a safe bound.
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TabularFileError("The file is not a readable XLSX workbook (not a zip archive).") from error
    finally:
        if handle is file:
            file.seek(0)
    if expanded > limits.max_uncompressed_bytes:
        raise TabularFileError(f"The XLSX workbook expands to {_size(expanded)}; the limit is "
                               f"{_size(limits.max_uncompressed_bytes)}.")


def _too_many_rows(max_rows: int) -> TabularFileError:
    return TabularFileError(f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}.")


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
    """Headers and rows of a CSV or XLSX file; each row keeps the line number a user sees in their program.

    Checks the upload limits first and counts the rows as they are read: TabularFileError names the
    limit a file exceeds.
    """
    check_upload(name, content)
    max_rows = upload_limits().max_rows
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(content, max_rows)
    return _csv_rows(content, max_rows)


def _xlsx_rows(content: bytes, max_rows: int) -> tuple[list[str], list[tuple[int, dict]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise TabularFileError(f"The file is not a readable XLSX workbook ({error.__class__.__name__}).") from error
    try:
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
            if len(rows) == max_rows:
                raise _too_many_rows(max_rows)
            rows.append((line, dict(zip(headers, cells + [""] * (len(headers) - len(cells)), strict=False))))
        return headers, rows
    except TabularFileError:
        raise
    except Exception as error:  # a damaged sheet fails while it is streamed, not when it is opened
        raise TabularFileError(f"The file is not a readable XLSX workbook ({error.__class__.__name__}).") from error
    finally:
        workbook.close()


def _csv_reader(content: bytes):
    # Decoded as it is read, line by line: no second copy of the whole file as text.
    return csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline=""))


def _csv_rows(content: bytes, max_rows: int) -> tuple[list[str], list[tuple[int, dict]]]:
    if content.count(b"\n") > max_rows:
        # Perhaps too many rows (line breaks also come in quoted cells and blank lines): count them
        # first, keeping nothing, so a file beyond the limit is refused before its rows are built.
        rows = 0
        try:
            for values in _csv_reader(content):
                rows += any(v.strip() for v in values)
                if rows > max_rows + 1:  # the header and max_rows data rows
                    raise _too_many_rows(max_rows)
        except (UnicodeDecodeError, csv.Error):
            pass  # reported with the rows below
    reader = _csv_reader(content)
    try:
        header_row = next(reader, None)
        if not header_row:
            raise TabularFileError("The file is empty.")
        headers = [h.strip().lower() for h in header_row]
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) == max_rows:
                raise _too_many_rows(max_rows)
            if len(values) > len(headers):
                rows.append((line, {"__error__": f"has {len(values)} cells but the header has {len(headers)}"}))
                continue
            rows.append((line, dict(zip(headers, [v.strip() for v in values] + [""] * (len(headers) - len(values)),
                                        strict=False))))
    except UnicodeDecodeError as error:
        raise TabularFileError("The file is not UTF-8 text; save it as CSV UTF-8.") from error
    except csv.Error as error:  # e.g. a field beyond the csv module's 128 KB bound
        raise TabularFileError(f"Line {reader.line_num}: the file is not readable CSV ({error}).") from error
    return headers, rows
