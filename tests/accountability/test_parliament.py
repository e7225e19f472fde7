"""The report to parliament: exact figures on the known dataset, the PDF's text, the XLSX read back,
the command and its bad input."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from dividend.accountability import parliament
from dividend.accountability.periods import Period

from .conftest import TODAY

MOLDOVA_UKRAINE = ["Moldova", "Ukraine"]


def _mission(report, acronym):
    return next(m for m in report.missions if m.acronym == acronym)


def test_people_and_person_months_per_mission_in_the_quarter(known):
    report = parliament.compute(Period.parse("2025Q3"), today=TODAY)
    figures = {m.acronym: (m.people, m.person_months, m.women, m.men) for m in report.missions}
    # EUAM: Aalto all quarter (3.0) + Brandt August and September (2.0); UNMISS: Castro 1-15 July
    # (15/31); SMM: Dahl all September (deployed, no end date). Ek's cancelled secondment counts nowhere.
    assert figures == {"EUAM": (2, 5.0, 1, 1), "UNMISS": (1, 0.5, 1, 0), "SMM": (1, 1.0, 0, 1)}


def test_totals_and_the_same_quarter_a_year_earlier(known):
    report = parliament.compute(Period.parse("2025Q3"), today=TODAY)
    t, b = report.totals, report.totals_before
    assert (t.missions, t.people, t.person_months, t.women, t.men, t.other) == (3, 4, 6.5, 2, 2, 0)
    assert t.by_organisation == {"EU CSDP": 1, "OSCE": 1, "United Nations": 1}
    # 2024Q3: Castro from 16 July (16/31 + 2 months).
    assert report.before.label == "2024Q3"
    assert (b.missions, b.people, b.person_months, b.women) == (1, 1, 2.5, 1)
    assert (_mission(report, "UNMISS").people_before, _mission(report, "UNMISS").person_months_before) == (1, 2.5)


def test_each_mission_names_its_organisation_host_countries_mandate_themes_and_positions(known):
    report = parliament.compute(Period.parse("2025Q3"), today=TODAY)
    smm, euam = _mission(report, "SMM"), _mission(report, "EUAM")
    assert (smm.organisation, smm.host_countries, smm.mandate) == ("OSCE", MOLDOVA_UKRAINE,
                                                                   ["strengthening", "monitoring"])
    assert euam.positions == [("Police adviser", 2)]
    assert len(euam.themes) == 1


def test_a_year_counts_every_month(known):
    report = parliament.compute(Period.parse("2025"), today=TODAY)
    # Aalto 12, Brandt 5 (Aug-Dec), Castro 6.5 (Jan-15 Jul), Dahl 4 (Sep-Dec).
    assert (report.totals.people, report.totals.person_months) == (4, 27.5)


def test_a_period_without_secondments_says_so(known):
    report = parliament.compute(Period.parse("2019Q1"), today=TODAY)
    assert report.empty and report.totals.people == 0
    assert report_charts_are_none(report)


def report_charts_are_none(report):
    return parliament.report_charts(report) == []


@pytest.mark.parametrize("text, message", [
    ("2026Q3..2026Q1", "wrong order"), ("2026Q5", "Unknown period"), ("Q3 2026", "Unknown period"),
    ("", "Unknown period"), ("1700", "year must be"),
])
def test_bad_periods_are_refused_with_a_clear_message(text, message):
    with pytest.raises(ValidationError) as refused:
        Period.parse(text)
    assert message in " ".join(refused.value.messages)


def test_the_pdf_text_holds_the_figures(known):
    report = parliament.compute(Period.parse("2025Q3"), today=TODAY)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(parliament.pdf(report))).pages)
    assert "Report to parliament: 2025Q3" in text
    for expected in ("EUAM", "UNMISS", "SMM", "Police adviser (2)", "2024Q3", "6.5"):
        assert expected in text, expected


def test_the_xlsx_reads_back(known):
    report = parliament.compute(Period.parse("2025Q3"), today=TODAY)
    book = load_workbook(io.BytesIO(parliament.xlsx(report)))
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Officers deployed"] == (4, 1, 3)
    assert summary["Person-months"] == (6.5, 2.5, 4.0)
    missions = list(book["Missions"].iter_rows(values_only=True))
    header, rows = missions[0], {row[0]: row for row in missions[1:]}
    assert rows["EUAM"][header.index("Officers")] == 2
    assert rows["EUAM"][header.index("Person-months")] == 5.0


def test_the_command_writes_the_pdf(known, tmp_path):
    target = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("parliament_report", "--period", "2025Q3", "--format", "pdf", "--output", str(target),
                 "--today", TODAY.isoformat(), stdout=out)
    assert "3 mission(s), 4 officer(s), 6.5 person-months" in out.getvalue()
    assert "UNMISS" in PdfReader(target).pages[0].extract_text()


def test_the_command_writes_the_xlsx(known, tmp_path):
    target = tmp_path / "report.xlsx"
    call_command("parliament_report", "--period", "2025", "--format", "xlsx", "--output", str(target),
                 "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert load_workbook(target)["Summary"]["A1"].value == "Measure"


@pytest.mark.parametrize("period", ["2026Q3..2025Q1", "26Q3"])
def test_the_command_refuses_a_bad_period_and_writes_nothing(known, tmp_path, period):
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="--period"):
        call_command("parliament_report", "--period", period, "--format", "pdf", "--output", str(target))
    assert not target.exists()
