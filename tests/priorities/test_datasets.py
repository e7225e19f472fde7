"""Indicator library: real files, home-country columns, user uploads."""

import io

import numpy as np
import openpyxl
import pytest

from dividend.priorities.engine import DatasetError, IndicatorLibrary, parse_user_rows
from dividend.priorities.engine.datasets import BUILTIN_DATASETS, known_countries, unhcr_countries


@pytest.fixture(scope="module")
def lib():
    return IndicatorLibrary()


def value(lib, dataset, column, code, year, home=None, latest=False):
    v, _ = lib.table(dataset, column, home).lookup([code], year, latest)
    return v[0]


def test_builtin_columns(lib):
    assert set(lib.dataset_names()) >= {"goci", "goci2025", "fsi", "wgi", "homicide", "unhcr_asylum",
                                        "unhcr_population"}
    assert "Human trafficking" in lib.columns("goci") and "Criminality" in lib.columns("goci")
    assert lib.columns("fsi") == ["Total", "C1", "C2", "C3", "E1", "E2", "E3", "P1", "P2", "P3", "S1", "S2", "X1"]
    assert {"va", "pv", "ge", "rq", "rl", "cc", "cc_pctrank"} <= set(lib.columns("wgi"))


def test_namibia_stays_namibia(lib):
    assert "NAM" in unhcr_countries()
    assert value(lib, "goci", "Human trafficking", "NAM", 2023) == 3.5
    assert value(lib, "wgi", "rl", "NAM", 2023) == pytest.approx(0.4455, abs=1e-3)


def test_values_from_the_files(lib):
    assert value(lib, "fsi", "C1", "SDN", 2006) == 9.8
    assert value(lib, "fsi", "Total", "SDN", 2006) == 112.3
    assert value(lib, "goci2025", "Human trafficking", "BDI", 2025) == 8.5
    assert value(lib, "wgi", "cc", "AFG", 1996) == pytest.approx(-1.2917, abs=1e-4)
    assert value(lib, "homicide", "rate_per_100k", "ABW", 1995) == pytest.approx(7.903264)


def test_legacy_codes_mapped(lib):
    wgi = lib.table("wgi", "rl", None)
    assert {"COD", "ROU", "TLS", "AND", "XKX", "PSE"} <= set(wgi.countries)
    assert not {"ZAR", "ROM", "TMP", "ADO", "KSV", "WBG"} & set(wgi.countries)


def test_homicide_drops_world_bank_aggregates(lib):
    countries = set(lib.table("homicide", "rate_per_100k", None).countries)
    assert not {"WLD", "SSF", "EUU", "HIC"} & countries
    assert countries <= known_countries()


def test_asylum_applications_in_home_country(lib):
    # UNHCR quirk: Belgium 2024 reports most Congolese new applications under COG, only 21 under COD.
    assert value(lib, "unhcr_asylum", "new_applications_in_home", "COD", 2024, "BEL") == 21
    assert value(lib, "unhcr_asylum", "new_applications_in_home", "COG", 2024, "BEL") > 1000
    # a country with no applications in the home country gets 0, not missing
    assert value(lib, "unhcr_asylum", "new_applications_in_home", "NAM", 2024, "BEL") == 0
    de = value(lib, "unhcr_asylum", "new_applications_in_home", "SYR", 2023, "DEU")
    world = value(lib, "unhcr_asylum", "new_applications_worldwide", "SYR", 2023, "DEU")
    assert 0 < de < world


def test_refugees_in_home_and_worldwide(lib):
    in_bel = value(lib, "unhcr_population", "refugees_in_home", "SYR", 2024, "BEL")
    in_swe = value(lib, "unhcr_population", "refugees_in_home", "SYR", 2024, "SWE")
    world = value(lib, "unhcr_population", "refugees_worldwide", "SYR", 2024, "BEL")
    assert 0 < in_bel < world and 0 < in_swe < world and in_bel != in_swe


def test_home_dependent_column_needs_home(lib):
    with pytest.raises(LookupError, match="needs a home country"):
        lib.table("unhcr_asylum", "new_applications_in_home", None)
    assert BUILTIN_DATASETS["unhcr_population"].home_dependent == {"refugees_in_home", "asylum_seekers_in_home"}


def test_user_csv_rows():
    rows = parse_user_rows("iso3,year,value\nBEL,2020,1.5\nnam,2021,3\n")
    assert [(r.line, r.iso3, r.year, r.value) for r in rows] == [(2, "BEL", 2020, 1.5), (3, "NAM", 2021, 3.0)]
    rows = parse_user_rows(b"\xef\xbb\xbfISO3;Year;Value\nCOD;2020;2\n")
    assert rows[0].iso3 == "COD"


def test_user_csv_all_or_nothing_with_every_bad_row():
    text = ("iso3,year,value\nBEL,2020,1\nQQQ,2020,1\nDEU,20x0,1\nFRA,2020,abc\nNLD,2020,\n"
            "BEL,2020,2\n,2020,1\nSWE,1800,3,5\nFIN,2020,\"3,5\"\n")
    with pytest.raises(DatasetError) as exc:
        parse_user_rows(text)
    assert [str(e) for e in exc.value.errors] == [
        "line 3: unknown country code 'QQQ'",
        "line 4: year '20x0' is not a whole number",
        "line 5: value 'abc' is not a number",
        "line 6: value (empty) is not a number",
        "line 7: duplicate BEL 2020 (first on line 2)",
        "line 8: iso3 is empty",
        "line 9: year 1800 is outside 1900-2100",
        "line 10: value '3,5' is not a number (use a dot as decimal separator)",
    ]


def test_user_csv_bad_header():
    with pytest.raises(DatasetError) as exc:
        parse_user_rows("country,when,value\nBEL,2020,1\n")
    assert [str(e) for e in exc.value.errors] == ["line 1: header must have columns iso3, year, value; "
                                                  "missing: iso3, year"]


def xlsx(rows):
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_user_xlsx_rows_and_errors():
    rows = parse_user_rows(xlsx([["iso3", "year", "value"], ["BEL", 2020, 1.25], ["DEU", 2021.0, 3]]))
    assert [(r.line, r.iso3, r.year, r.value) for r in rows] == [(2, "BEL", 2020, 1.25), (3, "DEU", 2021, 3.0)]
    with pytest.raises(DatasetError) as exc:
        parse_user_rows(xlsx([["iso3", "year", "value"], ["BEL", 2020, "n/a"], ["QQQ", 2020, 1]]))
    assert [str(e) for e in exc.value.errors] == ["line 2: value 'n/a' is not a number",
                                                  "line 3: unknown country code 'QQQ'"]
    with pytest.raises(DatasetError, match="not a readable XLSX"):
        parse_user_rows(b"PK\x03\x04garbage", "data.xlsx")


def test_user_dataset_in_a_model(model_text):
    from dividend.priorities.engine import compute, load_model
    library = IndicatorLibrary()
    library.add_user_dataset("embassy_reports", parse_user_rows("iso3,year,value\nBEL,2024,1\nCOL,2024,4\n"),
                             column="reports")
    text = model_text("id: root\nchildren:\n  - {id: r, dataset: embassy_reports, column: reports, year: 2024}\n")
    r = compute(load_model(text, library), library)
    assert r.countries == ["BEL", "COL"] and r.rank.tolist() == [2, 1]
    assert np.isfinite(r.score).all()
