"""Tests for dividend.missions.registry (plain Python, no database)."""

import csv
import re
from collections import Counter
from datetime import date

import pycountry
import pytest

from dividend.missions import registry as reg


@pytest.fixture(scope="module")
def un():
    return reg.load_un_operations()


@pytest.fixture(scope="module")
def un_by_acronym(un):
    return {r["acronym"]: r for r in un}


@pytest.fixture(scope="module")
def eu():
    return reg.load_eu_csdp_missions()


@pytest.fixture(scope="module")
def osce():
    return reg.load_osce_field_operations()


@pytest.fixture(scope="module")
def all_missions():
    return reg.load_all_missions()


@pytest.fixture(scope="module")
def jobs():
    return reg.load_job_descriptions()


# ---------------------------------------------------------------- UN


def test_un_row_count(un):
    assert len(un) == 81
    assert [r["source_id"] for r in un] == [str(i) for i in range(1, 82)]


def test_un_acronyms_unique(un):
    assert len({r["acronym"] for r in un}) == 81


def test_un_coordinates_valid_or_none(un):
    for r in un:
        lat, lon = r["latitude"], r["longitude"]
        assert (lat is None) == (lon is None), r["acronym"]
        if lat is not None:
            assert type(lat) is float and type(lon) is float, r["acronym"]
            assert -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0, r["acronym"]


def test_un_missing_coordinates_exact(un):
    missing = sorted(r["acronym"] for r in un if r["latitude"] is None)
    assert missing == [
        "DOMREP", "MINUCI", "UNASOG", "UNAVEM III", "UNCPSG", "UNGOMAP", "UNIPOM", "UNOGIL", "UNSF",
        "UNYOM",
    ]


def test_un_coordinates_within_tolerance_of_location(un):
    for r in un:
        assert r["location"] is None or r["location"] in reg.GAZETTEER, r["acronym"]
        if r["latitude"] is None:
            continue
        refs = reg.GAZETTEER[r["location"]][1]
        distance = min(reg.haversine_km(r["latitude"], r["longitude"], a, b) for a, b in refs)
        assert distance <= reg.GAZETTEER_TOLERANCE_KM, (r["acronym"], distance)


def test_minusma_closed(un_by_acronym):
    m = un_by_acronym["MINUSMA"]
    assert m["status"] == "closed"
    assert m["end_date"] == date(2023, 12, 31)
    assert m["end_year"] == 2023
    assert m["start_date"] == date(2013, 4, 25)
    assert any("status set to closed" in n for n in m["cleaning_notes"])


def test_minusma_swapped_coordinates_exact(un_by_acronym):
    # Source: mission_longitude "12,6500", mission_latitude "-8,0000" (Bamako is 12.65 N, 8.0 W).
    m = un_by_acronym["MINUSMA"]
    assert m["latitude"] == 12.65
    assert m["longitude"] == -8.0
    assert any(n.startswith("latitude/longitude swapped") for n in m["cleaning_notes"])


def test_unscob_swapped_coordinates_exact(un_by_acronym):
    # Source: mission_longitude "37,9669", mission_latitude "23,7668" (Athens is 37.97 N, 23.73 E).
    m = un_by_acronym["UNSCOB"]
    assert (m["latitude"], m["longitude"]) == (37.9669, 23.7668)


def test_swapped_rows_exact_set(un):
    swapped = sorted(
        r["acronym"] for r in un if any(n.startswith("latitude/longitude swapped") for n in r["cleaning_notes"])
    )
    assert swapped == ["MINUSMA", "UNAVEM I", "UNAVEM II", "UNEF", "UNOSOM I", "UNOSOM II", "UNSCOB"]


def test_correct_rows_not_swapped(un_by_acronym):
    # The combined rows carry the right order in the source and must stay unchanged.
    assert (un_by_acronym["UNOSOM"]["latitude"], un_by_acronym["UNOSOM"]["longitude"]) == (2.0333, 45.35)
    assert (un_by_acronym["UNEF I"]["latitude"], un_by_acronym["UNEF I"]["longitude"]) == (31.5, 34.4667)
    assert (un_by_acronym["UNOMIG"]["latitude"], un_by_acronym["UNOMIG"]["longitude"]) == (43.0033, 41.0153)


def test_gross_errors_replaced_by_gazetteer(un_by_acronym):
    assert (un_by_acronym["UNMEE"]["latitude"], un_by_acronym["UNMEE"]["longitude"]) == (15.322, 38.925)
    assert (un_by_acronym["UNIIMOG"]["latitude"], un_by_acronym["UNIIMOG"]["longitude"]) == (35.689, 51.389)
    untso = un_by_acronym["UNTSO"]
    assert (untso["latitude"], untso["longitude"]) == (31.778, 35.235)
    assert any("filled from gazetteer" in n for n in untso["cleaning_notes"])


def test_no_decimal_comma_strings_remain(all_missions):
    decimal_comma = re.compile(r"^-?\d+,\d+$")
    for r in all_missions:
        assert not isinstance(r["latitude"], str) and not isinstance(r["longitude"], str)
        for key, value in r.items():
            if isinstance(value, str):
                assert not decimal_comma.match(value.strip()), (r["acronym"], key, value)


def test_decimal_comma_parser():
    assert reg._parse_number("15,9833") == (15.9833, True)
    assert reg._parse_number("-8,0000") == (-8.0, True)
    assert reg._parse_number("15.9833") == (15.9833, False)
    assert reg._parse_number("") == (None, False)


def test_swap_rule_latitude_over_90():
    lat, lon, notes = reg.clean_coordinates(None, "45,0", "120,5")
    assert (lat, lon) == (45.0, 120.5)
    assert "latitude/longitude swapped (|latitude| > 90)" in notes


def test_unrepairable_coordinates_become_none():
    lat, lon, notes = reg.clean_coordinates(None, "200,0", "95,0")
    assert (lat, lon) == (None, None)
    assert notes[-1].startswith("coordinates out of range")


def test_un_active_set_exact(un):
    active = sorted(r["acronym"] for r in un if r["status"] == "active")
    assert active == sorted(reg.UN_VERIFIED_ACTIVE)
    assert active == [
        "MINURSO", "MINUSCA", "MONUSCO", "UNDOF", "UNFICYP", "UNIFIL", "UNISFA", "UNMIK", "UNMISS",
        "UNMOGIP", "UNTSO",
    ]
    for r in un:
        if r["status"] == "active":
            assert r["end_date"] is None and r["end_year"] is None


def test_unamid_closed(un_by_acronym):
    assert un_by_acronym["UNAMID"]["status"] == "closed"
    assert un_by_acronym["UNAMID"]["end_date"] == date(2020, 12, 31)


def test_minustah_uppercase_no_normalised(un_by_acronym):
    m = un_by_acronym["MINUSTAH"]
    assert m["status"] == "closed"
    assert "mission_isactive 'NO' normalised" in m["cleaning_notes"]


def test_domrep_name_fixed(un_by_acronym):
    d = un_by_acronym["DOMREP"]
    assert d["name"] == "Mission of the Representative of the Secretary-General in the Dominican Republic"
    assert d["host_country_iso3"] == ["DOM"]
    assert '"' not in d["name"]


def test_unmogip_location_trimmed(un_by_acronym):
    m = un_by_acronym["UNMOGIP"]
    assert m["location"] == "Islamabad (Nov-Apr) and Srinagar (May-Oct)"
    assert m["host_country_iso3"] == ["IND", "PAK"]


def test_missing_dates_are_none(un_by_acronym):
    assert un_by_acronym["UNOHCI"]["start_date"] is None
    assert un_by_acronym["UNOHCI"]["end_date"] is None
    assert un_by_acronym["UNSCOB"]["start_date"] is None
    assert un_by_acronym["UNSCOB"]["end_date"] == date(1951, 7, 12)


def test_un_host_countries(un_by_acronym):
    assert un_by_acronym["UNMIK"]["host_country_iso3"] == ["SRB"]
    assert un_by_acronym["UNMIK"]["host_territory"] == "XKX"
    assert un_by_acronym["MINURSO"]["host_country_iso3"] == ["ESH"]
    assert un_by_acronym["UNISFA"]["host_country_iso3"] == ["SDN", "SSD"]
    assert un_by_acronym["UNTSO"]["host_country_iso3"] == ["ISR", "EGY", "JOR", "LBN", "SYR"]
    assert un_by_acronym["MONUSCO"]["host_country_iso3"] == ["COD"]


def test_un_mandate_types(un_by_acronym):
    assert un_by_acronym["UNMIK"]["mandate_types"] == ["executive"]
    assert un_by_acronym["UNTAET"]["mandate_types"] == ["executive"]
    assert un_by_acronym["UNMOGIP"]["mandate_types"] == ["monitoring"]
    assert un_by_acronym["UNTSO"]["mandate_types"] == ["monitoring"]
    assert un_by_acronym["MONUSCO"]["mandate_types"] == ["strengthening"]
    assert un_by_acronym["IPTF"]["mandate_types"] == ["monitoring", "strengthening"]


def test_un_aggregates_and_duplicates(un_by_acronym):
    assert un_by_acronym["UNOSOM"]["aggregate_of"] == ["UNOSOM I", "UNOSOM II"]
    assert un_by_acronym["UNCPSG"]["duplicate_of"] == "UNPSG"
    for parent in ("UNOSOM", "UNEF", "UNAVEM"):
        for child in un_by_acronym[parent]["aggregate_of"]:
            assert child in un_by_acronym


def test_un_load_from_explicit_path(tmp_path):
    src = reg.UN_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "pko.csv"
    path.write_text("".join(src[:3]), encoding="utf-8")
    records = reg.load_un_operations(path)
    assert [r["acronym"] for r in records] == ["UNYOM", "UNPSG"]


def test_un_unknown_location_raises(tmp_path):
    path = tmp_path / "pko.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(reg.UN_CSV.read_text(encoding="utf-8").splitlines()[0].split(","))
        writer.writerow(["1", "UNXYZ", "Test", "DPO", "No", "2000-01-01", "2001-01-01", "Atlantis", "", "", ""])
    with pytest.raises(ValueError, match="no host country mapping"):
        reg.load_un_operations(path)


# ---------------------------------------------------------------- all organisations


def test_record_shape(all_missions):
    for r in all_missions:
        assert tuple(r.keys()) == reg.MISSION_KEYS, r["acronym"]
        assert r["organisation"] in reg.ORGANISATIONS
        assert r["framework"] in reg.FRAMEWORKS
        assert r["status"] in reg.STATUSES
        assert r["mandate_types"] and set(r["mandate_types"]) <= set(reg.MANDATE_TYPES)
        assert set(r["thematic_areas"]) <= set(reg.THEMATIC_AREAS)
        assert r["source"]
        assert isinstance(r["cleaning_notes"], list)


def test_every_record_has_known_iso3_host(all_missions):
    for r in all_missions:
        assert len(r["host_country_iso3"]) >= 1, r["acronym"]
        for code in r["host_country_iso3"]:
            assert pycountry.countries.get(alpha_3=code) is not None, (r["acronym"], code)
        assert len(set(r["host_country_iso3"])) == len(r["host_country_iso3"])
        assert r["host_territory"] in (None, "XKX")


def test_acronyms_unique_per_organisation(all_missions):
    counts = Counter((r["organisation"], r["acronym"]) for r in all_missions)
    assert [k for k, n in counts.items() if n > 1] == []


def test_counts_per_organisation(all_missions):
    assert Counter(r["organisation"] for r in all_missions) == {"UN": 81, "EU": 24, "OSCE": 12}


def test_status_consistent_with_years(all_missions):
    for r in all_missions:
        if r["status"] == "active":
            assert r["end_year"] is None, r["acronym"]
        elif r["organisation"] != "UN":
            assert r["end_year"] is not None, r["acronym"]
        if r["start_year"] is not None and r["end_year"] is not None:
            assert r["end_year"] >= r["start_year"], r["acronym"]


# ---------------------------------------------------------------- EU / OSCE


def test_eu_row_count(eu):
    assert 18 <= len(eu) <= 26
    assert len(eu) == 24
    assert sum(r["framework"] == "csdp_civilian" for r in eu) == 23


def test_eu_key_missions(eu):
    by = {r["acronym"]: r for r in eu}
    assert by["EULEX Kosovo"]["start_year"] == 2008
    assert by["EULEX Kosovo"]["status"] == "active"
    assert "executive" in by["EULEX Kosovo"]["mandate_types"]
    assert by["EULEX Kosovo"]["host_territory"] == "XKX"
    assert "2008/124/CFSP" in by["EULEX Kosovo"]["source"]
    assert (by["EUPM BiH"]["status"], by["EUPM BiH"]["end_year"]) == ("closed", 2012)
    assert (by["EUPOL Afghanistan"]["status"], by["EUPOL Afghanistan"]["end_year"]) == ("closed", 2016)
    assert (by["EUPOL RD Congo"]["status"], by["EUPOL RD Congo"]["end_year"]) == ("closed", 2014)
    assert by["EUMM Georgia"]["mandate_types"] == ["monitoring"]
    assert by["EUMA"]["host_country_iso3"] == ["ARM"]
    assert by["EUPM Moldova"]["start_year"] == 2023
    assert by["EUBAM"]["framework"] == "eu_non_csdp"
    assert by["EUBAM"]["host_country_iso3"] == ["MDA", "UKR"]
    assert (by["EUCAP Sahel Niger"]["status"], by["EUCAP Sahel Niger"]["end_year"]) == ("closed", 2024)


def test_eu_csdp_rows_cite_council_act(eu):
    for r in eu:
        if r["framework"] == "csdp_civilian":
            assert re.search(r"Council (Joint Action|Decision)", r["source"]), r["acronym"]
            assert "EEAS" in r["source"], r["acronym"]


def test_osce_rows(osce):
    assert len(osce) == 12
    by = {r["acronym"]: r for r in osce}
    assert by["OMiK"]["host_country_iso3"] == ["SRB"] and by["OMiK"]["host_territory"] == "XKX"
    assert "PC.DEC/305" in by["OMiK"]["source"]
    assert (by["SMM Ukraine"]["status"], by["SMM Ukraine"]["end_year"]) == ("closed", 2022)
    assert (by["OSCE Croatia"]["start_year"], by["OSCE Croatia"]["end_year"]) == (1996, 2007)
    for r in osce:
        assert r["framework"] == "osce_field_operation"
        assert "OSCE page" in r["source"], r["acronym"]


def test_curated_loader_rejects_bad_vocabulary(tmp_path):
    header = reg.EU_CSV.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "eu.csv"
    path.write_text(
        header + "\nX,Test,EU,BIH,2003,,active,policing,police_reform,src,,,,csdp_civilian\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="mandate type"):
        reg.load_eu_csdp_missions(path)
    path.write_text(
        header + "\nX,Test,EU,XXX,2003,,active,monitoring,,src,,,,csdp_civilian\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="ISO 3166-1"):
        reg.load_eu_csdp_missions(path)
    path.write_text(
        header + "\nX,Test,EU,BIH,2003,2004,active,monitoring,,src,,,,csdp_civilian\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="inconsistent"):
        reg.load_eu_csdp_missions(path)


# ---------------------------------------------------------------- job descriptions


def test_job_descriptions(jobs):
    assert len(jobs) == 16
    assert len({j["code"] for j in jobs}) == 16
    for j in jobs:
        assert j["required_skills"], j["code"]
        assert set(j["required_skills"]) <= set(reg.SKILL_CODES)
        assert all(level in (1, 2, 3, 4) for level in j["required_skills"].values())
        assert set(j["qualifications"]) <= set(reg.QUALIFICATIONS)
        assert j["minimum_rank"] in reg.RANKS
        assert j["languages"] and all(v in reg.CEFR_LEVELS for v in j["languages"].values())
        assert isinstance(j["armed"], bool) and isinstance(j["duration_months"], int)


def test_job_description_examples(jobs):
    by = {j["code"]: j for j in jobs}
    ci = by["SJD-POL-02"]
    assert ci["title"] == "Criminal Investigation Adviser"
    assert ci["required_skills"]["criminal_investigation"] == 4
    assert ci["languages"] == {"en": "B2"}
    assert ci["minimum_rank"] == "inspector"
    assert ci["armed"] is False
    assert "un_saat" in by["SJD-POL-14"]["qualifications"]
    assert [j["code"] for j in jobs if j["armed"]] == ["SJD-POL-16"]


def test_job_descriptions_carry_thematic_tags_of_the_one_vocabulary(jobs, tmp_path):
    by = {j["code"]: j for j in jobs}
    assert by["SJD-POL-06"]["thematic_tags"] == ["border_management", "migrant_smuggling_irregular_migration",
                                                  "arms_trafficking"]
    assert by["SJD-POL-16"]["thematic_tags"] == []
    assert all(set(j["thematic_tags"]) <= set(reg.THEMATIC_AREAS) for j in jobs)
    bad = tmp_path / "jobs.csv"
    rows = list(csv.DictReader(open(reg.JOBS_CSV, encoding="utf-8", newline="")))
    rows[0]["thematic_tags"] = "border_management;paperwork"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match="SJD-POL-01: unknown thematic area 'paperwork'"):
        reg.load_job_descriptions(bad)
