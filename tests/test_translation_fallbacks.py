"""common.translations.drop_empty_fallbacks (the production warm-up): shorter catalogue chains, the same answers."""

import pytest
from django.utils.translation import trans_real
from hypothesis import given
from hypothesis import strategies as st

from dividend.common.translations import drop_empty_fallbacks

LANGUAGES = ("en-gb", "de", "fr", "nl")


def _fresh(monkeypatch) -> dict:
    """Each language's catalogues loaded anew, as a process starts."""
    monkeypatch.setattr(trans_real, "_translations", {})
    return {code: trans_real.translation(code) for code in LANGUAGES}


def _length(translation) -> int:
    length = 0
    while translation is not None:
        length, translation = length + 1, getattr(translation, "_fallback", None)
    return length


def _answers(translations, messages) -> dict:
    return {code: [(t.gettext(m), t.ngettext(m, f"{m}s", 1), t.ngettext(m, f"{m}s", 2),
                    t.gettext(f"date range\x04{m}")) for m in messages] for code, t in translations.items()}


def _every_message(translations) -> list[str]:
    return sorted({key if isinstance(key, str) else key[0]
                   for t in translations.values() for key in t._catalog.keys()})


def test_the_english_catalogue_chain_loses_its_six_empty_links(monkeypatch):
    translations = _fresh(monkeypatch)
    assert [_length(t) for t in translations.values()] == [7, 8, 8, 8]
    assert drop_empty_fallbacks() == 6
    assert [_length(t) for t in translations.values()] == [1, 2, 2, 2]
    assert drop_empty_fallbacks() == 0


def test_every_message_of_every_catalogue_is_answered_as_before(monkeypatch):
    before = _fresh(monkeypatch)
    messages = _every_message(before) + ["Not a message of any catalogue", ""]
    expected = _answers(before, messages)
    after = _fresh(monkeypatch)
    drop_empty_fallbacks()
    assert _answers(after, messages) == expected
    assert len(messages) > 4000


@given(st.lists(st.text(max_size=40), min_size=1, max_size=20))
def test_any_text_is_answered_as_before(messages):
    with pytest.MonkeyPatch.context() as monkeypatch:
        before = _answers(_fresh(monkeypatch), messages)
        _fresh(monkeypatch)
        drop_empty_fallbacks()
        assert _answers({code: trans_real.translation(code) for code in LANGUAGES}, messages) == before
