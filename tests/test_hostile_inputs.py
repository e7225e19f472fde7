"""Hostile inputs (issue 8, section 1): each answered with a 4xx, quickly and in bounded memory.

One table of cases. Each case sends one request through the test client as a user who may use the
page or endpoint, and the test asserts the status, that the answer names the limit or the fault, and
the bounds (MAX_SECONDS, MAX_PEAK_BYTES: memory allocated by Python while answering, tracemalloc).
`python -m pytest tests/test_hostile_inputs.py -s` prints the table (case, status, time, peak memory).

A later page or endpoint that reads a number, a file or a model adds its hostile cases to CASES.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gc
import io
import json
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from dividend.pools.models import ApiToken, Role
from dividend.priorities import services as priority_services

from .factories import make_pool, make_user

pytestmark = pytest.mark.django_db

MAX_SECONDS = 2.0
MAX_PEAK_BYTES = 200 * 1024 * 1024

HUGE = "219322972751146992533504"  # the fuzzer's offset: far beyond a 64-bit integer
HUGE_ID = "36893488147419103233"  # 2**65 + 1


# ------------------------------------------------------------------------------------------- inputs

def billion_laughs() -> str:
    """900 bytes that expand to 10**9 values if the aliases are followed."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\nformat_version: 1\nid: lol\nname: lol\nversion: '1'\nindex: *a8\n"


MODEL_HEAD = "format_version: 1\nid: x\nname: x\nversion: '1'\n"
LEAF = "{id: leaf, dataset: goci, column: Cocaine trade, year: 2023, direction: higher_is_more_relevant}"


def deep_tree(levels: int) -> str:
    node = LEAF
    for i in range(levels):
        node = f"{{id: n{i}, children: [{node}]}}"
    return MODEL_HEAD + "index: " + node + "\n"


def deep_block_tree(levels: int) -> str:
    """The tree written in block style, one level per indentation step."""
    lines = [MODEL_HEAD + "index:"]
    for i in range(levels):
        pad = "  " * (2 * i)
        lines.append(f"{pad}  id: n{i}\n{pad}  children:\n{pad}    -")
    pad = "  " * (2 * levels)
    lines.append(f"{pad}  {LEAF}")
    return "\n".join(lines) + "\n"


def with_formula(formula: str) -> str:
    return MODEL_HEAD + f'index:\n  id: root\n  formula: "{formula}"\n  children:\n    - {LEAF}\n'


def csv_bytes(megabytes: int) -> bytes:
    header = b"pool,service_number,first_name,last_name,rank,gender,date_of_birth\n"
    row = b"bpol,BP-000001,Anna,Schmidt,inspector,female,1985-04-12\n"
    return header + row * (megabytes * 1024 * 1024 // len(row))


def zip_bomb(uncompressed_mb: int) -> bytes:
    """A zip with an XLSX's sheet part that really inflates to `uncompressed_mb` MB.

    Built by hand in a second: one megabyte compressed once with a full flush (so the compressed
    block repeats verbatim), the block repeated, the archive's headers written with struct.
    """
    chunk = (b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 22_000)[:1024 * 1024]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * uncompressed_mb + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(uncompressed_mb):
        crc = zlib.crc32(chunk, crc)
    name = b"xl/worksheets/sheet1.xml"
    size = uncompressed_mb * len(chunk)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name),
                          0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


_BOMB: list[bytes] = []


def xlsx_bomb() -> bytes:
    """An XLSX-shaped zip whose sheet declares (and inflates to) 2 GB; 2 MB compressed. Built once."""
    if not _BOMB:
        _BOMB.append(zip_bomb(2048))
    return _BOMB[0]


def many_rows(rows: int) -> bytes:
    """A CSV both importers read: the dataset's columns and an officer's, `rows` data rows."""
    return b"iso3,year,value,pool,service_number\n" + b"BEL,2020,1,bpol,1\n" * rows


# -------------------------------------------------------------------------------------------- cases

@dataclass
class Case:
    name: str
    send: Callable  # (client, token) -> response
    status: int
    says: str = ""  # a phrase the answer must contain
    who: str = "staff"  # "staff" (every staff role) or "secondee" (deployed, files field reports)


class Upload:
    """A multipart POST whose body is built before the clock starts (building a 50 MB body in the test
    client is not the server's work)."""

    def __init__(self, path: str, filename: str, content: Callable[[], bytes], *, api: bool, field: str = "file",
                 extra: Callable[[], dict] | None = None):
        self.path, self.filename, self.content, self.api = path, filename, content, api
        self.field, self.extra = field, extra
        self.body = None

    def prepare(self):
        fields = {self.field: SimpleUploadedFile(self.filename, self.content())}
        if "datasets" in self.path:
            fields["name"] = "hostile"
        if self.extra:
            fields |= self.extra()
        self.body = encode_multipart(BOUNDARY, fields)

    def __call__(self, client, token):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if self.api else {}
        if self.body is None:
            self.prepare()
        body, self.body = self.body, None
        return client.generic("POST", self.path, body, content_type=MULTIPART_CONTENT, **auth)


def upload_cases(what: str, path: str, *, api: bool) -> list[Case]:
    return [
        Case(f"{what}: 50 MB CSV", Upload(path, "big.csv", lambda: csv_bytes(50), api=api), 400,
             "The file is 50 MB; the limit is 20 MB."),
        Case(f"{what}: XLSX expanding to 2 GB (zip bomb)", Upload(path, "bomb.xlsx", xlsx_bomb, api=api), 400,
             "The XLSX workbook expands to 2,048 MB; the limit is 200 MB."),
        Case(f"{what}: zip bomb named .csv", Upload(path, "bomb.csv", xlsx_bomb, api=api), 400,
             "expands to 2,048 MB; the limit is 200 MB."),
        Case(f"{what}: CSV of 100,001 rows", Upload(path, "rows.csv", lambda: many_rows(100_001), api=api), 400,
             "more than 100,000 rows; the limit is 100,000"),
        Case(f"{what}: CSV cell of 1 MB", Upload(path, "cell.csv", lambda: b"iso3,year,value\n" + b"x" * 2**20,
                                                 api=api), 400, "not readable"),
        Case(f"{what}: damaged XLSX", Upload(path, "bad.xlsx", lambda: b"PK\x03\x04" + b"\0" * 1000, api=api), 400,
             "not a readable XLSX"),
    ]


def api_get(path):
    return lambda client, token: client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def page_get(path):
    return lambda client, token: client.get(path)


def model_version(text):
    return lambda client, token: client.post("/api/priorities/models/small/versions", {"text": text},
                                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def dataset_upload(name, content):
    return lambda client, token: client.post(
        "/api/priorities/datasets/upload", {"name": "hostile", "file": SimpleUploadedFile(name, content)},
        HTTP_AUTHORIZATION=f"Bearer {token}")


def dataset_page(name, content):
    return lambda client, token: client.post(
        "/priorities/datasets/", {"name": "hostile", "file": SimpleUploadedFile(name, content)})


def json_post(path, body: Callable[[], bytes]):
    return lambda client, token: client.post(path, body(), content_type="application/json",
                                             HTTP_AUTHORIZATION=f"Bearer {token}")


def officer_import(name, content):
    return lambda client, token: client.post("/roster/import/", {"file": SimpleUploadedFile(name, content)})


CASES = [
    # Huge numbers in query parameters and paths.
    *(Case(f"GET {path}", api_get(path), 400) for path in (
        f"/api/officers?offset={HUGE}", f"/api/officers?limit={HUGE}", f"/api/officers?min_rank={HUGE}",
        f"/api/officers?min_months={HUGE}", f"/api/missions?offset={HUGE}", f"/api/missions?limit=-{HUGE}",
        f"/api/positions?mission={HUGE_ID}", f"/api/positions?offset={HUGE}", f"/api/secondments?officer={HUGE_ID}",
        f"/api/secondments?offset={HUGE}", f"/api/audit?offset={HUGE}", f"/api/priorities/runs?offset={HUGE}",
        f"/api/priorities/runs?limit={HUGE}")),
    *(Case(f"GET {path}", api_get(path), 404) for path in (
        f"/api/missions/{HUGE_ID}", f"/api/positions/{HUGE_ID}", f"/api/secondments/{HUGE_ID}",
        f"/api/officers/{HUGE_ID}", f"/api/priorities/runs/{HUGE_ID}", f"/api/priorities/runs/{HUGE_ID}/ranking",
        f"/api/priorities/models/small/versions/{HUGE_ID}")),
    *(Case(f"GET {path}", page_get(path), 404) for path in (
        f"/missions/{HUGE_ID}/", f"/missions/positions/{HUGE_ID}/", f"/priorities/runs/{HUGE_ID}/",
        f"/priorities/models/small/versions/{HUGE_ID}/", f"/secondments/{HUGE_ID}/edit/",
        f"/roster/qualifications/{HUGE_ID}/edit/")),
    # Model files: bounded size, nesting, alias expansion, tree depth and formulas, by the API and the page.
    Case("model: billion laughs (YAML aliases)", model_version(billion_laughs()), 400, "expands to more than 50,000"),
    Case("model: YAML nested 10,000 deep", model_version("[" * 10_000 + "]" * 10_000), 400, "deeper than 64 levels"),
    Case("model: tree 400 levels deep", model_version(deep_tree(400)), 400, "deeper than 64 levels"),
    Case("model: tree 100 levels deep, block style", model_version(deep_block_tree(100)), 400,
         "deeper than 64 levels"),
    Case("model: tree 25 levels deep", model_version(deep_tree(25)), 400, "tree is deeper than 20 levels"),
    Case("model: formula of 5,000 nested parentheses", model_version(with_formula("(" * 5000 + "leaf" + ")" * 5000)),
         400, "the limit is 2,000"),
    Case("model: formula of 200,000 chained terms", model_version(with_formula("+".join(["leaf"] * 200_000))), 400,
         "at most 200,000 characters."),
    Case("model: formula of 30,000 chained terms", model_version(with_formula("+".join(["leaf"] * 30_000))), 400,
         "the limit is 2,000"),
    Case("model: formula nested 40 deep", model_version(with_formula("(" * 40 + "leaf" + ")" * 40)), 400,
         "nests deeper than 32 levels"),
    Case("model: 1,000 signs", model_version(with_formula("-" * 1000 + "leaf")), 400, "nests deeper than 32 levels"),
    Case("model page: billion laughs", lambda client, token: client.post("/priorities/models/small/",
                                                                         {"text": billion_laughs()}),
         400, "expands to more than 50,000"),
    Case("model check: YAML nested 10,000 deep", lambda client, token: client.post(
        "/priorities/models/small/check/", {"text": "{a: " * 10_000 + "1" + "}" * 10_000}), 400, "deeper than 64"),
    # Wrong encodings.
    Case("dataset upload: Latin-1 CSV", dataset_upload("data.csv", "iso3,year,value\nBEL,2020,1\n# Besançon\n"
                                                       .encode("latin-1")), 400, "not UTF-8"),
    # Uploads: size, zip bombs, rows, damaged files, on every page and endpoint that takes a file.
    *upload_cases("officer import page", "/roster/import/", api=False),
    *upload_cases("dataset page", "/priorities/datasets/", api=True),
    *upload_cases("dataset upload API", "/api/priorities/datasets/upload", api=True),
    Case("dataset page: Latin-1 CSV", dataset_page("data.csv", "iso3,year,value\n# Besançon\n".encode("latin-1")),
         400, "not UTF-8"),
    # JSON bodies: beyond DATA_UPLOAD_MAX_MEMORY_SIZE, nested beyond the decoder's recursion, too many rows.
    Case("API: JSON body of 21 MB", json_post("/api/priorities/datasets", lambda: b'{"name": "x", "rows": ['
                                              + b'{"iso3": "BEL", "year": 2020, "value": 1}, ' * 500_000 + b"{}]}"),
         400, "limit"),
    Case("API: JSON nested 100,000 deep", json_post("/api/officers", lambda: b"[" * 100_000 + b"]" * 100_000), 400),
    Case("API: officer with 1,000,000 theme ids", json_post("/api/officers", lambda: b'{"pool": 1, "thematic_expertise": ['
                                                          + b"1, " * 1_000_000 + b'1]}'), 400),
    Case("API: 300,000 bad JSON rows", json_post("/api/priorities/datasets", lambda: b'{"name": "x", "rows": ['
                                                 + b'[], ' * 99_999 + b'[]]}'), 400),
    Case("API: 100,000 JSON rows of unknown countries", json_post(
        "/api/priorities/datasets", lambda: b'{"name": "x", "rows": ['
        + b'{"iso3": "XXX", "year": 2020, "value": 1}, ' * 99_999 + b'{"iso3": "XXX", "year": 2020, "value": 1}]}'),
         400, "1000+ bad row(s)"),
    Case("API: dataset of 100,001 JSON rows", json_post("/api/priorities/datasets", lambda: b'{"name": "x", "rows": ['
                                                        + b'{"iso3": "BEL", "year": 2020, "value": 1}, ' * 100_000
                                                        + b'{"iso3": "BEL", "year": 2020, "value": 1}]}'),
         400, "100,001 rows; the limit is 100,000."),
    *(Case(f"GET {path}", page_get(path), 400) for path in (
        f"/roster/?min_rank={HUGE}", f"/roster/?min_months={HUGE}", f"/roster/crisis/?within_days={HUGE}",
        f"/priorities/compare/?a={HUGE_ID}")),
]


# --- Field reports, duty of care, careers, preparation (issues 11-12) --------------------------------

WORLD: dict = {}  # ids of the records the cases below name, filled by hostile_world()
TODAY = dt.date.today()


def report_fields() -> dict:
    """A field report the form would accept, but for what each case spoils."""
    return {"mission": WORLD["mission"], "period_start": str(TODAY - dt.timedelta(days=6)), "period_end": str(TODAY),
            "kind": "weekly", "title": "Week", "body": "Quiet.", "places": "Gao", "marking": "green",
            "credibility": "2", "reliability": "B", "draft_key": "draft-hostile-1"}


@functools.cache
def many_page_pdf(pages: int) -> bytes:
    """A valid PDF of `pages` blank pages (1 KB each at most): beyond the page limit, small on the wire."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def docx_bomb() -> bytes:
    """A real DOCX with a part of 64 MB of zeros (beyond the 50 MB limit), 64 KB deflated (ratio about 1,000)."""
    from .reports.attachment_files import zip_bomb_docx

    return zip_bomb_docx(64 * 1024 * 1024)


def broken_pdf() -> bytes:
    from .reports.attachment_files import broken_pdf

    return broken_pdf()


def oversize_pdf() -> bytes:
    from .reports.attachment_files import pdf

    return pdf("Oversize") + b"%" + b"x" * (11 * 1024 * 1024) + b"\n"  # a comment: still a PDF, 11 MB


ATTACHMENTS = [
    ("DOCX expanding to 64 MB (zip bomb)", "bomb.docx", docx_bomb, "expands to 64.8 MB; the limit is 50 MB."),
    ("PDF that does not parse", "broken.pdf", broken_pdf, "The PDF file does not parse"),
    ("PDF of 501 pages", "long.pdf", lambda: many_page_pdf(501), "The PDF file has 501 pages; the limit is 500."),
    ("PDF of 11 MB", "big.pdf", oversize_pdf, "the limit is 10 MB."),  # the API: base64 beyond its length
    ("executable named .pdf", "run.pdf", lambda: b"MZ\x90\x00" + b"\0" * 1000, "This type of file is not accepted"),
]


def report_api(name, content):
    def send(client, token):
        body = report_fields() | {"attachments": [{"name": name, "content_base64": base64.b64encode(content()).decode()}]}
        return client.post("/api/reports", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    return send


def taxonomy_page(content: Callable[[], bytes]):
    return lambda client, token: client.post("/reports/themes/", {"file": SimpleUploadedFile("t.json", content())})


def api_json(method, path, body):
    """`path` may name {secondment}: filled from WORLD when sent."""
    return lambda client, token: client.generic(method, path.format(**WORLD), json.dumps(body),
                                                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def page_post(path, data):
    return lambda client, token: client.post(path.format(**WORLD), data)


def search_params(path, params):
    return lambda client, token: client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def search(path, q):
    return lambda client, token: client.get(path, {"q": q}, HTTP_AUTHORIZATION=f"Bearer {token}")


LONG_QUERY = "NEAR(" * 300  # 1,500 characters of FTS syntax


LIFECYCLE_CASES = [
    Case("care API: leave ending before it starts", api_json("POST", "/api/care/secondments/{secondment}/leave",
                                                             {"start_date": "2026-05-10", "end_date": "2026-05-01"}),
         400, "The leave ends before it starts."),
    Case("care API: contact note of 1 MB", api_json("POST", "/api/care/secondments/{secondment}/contacts", {
        "contact_on": str(TODAY), "channel": "phone", "wellbeing": "well", "notes": "x" * 2**20}), 400,
         "at most 4,000 characters"),
    Case("care API: misconduct dated year 10,000", api_json("POST", "/api/care/secondments/{secondment}/misconduct", {
        "category": "other", "reported_on": "10000-01-01", "allegation": "x"}), 400),
    Case("care page: leave in year 99,999", page_post("/care/secondments/{secondment}/leave/",
                                                      {"start_date": "99999-05-10", "end_date": "2026-05-01"}), 400),
    Case("care page: contact note of 1 MB", page_post("/care/secondments/{secondment}/contacts/", {
        "contact_on": str(TODAY), "channel": "phone", "wellbeing": "well", "notes": "x" * 2**20}), 400),
    Case("careers API: rating of 10**30", api_json("PUT", "/api/careers/secondments/{secondment}/appraisals/before/"
                                                   "supervisor", {"ratings": {"leadership": 10**30}}), 400,
         "A rating is 1 to 4."),
    Case("careers API: objective skill id 10**30", api_json("PUT", "/api/careers/secondments/{secondment}/plan", {
        "objectives": [{"skill": 10**30, "target_level": 2}], "career_plan": "x"}), 400),
    Case("careers API: career plan of 1 MB", api_json("PUT", "/api/careers/secondments/{secondment}/plan", {
        "objectives": [], "career_plan": "x" * 2**20}), 400, "at most 4,000 characters"),
    Case("careers page: rating of 10**30", page_post("/careers/secondments/{secondment}/appraisal/before/supervisor/",
                                                     {"leadership": "9" * 31}), 400),
    Case("careers page: vacancy closing before it opens, title of 10,000", page_post("/careers/vacancies/new/", {
        "pool": "1", "title": "x" * 10_000, "opens_on": "2027-01-01", "closes_on": "2026-01-01"}), 400),
    Case("preparation API: backfill cost 1e300, dates reversed", api_json(
        "PUT", "/api/preparation/secondments/{secondment}/backfill", {
            "arrangement": "vacant", "start_date": "2027-01-01", "end_date": "2026-01-01", "cost_figure": 1e300}), 400),
    Case("preparation API: substitute id 10**30", api_json("PUT", "/api/preparation/secondments/{secondment}/backfill",
                                                           {"arrangement": "substitute", "substitute": 10**30}), 400),
    Case("preparation page: backfill cost 1e400, dates reversed", page_post(
        "/preparation/secondments/{secondment}/backfill/",
        {"arrangement": "vacant", "cost_figure": "1e400", "start_date": "2027-01-01", "end_date": "2026-01-01"}), 400),
]

def page_get_world(path):
    return lambda client, token: client.get(path.format(**WORLD))


# Issue 14: the figures' pages and endpoints (targets, mission performance, dashboards, the report to
# parliament, portfolio planning), as the national policy officer.
ACCOUNTABILITY_CASES = [
    Case("targets API: a share of 10**30", api_json("POST", "/api/targets/targets", {
        "year": 2026, "kind": "deployed", "measure": "share", "bound": "floor", "value": 1e30}), 400),
    Case("targets page: year 99,999, share 1e400", page_post("/targets/new/", {
        "year": "99999", "kind": "deployed", "measure": "share", "bound": "floor", "value": "1e400"}), 400),
    Case("performance API: indicator baseline 1e300", api_json("POST", "/api/performance/missions/{mission}/indicators", {
        "level": "output", "text": "x", "unit": "x", "direction": "increase", "baseline": 1e300,
        "baseline_date": "2026-01-01", "target": 1}), 400),
    Case("performance API: a rating of 10**30", api_json("POST", "/api/performance/missions/{mission}/assessments", {
        "kind": "baseline", "assessed_on": "2026-01-01", "ratings": {"legislative": {"rating": 10**30}}}), 400),
    Case("performance page: indicator baseline 1e400, text of 10,000", page_post(
        "/performance/missions/{mission}/indicators/new/", {
            "level": "output", "text": "x" * 10_000, "unit": "x", "direction": "increase", "baseline": "1e400",
            "baseline_date": "2026-01-01", "target": "1"}), 400),
    Case("report to parliament page: period 99999Q9", page_get_world("/accountability/parliament/?period=99999Q9"), 400),
    Case("report to parliament PDF: period of 10,000 characters",
         page_get_world("/accountability/parliament/report.pdf?period=" + "2" * 10_000), 400),
    Case("dashboard: ten thousand years", page_get_world("/accountability/?start=0001-01-01&end=9999-12-31"), 400),
    Case("dashboard API: ten thousand years", search_params("/api/accountability/dashboard",
                                                             {"start": "0001-01-01", "end": "9999-12-31"}), 400),
    Case("portfolio page: budget 1e400, 10**30 months per post", page_post("/accountability/portfolio/", {
        "budget": "1e400", "cost_per_person_month": "1", "months_per_post": "9" * 31}), 400),
]

REPORT_CASES = [
    *(Case(f"report page: {what}", Upload("/reports/new/", name, content, api=False, field="attachments",
                                          extra=report_fields), 400, says, who="secondee")
      for what, name, content, says in ATTACHMENTS),
    *(Case(f"report API: {what}", report_api(name, content), 400,
           "at most 13,981,016 characters" if name == "big.pdf" else says, who="secondee")
      for what, name, content, says in ATTACHMENTS),
    Case("report API (offline drafts' sync): draft key of 100,000", lambda client, token: client.post(
        "/api/reports", json.dumps(report_fields() | {"draft_key": "k" * 100_000}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}"), 400, "at most 64 characters", who="secondee"),
    Case("report API (offline drafts' sync): Idempotency-Key of 100,000", lambda client, token: client.post(
        "/api/reports", json.dumps(report_fields()), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="k" * 100_000), 400, "Invalid Idempotency-Key",
         who="secondee"),
    Case("report API: body of 1 MB with a NUL", lambda client, token: client.post(
        "/api/reports", json.dumps(report_fields() | {"body": "a\x00" * 2**19}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}"), 400, who="secondee"),
    Case("themes page: JSON nested 100,000 deep", taxonomy_page(lambda: b"[" * 100_000 + b"]" * 100_000), 400,
         "nests too deep"),
    Case("themes page: a version of 5,000 digits", taxonomy_page(
        lambda: b'{"namespace": "x", "version": ' + b"9" * 5000 + b"}"), 400, "a number is too long"),
    Case("themes page: 2 MB file", taxonomy_page(lambda: b" " * 2 * 2**20), 400, "larger than 1 MB"),
    Case("themes page: Latin-1", taxonomy_page(lambda: '{"namespace": "é"}'.encode("latin-1")), 400, "not UTF-8"),
    Case("report search page: query of 1,500 characters of NEAR(", search("/reports/search/", LONG_QUERY), 400,
         "at most 1000 characters (it has 1500)"),
    Case("report search API: query of 1,500 characters of NEAR(", search("/api/reports/search", LONG_QUERY), 400,
         "at most 1,000 characters"),
    Case("report search API: NUL", search("/api/reports/search", "a\x00b"), 400, "Null characters"),
]

# Full-text search syntax is read as plain words (reports.search quotes every word): each query
# answers 200 with nothing found, never a database error. Not refusals, so not in CASES.
FTS_SYNTAX = ['"', 'NEAR(', "*", ":", "-", "a OR", "title:x", '"a" NEAR/2 "b"', "^", "AND", "(", ")", "'", "\\",
              "%", "_", "NEAR(a b, 2)", "-a -b", "a* *b", "{a b}", "a:*", "!a", "a & b | c", "<->", "a'; DROP TABLE x;--"]

CASES += LIFECYCLE_CASES + REPORT_CASES + ACCOUNTABILITY_CASES


def hostile_world():
    """The users and records the cases use: a pool, a staff user with every staff role (the
    coordinator and HR manager roles of the pool: need-to-know for its officer; national analyst),
    a secondee deployed on a mission with their officer record, an API token each. Returns
    {"staff": (user, key), "secondee": (user, key)} and fills WORLD."""
    from dividend.secondments.models import Secondment

    from .factories import make_mission, make_officer, make_position, make_secondment

    pool = make_pool(code="bpol")
    user = make_user(None, username="hostile", roles=[
        (Role.ADMINISTRATOR, "national"), (Role.COORDINATOR, "national"), (Role.POLICY_OFFICER, "national"),
        (Role.AUDITOR, "national"), (Role.ANALYST, "national"), (Role.COORDINATOR, [pool]),
        (Role.HR_MANAGER, [pool])])
    key = ApiToken.issue(user=user, name="hostile", access=ApiToken.Access.WRITE)[1]
    secondee = make_user(Role.SECONDEE, pools=[pool], username="hostile-secondee")
    officer = make_officer(pool, user=secondee)
    mission = make_mission("EUHOS", countries=("MLI",))
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.DEPLOYED,
                                 start=TODAY - dt.timedelta(days=90), end=TODAY + dt.timedelta(days=200))
    secondee_key = ApiToken.issue(user=secondee, name="hostile", access=ApiToken.Access.WRITE)[1]
    WORLD.update(mission=mission.pk, secondment=secondment.pk)
    return {"staff": (user, key), "secondee": (secondee, secondee_key)}


@pytest.fixture
def hostile_users(db, small_model):
    """Who sends the cases, with their API tokens: hostile_world()."""
    return hostile_world()


@pytest.fixture
def small_model(db):
    from .priorities_app.conftest import SMALL_MODEL

    return priority_services.create_model(actor=None, name="small", text=SMALL_MODEL, home_country="BEL")


# The apps whose records a refused input must leave as they were (the audit log is not among them:
# a refused read may be logged; sessions and sign-in records neither).
KEPT_APPS = ("roster", "secondments", "missions", "pools", "priorities", "selection", "reports", "care", "careers",
             "preparation", "reference", "alerts", "targets", "performance", "accountability")


def row_counts() -> dict:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for label in KEPT_APPS
            for model in apps.get_app_config(label).get_models()}


def changed(before: dict, after: dict) -> list[str]:
    return [f"{label} {before[label]} -> {after[label]}" for label in before if before[label] != after[label]]


MEASURED: list[tuple[str, int, float, float, float]] = []


@dataclass
class Measured:
    response: object  # the first answer
    again: object  # the answer to the same input sent again, under tracemalloc
    cpu: float
    wall: float
    peak: int
    changes: list  # tables whose row count the two sendings changed ("label before -> after")


def measure(case: Case, client, key) -> Measured:
    """Send a case twice: timed without tracemalloc (which slows allocation-heavy code several times),
    then again (it changed nothing: it was refused) for the memory peak. The time bound is on CPU
    time, which other processes on a busy machine do not inflate; wall time is kept beside it. An
    upload's body is built before the clock starts. Also used by robustness/hostile.py."""
    def prepare():
        if isinstance(case.send, Upload):
            case.send.prepare()

    prepare()
    before = row_counts()
    gc.collect()  # the garbage of earlier cases is not this one's work
    started, started_cpu = time.perf_counter(), time.process_time()
    response = case.send(client, key)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    prepare()
    tracemalloc.start()
    try:
        again = case.send(client, key)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Measured(response, again, cpu, wall, peak, changed(before, row_counts()))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_quickly_in_bounded_memory(client, hostile_users, case):
    user, key = hostile_users[case.who]
    client.force_login(user)
    # Warm up: the first request of a process imports modules and builds the API schema, which no
    # input causes.
    client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/")
    measured = measure(case, client, key)
    response = measured.response
    MEASURED.append((case.name, response.status_code, measured.cpu, measured.wall, measured.peak))
    assert response.status_code == case.status, response.content[:500]
    if case.says:
        assert case.says in response.content.decode(), response.content[:2000]
    assert measured.again.status_code == case.status
    assert measured.changes == []
    assert measured.cpu < MAX_SECONDS
    assert measured.peak < MAX_PEAK_BYTES


@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_full_text_search_syntax_is_read_as_words(client, hostile_users, q):
    """Quotes, NEAR(, *, :, -, OR, tsquery operators: plain words to both engines' full-text search,
    answered 200 (nothing found) by the page and the API, quickly, changing nothing."""
    from dividend.reports.models import FieldReport

    user, key = hostile_users["staff"]
    client.force_login(user)
    before = row_counts()
    started = time.process_time()
    page, api = client.get("/reports/search/", {"q": q}), search("/api/reports/search", q)(client, key)
    assert (page.status_code, api.status_code) == (200, 200), (page.content[:300], api.content[:300])
    assert api.json()["count"] == 0 and FieldReport.objects.count() == 0
    assert time.process_time() - started < MAX_SECONDS
    assert changed(before, row_counts()) == []


def teardown_module():
    if MEASURED:
        print("\n\ncase | answer | CPU time (s) | wall time (s) | peak memory (MB)")
        for name, status, cpu, elapsed, peak in MEASURED:
            print(f"{name} | {status} | {cpu:.3f} | {elapsed:.3f} | {peak / 1e6:.1f}")


def test_chart_text_is_never_parsed_as_math(client, hostile_users):
    """A label with mathtext syntax (`$x^$` does not parse) is drawn as the text it is."""
    from .priorities_app.conftest import SMALL_MODEL

    user, _ = hostile_users["staff"]
    text = SMALL_MODEL.replace("label: Criminal markets", 'label: "$x^$ markets"').replace(
        "label: Human trafficking", r'label: "\\alpha $\\alpha$"')
    model = priority_services.create_model(actor=user, name="mathtext", text=text, home_country="BEL")
    run, _ = priority_services.start_run(actor=user, version=model.current_version, draws=50, seed=1)
    client.force_login(user)
    page = client.get(f"/priorities/runs/{run.pk}/countries/COL/")
    assert page.status_code == 200
    assert "$x^$ markets" in page.content.decode()
