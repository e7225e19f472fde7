"""Real small files for the attachment tests, built in the test run: PDF (with text, broken, encrypted),
DOCX (with text in body, table and header; a zip bomb), PNG and JPEG images."""

import io
import zipfile

import docx
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter


def pdf(*lines: str) -> bytes:
    """A one-page PDF whose text pypdf extracts (Helvetica, one line per string)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def broken_pdf() -> bytes:
    """Starts as a PDF, then nothing of one: no objects, no cross-reference table, no trailer."""
    return b"%PDF-1.7\n" + b"\x00\xff garbage " * 50


def encrypted_pdf(*lines: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(*lines))))
    writer.encrypt(user_password="secret-password", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word(*paragraphs: str, header: str = "", table: tuple = ()) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        cells = document.add_table(rows=1, cols=len(table)).rows[0].cells
        for cell, text in zip(cells, table, strict=True):
            cell.text = text
    if header:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(expanded: int) -> bytes:
    """A real DOCX with one more part: `expanded` zero bytes, deflated to a thousandth of that."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word("An ordinary first page."))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        with target.open("word/media/padding.bin", "w") as member:
            chunk = b"\x00" * (1 << 20)
            left = expanded
            while left > 0:
                member.write(chunk[:left])
                left -= len(chunk)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return out.getvalue()


def png(description: str = "") -> bytes:
    info = PngImagePlugin.PngInfo()
    if description:
        info.add_text("Description", description)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()
