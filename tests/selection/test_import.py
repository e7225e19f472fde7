import io

import pytest
from openpyxl import Workbook

from dividend.missions.models import JobDescription, Position
from dividend.selection.imports import import_positions
from dividend.selection.models import CallPosition

from ..factories import make_mission, make_position

pytestmark = pytest.mark.django_db


def csv(text: str) -> bytes:
    return text.encode()


@pytest.fixture
def catalogue(sel):
    JobDescription.objects.create(code="border_adviser", title="Border management adviser", duration_months=12)
    make_position(sel["mission"], title="Monitor", reference="EUTEST-002")
    return sel


def run(sel, content, name="positions.csv"):
    return import_positions(actor=sel["users"]["coordinator"], call=sel["call"], filename=name, content=content)


def test_an_import_adds_existing_and_new_positions(catalogue):
    report = run(catalogue, csv("mission,position_reference,job_description,title,reference,posts\n"
                                "EUTEST,EUTEST-002,,,,1\n"
                                "eutest,,border_adviser,,EUTEST-101,3\n"))
    assert (report.errors, report.created) == ([], 2)
    new = CallPosition.objects.get(position__reference="EUTEST-101")
    assert (new.posts, new.position.title, new.position.job_description.code) == (3, "Border management adviser",
                                                                                  "border_adviser")


def test_an_import_with_bad_rows_adds_nothing_and_names_every_row(catalogue):
    make_mission("UNONLY", organisation="un")
    before = Position.objects.count()
    report = run(catalogue, csv("mission,position_reference,job_description,title,posts\n"
                                "EUTEST,EUTEST-002,,,1\n"
                                "UNONLY,,,Adviser,1\n"
                                "EUTEST,EUTEST-999,,,1\n"
                                "EUTEST,,no_such_job,,1\n"
                                "EUTEST,,,,1\n"
                                "EUTEST,,,Adviser,0\n"
                                ",,,Adviser,1\n"))
    assert report.errors == [
        (3, "No mission UNONLY of the call's organisation in the registry."),
        (4, "EUTEST has no position with the post number EUTEST-999."),
        (5, "Unknown job description no_such_job."),
        (6, "Title: A new position needs a job description or a title."),
        (7, "Posts: Ensure this value is greater than or equal to 1."),
        (8, "No mission (empty) of the call's organisation in the registry."),
    ]
    assert (CallPosition.objects.count(), Position.objects.count()) == (1, before)


def test_a_position_already_in_the_call_is_refused_with_its_line(catalogue):
    report = run(catalogue, csv("mission,position_reference\nEUTEST,EUTEST-002\nEUTEST,EUTEST-001\n"))
    assert report.errors == [(0, "Line 3: Border adviser – EUTEST is in the call already.")]
    assert CallPosition.objects.count() == 1


def test_an_xlsx_file_is_read_as_a_csv(catalogue):
    book = Workbook()
    sheet = book.active
    sheet.append(["mission", "position_reference", "posts"])
    sheet.append(["EUTEST", "EUTEST-002", 2])
    content = io.BytesIO()
    book.save(content)
    report = run(catalogue, content.getvalue(), name="positions.xlsx")
    assert (report.errors, report.created) == ([], 1)


def test_a_file_without_the_mission_column_is_refused(catalogue):
    assert run(catalogue, csv("title\nAdviser\n")).errors == [(1, "Missing column: mission.")]


def test_the_import_page_lists_the_problems(client, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..factories import complete_sign_in

    user = catalogue["users"]["coordinator"]
    client.force_login(user)
    complete_sign_in(client, user)
    response = client.post(f"/selection/calls/{catalogue['call'].pk}/positions/import/",
                           {"file": SimpleUploadedFile("p.csv", b"mission,posts\nNOPE,1\n")})
    assert response.status_code == 400
    assert "No mission NOPE of the call&#x27;s organisation in the registry." in response.content.decode()


def test_a_file_beyond_the_upload_limits_is_refused_naming_the_limit(catalogue, settings):
    settings.DIVIDEND_UPLOAD_MAX_ROWS = 2
    report = run(catalogue, csv("mission,position_reference\n" + "EUTEST,EUTEST-002\n" * 3))
    assert report.errors == [(0, "The file has more than 2 rows; the limit is 2.")]
    assert CallPosition.objects.count() == 1


def test_the_command_imports_through_the_same_rules(catalogue, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("mission,position_reference\nEUTEST,EUTEST-002\n")
    bad.write_text("mission,position_reference\nNOPE,X\n")
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_call_positions", "EU-2027-01", str(bad), "--actor", "coord")
    call_command("import_call_positions", "EU-2027-01", str(good), "--actor", "coord")
    assert CallPosition.objects.filter(call=catalogue["call"]).count() == 2
