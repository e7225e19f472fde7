"""Officer import: same validation as the form, all or nothing, every bad row with its line, idempotent."""

import datetime as dt
import io

import pytest
from django.db import connection
from openpyxl import Workbook

from dividend.audit.models import AuditEntry
from dividend.audit.services import verify_chain
from dividend.pools.models import Pool, Role
from dividend.reference.models import Country, QualificationType, Rank, Skill
from dividend.roster.facts import stale_search_facts
from dividend.roster.forms import OfficerForm
from dividend.roster.imports import COLUMNS, import_officers
from dividend.roster.models import Officer, Qualification
from dividend.roster.parsing import RelatedValues
from dividend.roster.search import RosterQuery, apply_query

from ..factories import make_pool, make_user

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    "alpha,A-001,Anna,Schmidt,inspector,female,1985-04-12,anna@example.org,+49 1,Jan,+49 2,2027-01-01,12,"
    "criminal_investigation:3; training:2,en:C1; fr:B1/B2/A2,passport:2020-01-01:2030-01-01,SRB; XKX,organised_crime",
    "alpha,A-002,Bert,Jansen,sergeant,male,1990-01-31,,,,,,,,en:B2,,,",
]


def csv_bytes(*rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def coordinator():
    pool = make_pool("alpha")
    make_pool("beta")
    return make_user(Role.COORDINATOR, pools=[pool])


def test_good_file_imports_everything(coordinator):
    report = import_officers(actor=coordinator, filename="officers.csv", content=csv_bytes(*GOOD))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    anna = Officer.objects.get(service_number="A-001")
    assert sorted((s.skill.code, s.level) for s in anna.skills.all()) == [("criminal_investigation", 3), ("training", 2)]
    assert sorted((lang.language.code, lang.speaking, lang.reading, lang.writing) for lang in anna.languages.all()) \
        == [("en", 5, 5, 5), ("fr", 3, 4, 2)]
    assert sorted(c.iso3 for c in anna.country_expertise.all()) == ["SRB", "XKX"]
    assert [q.qualification_type.code for q in anna.qualifications.all()] == ["passport"]
    assert "Schmidt" in anna.search_document and "Criminal investigation" in anna.search_document
    assert AuditEntry.objects.filter(action="create").count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1
    # The search facts are written once for the whole file, and the roster search finds the rows.
    assert stale_search_facts() == []
    skill, serbia = Skill.objects.get(code="criminal_investigation"), Country.objects.get(iso3="SRB")
    found = apply_query(Officer.objects.all(), RosterQuery(skills=[(skill.pk, 3)], countries=[serbia.pk]))
    assert list(found.values_list("service_number", flat=True)) == ["A-001"]


def test_reimport_is_idempotent_and_updates_changes(coordinator):
    import_officers(actor=coordinator, filename="officers.csv", content=csv_bytes(*GOOD))
    again = import_officers(actor=coordinator, filename="officers.csv", content=csv_bytes(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Officer.objects.count() == 2
    changed = GOOD[1].replace("sergeant", "inspector")
    third = import_officers(actor=coordinator, filename="officers.csv", content=csv_bytes(GOOD[0], changed))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Officer.objects.get(service_number="A-002").rank.code == "inspector"
    assert AuditEntry.objects.get(action="update").fields == ["rank"]
    assert stale_search_facts() == []


def test_every_bad_row_is_reported_and_nothing_changes(coordinator):
    rows = [
        GOOD[0],
        "alpha,A-003,Carl,Berg,general,male,1985-01-01,,,,,,,,,,,",  # unknown rank
        "beta,B-001,Dora,Ek,inspector,female,1985-01-01,,,,,,,,,,,",  # pool not theirs
        "alpha,A-004,Eli,Falk,inspector,female,1985-13-01,not-an-email,,,,,,,,,,",  # bad date + email
        "alpha,A-005,Fia,Gran,inspector,female,1985-01-01,,,,,,,unknown_skill:3,en:Z9,passport:2030-01-01:2020-01-01,ATL,",
        "alpha,A-001,Anna,Dup,inspector,female,1985-04-12,,,,,,,,,,,",  # duplicate key
    ]
    report = import_officers(actor=coordinator, filename="officers.csv", content=csv_bytes(*rows))
    assert report.errors == [
        (3, "rank: unknown rank 'general' (use one of constable, sergeant, inspector, chief_inspector, "
            "superintendent, chief_superintendent, commissioner)"),
        (4, "pool: you may not import officers into pool 'beta'"),
        (5, "date_of_birth: Enter a valid date (year-month-day, e.g. 2027-03-01)."),
        (5, "email: Enter a valid email address."),
        (6, "skills: unknown skill 'unknown_skill'"),
        (6, "languages: 'en:Z9' needs a CEFR level (A1–C2), or speaking/reading/writing"),
        (6, "qualifications: passport expires before it was issued"),
        (6, "country_expertise: unknown ISO 3166 alpha-3 code(s) ATL"),
        (7, "pool A-001 service number alpha is already on line 2".replace("pool A-001 service number alpha",
                                                                         "pool alpha service number A-001")),
    ]
    assert Officer.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_header_problems(coordinator):
    report = import_officers(actor=coordinator, filename="x.csv", content=b"pool,name\nalpha,x\n")
    assert report.errors == [
        (1, "missing column(s): service_number, first_name, last_name, rank, gender, date_of_birth"),
        (1, "unknown column(s): name"),
    ]
    assert import_officers(actor=coordinator, filename="x.csv", content=b"").errors == [(1, "The file is empty.")]
    assert import_officers(actor=coordinator, filename="x.csv", content=b"\xff\xfe\x00bad").errors == [
        (1, "The file is not UTF-8 text; save it as CSV UTF-8.")]
    assert import_officers(actor=coordinator, filename="x.xlsx", content=b"not a zip").errors[0][1].startswith(
        "The file is not a readable XLSX workbook")


def test_xlsx_import_reports_spreadsheet_row_numbers(coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(["alpha", "X-1", "Ann", "Alm", "inspector", "female", "1980-02-02"] + [""] * 11)
    sheet.append(["alpha", "X-2", "Bo", "Bok", "inspector", "robot", "1980-02-02"] + [""] * 11)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_officers(actor=coordinator, filename="officers.xlsx", content=buffer.getvalue())
    assert report.errors == [(3, "gender: Select a valid choice. robot is not one of the available choices.")]
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_officers(actor=coordinator, filename="officers.xlsx", content=buffer.getvalue())
    assert (report.errors, report.created) == ([], 1)


def test_import_page(client, coordinator):
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("o.csv", csv_bytes("alpha,A-9,Z,Z,inspector,female,nope,,,,,,,,,,,"))
    response = client.post("/roster/import/", {"file": bad})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert "date_of_birth: Enter a valid date (year-month-day, e.g. 2027-03-01)." in response.content.decode()
    good = SimpleUploadedFile("o.csv", csv_bytes(*GOOD))
    response = client.post("/roster/import/", {"file": good})
    assert response.status_code == 302
    assert Officer.objects.count() == 2
    wrong_type = SimpleUploadedFile("o.txt", b"hello")
    assert client.post("/roster/import/", {"file": wrong_type}).status_code == 400


def test_import_forbidden_for_panel_member(client):
    client.force_login(make_user(Role.PANEL_MEMBER, national=True))
    assert client.get("/roster/import/").status_code == 403


# --- An import changes only what its columns carry and only what its user may change --------------------

SHORT_HEADER = "pool,service_number,first_name,last_name,rank,gender,date_of_birth"


@pytest.fixture
def administrator():
    return make_user(Role.ADMINISTRATOR, national=True)


def test_administrator_may_not_import_emergency_contacts(coordinator, administrator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    changed = GOOD[0].replace(",Jan,+49 2,", ",Mallory,+1 555,")
    report = import_officers(actor=administrator, filename="o.csv", content=csv_bytes(changed))
    assert report.errors == [(1, "column(s) emergency_contact_name, emergency_contact_phone, misconduct_recorded_on: "
                                 "restricted data (emergency contact, misconduct finding) that you may not change "
                                 "for officers of pool(s) alpha; "
                                 "remove the column(s) and import again")]
    anna = Officer.objects.get(service_number="A-001")
    assert (anna.emergency_contact_name, anna.emergency_contact_phone) == ("Jan", "+49 2")
    assert AuditEntry.objects.filter(actor=administrator).count() == 0


def test_administrator_import_without_restricted_columns_keeps_emergency_contacts(coordinator, administrator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    report = import_officers(actor=administrator, filename="o.csv", content=csv_bytes(
        "alpha,A-001,Anna,Schmidt-Berg,inspector,female,1985-04-12", header=SHORT_HEADER))
    assert (report.errors, report.updated) == ([], 1)
    anna = Officer.objects.get(service_number="A-001")
    assert (anna.last_name, anna.emergency_contact_name, anna.emergency_contact_phone) == ("Schmidt-Berg", "Jan", "+49 2")
    assert AuditEntry.objects.get(actor=administrator, action="update").fields == ["last_name"]


def test_administrator_may_not_import_restricted_qualifications(coordinator, administrator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    row = "alpha,A-002,Bert,Jansen,sergeant,male,1990-01-31,medical_fitness:2026-01-01:2027-01-01"
    report = import_officers(actor=administrator, filename="o.csv",
                             content=csv_bytes(row, header=SHORT_HEADER + ",qualifications"))
    assert report.errors == [(2, "qualifications: you may not change restricted qualifications (medical_fitness)")]
    assert not Qualification.objects.filter(qualification_type__code="medical_fitness").exists()


def test_qualifications_in_the_file_are_merged_with_the_stored_ones(coordinator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    anna = Officer.objects.get(service_number="A-001")
    passport = anna.qualifications.get()
    medical = Qualification.objects.create(officer=anna, qualification_type=QualificationType.objects.get(
        code="medical_fitness"), issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    pending = Qualification.objects.create(officer=anna, qualification_type=QualificationType.objects.get(
        code="un_saat"), issued_on=dt.date(2026, 2, 1), status=Qualification.Status.PENDING)
    rejected = Qualification.objects.create(officer=anna, qualification_type=QualificationType.objects.get(
        code="driving_licence"), issued_on=dt.date(2010, 2, 1), status=Qualification.Status.REJECTED)
    # The passport of 2020 is renewed to 2031, a pre-deployment course is added; nothing else is named.
    row = ("alpha,A-001,Anna,Schmidt,inspector,female,1985-04-12,"
           "passport:2020-01-01:2031-01-01; pre_deployment_course:2026-03-01:")
    report = import_officers(actor=coordinator, filename="o.csv",
                             content=csv_bytes(row, header=SHORT_HEADER + ",qualifications"))
    assert (report.errors, report.updated) == ([], 1)
    stored = {(q.pk, q.qualification_type.code, q.expires_on, q.status) for q in anna.qualifications.all()}
    added = anna.qualifications.get(qualification_type__code="pre_deployment_course")
    assert stored == {
        (passport.pk, "passport", dt.date(2031, 1, 1), "confirmed"),
        (medical.pk, "medical_fitness", dt.date(2027, 1, 1), "confirmed"),
        (pending.pk, "un_saat", None, "pending"),
        (rejected.pk, "driving_licence", None, "rejected"),
        (added.pk, "pre_deployment_course", None, "confirmed"),
    }
    assert (added.issued_on, added.submitted_by) == (dt.date(2026, 3, 1), coordinator)
    assert AuditEntry.objects.get(action="update").fields == ["qualifications"]
    assert stale_search_facts() == []


def test_reimporting_the_same_qualifications_changes_nothing(coordinator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    again = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Qualification.objects.count() == 1


def test_a_qualification_listed_twice_in_a_row_is_refused(coordinator):
    row = "alpha,A-001,Anna,Schmidt,inspector,female,1985-04-12,passport:2020-01-01:2030-01-01; passport:2020-01-01:"
    report = import_officers(actor=coordinator, filename="o.csv",
                             content=csv_bytes(row, header=SHORT_HEADER + ",qualifications"))
    assert report.errors == [(2, "qualifications: passport issued on 2020-01-01 is listed twice")]
    assert Officer.objects.count() == 0


def test_columns_the_file_leaves_out_keep_their_stored_values(coordinator):
    import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    report = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(
        "alpha,A-001,Anna,Schmidt,chief_inspector,female,1985-04-12", header=SHORT_HEADER))
    assert (report.errors, report.updated) == ([], 1)
    anna = Officer.objects.get(service_number="A-001")
    assert anna.rank.code == "chief_inspector"
    assert (anna.email, anna.phone, anna.available_from, anna.max_duration_months) == (
        "anna@example.org", "+49 1", dt.date(2027, 1, 1), 12)
    assert sorted((s.skill.code, s.level) for s in anna.skills.all()) == [("criminal_investigation", 3), ("training", 2)]
    assert sorted(c.iso3 for c in anna.country_expertise.all()) == ["SRB", "XKX"]
    assert [q.qualification_type.code for q in anna.qualifications.all()] == ["passport"]
    assert AuditEntry.objects.get(action="update").fields == ["rank"]
    assert anna.search_document == anna.build_search_document()


def test_bulk_import_writes_what_the_single_save_writes(coordinator):
    """Search document, facts and audit entries of an imported officer equal those of the workflows."""
    report = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*GOOD))
    assert report.created == 2
    for officer in Officer.objects.select_related("pool", "rank"):
        assert officer.search_document == officer.build_search_document()
    assert stale_search_facts() == []
    assert verify_chain() == []
    entries = AuditEntry.objects.filter(action="create").order_by("id")
    assert [(e.object_id, e.object_repr) for e in entries] == [
        (str(o.pk), str(o)) for o in Officer.objects.order_by("id").select_related("pool")]
    assert entries[0].fields == sorted(["pool", "service_number", "first_name", "last_name", "rank", "gender",
                                        "date_of_birth", "email", "phone", "emergency_contact_name",
                                        "emergency_contact_phone", "available_from", "max_duration_months",
                                        "skills", "languages", "country_expertise", "thematic_expertise",
                                        "qualifications"])


def test_one_bad_row_at_the_end_of_a_long_file_changes_nothing_and_is_named(coordinator):
    rows = [f"alpha,L-{i:05d},Ann{i},Long,inspector,female,1980-02-02,,,,,,,training:2,en:B2,,," for i in range(1500)]
    rows[-1] = rows[-1].replace("1980-02-02", "1980-02-30")
    report = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*rows))
    assert report.errors == [(1501, "date_of_birth: Enter a valid date (year-month-day, e.g. 2027-03-01).")]
    assert (Officer.objects.count(), AuditEntry.objects.count()) == (0, 0)
    report = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*rows[:-1]))
    assert (report.errors, report.created) == ([], 1499)
    assert AuditEntry.objects.filter(action="create").count() == 1499
    assert stale_search_facts() == []


@pytest.mark.parametrize(("language", "date"), [("en-gb", "12/04/1985"), ("de", "12.04.1985"), ("en-gb", "12/04/85")])
def test_an_import_files_dates_are_iso_whatever_the_pages_language(coordinator, language, date):
    # The page's language would otherwise decide what a date in the file means (en-gb: day first).
    from django.utils import translation

    row = f"alpha,D-1,Dora,Date,inspector,female,{date},,,,,,,,,,,"
    with translation.override(language):
        report = import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(row))
    assert report.errors == [(2, "date_of_birth: Enter a valid date (year-month-day, e.g. 2027-03-01).")]
    assert Officer.objects.count() == 0


def test_the_web_officer_form_still_takes_the_languages_date_format(coordinator):
    from django.utils import translation

    pool = Pool.objects.get(code="alpha")
    data = {"pool": pool.pk, "service_number": "W-1", "first_name": "W", "last_name": "Eb",
            "rank": Rank.objects.get(code="inspector").pk, "gender": "female", "date_of_birth": "12/04/1985"}
    with translation.override("en-gb"):
        form = OfficerForm(data=data, user=coordinator)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(1985, 4, 12)


@pytest.mark.parametrize("changes", [
    {"pool": "999999"}, {"rank": "x"}, {"country_expertise": ["999999"]}, {"thematic_expertise": ["1", "abc"]},
    {"skills": "training:9"}, {"date_of_birth": "12/04/1985"}, {"date_of_birth": "2020-01-01"},
])
def test_form_with_reference_data_read_once_answers_like_the_plain_form(coordinator, changes):
    pool = Pool.objects.get(code="alpha")
    data = {"pool": pool.pk, "service_number": "F-1", "first_name": "F", "last_name": "G",
            "rank": Rank.objects.get(code="inspector").pk, "gender": "female", "date_of_birth": "1985-04-12",
            "country_expertise": [Country.objects.get(iso3="SRB").pk], "thematic_expertise": [], **changes}
    plain = OfficerForm(data=data, user=coordinator)
    read_once = OfficerForm(data=data, user=coordinator, reference=RelatedValues())
    assert plain.is_valid() == read_once.is_valid()
    assert plain.errors == read_once.errors


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's autovacuum analyses the tables itself")
def test_a_large_import_gives_sqlite_the_planner_statistics_of_the_roster(coordinator):
    rows = [f"alpha,S-{i:05d},Ann{i},Stat,inspector,female,1980-02-02,,,,,,,training:2,en:B2,,," for i in range(1001)]
    assert import_officers(actor=coordinator, filename="o.csv", content=csv_bytes(*rows)).created == 1001
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1 WHERE tbl LIKE 'roster_%' ORDER BY tbl")
        analysed = [name for (name,) in cursor.fetchall()]
    # The tables the rows filled (SQLite keeps no statistics for an empty table).
    assert analysed == ["roster_officer", "roster_officerlanguage", "roster_officerskill"]
