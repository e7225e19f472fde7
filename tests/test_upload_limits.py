"""Upload limits (DIVIDEND_UPLOAD_MAX_*): a file at a limit is read, one beyond it is refused with the
limit named, before its rows are built. The limits are lowered here so the files stay small; the
hostile-input table sends the real sizes against the defaults."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dividend.common.tabular import TabularFileError, read_rows
from dividend.pools.models import Role
from dividend.priorities import services
from dividend.priorities.engine import DatasetError
from dividend.priorities.models import UserDataset
from dividend.roster.imports import import_officers
from dividend.roster.models import Officer

from .factories import make_pool, make_user

pytestmark = pytest.mark.django_db

HEADER = "pool,service_number,first_name,last_name,rank,gender,date_of_birth\n"


def officers_csv(rows: int) -> bytes:
    return (HEADER + "".join(f"bpol,BP-{i:06d},Anna,Schmidt,inspector,female,1985-04-12\n"
                             for i in range(rows))).encode()


def dataset_csv(rows: int) -> bytes:
    return ("iso3,year,value\n" + "".join(f"BEL,{2000 + i},1\n" for i in range(rows))).encode()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def limits(settings):
    settings.DIVIDEND_UPLOAD_MAX_ROWS = 3
    settings.DIVIDEND_UPLOAD_MAX_BYTES = 10_000
    settings.DIVIDEND_UPLOAD_MAX_UNCOMPRESSED_BYTES = 20_000
    return settings


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, pools=[make_pool("bpol")])


@pytest.fixture
def policy():
    return make_user(Role.POLICY_OFFICER, national=True)


def test_rows_at_the_limit_are_read(limits):
    # Blank lines are not rows: they do not count.
    headers, rows = read_rows("x.csv", officers_csv(3) + b"\n\n\n")
    assert [line for line, _ in rows] == [2, 3, 4]


def test_a_row_beyond_the_limit_refuses_the_file(limits, coordinator):
    report = import_officers(actor=coordinator, filename="x.csv", content=officers_csv(4))
    assert report.errors == [(1, "The file has more than 3 rows; the limit is 3.")]
    assert not Officer.objects.exists()


def test_rows_beyond_the_limit_in_a_workbook(limits):
    with pytest.raises(TabularFileError, match=r"^The file has more than 3 rows; the limit is 3\.$"):
        read_rows("x.xlsx", xlsx([["pool", "service_number"]] + [["bpol", str(i)] for i in range(4)]))


def test_a_workbook_expanding_beyond_the_limit_is_refused_before_it_is_opened(limits):
    content = xlsx([["pool"]] + [["x" * 1000] for _ in range(30)])  # ~30 KB of sheet XML, ~6 KB zipped
    assert len(content) < limits.DIVIDEND_UPLOAD_MAX_BYTES
    with pytest.raises(TabularFileError, match=r"^The XLSX workbook expands to \d\d\.\d KB; the limit is 19\.5 KB\.$"):
        read_rows("x.xlsx", content)


def test_a_file_beyond_the_size_limit_is_refused_by_the_import_page(client, limits, coordinator):
    client.force_login(coordinator)
    content = officers_csv(200)
    response = client.post("/roster/import/", {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 400
    # The upload handler kept none of it, and the form still names the size sent and the limit.
    assert f"The file is {len(content) / 1024:.0f} KB; the limit is 9.8 KB." in response.content.decode()
    assert not Officer.objects.exists()


def test_the_upload_handler_keeps_files_within_the_limit(client, limits, coordinator):
    client.force_login(coordinator)
    response = client.post("/roster/import/", {"file": SimpleUploadedFile("x.csv", officers_csv(3))})
    assert response.status_code == 302
    assert Officer.objects.count() == 3


def test_dataset_rows_at_and_beyond_the_limit(limits, policy):
    services.upload_dataset(actor=policy, name="three", content=dataset_csv(3), filename="x.csv")
    assert UserDataset.objects.get(name="three").row_count == 3
    with pytest.raises(DatasetError) as error:
        services.upload_dataset(actor=policy, name="four", content=dataset_csv(4), filename="x.csv")
    assert [(p.line, p.message) for p in error.value.errors] == [(5, "the file has more than 3 rows; the limit is 3")]


def test_a_zip_named_csv_is_held_to_the_workbook_limit(limits, policy):
    content = xlsx([["iso3", "year", "value"]] + [["BEL", 2000 + i, "x" * 1000] for i in range(30)])
    with pytest.raises(DatasetError) as error:
        services.upload_dataset(actor=policy, name="zipped", content=content, filename="data.csv")
    assert error.value.errors[0].message.startswith("The XLSX workbook expands to")


def test_json_rows_beyond_the_limit(limits, policy):
    rows = [{"iso3": "BEL", "year": 2000 + i, "value": 1} for i in range(4)]
    with pytest.raises(Exception, match="4 rows; the limit is 3."):
        services.upload_dataset(actor=policy, name="json", rows=rows)
    assert not UserDataset.objects.exists()


def test_a_file_of_bad_rows_stops_at_1000_problems(client, policy):
    client.force_login(policy)
    content = b"iso3,year,value\n" + b"XXX,2020,1\n" * 1500
    response = client.post("/priorities/datasets/", {"name": "bad", "file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("unknown country code") == 1000
    assert "Reading stopped after 1,000 bad rows; correct them and upload again." in html
