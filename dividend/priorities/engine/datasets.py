"""Indicator library: the real datasets, exposed as named columns of country × year tables keyed by ISO3.

Files are read with the ``csv`` module (never pandas: Namibia's ISO2 "NA" must stay a string) and parsed
once per process (``functools.lru_cache``). UNHCR flow columns depend on the *home country* (the country
running the secondments), so those tables are built per home country, also cached.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import Text, gettext_noop

if TYPE_CHECKING:
    from .userdata import UserRow

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# Old World Bank / UN codes found in the files, mapped to current ISO3 (GOCI 2021 codes DR Congo as ZAR).
LEGACY_CODES = {"ZAR": "COD", "ROM": "ROU", "TMP": "TLS", "ADO": "AND", "KSV": "XKX", "WBG": "PSE"}


def iso3(code: str) -> str:
    code = code.strip().upper()
    return LEGACY_CODES.get(code, code)


@dataclass(frozen=True)
class ColumnTable:
    """One indicator column: ``values[i, j]`` is country ``countries[i]`` in ``years[j]`` (NaN = missing)."""

    countries: tuple[str, ...]
    years: tuple[int, ...]
    values: np.ndarray

    @classmethod
    def from_cells(cls, cells: dict[tuple[str, int], float]) -> ColumnTable:
        countries = tuple(sorted({c for c, _ in cells}))
        years = tuple(sorted({y for _, y in cells}))
        ci = {c: i for i, c in enumerate(countries)}
        yi = {y: j for j, y in enumerate(years)}
        values = np.full((len(countries), len(years)), np.nan)
        for (c, y), v in cells.items():
            values[ci[c], yi[y]] = v
        return cls(countries, years, values)

    def lookup(self, countries: Iterable[str], year: int | None, latest: bool) -> tuple[np.ndarray, np.ndarray]:
        """Values for ``countries`` in ``year`` (or the latest year <= ``year`` that has a value when
        ``latest``; ``year=None`` with ``latest`` = latest at all). Returns (values, year used; 0 = none)."""
        countries = list(countries)
        rows = {c: i for i, c in enumerate(self.countries)}
        idx = np.array([rows.get(c, -1) for c in countries], dtype=int)
        years = np.asarray(self.years, dtype=int)
        out = np.full(len(countries), np.nan)
        used = np.zeros(len(countries), dtype=int)
        if not latest:
            cols = np.nonzero(years == year)[0]
            if len(cols) == 0:
                return out, used
            col = self.values[:, cols[0]]
            known = idx >= 0
            out[known] = col[idx[known]]
            used[known & ~np.isnan(out)] = year
            return out, used
        ncols = len(years) if year is None else int(np.searchsorted(years, year, side="right"))
        if ncols == 0:
            return out, used
        sub = self.values[:, :ncols]
        valid = ~np.isnan(sub)
        last = ncols - 1 - np.argmax(valid[:, ::-1], axis=1)
        has = valid.any(axis=1)
        best = np.where(has, sub[np.arange(len(sub)), last], np.nan)
        best_year = np.where(has, years[last], 0)
        known = idx >= 0
        out[known] = best[idx[known]]
        used[known] = best_year[idx[known]]
        return out, used


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset the model file can name: its columns (name → description) and how to load them."""

    name: str
    label: str
    source: str
    columns: dict[str, str]
    load: Callable[[str | None], dict[str, ColumnTable]] = field(repr=False)
    home_dependent: frozenset[str] = frozenset()  # columns that need a home country


def _num(text: str) -> float:
    text = text.strip()
    if text in ("", ".."):
        return math.nan
    return float(text)


def _read_csv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_columns(name: str, wanted: list[str]) -> list[list[str]]:
    """Only the ``wanted`` columns of a (possibly gzipped) CSV, as lists of strings: fast for big files."""
    path = DATA_DIR / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        idx = [header.index(w) for w in wanted]
        return [[row[i] for i in idx] for row in reader]


# ----------------------------------------------------------------------------------------------------
# Country reference
# ----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def unhcr_countries() -> dict[str, dict[str, str]]:
    """ISO3 → row of unhcr_countries.csv (name and regions)."""
    return {r["iso_code"]: r for r in _read_csv("unhcr_countries.csv")
            if r["iso_code"].strip() and r["iso_code"] != "XXX"}  # XXX = "Unknown"


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """ISO3 codes of countries and territories (UNHCR list plus WGI economies such as Kosovo, Taiwan).

    Used to drop World Bank aggregates (WLD, SSF, ...) from the homicide file and to check uploads.
    """
    codes = set(unhcr_countries())
    codes.update(iso3(code) for code, in _read_columns("wgi_2024_update_1996_2023.csv", ["code"]))
    return frozenset(codes)


def country_regions(level: str) -> dict[str, str]:
    """ISO3 → region name for ``level`` in unhcr_region, unsd_region, unsd_subregion."""
    return {c: r[level] for c, r in unhcr_countries().items() if r.get(level)}


def country_name(code: str) -> str:
    row = unhcr_countries().get(code)
    return row["name"] if row else code


# ----------------------------------------------------------------------------------------------------
# Built-in datasets
# ----------------------------------------------------------------------------------------------------

GOCI_MARKETS = ["Human trafficking", "Human smuggling", "Extortion and protection racketeering",
                "Arms trafficking", "Trade in counterfeit goods", "Illicit trade in excisable goods",
                "Flora crimes", "Fauna crimes", "Non-renewable resource crimes", "Heroin trade",
                "Cocaine trade", "Cannabis trade", "Synthetic drug trade", "Cyber-dependent crimes",
                "Financial crimes"]
GOCI_ACTORS = ["Mafia-style groups", "Criminal networks", "State-embedded actors", "Foreign actors",
               "Private sector actors"]
GOCI_RESILIENCE = ["Political leadership and governance", "Government transparency and accountability",
                   "International cooperation", "National policies and laws", "Judicial system and detention",
                   "Law enforcement", "Territorial integrity", "Anti-money laundering",
                   "Economic regulatory capacity", "Victim and witness support", "Prevention",
                   "Non-state actors"]
GOCI_PILLARS = ["Criminality", "Criminal markets", "Criminal actors", "Resilience"]


def _goci_columns(pillars: bool) -> dict[str, str]:
    cols = {c: "GOCI pillar average, 1-10 (published, rounded to 2 decimals)" for c in GOCI_PILLARS} if pillars else {}
    cols.update({c: "GOCI criminal market, 1-10, higher = more criminality" for c in GOCI_MARKETS})
    cols.update({c: "GOCI criminal actor, 1-10, higher = more criminality" for c in GOCI_ACTORS})
    cols.update({c: "GOCI resilience, 1-10, higher = more resilient" for c in GOCI_RESILIENCE})
    return cols


def _tables_from_rows(rows: list[dict[str, str]], code_key: str, year_key: str, columns: dict[str, str]
                      ) -> dict[str, ColumnTable]:
    """``columns`` maps our column name → header in the file."""
    cells: dict[str, dict[tuple[str, int], float]] = {c: {} for c in columns}
    for r in rows:
        key = (iso3(r[code_key]), int(r[year_key]))
        for col, header in columns.items():
            v = _num(r.get(header) or "")
            if not math.isnan(v):
                cells[col][key] = v
    return {c: ColumnTable.from_cells(v) for c, v in cells.items()}


@lru_cache(maxsize=1)
def _load_goci() -> dict[str, ColumnTable]:
    return _tables_from_rows(_read_csv("goci_2021_2023.csv"), "iso3", "year",
                             {c: c for c in _goci_columns(True)})


@lru_cache(maxsize=1)
def _load_goci2025() -> dict[str, ColumnTable]:
    return _tables_from_rows(_read_csv("goci_2025_indicators.csv"), "iso3", "year",
                             {c: c for c in _goci_columns(False)})


@lru_cache(maxsize=1)
def _load_goci_editions() -> dict[str, ColumnTable]:
    """GOCI indicator scores of every edition (2021, 2023, 2025) in one table per column, so that a
    model can ask for "the latest edition up to year Y" and be evaluated as of an earlier year."""
    cells: dict[str, dict[tuple[str, int], float]] = {}
    for tables in (_load_goci(), _load_goci2025()):
        for column, table in tables.items():
            if column in GOCI_PILLARS:
                continue
            target = cells.setdefault(column, {})
            for i, country in enumerate(table.countries):
                for j, year in enumerate(table.years):
                    value = table.values[i, j]
                    if not math.isnan(value):
                        target[(country, year)] = float(value)
    return {column: ColumnTable.from_cells(values) for column, values in cells.items()}


FSI_COLUMNS = {"Total": "Total", "C1": "C1: Security Apparatus", "C2": "C2: Factionalized Elites",
               "C3": "C3: Group Grievance", "E1": "E1: Economy", "E2": "E2: Economic Inequality",
               "E3": "E3: Human Flight and Brain Drain", "P1": "P1: State Legitimacy",
               "P2": "P2: Public Services", "P3": "P3: Human Rights", "S1": "S1: Demographic Pressures",
               "S2": "S2: Refugees and IDPs", "X1": "X1: External Intervention"}


@lru_cache(maxsize=1)
def _load_fsi() -> dict[str, ColumnTable]:
    return _tables_from_rows(_read_csv("fsi_2006_2024.csv"), "iso3", "fsi_edition", FSI_COLUMNS)


WGI_INDICATORS = {"va": "Voice and accountability", "pv": "Political stability and absence of violence/terrorism",
                  "ge": "Government effectiveness", "rq": "Regulatory quality", "rl": "Rule of law",
                  "cc": "Control of corruption"}


@lru_cache(maxsize=1)
def _load_wgi() -> dict[str, ColumnTable]:
    cells: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    for code, year, indicator, est, pct in _read_columns(
            "wgi_2024_update_1996_2023.csv", ["code", "year", "indicator", "estimate", "pctrank"]):
        key = (iso3(code), int(year))
        if est:
            cells[indicator][key] = float(est)
        if pct:
            cells[indicator + "_pctrank"][key] = float(pct)
    return {c: ColumnTable.from_cells(v) for c, v in cells.items()}


@lru_cache(maxsize=1)
def _load_homicide() -> dict[str, ColumnTable]:
    known = known_countries()
    cells = {}
    for r in _read_csv("homicide_rate_wdi_unodc_who.csv"):
        code = iso3(r["iso3"])
        v = _num(r["rate_per_100k"])
        if code in known and not math.isnan(v):
            cells[(code, int(r["year"]))] = v
    return {"rate_per_100k": ColumnTable.from_cells(cells)}


@lru_cache(maxsize=1)
def _asylum_flows() -> tuple[dict[tuple[str, str, int], float], tuple[int, ...]]:
    """New asylum applications (app_type N, first instance, persons) by (origin, asylum country, year).

    Only this combination is summed: summing across app_type/dec_level would double count.
    """
    flows: dict[tuple[str, str, int], float] = defaultdict(float)
    years = set()
    rows = _read_columns("unhcr_asylum_applications_2000_2025.csv.gz",
                         ["year", "coo_iso", "coa_iso", "app_type", "dec_level", "app_pc", "applied"])
    for year, coo, coa, app_type, dec_level, app_pc, applied in rows:
        years.add(year)
        if app_type == "N" and dec_level == "FI" and app_pc == "P" and applied:
            flows[(iso3(coo), iso3(coa), int(year))] += float(applied)
    years = {int(y) for y in years}
    return dict(flows), tuple(sorted(years))


@lru_cache(maxsize=1)
def _population_flows() -> tuple[dict[str, dict[tuple[str, str, int], float]], tuple[int, ...]]:
    stocks: dict[str, dict[tuple[str, str, int], float]] = {k: defaultdict(float) for k in
                                                             ("refugees", "asylum_seekers", "idps")}
    years = set()
    refugees, asylum_seekers, idps = stocks["refugees"], stocks["asylum_seekers"], stocks["idps"]
    rows = _read_columns("unhcr_population_1951_2025.csv.gz",
                         ["year", "coo_iso", "coa_iso", "refugees", "asylum_seekers", "idps"])
    for year, coo, coa, ref, asy, idp in rows:
        years.add(year)
        if not (ref or asy or idp) or (ref in ("0", "0.0") and asy in ("0", "0.0") and idp in ("0", "0.0")):
            continue
        key = (iso3(coo), iso3(coa), int(year))
        if ref:
            refugees[key] += float(ref)
        if asy:
            asylum_seekers[key] += float(asy)
        if idp:
            idps[key] += float(idp)
    years = {int(y) for y in years}
    return {k: dict(v) for k, v in stocks.items()}, tuple(sorted(years))


def _zero_filled(sums: dict[tuple[str, int], float], years: tuple[int, ...]) -> ColumnTable:
    """UNHCR counts absent from the files are zero (no applications), not missing."""
    countries = tuple(sorted(unhcr_countries()))
    ci = {c: i for i, c in enumerate(countries)}
    yi = {y: j for j, y in enumerate(years)}
    values = np.zeros((len(countries), len(years)))
    for (c, y), v in sums.items():
        if c in ci:
            values[ci[c], yi[y]] += v
    return ColumnTable(countries, years, values)


def _check_home(home: str | None, column: str) -> str:
    if not home:
        raise LookupError(Text(gettext_noop("column %(column)s needs a home country (set home_country in the model "
                                            "file or pass home_country=...)"), column=repr(column)))
    return home


@lru_cache(maxsize=16)
def _load_unhcr_asylum(home: str | None) -> dict[str, ColumnTable]:
    flows, years = _asylum_flows()
    worldwide: dict[tuple[str, int], float] = defaultdict(float)
    in_home: dict[tuple[str, int], float] = defaultdict(float)
    for (coo, coa, year), v in flows.items():
        worldwide[(coo, year)] += v
        if coa == home:
            in_home[(coo, year)] += v
    tables = {"new_applications_worldwide": _zero_filled(worldwide, years)}
    if home:
        tables["new_applications_in_home"] = _zero_filled(in_home, years)
    return tables


@lru_cache(maxsize=16)
def _load_unhcr_population(home: str | None) -> dict[str, ColumnTable]:
    stocks, years = _population_flows()
    sums: dict[str, dict[tuple[str, int], float]] = defaultdict(lambda: defaultdict(float))
    for (coo, coa, year), v in stocks["refugees"].items():
        sums["refugees_worldwide"][(coo, year)] += v
        sums["refugees_hosted"][(coa, year)] += v
        if coa == home:
            sums["refugees_in_home"][(coo, year)] += v
    for (coo, coa, year), v in stocks["asylum_seekers"].items():
        sums["asylum_seekers_worldwide"][(coo, year)] += v
        if coa == home:
            sums["asylum_seekers_in_home"][(coo, year)] += v
    for (coo, _coa, year), v in stocks["idps"].items():
        sums["idps"][(coo, year)] += v
    names = ["refugees_worldwide", "refugees_hosted", "asylum_seekers_worldwide", "idps"]
    if home:
        names += ["refugees_in_home", "asylum_seekers_in_home"]
    return {n: _zero_filled(sums[n], years) for n in names}


BUILTIN_DATASETS: dict[str, DatasetSpec] = {
    "goci": DatasetSpec(
        "goci", "Global Organized Crime Index 2021 and 2023", "GI-TOC, ocindex.net (years 2021, 2023)",
        _goci_columns(True), lambda home: _load_goci()),
    "goci_editions": DatasetSpec(
        "goci_editions", "Global Organized Crime Index, indicators of every edition",
        "GI-TOC, ocindex.net (2021, 2023) and via druggle (2025)",
        _goci_columns(False), lambda home: _load_goci_editions()),
    "goci2025": DatasetSpec(
        "goci2025", "Global Organized Crime Index 2025 (indicators only)", "GI-TOC via druggle (year 2025)",
        _goci_columns(False), lambda home: _load_goci2025()),
    "fsi": DatasetSpec(
        "fsi", "Fragile States Index", "Fund for Peace, editions 2006-2024 (year = edition)",
        {"Total": "FSI total, 0-120, higher = more fragile"}
        | {k: f"{v}, 0-10, higher = more pressure" for k, v in FSI_COLUMNS.items() if k != "Total"},
        lambda home: _load_fsi()),
    "wgi": DatasetSpec(
        "wgi", "Worldwide Governance Indicators", "World Bank, 2024 update, 1996-2023",
        {k: f"{v}, estimate about -2.5..2.5, higher = better governance" for k, v in WGI_INDICATORS.items()}
        | {f"{k}_pctrank": f"{v}, percentile rank 0-100, higher = better" for k, v in WGI_INDICATORS.items()},
        lambda home: _load_wgi()),
    "homicide": DatasetSpec(
        "homicide", "Intentional homicides per 100,000", "UNODC/WHO via World Bank WDI, 1990-2023",
        {"rate_per_100k": "Intentional homicides per 100,000 people"}, lambda home: _load_homicide()),
    "unhcr_asylum": DatasetSpec(
        "unhcr_asylum", "UNHCR asylum applications by origin", "UNHCR refugees package 2025.12.1, 2000-2025",
        {"new_applications_in_home": "New asylum applications (persons, first instance) lodged in the home "
                                     "country by nationals of the country",
         "new_applications_worldwide": "New asylum applications lodged anywhere by nationals of the country"},
        _load_unhcr_asylum, frozenset({"new_applications_in_home"})),
    "unhcr_population": DatasetSpec(
        "unhcr_population", "UNHCR forcibly displaced populations", "UNHCR refugees package 2025.12.1, 1951-2025",
        {"refugees_in_home": "Refugees from the country hosted in the home country",
         "asylum_seekers_in_home": "Asylum seekers from the country in the home country",
         "refugees_worldwide": "Refugees originating from the country, all host countries",
         "asylum_seekers_worldwide": "Asylum seekers originating from the country, all host countries",
         "refugees_hosted": "Refugees hosted by the country",
         "idps": "Internally displaced persons in the country"},
        _load_unhcr_population, frozenset({"refugees_in_home", "asylum_seekers_in_home"})),
}


# ----------------------------------------------------------------------------------------------------
# The library a model is computed against
# ----------------------------------------------------------------------------------------------------

class IndicatorLibrary:
    """The datasets a model file may name: the built-in ones plus user datasets added to this instance.

    Create one per computation (cheap: built-in files are cached process-wide).
    """

    def __init__(self) -> None:
        self._user: dict[str, tuple[str, dict[str, ColumnTable]]] = {}

    def dataset_names(self) -> list[str]:
        return sorted(BUILTIN_DATASETS) + sorted(self._user)

    def columns(self, dataset: str) -> list[str] | None:
        """Column names of ``dataset``, or None when there is no such dataset."""
        if dataset in BUILTIN_DATASETS:
            return list(BUILTIN_DATASETS[dataset].columns)
        if dataset in self._user:
            return list(self._user[dataset][1])
        return None

    def describe(self) -> list[dict]:
        """Name, label, source and columns (name → description) of every dataset, for UI pickers."""
        out = [{"name": s.name, "label": s.label, "source": s.source, "columns": dict(s.columns),
                "home_dependent": sorted(s.home_dependent)} for s in BUILTIN_DATASETS.values()]
        out += [{"name": n, "label": label, "source": "user upload", "columns": {c: "" for c in cols},
                 "home_dependent": []} for n, (label, cols) in self._user.items()]
        return out

    def add_user_dataset(self, name: str, rows: list[UserRow], column: str = "value", label: str = "") -> None:
        """Register rows (from :func:`userdata.parse_user_rows`) as column ``column`` of dataset ``name``."""
        self.add_table(name, column, ColumnTable.from_cells({(r.iso3, r.year): r.value for r in rows}), label)

    def add_table(self, name: str, column: str, table: ColumnTable, label: str = "") -> None:
        if name in BUILTIN_DATASETS:
            raise ValueError(f"{name!r} is a built-in dataset name")
        entry = self._user.setdefault(name, (label or name, {}))
        entry[1][column] = table

    def table(self, dataset: str, column: str, home_country: str | None) -> ColumnTable:
        """The country × year table of one column (raises LookupError with a readable reason)."""
        if dataset in self._user:
            return self._user[dataset][1][column]
        spec = BUILTIN_DATASETS[dataset]
        if column in spec.home_dependent:
            _check_home(home_country, column)
        return spec.load(home_country)[column]
