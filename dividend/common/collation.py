"""Sorting names by the rules of the user's language, on both engines.

PostgreSQL has ICU collations ("und-x-icu", "sv-x-icu"...). SQLite has none, so each connection
gets Python collations with the same rules (`register_sqlite_collations`, from CommonConfig.ready()):
the root order of the Unicode collation algorithm at its first two levels, where a letter with a
diacritic sorts with the base letter and only breaks ties (German, English, French, Dutch, Italian:
"Böhm" before "Braun", "Élise" with "Elise"), and the tailorings of the languages whose alphabets
put such letters elsewhere (Swedish and Finnish: å ä ö after z; Czech: č ř š ž after their base
letters, "ch" after "h"). Case only breaks ties too.
"""

import functools
import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django.utils import translation

ROOT = "root"
# Languages whose order differs from the root order, and each one's ICU collation on PostgreSQL.
TAILORED = {"sv": "sv-x-icu", "fi": "fi-x-icu", "cs": "cs-x-icu"}
POSTGRESQL = {ROOT: "und-x-icu", **TAILORED}
SQLITE_PREFIX = "dividend_"

# After "z" in a folded key ("{" follows "z" in code point order), in the alphabet's order; and
# Swedish and Finnish sort ü with y.
_AFTER_Z = {
    "sv": {"å": "{a", "ä": "{b", "æ": "{b", "ö": "{c", "ø": "{c", "ü": "y"},
    "fi": {"å": "{a", "ä": "{b", "æ": "{b", "ö": "{c", "ø": "{c", "ü": "y"},
    "cs": {"č": "c{", "ř": "r{", "š": "s{", "ž": "z{"},
}


# Letters with a stroke that Unicode does not decompose but the root order sorts with their base letter.
_BASE_LETTER = {"ø": "o"}


def rules_for(language: str | None) -> str:
    """The collation rules ("root", "sv", ...) of a language code such as "de" or "sv-se"."""
    base = (language or "").split("-")[0].split("_")[0].lower()
    return base if base in TAILORED else ROOT


@functools.lru_cache(maxsize=100_000)
def sort_key(text: str, rules: str = ROOT) -> tuple[str, str, str]:
    """(letters, letters with diacritics, text with lower case first): compared in that order."""
    lower = text.casefold()
    tailoring = _AFTER_Z.get(rules, {})
    if rules == "cs":
        lower = lower.replace("ch", "h{")
    primary = []
    for char in unicodedata.normalize("NFC", lower):
        if char in tailoring:
            primary.append(tailoring[char])
            continue
        decomposed = unicodedata.normalize("NFKD", _BASE_LETTER.get(char, char))
        primary.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(primary), unicodedata.normalize("NFKD", lower), text.swapcase()


def _compare(rules):
    def compare(a: str, b: str) -> int:
        key_a, key_b = sort_key(a, rules), sort_key(b, rules)
        return (key_a > key_b) - (key_a < key_b)
    return compare


def register_sqlite_collations(dbapi_connection) -> None:
    """Give a sqlite3 connection the collations `dividend_root`, `dividend_sv`, ... (a table index
    sorted by one needs it for every write and for the integrity check)."""
    for rules in (ROOT, *TAILORED):
        dbapi_connection.create_collation(f"{SQLITE_PREFIX}{rules}", _compare(rules))


def on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        register_sqlite_collations(connection.connection)


def collation_name(language: str | None = None, vendor: str | None = None) -> str:
    """The engine's collation for the language (default: the active one)."""
    rules = rules_for(language if language is not None else translation.get_language())
    if (vendor or connection.vendor) == "postgresql":
        return POSTGRESQL[rules]
    return f"{SQLITE_PREFIX}{rules}"


def collated(field: str, *, descending: bool = False, language: str | None = None):
    """An ordering on a text field by the language's rules: `order_by(collated("last_name"))`."""
    expression = Collate(F(field), collation_name(language))
    return expression.desc() if descending else expression.asc()
