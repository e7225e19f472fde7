"""Classified content is refused at intake (issue 12, section 2): the finder of classification markings.

Dividend holds open-source, unclassified information only. A report whose text carries a
classification marking (RESTREINT UE/EU RESTRICTED and above, NATO markings, national equivalents)
is refused before anything of it is stored. Plain Python, no Django: the reports app's forms call
:func:`find_markings` on every text they accept, with the configured list of markings.

The check must hold against the ways a marking is disguised, and must not refuse ordinary words:

- **Disguises.** Text is read after Unicode compatibility folding (NFKC: full-width letters,
  ligatures), with invisible format characters removed (zero-width spaces and joiners, soft
  hyphens, bidi controls), with Cyrillic and Greek letters that look like Latin ones read as those
  (``ЅЕСRЕТ``), and with accents ignored (``CONFIDENTIEL DÉFENSE`` = ``DEFENSE``). Between the
  letters of a marking any run of spaces, hyphens, dots, slashes or underscores may stand
  (``S E C R E T``, ``EU-RESTRICTED``, ``R.E.S.T.R.E.I.N.T  U.E.``).
- **Ordinary words.** A marking must stand as whole words: ``secretariat`` or ``NATO Secretary
  General`` contain no marking. Markings made of one common word (``SECRET``, ``CONFIDENTIAL``,
  ``RESTRICTED``, ``GEHEIM``…) count only when written in capitals, as markings are; ``the secret
  of good policing`` and ``restricted area`` pass. Markings of several words or with an
  organisation (``EU SECRET``, ``NATO RESTRICTED``, ``SECRET DÉFENSE``) count in any case.

The list is data (``dividend/data/reports/classification_markings.json``, replaceable through the
``DIVIDEND_CLASSIFICATION_MARKINGS`` setting): each entry a marking and whether it counts in
``any_case`` or only in ``capitals``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "reports" / "classification_markings.json"

# Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables for these scripts, the
# letters a marking can be spelt with), upper and lower case kept apart: case matters below.
LOOK_ALIKES = str.maketrans({
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Ӏ": "I", "Ԁ": "D",
    "Ɡ": "G", "Ц": "U",
    # Cyrillic small letters
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "ѕ": "s", "і": "i", "ј": "j",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ԁ": "d", "ɡ": "g", "к": "k", "м": "m", "т": "t", "н": "h", "в": "b",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small letters
    "ο": "o", "ι": "i", "ν": "v", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "α": "a", "ε": "e",
})
# What may stand between the letters of a marking.
SEPARATOR = r"[\s\-‐‑‒–—.·•/\\_:*]"
SEPARATORS = SEPARATOR + "*"
ANY_CASE, CAPITALS = "any_case", "capitals"


@dataclass(frozen=True)
class Marking:
    text: str  # as shown in the refusal, e.g. "RESTREINT UE"
    match: str  # ANY_CASE or CAPITALS


@dataclass(frozen=True)
class Found:
    marking: str
    start: int  # offsets in the folded text, not the original: for tests and a highlight
    end: int


def fold(text: str) -> str:
    """The text as the finder reads it: compatibility-folded, invisible characters removed,
    look-alike letters read as Latin, accents dropped; case is kept."""
    if text.isascii():  # nothing to fold: every step leaves ASCII as it is
        return text
    text = unicodedata.normalize("NFKC", text)
    text = _without(text, "Cf")  # zero-width, soft hyphen, bidi
    decomposed = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize("NFC", _without(decomposed, "Mn"))
    # Look-alikes last: an accented one (Greek Ή) is a look-alike only once its accent is gone.
    return text.translate(LOOK_ALIKES)


NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without(text: str, category: str) -> str:
    """The text without the characters of a Unicode general category (Cf, Mn: none is ASCII), each
    non-ASCII character tested once (far faster than testing every character in Python)."""
    return NON_ASCII.sub(lambda m: "" if unicodedata.category(m.group()) == category else m.group(), text)


def _skeleton(marking: str) -> str:
    """The marking's letters and digits, folded and upper-case: what the pattern spells."""
    return "".join(ch for ch in fold(marking).upper() if ch.isalnum())


class Finder:
    """Compiled once per list of markings; :meth:`find` returns each marking found, in order."""

    def __init__(self, markings: list[Marking]):
        self.markings = markings
        patterns = []
        for index, marking in enumerate(markings):
            letters = _skeleton(marking.text)
            if not letters:
                raise ValueError(f"marking {marking.text!r} has no letters")
            if marking.match not in (ANY_CASE, CAPITALS):
                raise ValueError(f"marking {marking.text!r}: match must be {ANY_CASE!r} or {CAPITALS!r}")
            body = SEPARATORS.join(re.escape(ch) for ch in letters)
            # Whole words: no letter or digit right after (nor right before: see below).
            patterns.append(f"(?P<m{index}>{body}(?![^\\W_]))")
        # Longest markings first, so that "COSMIC TOP SECRET" is reported rather than "TOP SECRET".
        order = sorted(range(len(markings)), key=lambda i: -len(_skeleton(markings[i].text)))
        # The "no letter or digit right before" test once, before the alternatives, rather than in
        # each: the same matches, and inside a word the search moves on after one test (six times
        # faster on ordinary text; bench/reports.py files reports through this check).
        self.pattern = re.compile("(?<![^\\W_])(?:" + "|".join(patterns[i] for i in order) + ")", re.IGNORECASE)
        # The prefilter: a text in which the pattern matches contains, once every separator is
        # removed and the letters put in capitals, the skeleton of the marking matched, so of one of
        # these (the skeletons containing no shorter one: 18 of the 46 default markings). Twelve
        # times faster than the pattern on a report of 900 characters that carries no marking
        # (55 against 690 µs), which nearly every report is.
        skeletons = sorted({_skeleton(m.text) for m in markings}, key=len)
        self.needles = [s for i, s in enumerate(skeletons) if not any(t in s for t in skeletons[:i])]
        self.separator = re.compile(SEPARATOR)

    def may_contain(self, folded: str) -> bool:
        """False only if no marking can match in this folded text (the test before the pattern)."""
        squeezed = self.separator.sub("", folded).upper()
        return any(needle in squeezed for needle in self.needles)

    def find(self, text: str) -> list[Found]:
        if not text:
            return []
        folded = fold(text)
        if not self.may_contain(folded):
            return []
        return self.scan(folded)

    def scan(self, folded: str) -> list[Found]:
        """The markings in a folded text, by the pattern alone (`find` tests `may_contain` first)."""
        found = []
        for match in self.pattern.finditer(folded):
            index = int(match.lastgroup[1:])
            marking = self.markings[index]
            if marking.match == CAPITALS and any(ch.isalpha() and not ch.isupper() for ch in match.group()):
                continue  # a common word in ordinary case: "the secret of good policing"
            found.append(Found(marking.text, match.start(), match.end()))
        return found


def load_markings(path: Path | str | None = None) -> list[Marking]:
    data = json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    return [Marking(entry["marking"], entry["match"]) for entry in data["markings"]]


_default: Finder | None = None


def default_finder() -> Finder:
    global _default
    if _default is None:
        _default = Finder(load_markings())
    return _default


def find_markings(text: str, finder: Finder | None = None) -> list[str]:
    """The classification markings in `text` (each once, in order of appearance); [] if none."""
    seen = []
    for found in (finder or default_finder()).find(text):
        if found.marking not in seen:
            seen.append(found.marking)
    return seen
