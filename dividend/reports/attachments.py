"""Attachments of a field report (issue 12 §1 and "Bad input"): PDF, DOCX, PNG and JPEG files, checked
at the intake form, their text extracted for search and for the classification check.

Every path in (the web form, the API's base64 files, `import_report_mail`) goes through
:class:`AttachmentsField` on `FieldReportForm`; the service checks the extracted text again on its own
path to the table (`refuse_classified_attachments`) and stores the files in the report's transaction
(`store_attachments`). A file that fails any check refuses the whole report: nothing is stored.

Checks, in this order, each before the work it protects (limits: settings, docs/operations.md
"Limits"):

1. count (DIVIDEND_ATTACHMENT_MAX_COUNT) and size of each file as sent (DIVIDEND_ATTACHMENT_MAX_BYTES;
   the upload handler already drops the bytes of a file beyond DIVIDEND_UPLOAD_MAX_BYTES);
2. the type, from the content's first bytes (magic numbers), never from the name or the type the
   client claims: ``%PDF-``, the PNG signature, the JPEG SOI marker, a zip archive holding
   ``word/document.xml`` (DOCX); anything else is refused as unsupported;
3. DOCX (a zip archive): the sizes its directory declares, before anything is decompressed: the
   total (DIVIDEND_ATTACHMENT_MAX_UNCOMPRESSED_BYTES), the ratio to the file's size
   (DIVIDEND_ATTACHMENT_MAX_RATIO) and the number of members; zipfile stops reading a member at its
   declared size, so the declared sizes bound what extraction inflates;
4. parsing and text extraction with maintained libraries: pypdf (a PDF that does not parse, an
   encrypted one, or one of more than DIVIDEND_ATTACHMENT_MAX_PAGES pages is refused) and
   python-docx (body, tables, text boxes, headers, footers, foot- and endnotes, comments, the
   document's properties); images are opened with Pillow (header and pixel count checked, the file
   verified); they carry no text for search, since no OCR engine is installed, but their embedded
   descriptions (PNG text chunks, JPEG comments, EXIF descriptions) are read for the next check;
5. classification markings (`reports.classification`) in the extracted text and in the file's name:
   the message names the attachment (by position when its name carries the marking) and the marking,
   never the text.

pypdf's own warnings about malformed files are not logged: they may quote the file.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .classification import find_markings

# pypdf logs what it repairs in a malformed file, sometimes with a piece of it: never in our logs.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False

PDF, DOCX, PNG, JPEG = "pdf", "docx", "png", "jpeg"
KINDS = {
    PDF: ("PDF", "application/pdf", ".pdf"),
    DOCX: ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    PNG: ("PNG", "image/png", ".png"),
    JPEG: ("JPEG", "image/jpeg", ".jpg"),
}
KIND_CHOICES = [(kind, label) for kind, (label, _type, _ext) in KINDS.items()]
# A DOCX has a few dozen members; a zip of many thousands is not one (and each costs a directory read).
MAX_ZIP_MEMBERS = 1000
# An image of more pixels than this is refused before it is decoded (a PNG "pixel flood").
MAX_IMAGE_PIXELS = 50_000_000
# The parts of a DOCX whose text is read, besides the main document.
DOCX_TEXT_PARTS = re.compile(r"^/word/(header|footer|footnotes|endnotes|comments)\d*\.xml$")
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class AttachmentError(ValueError):
    """A file refused; the message is a full sentence for the person who sent it."""


@dataclass(frozen=True)
class CheckedAttachment:
    """A file that passed every check: what `store_attachments` writes."""

    name: str
    kind: str
    content: bytes
    text: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def size_text(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}".replace(f".0 {unit}", f" {unit}")
    return _("%(count)s bytes") % {"count": f"{size:,}"}


def limits() -> dict:
    return {"bytes": settings.DIVIDEND_ATTACHMENT_MAX_BYTES, "count": settings.DIVIDEND_ATTACHMENT_MAX_COUNT,
            "uncompressed": settings.DIVIDEND_ATTACHMENT_MAX_UNCOMPRESSED_BYTES,
            "ratio": settings.DIVIDEND_ATTACHMENT_MAX_RATIO, "pages": settings.DIVIDEND_ATTACHMENT_MAX_PAGES}


def detect_kind(content: bytes) -> str | None:
    """The file's type from its first bytes (and, for a zip archive, its directory); None if unsupported."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist()[:MAX_ZIP_MEMBERS + 1])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def clean_name(name: str, kind: str) -> str:
    """The file's name as kept and offered for download: the last path component, no control or
    format characters, at most 120 characters, ending in its type's extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    extension = KINDS[kind][2]
    allowed = {extension, ".jpeg"} if kind == JPEG else {extension}
    stem, dot, ext = name.rpartition(".")
    if not (dot and "." + ext.lower() in allowed):
        stem = name
        ext = extension[1:]
    stem = stem[:120 - len(ext) - 1] or _("attachment")
    return f"{stem}.{ext.lower()}"


def _check_docx_archive(content: bytes) -> None:
    """The zip bomb check: the directory's declared sizes, before anything is decompressed."""
    lim = limits()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise AttachmentError(_("The DOCX file holds %(count)s parts; a document has at most %(limit)s.") % {
                "count": f"{len(members):,}", "limit": f"{MAX_ZIP_MEMBERS:,}"})
        expanded = sum(info.file_size for info in members)
    if expanded > lim["uncompressed"]:
        raise AttachmentError(_("The DOCX file expands to %(size)s; the limit is %(limit)s.") % {
            "size": size_text(expanded), "limit": size_text(lim["uncompressed"])})
    ratio = expanded / max(len(content), 1)
    if ratio > lim["ratio"]:
        raise AttachmentError(_("The DOCX file expands %(ratio)s times its size; the limit is %(limit)s times.") % {
            "ratio": f"{ratio:,.0f}", "limit": f"{lim['ratio']:,}"})


def _paragraphs(element) -> list[str]:
    lines = []
    for paragraph in element.iter(f"{W_NS}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{W_NS}t"))
        if text.strip():
            lines.append(text)
    return lines


def docx_text(content: bytes) -> str:
    import docx
    from docx.oxml import parse_xml

    _check_docx_archive(content)
    try:
        document = docx.Document(io.BytesIO(content))
        lines = _paragraphs(document.element.body)  # paragraphs, tables, text boxes
        for part in document.part.package.iter_parts():
            if DOCX_TEXT_PARTS.match(str(part.partname)):
                lines += _paragraphs(parse_xml(part.blob))
        core = document.core_properties
        lines += [value for value in (core.title, core.subject, core.keywords, core.comments, core.category)
                  if value]
    except AttachmentError:
        raise
    except Exception as error:  # a hostile file may break the parser anywhere: never a server error
        raise AttachmentError(_("The DOCX file cannot be read: it is damaged or not a Word document.")) from error
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many kinds on a broken file
        raise AttachmentError(_("The PDF file does not parse: it is damaged or not a PDF.")) from error
    if encrypted:
        raise AttachmentError(_("The PDF file is encrypted (password-protected): its text cannot be checked. "
                                "Attach it without a password."))
    try:
        pages = len(reader.pages)
        if pages > limits()["pages"]:
            raise AttachmentError(_("The PDF file has %(count)s pages; the limit is %(limit)s.") % {
                "count": f"{pages:,}", "limit": f"{limits()['pages']:,}"})
        lines = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata or {}
        lines += [str(metadata.get(key)) for key in ("/Title", "/Subject", "/Keywords") if metadata.get(key)]
    except AttachmentError:
        raise
    except Exception as error:
        raise AttachmentError(_("The PDF file does not parse: it is damaged or not a PDF.")) from error
    return "\n".join(line for line in lines if line.strip())


def image_text(content: bytes, kind: str) -> str:
    """An image's embedded descriptions (for the classification check; no OCR is installed)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the header only
            if image.format != KINDS[kind][0]:
                raise AttachmentError(_("The image cannot be read: it is damaged or not a %(kind)s image.")
                                      % {"kind": KINDS[kind][0]})
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AttachmentError(_("The image has %(count)s pixels; the limit is %(limit)s.") % {
                    "count": f"{width * height:,}", "limit": f"{MAX_IMAGE_PIXELS:,}"})
            image.verify()  # the file's structure (PNG: every chunk's checksum)
        with Image.open(io.BytesIO(content)) as image:
            texts = [v for v in image.info.values() if isinstance(v, str)]
            texts += [v.decode("utf-8", "replace") for k, v in image.info.items()
                      if k == "comment" and isinstance(v, bytes)]
            texts += [v for v in image.getexif().values() if isinstance(v, str)]
    except AttachmentError:
        raise
    except Exception as error:  # Pillow: truncated, broken, a decompression bomb
        raise AttachmentError(_("The image cannot be read: it is damaged or not a %(kind)s image.")
                              % {"kind": KINDS[kind][0]}) from error
    return "\n".join(t for t in texts if t.strip())


def extract_text(content: bytes, kind: str) -> str:
    if kind == PDF:
        text = pdf_text(content)
    elif kind == DOCX:
        text = docx_text(content)
    else:
        text = image_text(content, kind)
    return text.replace("\x00", "")  # PostgreSQL's text holds no NUL


def _label(position: int, name: str) -> str:
    """How a message names an attachment: by its name, or by its position when the name itself
    carries a classification marking (a message never repeats one)."""
    if name and not find_markings(name):
        return _("Attachment %(position)s (%(name)s)") % {"position": position, "name": name}
    return _("Attachment %(position)s") % {"position": position}


def classified_message(position: int, attachment: CheckedAttachment) -> str | None:
    found = find_markings(attachment.name) + [m for m in find_markings(attachment.text)
                                              if m not in find_markings(attachment.name)]
    if not found:
        return None
    return _("%(attachment)s: classified content is not accepted: the file carries the marking %(markings)s. "
             "Dividend holds unclassified information only; send classified information through your "
             "accredited channel.") % {"attachment": _label(position, attachment.name), "markings": ", ".join(found)}


def check_file(content: bytes, name: str, size: int | None = None) -> CheckedAttachment:
    """Every check of one file but the classification check; AttachmentError naming what is wrong."""
    lim = limits()
    size = len(content) if size is None else size
    if size > lim["bytes"]:
        raise AttachmentError(_("The file is %(size)s; the limit is %(limit)s.") % {
            "size": size_text(size), "limit": size_text(lim["bytes"])})
    if not content:
        raise AttachmentError(_("The file is empty."))
    kind = detect_kind(content)
    if kind is None:
        raise AttachmentError(_("This type of file is not accepted: attach a PDF, a Word document (DOCX) or a "
                                "PNG or JPEG image."))
    return CheckedAttachment(name=clean_name(name, kind), kind=kind, content=content,
                             text=extract_text(content, kind))


def check_files(files) -> list[CheckedAttachment]:
    """Check uploaded files (Django UploadedFile objects); ValidationError with one message per bad file."""
    lim = limits()
    files = [f for f in files if f is not None]
    if len(files) > lim["count"]:
        raise ValidationError(_("%(count)s files attached; the limit is %(limit)s.") % {
            "count": len(files), "limit": lim["count"]})
    checked, errors = [], []
    for position, upload in enumerate(files, start=1):
        name = str(getattr(upload, "name", "") or "")
        size = getattr(upload, "size", None)
        try:
            content = b"" if size is not None and size > lim["bytes"] else upload.read()
            attachment = check_file(content, name, size)
        except AttachmentError as error:
            errors.append(f"{_label(position, name)}: {error}")
            continue
        message = classified_message(position, attachment)
        if message:
            errors.append(message)
        else:
            checked.append(attachment)
    if errors:
        raise ValidationError(errors)
    return checked


def refuse_classified_attachments(attachments) -> None:
    """The service's own check on its path to the table (the form checked first)."""
    errors = [m for i, a in enumerate(attachments, start=1) if (m := classified_message(i, a))]
    if errors:
        raise ValidationError({"attachments": errors})


def store_attachments(*, actor, report, attachments) -> list:
    """Write the checked files of a report being filed (inside the caller's transaction) and audit
    each (type, size and checksum; neither name nor text)."""
    from dividend.audit.services import record

    from .models import ReportAttachment

    stored = []
    for position, a in enumerate(attachments, start=1):
        row = ReportAttachment.objects.create(report=report, position=position, name=a.name, kind=a.kind,
                                              size=len(a.content), sha256=a.sha256, content=a.content,
                                              text=a.text)
        record(actor=actor, action="create", obj=row, fields=["name", "kind", "size", "content", "text"],
               detail={"report_id": report.pk, "kind": a.kind, "size": len(a.content), "sha256": a.sha256})
        stored.append(row)
    return stored


# --- The form field -------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        accept = ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg," + KINDS[DOCX][1]
        super().__init__({"accept": accept, "multiple": True, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        if files is None:
            return []
        if hasattr(files, "getlist"):
            return files.getlist(name)
        value = files.get(name)
        return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


class AttachmentsField(forms.Field):
    """Files attached to a report: cleaned into a list of :class:`CheckedAttachment` (every check of
    this module, the classification check included)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Attachments"))
        kwargs.setdefault("help_text", gettext_lazy("PDF, Word (DOCX), PNG or JPEG files. Their text is checked "
                                                    "for classification markings like the report's."))
        super().__init__(**kwargs)

    def clean(self, value):
        return check_files(value or [])

    def has_changed(self, initial, data):
        return bool(data)


# --- Downloads (the page and the API) -------------------------------------------------------------


def readable_attachment(user, report_pk: int, attachment_pk: int):
    """The attachment, if the user reads its report (Http404 otherwise: hidden, not just closed); audited."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from dividend.audit.services import record

    from . import access
    from .models import FieldReport, ReportAttachment

    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=report_pk)
    if not access.can_read_report(user, report):
        raise PermissionDenied(_("You may not read this report."))
    attachment = get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_pk)
    record(actor=user, action="read", obj=attachment, fields=["content"],
           detail={"report_id": report.pk, "officer_id": report.officer_id, "kind": attachment.kind})
    return attachment


def download_response(attachment):
    """The file as a download: the type detected at intake (never the one the sender claimed), never
    shown in the browser (Content-Disposition: attachment, nosniff), and a sandbox policy in case a
    browser ignores both."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(bytes(attachment.content), content_type=KINDS[attachment.kind][1])
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
