"""Reference names in the reader's language.

The database, the files and the exchange formats keep each record's English name (and codes); the
interface shows it translated:

- skills, languages, qualification types, ranks and thematic areas: through the project's catalogues
  (`dividend/locale`). Their names are marked in `taxonomy.py`; the thematic areas' names come from
  a data file, which makemessages does not read, so `THEME_NAMES` below repeats them for it
  (`tests/test_reference_names.py` fails when the file and this list differ, and when a name lacks a
  translation in a shipped catalogue);
- countries: through the ISO 3166 catalogues that the installed `pycountry` package ships (kept up by
  the iso-codes project), keyed by the English names `load_reference_data` stores.

`sorted_by_name` orders (key, name) pairs by the translated name in the rules of the language
(common.collation), as the lists of names are sorted.
"""

import functools
import gettext as gettext_module

import pycountry
from django.utils.translation import get_language, gettext, gettext_noop

from dividend.common.collation import rules_for, sort_key

THEME_NAMES = [
    gettext_noop("Trafficking in human beings"),
    gettext_noop("Migrant smuggling and irregular migration"),
    gettext_noop("Terrorism and violent extremism"),
    gettext_noop("Drugs"),
    gettext_noop("Arms trafficking"),
    gettext_noop("Organised crime"),
    gettext_noop("Cybercrime"),
    gettext_noop("Financial crime"),
    gettext_noop("Environmental crime"),
    gettext_noop("Border management"),
    gettext_noop("Rule of law"),
    gettext_noop("Police reform"),
    gettext_noop("Security sector reform"),
    gettext_noop("Community policing"),
    gettext_noop("Maritime security"),
    gettext_noop("Civilian oversight"),
]

# The UN M49 regions and subregions of the country table (data/unhcr_countries.csv), for the same reason.
REGION_NAMES = [
    gettext_noop("Africa"), gettext_noop("Americas"), gettext_noop("Asia"), gettext_noop("Europe"),
    gettext_noop("Oceania"), gettext_noop("Australia and New Zealand"), gettext_noop("Central Asia"),
    gettext_noop("Eastern Asia"), gettext_noop("Eastern Europe"), gettext_noop("Latin America and the Caribbean"),
    gettext_noop("Melanesia"), gettext_noop("Micronesia"), gettext_noop("Northern Africa"),
    gettext_noop("Northern America"), gettext_noop("Northern Europe"), gettext_noop("Polynesia"),
    gettext_noop("South-eastern Asia"), gettext_noop("Southern Asia"), gettext_noop("Southern Europe"),
    gettext_noop("Sub-Saharan Africa"), gettext_noop("Western Asia"), gettext_noop("Western Europe"),
]


def name(english: str) -> str:
    """A skill's, language's, qualification type's, rank's, thematic area's or region's name in the
    current language."""
    return gettext(english) if english else english


@functools.lru_cache(maxsize=16)
def _iso3166(language: str):
    base = language.split("-")[0]
    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[base], fallback=True)


@functools.lru_cache(maxsize=4096)
def _country(english: str, language: str) -> str:
    # pycountry's catalogue is keyed by the ISO names; the common name (Bolivia, Iran...) where the
    # country has one is its own entry there too.
    return _iso3166(language).gettext(english)


def country_name(english: str) -> str:
    """A country's name (as stored: ISO 3166's common or short name, in English) in the current language."""
    language = get_language() or "en"
    if not english or language.startswith("en"):
        return english
    return _country(english, language)


# Codes that UNHCR/UNSD data use and pycountry lacks (load_reference_data stores them too).
EXTRA_COUNTRY_NAMES = {"XKX": "Kosovo"}


@functools.lru_cache(maxsize=512)
def _english_country(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return EXTRA_COUNTRY_NAMES.get(iso3, iso3)
    return getattr(country, "common_name", None) or country.name


def country_name_of(iso3: str) -> str:
    """The name of the country with ISO3 code `iso3` in the current language, without a query (the
    code itself when no country has it)."""
    return country_name(_english_country((iso3 or "").upper())) if iso3 else iso3


def sorted_by_name(pairs, *, translate=name):
    """(key, English name) pairs as (key, translated name), sorted by the translated name in the rules
    of the current language; a new list each time (callers add to it)."""
    return list(_sorted_by_name(tuple(pairs), translate, get_language()))


@functools.lru_cache(maxsize=64)
def _sorted_by_name(pairs: tuple, translate, language: str) -> tuple:
    # Once per list, language and way of translating: the roster search sorted its 250 countries with
    # the collation rules on every request (1.2 ms of its CPU, profiled 4 December).
    rules = rules_for(language)
    shown = [(key, translate(english)) for key, english in pairs]
    return tuple(sorted(shown, key=lambda pair: sort_key(str(pair[1]), rules)))
