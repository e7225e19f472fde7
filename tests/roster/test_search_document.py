"""The free-text search document has one definition (roster.models.search_document) whatever writes it:
the officer workflows and the import through Officer.build_search_document, the demo generator directly
(tests/test_demo_data.py::test_generates_a_complete_roster compares every demo officer's)."""

import pytest

from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.roster.imports import COLUMNS, import_officers
from dividend.roster.models import Officer, search_document
from dividend.roster.services import save_officer

from ..factories import make_pool, make_user

pytestmark = pytest.mark.django_db

ROW = ("alpha,A-001,Jürgen,Müller,inspector,male,1985-04-12,jm@example.org,,,,,,"
       "training:2; criminal_investigation:3,fr:B1; en:C1,,XKX; SRB,organised_crime; drugs")
EXPECTED = search_document(
    first_name="Jürgen", last_name="Müller", service_number="A-001", pool_code="alpha", pool_name="Alpha police",
    rank_name="Inspector", skills=["Criminal investigation", "Training"], languages=["English", "French"],
    countries=["Kosovo", "Serbia"], themes=["Drugs", "Organised crime"])


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, pools=[make_pool("alpha", name="Alpha police")])


def test_the_definition_sorts_each_group_and_adds_words_without_diacritics():
    assert EXPECTED == ("Jürgen Müller A-001 alpha Alpha police Inspector Criminal investigation Training "
                        "English French Kosovo Serbia Drugs Organised crime Jurgen Muller")


def test_imported_officer_gets_the_one_document(coordinator):
    report = import_officers(actor=coordinator, filename="o.csv", content=f"{','.join(COLUMNS)}\n{ROW}\n".encode())
    assert report.errors == []
    assert Officer.objects.get(service_number="A-001").search_document == EXPECTED


def test_workflow_save_gives_the_same_document_as_the_import(coordinator):
    import_officers(actor=coordinator, filename="o.csv", content=f"{','.join(COLUMNS)}\n{ROW}\n".encode())
    officer = Officer.objects.get(service_number="A-001")
    officer.email = "juergen@example.org"  # a change, so the workflow writes the document again
    save_officer(actor=coordinator, officer=officer, themes=list(ThematicArea.objects.filter(
        code__in=["drugs", "organised_crime"])))
    officer.refresh_from_db()
    assert officer.search_document == EXPECTED == officer.build_search_document()
