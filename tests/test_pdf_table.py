"""The directly written table PDF (common.pdf_table): structure, text, pages, characters outside its encoding."""

import re
import zlib

from dividend.common.exports import Table
from dividend.common.pdf_table import table_pdf_bytes


def page_texts(pdf: bytes) -> list[str]:
    """The strings shown on each page (the content streams' Tj operands), in order."""
    streams = re.findall(rb"/FlateDecode >>\nstream\n(.*?)\nendstream", pdf, re.S)
    return [" ".join(re.findall(r"\(((?:\\.|[^\\)])*)\) Tj", zlib.decompress(s).decode("latin-1"))) for s in streams]


def test_a_long_table_is_paged_with_its_header_on_every_page():
    table = Table(title="Priority ranking 7", headers=["Rank", "Country", "Score"],
                  rows=[[i, f"Country {i}", round(i / 7, 4)] for i in range(1, 193)])
    pdf = table_pdf_bytes(table, subtitle="model v1 (DEU)")
    pages = page_texts(pdf)
    assert (pdf[:8], pdf.rstrip()[-5:], len(pages), pdf.count(b"/Type /Page "), b"/Count 5" in pdf) == (
        b"%PDF-1.4", b"%%EOF", 5, 5, True)
    assert pages[0].startswith("Priority ranking 7 model v1 \\(DEU\\) Rank Country Score 1 Country 1 0.1429 2 ")
    assert [p.split(" Page ")[-1] for p in pages] == [f"{n} of 5" for n in range(1, 6)]
    assert all(p.startswith("Rank Country Score") for p in pages[1:])
    shown = " ".join(pages)
    assert [f"Country {i} " in shown for i in (1, 100, 192)] == [True, True, True]


def test_the_cross_reference_table_points_at_every_object():
    pdf = table_pdf_bytes(Table(title="t", headers=["a"], rows=[["x"]]))
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    entries = pdf[xref:].split(b"\n")[3:]
    offsets = [int(e[:10]) for e in entries if e.endswith(b" n ")]
    assert [pdf[o:].split(b" ", 1)[0] for o in offsets] == [str(i).encode() for i in range(1, len(offsets) + 1)]


def test_characters_outside_the_fonts_encoding_fall_back_to_their_base_letter_or_a_question_mark():
    table = Table(title="Côte d’Ivoire", headers=["Name"], rows=[["Łódź – Curaçao €"], ["Ελλάδα"], [None]])
    shown = page_texts(table_pdf_bytes(table))[0]
    assert shown == "Côte d\x92Ivoire Name ?ódz \x96 Curaçao \x80 ?????? Page 1 of 1"  # Windows-1252 bytes


def test_a_cell_too_long_for_its_column_is_cut_with_an_ellipsis():
    table = Table(title="t", headers=[f"h{i}" for i in range(12)], rows=[["x" * 400] + ["1"] * 11])
    cell = page_texts(table_pdf_bytes(table))[0].split(" ")[13]
    assert (cell.endswith("\x85"), set(cell[:-1]), 20 < len(cell) < 400) == (True, {"x"}, True)
