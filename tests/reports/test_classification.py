"""Classified content is refused (issue 12, section 2): markings found through their disguises,
ordinary words left alone."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dividend.reports.classification import (
    ANY_CASE,
    CAPITALS,
    Finder,
    Marking,
    find_markings,
    fold,
    load_markings,
)

MARKINGS = load_markings()
TO_CYRILLIC = {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О", "P": "Р",
               "S": "Ѕ", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "s": "ѕ",
               "x": "х", "y": "у", "i": "і"}
TO_GREEK = {"A": "Α", "B": "Β", "E": "Ε", "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ", "N": "Ν", "O": "Ο", "P": "Ρ",
            "T": "Τ", "X": "Χ", "Y": "Υ", "Z": "Ζ", "o": "ο"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SEPARATORS = [" ", "  ", "-", ".", "/", "_", " - ", "\u2013", "\t"]


@pytest.mark.parametrize("text, found", [
    ("RESTREINT UE/EU RESTRICTED", ["RESTREINT UE", "EU RESTRICTED"]),
    ("Classification: restreint ue", ["RESTREINT UE"]),
    ("NATO CONFIDENTIAL – release to mission", ["NATO CONFIDENTIAL"]),
    ("COSMIC TOP SECRET", ["COSMIC TOP SECRET"]),
    ("Confidentiel Défense", ["CONFIDENTIEL DÉFENSE"]),
    ("CONFIDENTIEL DEFENSE", ["CONFIDENTIEL DÉFENSE"]),
    ("VS-NfD", ["VS-NfD"]),
    ("vs - nur für den Dienstgebrauch", ["VS-NUR FÜR DEN DIENSTGEBRAUCH"]),
    ("Stg. Geheim", ["STG. GEHEIM"]),
    ("erittäin salainen", ["ERITTÄIN SALAINEN"]),
    ("SECRET", ["SECRET"]),
    ("The annex is SECRET.", ["SECRET"]),
    ("S E C R E T", ["SECRET"]),
    ("S-E-C-R-E-T", ["SECRET"]),
    ("S\u200bE\u200cC\u200dRET", ["SECRET"]),
    ("ЅЕСRЕТ", ["SECRET"]),  # Cyrillic Ѕ, Е, С
    ("ΕU RΕSTRΙCΤΕD", ["EU RESTRICTED"]),  # Greek Ε, Ι, Τ
    ("ｓｅｃｒｅｔ ｕｅ", ["SECRET UE"]),  # full-width
    ("CONFIDENTIAL", ["CONFIDENTIAL"]),
    ("GEHEIM", ["GEHEIM"]),
])
def test_markings_are_found(text, found):
    assert find_markings(text) == found


@pytest.mark.parametrize("text", [
    "secretariat", "The secretariat of the mission met the EU Secretariat.", "the secret of good policing",
    "restricted area", "Access to the restricted area near the port.", "NATO Secretary General",
    "SECRETARIAT", "UNCLASSIFIED", "NATO UNCLASSIFIED", "confidential informant handling was discussed",
    "a secret ballot", "Restricted", "Geheimnis", "secretly", "the confidentiality of sources",
    "TLP:AMBER+STRICT", "", "Restreinte liberté de circulation",
])
def test_ordinary_words_are_not_markings(text):
    assert find_markings(text) == []


def disguise(draw, marking: Marking) -> str:
    letters = [ch for ch in marking.text.upper() if ch.isalnum()]
    out = []
    for index, ch in enumerate(letters):
        if marking.match == ANY_CASE and draw(st.booleans()):
            ch = ch.lower()
        table = draw(st.sampled_from([None, TO_CYRILLIC, TO_GREEK]))
        if table and ch in table:
            ch = table[ch]
        out.append(ch)
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
        if index < len(letters) - 1 and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


@st.composite
def disguised(draw):
    marking = draw(st.sampled_from(MARKINGS))
    before = draw(st.sampled_from(["", "Report. ", "Marking: ", "(", "Annex\n"]))
    after = draw(st.sampled_from(["", " annex", ".", ")", "\nText follows."]))
    return marking, before + disguise(draw, marking) + after


@settings(max_examples=400, deadline=None)
@given(disguised())
def test_every_disguised_marking_is_found(case):
    marking, text = case
    assert find_markings(text), (marking.text, text)


BENIGN_WORDS = ["the", "secret", "of", "good", "policing", "secretariat", "restricted", "area", "confidential",
                "meeting", "border", "mission", "patrol", "secretary", "general", "report", "confidentiality",
                "geheimnis", "hemligt", "restrictions", "top", "classification", "unclassified"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BENIGN_WORDS), min_size=1, max_size=12))
def test_sentences_of_ordinary_words_in_ordinary_case_pass(words):
    sentence = " ".join(words).capitalize()
    # "top secret" is a marking in any case: two words that together are one.
    if "top secret" in sentence.lower():
        return
    assert find_markings(sentence) == []


@given(st.text(max_size=60))
@example("Ή")  # an accented look-alike: Greek capital eta with tonos
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_an_accented_look_alike_is_read_as_its_latin_letter():
    assert fold("ΉΈ") == "HE"
    assert find_markings("marked SΈCRΈT by the host") == ["SECRET"]


def test_a_marking_without_letters_or_with_an_unknown_match_is_refused():
    with pytest.raises(ValueError):
        Finder([Marking("--", ANY_CASE)])
    with pytest.raises(ValueError):
        Finder([Marking("SECRET", "sometimes")])


def test_a_configured_list_replaces_the_shipped_one():
    finder = Finder([Marking("HUSH", CAPITALS)])
    assert (find_markings("HUSH HUSH", finder), find_markings("SECRET", finder)) == (["HUSH"], [])


@st.composite
def texts_near_markings(draw):
    """Text made of markings' pieces, disguised or not, separators, look-alikes and other letters:
    where a prefilter that skipped a real marking would show."""
    parts = draw(st.lists(st.one_of(
        disguised().map(lambda case: case[1]),
        st.sampled_from([m.text for m in MARKINGS] + [m.text.lower() for m in MARKINGS]).map(
            lambda t: t[:draw(st.integers(1, len(t)))]),
        st.sampled_from(SEPARATORS + INVISIBLE + ["ſ", "ı", "İ", "K", "ß", "é", "Ё", "x"]),
        st.text(max_size=8)), max_size=8))
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(texts_near_markings())
@example("S ſ E C R E T")
@example("seKret SECRET")
def test_the_prefilter_never_hides_a_marking_the_pattern_finds(text):
    finder = Finder(MARKINGS)
    folded = fold(text)
    assert finder.find(text) == finder.scan(folded)
    if finder.scan(folded):
        assert finder.may_contain(folded)
