"""Mission registry: UN peace operations, EU CSDP civilian missions, OSCE field operations,
and standard police job descriptions, as plain Python (no Django, no database). Codes (themes, skills,
qualifications, ranks) are checked against the reference taxonomy; an unknown one is an error naming it.

Every loader returns plain dicts. The Django loader written elsewhere maps them onto models.

Record shape (the same for every organisation; see ``MISSION_KEYS``):

    acronym          str
    name             str
    organisation     str        "UN" | "EU" | "OSCE"
    framework        str        "un_peacekeeping" | "csdp_civilian" | "eu_non_csdp" | "osce_field_operation"
    lead_department  str|None   UN only ("DPO" as in the source), else None
    start_date       date|None  exact date where the source gives one (UN), else None
    end_date         date|None
    start_year       int|None
    end_year         int|None   None while active
    status           str        "active" | "closed"
    location         str|None   duty station / HQ city
    latitude         float|None WGS84, validated -90..90
    longitude        float|None WGS84, validated -180..180
    host_country_iso3 list[str] ISO 3166-1 alpha-3 codes (pycountry-valid), at least one
    host_territory   str|None   non-ISO territory code, currently only "XKX" (Kosovo)
    mandate_types    list[str]  subset of MANDATE_TYPES
    thematic_areas   list[str]  subset of THEMATIC_AREAS, the reference taxonomy's theme codes (empty for UN)
    source           str        citation
    source_id        str|None   row id in the source file (UN)
    notes            str        facts and uncertainties worth knowing
    cleaning_notes   list[str]  what was corrected in the source row (UN; empty for curated rows)
    aggregate_of     list[str]  acronyms this umbrella row combines (e.g. UNOSOM -> UNOSOM I, UNOSOM II)
    duplicate_of     str|None   acronym of the row this one duplicates (UNCPSG -> UNPSG)

The cleaning rules for the UN file are documented in docs/missions-registry.md.
"""

from __future__ import annotations

import csv
import math
import re
from datetime import date
from pathlib import Path

import pycountry

from dividend.reference import taxonomy

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UN_CSV = DATA_DIR / "un_peacekeeping_operations_list_psdata.csv"
MISSIONS_DIR = DATA_DIR / "missions"
EU_CSV = MISSIONS_DIR / "eu_csdp_civilian_missions.csv"
OSCE_CSV = MISSIONS_DIR / "osce_field_operations.csv"
JOBS_CSV = MISSIONS_DIR / "job_descriptions.csv"

UN_SOURCE = "UN Peace and Security Data Hub, dataset DPPADPOSS-PKO (last_update 2024-02-19)"

MISSION_KEYS = (
    "acronym", "name", "organisation", "framework", "lead_department",
    "start_date", "end_date", "start_year", "end_year", "status",
    "location", "latitude", "longitude", "host_country_iso3", "host_territory",
    "mandate_types", "thematic_areas", "source", "source_id", "notes",
    "cleaning_notes", "aggregate_of", "duplicate_of",
)

ORGANISATIONS = ("UN", "EU", "OSCE")
FRAMEWORKS = ("un_peacekeeping", "csdp_civilian", "eu_non_csdp", "osce_field_operation")
STATUSES = ("active", "closed")
MANDATE_TYPES = ("strengthening", "executive", "monitoring")
# Themes, skills, qualifications and ranks are the reference taxonomy's codes: one vocabulary.
THEMATIC_AREAS = taxonomy.THEME_CODES
SKILL_CODES = taxonomy.SKILL_CODES
QUALIFICATIONS = taxonomy.QUALIFICATION_CODES
RANKS = taxonomy.RANK_CODES
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

# Non-ISO territories: code -> (name, ISO3 used in host_country_iso3).
# Kosovo has no ISO 3166-1 code; ISO 3166-2 lists it under Serbia (RS-KM). XKX is the
# user-assigned code used by the EU, World Bank and IMF. See docs/missions-registry.md.
TERRITORIES = {"XKX": ("Kosovo", "SRB")}

# --------------------------------------------------------------------------------------------
# UN cleaning tables
# --------------------------------------------------------------------------------------------

# Gazetteer: location string (as in the source, stripped) -> (host ISO3 or None, [(lat, lon), ...]).
# Coordinates are city centres to about 0.01 degree. They are used only to check the source
# coordinates (swap detection, gross errors) and to fill a missing point. Tolerance: GAZETTEER_TOLERANCE_KM.
GAZETTEER: dict[str, tuple[str | None, list[tuple[float, float]]]] = {
    "Abidjan": ("CIV", [(5.360, -4.008)]),
    "Abyei": ("SDN", [(9.596, 28.436)]),  # disputed area; UNISFA host countries are overridden below
    "Al Fashir": ("SDN", [(13.628, 25.350)]),
    "Asmara": ("ERI", [(15.322, 38.925)]),
    "Athens": ("GRC", [(37.984, 23.728)]),
    "Baghdad": ("IRQ", [(33.315, 44.366)]),
    "Bamako": ("MLI", [(12.639, -8.003)]),
    "Bangui": ("CAF", [(4.394, 18.558)]),
    "Bujumbura": ("BDI", [(-3.383, 29.361)]),
    "Camp Faouar": ("SYR", [(33.24, 35.92)]),
    "Cavtat": ("HRV", [(42.581, 18.218)]),
    "Damascus": ("SYR", [(33.513, 36.292)]),
    "Dili": ("TLS", [(-8.556, 125.560)]),
    "Dushanbe": ("TJK", [(38.560, 68.787)]),
    "Freetown": ("SLE", [(8.484, -13.234)]),
    "Gaza": ("PSE", [(31.502, 34.467)]),
    "Guatemala City": ("GTM", [(14.634, -90.507)]),
    "Islamabad (Nov-Apr) and Srinagar (May-Oct)": (None, [(33.684, 73.048), (34.084, 74.797)]),
    "Jerusalem": (None, [(31.778, 35.235)]),  # status contested; UNTSO host countries set by acronym
    "Juba": ("SSD", [(4.859, 31.571)]),
    "Kabale": ("UGA", [(-1.249, 29.990)]),
    "Kabul": ("AFG", [(34.555, 69.207)]),
    "Kigali": ("RWA", [(-1.944, 30.062)]),
    "Khartoum": ("SDN", [(15.501, 32.560)]),
    "Kinshasa": ("COD", [(-4.322, 15.307)]),
    "Laayoune": ("ESH", [(27.154, -13.203)]),
    "Luanda": ("AGO", [(-8.839, 13.289)]),
    "Maputo": ("MOZ", [(-25.969, 32.573)]),
    "Mogadishu": ("SOM", [(2.046, 45.318)]),
    "Monrovia": ("LBR", [(6.301, -10.797)]),
    "N'Djamena": ("TCD", [(12.134, 15.056)]),
    "Naqoura": ("LBN", [(33.118, 35.139)]),
    "Nicosia": ("CYP", [(35.186, 33.382)]),
    "Phnom Penh": ("KHM", [(11.556, 104.928)]),
    "Port-au-Prince": ("HTI", [(18.594, -72.307)]),
    "Pristina": ("SRB", [(42.663, 21.166)]),  # + host_territory XKX
    "San Salvador": ("SLV", [(13.692, -89.218)]),
    "Sarajevo": ("BIH", [(43.856, 18.413)]),
    "Skopje": ("MKD", [(41.998, 21.425)]),
    "Sukhumi": ("GEO", [(43.003, 41.023)]),
    "Tegucigalpa": ("HND", [(14.072, -87.192)]),
    "Tehran": ("IRN", [(35.689, 51.389)]),
    "Umm Qasr": ("IRQ", [(30.036, 47.919)]),
    "Vukovar": ("HRV", [(45.352, 19.002)]),
    "Zagreb": ("HRV", [(45.815, 15.982)]),
}
GAZETTEER_TOLERANCE_KM = 200.0
TERRITORY_BY_LOCATION = {"Pristina": "XKX"}

# Host countries set by acronym: multi-country missions, and rows without a location.
UN_HOST_OVERRIDES: dict[str, list[str]] = {
    "DOMREP": ["DOM"],
    "MINUCI": ["CIV"],
    "MINURCAT": ["CAF", "TCD"],
    "UNASOG": ["TCD"],  # Aouzou Strip
    "UNAVEM III": ["AGO"],
    "UNCPSG": ["HRV"],
    "UNDOF": ["SYR"],  # area of separation on the Golan; HQ Camp Faouar
    "UNEF": ["EGY", "PSE"],  # Sinai and Gaza
    "UNEF I": ["EGY", "PSE"],
    "UNEF II": ["EGY"],  # deployed in Sinai; source location "Gaza" kept as given
    "UNGOMAP": ["AFG", "PAK"],
    "UNIIMOG": ["IRN", "IRQ"],
    "UNIKOM": ["IRQ", "KWT"],
    "UNIPOM": ["IND", "PAK"],
    "UNISFA": ["SDN", "SSD"],  # Abyei Area, status undetermined between Sudan and South Sudan
    "UNMEE": ["ETH", "ERI"],
    "UNMIS": ["SDN", "SSD"],  # territory of today's South Sudan was part of Sudan until 2011
    "UNMOGIP": ["IND", "PAK"],
    "UNMOP": ["HRV", "MNE"],  # Prevlaka peninsula and the adjacent area of the then FRY
    "UNOGIL": ["LBN"],
    "UNPF": ["HRV", "BIH", "MKD"],
    "UNPROFOR": ["HRV", "BIH", "MKD"],
    "UNSF": ["IDN"],  # West New Guinea (then under UNTEA); today part of Indonesia
    "UNTSO": ["ISR", "EGY", "JOR", "LBN", "SYR"],  # HQ Jerusalem, observers in the five countries
    "UNYOM": ["YEM"],
}

# Source names that are malformed.
UN_NAME_FIXES = {
    "DOMREP": "Mission of the Representative of the Secretary-General in the Dominican Republic",
}

# Closures the source does not reflect (source last_update 2024-02-19).
UN_KNOWN_CLOSURES: dict[str, tuple[date, str]] = {
    "MINUSMA": (
        date(2023, 12, 31),
        "Security Council resolution 2690 (2023) ended the mandate on 30 June 2023; "
        "withdrawal completed 31 December 2023",
    ),
}

# Missions marked active in the source that were checked and are still active (as of 2026).
UN_VERIFIED_ACTIVE = frozenset({
    "MINURSO", "MINUSCA", "MONUSCO", "UNDOF", "UNFICYP", "UNIFIL", "UNISFA", "UNMIK", "UNMISS",
    "UNMOGIP", "UNTSO",
})

UN_NOTES = {
    "UNIFIL": "Security Council resolution 2790 (2025) extended the mandate a final time: operations cease "
              "31 December 2026, followed by withdrawal within one year.",
    "MONUSCO": "Phased disengagement under way; withdrew from South Kivu in 2024.",
    "UNMIK": "Executive policing ended in 2008 (handed to the Kosovo Police and EULEX); "
             "mandate type records the transitional administration.",
    "UNMIT": "UN police held interim law-enforcement responsibility in Timor-Leste until handover "
             "to the national police (2011).",
    "UNFOR": "Row has no dates in the source; identity of this entry is unclear.",
    "UNOHCI": "Row has no dates in the source.",
    "UNEF II": "Deployed in Sinai; the source location 'Gaza' is kept as given.",
    "UNPF": "Umbrella headquarters for UNCRO, UNPROFOR and UNPREDEP.",
}

UN_AGGREGATES = {
    "UNOSOM": ["UNOSOM I", "UNOSOM II"],
    "UNEF": ["UNEF I", "UNEF II"],
    "UNAVEM": ["UNAVEM I", "UNAVEM II"],
}
UN_DUPLICATES = {"UNCPSG": "UNPSG"}

# Mandate types. Rule: name matches UN_MONITORING_PATTERN -> monitoring; transitional
# administrations -> executive; otherwise strengthening. Explicit exceptions below.
UN_MONITORING_PATTERN = re.compile(r"observ|supervision|verification|truce|good offices", re.IGNORECASE)
UN_MANDATE_OVERRIDES: dict[str, list[str]] = {
    # transitional administrations / executive authority
    "UNMIK": ["executive"],
    "UNTAET": ["executive"],
    "UNTAES": ["executive"],
    "UNTAC": ["executive"],
    "UNSF": ["executive"],  # security force of the UN Temporary Executive Authority (UNTEA)
    "UNMIT": ["executive", "strengthening"],
    # observer/monitoring missions whose names do not say so
    "UNSCOB": ["monitoring"],
    "DOMREP": ["monitoring"],  # observer mission (ceasefire observation)
    "MINURSO": ["monitoring"],
    "UNPSG": ["monitoring"],  # monitored the Croatian police in the Danube region
    "UNCPSG": ["monitoring"],
    "IPTF": ["monitoring", "strengthening"],
    "UNMIBH": ["monitoring", "strengthening"],
}

_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _parse_number(raw: str | None) -> tuple[float | None, bool]:
    """Parse "15,9833" or "15.9833". Returns (value, had_decimal_comma)."""
    if raw is None or not raw.strip():
        return None, False
    text = raw.strip()
    comma = bool(_DECIMAL_COMMA.match(text))
    return float(text.replace(",", ".")), comma


def _parse_date(raw: str | None) -> date | None:
    if raw is None or not raw.strip():
        return None
    return date.fromisoformat(raw.strip())


def _in_range(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _nearest_km(lat: float, lon: float, refs: list[tuple[float, float]]) -> float:
    return min(haversine_km(lat, lon, rlat, rlon) for rlat, rlon in refs)


def clean_coordinates(
    location: str | None, raw_lon: str | None, raw_lat: str | None
) -> tuple[float | None, float | None, list[str]]:
    """Return (latitude, longitude, notes) for one UN row. See docs/missions-registry.md."""
    notes: list[str] = []
    lon, comma_lon = _parse_number(raw_lon)
    lat, comma_lat = _parse_number(raw_lat)
    if comma_lon or comma_lat:
        notes.append("decimal commas in coordinates converted to points")
    refs = GAZETTEER[location][1] if location in GAZETTEER else None
    if location and refs is None:
        notes.append(f"location {location!r} not in gazetteer; coordinates only range-checked")

    if lat is None or lon is None:
        if refs is not None:
            rlat, rlon = refs[0]
            notes.append(f"coordinates missing in source; filled from gazetteer ({location}: {rlat}, {rlon})")
            return rlat, rlon, notes
        return None, None, notes

    # Rule 1: a latitude outside -90..90 with a longitude inside it is a swap.
    if abs(lat) > 90 and abs(lon) <= 90:
        lat, lon = lon, lat
        notes.append("latitude/longitude swapped (|latitude| > 90)")
    # Rule 2: check against the named location.
    elif refs is not None:
        d_given = _nearest_km(lat, lon, refs)
        if d_given > GAZETTEER_TOLERANCE_KM:
            d_swapped = _nearest_km(lon, lat, refs) if _in_range(lon, lat) else math.inf
            if d_swapped <= GAZETTEER_TOLERANCE_KM:
                notes.append(
                    f"latitude/longitude swapped (given point {d_given:.0f} km from {location}, "
                    f"swapped point {d_swapped:.0f} km)"
                )
                lat, lon = lon, lat
            else:
                rlat, rlon = refs[0]
                notes.append(
                    f"source point ({lat}, {lon}) is {d_given:.0f} km from {location}; "
                    f"replaced by gazetteer point ({rlat}, {rlon})"
                )
                lat, lon = rlat, rlon

    if not _in_range(lat, lon):
        notes.append(f"coordinates out of range ({lat}, {lon}) and not repairable; set to None")
        return None, None, notes
    return lat, lon, notes


def _un_mandate_types(acronym: str, name: str) -> list[str]:
    if acronym in UN_MANDATE_OVERRIDES:
        return list(UN_MANDATE_OVERRIDES[acronym])
    if UN_MONITORING_PATTERN.search(name):
        return ["monitoring"]
    return ["strengthening"]


def _un_hosts(acronym: str, location: str | None) -> list[str]:
    if acronym in UN_HOST_OVERRIDES:
        return list(UN_HOST_OVERRIDES[acronym])
    if location in GAZETTEER and GAZETTEER[location][0]:
        return [GAZETTEER[location][0]]
    raise ValueError(f"UN operation {acronym!r}: no host country mapping for location {location!r}")


def _check_iso3(codes: list[str], where: str) -> None:
    if not codes:
        raise ValueError(f"{where}: no host country")
    for code in codes:
        if pycountry.countries.get(alpha_3=code) is None:
            raise ValueError(f"{where}: {code!r} is not an ISO 3166-1 alpha-3 code")


def load_un_operations(path: str | Path | None = None) -> list[dict]:
    """Read and clean the UN PKO list. Returns one record per source row, ordered by source id."""
    path = Path(path) if path is not None else UN_CSV
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = []
    for row in sorted(rows, key=lambda r: int(r["id"])):
        notes: list[str] = []
        acronym = row["mission_acronym"].strip()
        name = row["mission_name"].strip()
        if acronym in UN_NAME_FIXES:
            notes.append(f"malformed name {name!r} replaced by {UN_NAME_FIXES[acronym]!r}")
            name = UN_NAME_FIXES[acronym]
        raw_location = row["mission_location"] or ""
        location = raw_location.strip() or None
        if location and location != raw_location:
            notes.append("whitespace trimmed from location")

        raw_active = row["mission_isactive"].strip()
        if raw_active not in ("Yes", "No"):
            notes.append(f"mission_isactive {raw_active!r} normalised")
        status = "active" if raw_active.casefold() == "yes" else "closed"
        start_date = _parse_date(row["start_date"])
        end_date = _parse_date(row["end_date"])
        if start_date is None:
            notes.append("start date missing in source")

        if acronym in UN_KNOWN_CLOSURES:
            closed_on, why = UN_KNOWN_CLOSURES[acronym]
            if status != "closed" or end_date != closed_on:
                notes.append(f"status set to closed, end date {closed_on.isoformat()} ({why})")
            status, end_date = "closed", closed_on
        elif status == "active" and end_date is not None:
            notes.append("marked active but has an end date; status set to closed")
            status = "closed"
        if status == "closed" and end_date is None:
            notes.append("end date missing in source")
        record_notes = UN_NOTES.get(acronym, "")
        if status == "active" and acronym not in UN_VERIFIED_ACTIVE:
            record_notes = (record_notes + " Active status not verified.").strip()

        lat, lon, coord_notes = clean_coordinates(location, row["mission_longitude"], row["mission_latitude"])
        notes.extend(coord_notes)

        hosts = _un_hosts(acronym, location)
        _check_iso3(hosts, f"UN {acronym}")

        if acronym in UN_DUPLICATES:
            notes.append(f"duplicate of {UN_DUPLICATES[acronym]} (same mission, dates differ slightly)")

        records.append({
            "acronym": acronym,
            "name": name,
            "organisation": "UN",
            "framework": "un_peacekeeping",
            "lead_department": row["lead_department"].strip() or None,
            "start_date": start_date,
            "end_date": end_date,
            "start_year": start_date.year if start_date else None,
            "end_year": end_date.year if end_date else None,
            "status": status,
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "host_country_iso3": hosts,
            "host_territory": TERRITORY_BY_LOCATION.get(location or ""),
            "mandate_types": _un_mandate_types(acronym, name),
            "thematic_areas": [],
            "source": f"{UN_SOURCE}, row id {row['id'].strip()}",
            "source_id": row["id"].strip(),
            "notes": record_notes,
            "cleaning_notes": notes,
            "aggregate_of": list(UN_AGGREGATES.get(acronym, [])),
            "duplicate_of": UN_DUPLICATES.get(acronym),
        })
    return records


# --------------------------------------------------------------------------------------------
# Curated EU / OSCE lists
# --------------------------------------------------------------------------------------------

def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _check_vocab(values: list[str], allowed: tuple[str, ...], what: str, where: str) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{where}: unknown {what} {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(allowed)})")


def _load_curated(path: Path, organisation: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = []
    for row in rows:
        acronym = row["acronym"].strip()
        where = f"{path.name} {acronym}"
        if row["organisation"].strip() != organisation:
            raise ValueError(f"{where}: organisation {row['organisation']!r}, expected {organisation!r}")
        framework = row["framework"].strip()
        _check_vocab([framework], FRAMEWORKS, "framework", where)
        hosts = _split(row["host_country_iso3"])
        _check_iso3(hosts, where)
        territory = row.get("host_territory", "").strip() or None
        if territory is not None and territory not in TERRITORIES:
            raise ValueError(f"{where}: unknown territory {territory!r}")
        status = row["status"].strip()
        _check_vocab([status], STATUSES, "status", where)
        mandate_types = _split(row["mandate_types"])
        _check_vocab(mandate_types, MANDATE_TYPES, "mandate type", where)
        if not mandate_types:
            raise ValueError(f"{where}: no mandate type")
        thematic = _split(row["thematic_areas"])
        _check_vocab(thematic, THEMATIC_AREAS, "thematic area", where)
        start_year = int(row["start_year"])
        end_year = int(row["end_year"]) if row["end_year"].strip() else None
        if (status == "closed") != (end_year is not None):
            raise ValueError(f"{where}: status {status!r} inconsistent with end_year {end_year!r}")
        if end_year is not None and end_year < start_year:
            raise ValueError(f"{where}: end_year before start_year")
        if not row["source"].strip():
            raise ValueError(f"{where}: no source")
        records.append({
            "acronym": acronym,
            "name": row["name"].strip(),
            "organisation": organisation,
            "framework": framework,
            "lead_department": None,
            "start_date": None,
            "end_date": None,
            "start_year": start_year,
            "end_year": end_year,
            "status": status,
            "location": row["location"].strip() or None,
            "latitude": None,
            "longitude": None,
            "host_country_iso3": hosts,
            "host_territory": territory,
            "mandate_types": mandate_types,
            "thematic_areas": thematic,
            "source": row["source"].strip(),
            "source_id": None,
            "notes": row["notes"].strip(),
            "cleaning_notes": [],
            "aggregate_of": [],
            "duplicate_of": None,
        })
    return records


def load_eu_csdp_missions(path: str | Path | None = None) -> list[dict]:
    """Curated EU civilian missions (CSDP, plus EUBAM Moldova-Ukraine with framework="eu_non_csdp")."""
    return _load_curated(Path(path) if path is not None else EU_CSV, "EU")


def load_osce_field_operations(path: str | Path | None = None) -> list[dict]:
    """Curated OSCE field operations with police-related work."""
    return _load_curated(Path(path) if path is not None else OSCE_CSV, "OSCE")


def load_all_missions() -> list[dict]:
    """UN + EU + OSCE records, same shape, in that order."""
    return load_un_operations() + load_eu_csdp_missions() + load_osce_field_operations()


# --------------------------------------------------------------------------------------------
# Standard job descriptions
# --------------------------------------------------------------------------------------------

def load_job_descriptions(path: str | Path | None = None) -> list[dict]:
    """Standard police job descriptions.

    Record: code str, title str, summary str, required_skills dict[str, int] (level 1-4),
    languages dict[str, str] (ISO 639-1 -> CEFR level), qualifications list[str],
    minimum_rank str, duration_months int, armed bool, thematic_tags list[str] (the theme
    vocabulary's codes: what the post itself works on; positions made from it inherit them).
    """
    path = Path(path) if path is not None else JOBS_CSV
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = []
    for row in rows:
        code = row["code"].strip()
        skills: dict[str, int] = {}
        for item in _split(row["required_skills"]):
            skill, _, level = item.partition(":")
            _check_vocab([skill], SKILL_CODES, "skill", code)
            if level not in {"1", "2", "3", "4"}:
                raise ValueError(f"{code}: skill level {level!r} not in 1-4")
            skills[skill] = int(level)
        languages: dict[str, str] = {}
        for item in _split(row["languages"]):
            lang, _, level = item.partition(":")
            if pycountry.languages.get(alpha_2=lang) is None or level not in CEFR_LEVELS:
                raise ValueError(f"{code}: bad language requirement {item!r}")
            languages[lang] = level
        qualifications = _split(row["qualifications"])
        _check_vocab(qualifications, QUALIFICATIONS, "qualification", code)
        rank = row["minimum_rank"].strip()
        _check_vocab([rank], RANKS, "rank", code)
        armed = row["armed"].strip().lower()
        if armed not in ("true", "false"):
            raise ValueError(f"{code}: armed must be true/false")
        tags = _split(row.get("thematic_tags") or "")
        _check_vocab(tags, THEMATIC_AREAS, "thematic area", code)
        records.append({
            "code": code,
            "title": row["title"].strip(),
            "summary": row["summary"].strip(),
            "required_skills": skills,
            "languages": languages,
            "qualifications": qualifications,
            "minimum_rank": rank,
            "duration_months": int(row["duration_months"]),
            "armed": armed == "true",
            "thematic_tags": tags,
        })
    return records
