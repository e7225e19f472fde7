"""The TF-IDF part of the near-duplicate confirmation (reports.duplicates, step 6): word counts kept
with the indexed reports, the cosine, and pairs alike only in stock sentences left unsuggested."""

import importlib
import math
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.reports import duplicates
from dividend.reports.models import DuplicateFingerprint, DuplicateWordCount

from .test_duplicates import BODY, EDITED, UNRELATED, beta_report, ids
from .test_reports import file

pytestmark = pytest.mark.django_db

STOCK = ("The security situation in the region remained calm during the week and the roads stayed open to "
         "traffic while the mission continued its routine patrols and meetings with local authorities as "
         "planned for the month")


@pytest.fixture
def pair(world):
    """A report and its author's re-edit ("two new illegal checkpoints", "seven hours")."""
    return (file(world, key="draft-w-orig", title="Checkpoints on the Gao road", body=BODY),
            file(world, key="draft-w-copy", title="Checkpoints on the Gao road", body=EDITED))


def count(word: str) -> int:
    key = duplicates.distinct_words(word).tolist()[0]
    return DuplicateWordCount.objects.filter(word=key).values_list("reports", flat=True).first() or 0


def reports_counted() -> int:
    return DuplicateWordCount.objects.get(word=duplicates.REPORTS_KEY).reports


def check_passes() -> bool:
    out = StringIO()
    call_command("reports_duplicates", "--check", stdout=out)
    return out.getvalue() == "Near-duplicate rows are up to date.\n"


def test_the_counts_say_in_how_many_reports_each_word_is(world, pair):
    assert (reports_counted(), count("checkpoints"), count("illegal"), count("examination")) == (2, 2, 1, 0)


def test_a_changed_text_moves_its_words_in_the_counts(world, pair):
    copy = pair[1]
    copy.body = UNRELATED
    copy.save()
    assert (reports_counted(), count("illegal"), count("examination")) == (2, 0, 1)
    assert not DuplicateWordCount.objects.filter(word=duplicates.distinct_words("illegal").tolist()[0]).exists()
    assert check_passes()


def test_a_deleted_report_takes_its_words_out_of_the_counts(world, pair):
    pair[1].delete()
    assert (reports_counted(), count("checkpoints"), count("illegal")) == (1, 1, 0)
    assert check_passes()


def reference_cosine(a: str, b: str, df: dict, n: int) -> float:
    def vector(text):
        tf = Counter(text.split())
        return {w: c * (math.log((n + 1) / (df.get(w, 0) + 1)) + 1) for w, c in tf.items()}

    va, vb = vector(a), vector(b)
    if not va and not vb:
        return 1.0
    dot = sum(v * vb.get(w, 0.0) for w, v in va.items())
    na, nb = math.sqrt(sum(v * v for v in va.values())), math.sqrt(sum(v * v for v in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


WORDS = ["gao", "patrol", "road", "checkpoint", "police", "market", "fee", "army", "week", "calm"]


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.sampled_from(WORDS), max_size=12), b=st.lists(st.sampled_from(WORDS), max_size=12),
       df=st.dictionaries(st.sampled_from(WORDS), st.integers(min_value=1, max_value=50)),
       extra=st.integers(min_value=0, max_value=50))
def test_the_cosine_is_the_tf_idf_cosine_of_the_words(a, b, df, extra):
    n = max(df.values(), default=0) + extra
    counts = {duplicates.distinct_words(w).tolist()[0]: c for w, c in df.items()}
    weights = duplicates.WordWeights(counts, n)
    assert weights.cosine(" ".join(a), " ".join(b)) == pytest.approx(reference_cosine(" ".join(a), " ".join(b), df, n),
                                                                      abs=1e-9)


def test_reports_alike_only_in_stock_sentences_are_not_suggested_but_twins_are(world, monkeypatch):
    for i in range(30):  # the stock sentence is in every report: its words weigh least
        beta_report(world, f"Weekly {i}", f"{STOCK}. Report number {i} of the series.")
    first = beta_report(world, "Week A", f"{STOCK}. Smugglers crossed at Tessalit with forty camels.")
    other = beta_report(world, "Week B", f"{STOCK}. Bandits robbed a bus near Labbezanga at dawn.")
    twin = beta_report(world, "Week A again", f"{STOCK}. Smugglers crossed at Tessalit with forty camels!")
    first_text, other_text = (duplicates.report_text(r.title, r.body) for r in (first, other))
    assert duplicates.similarity(first_text, other_text) >= duplicates.SIMILARITY_THRESHOLD
    analyst = world["users"]["national_analyst"]  # reads pool beta's reports
    assert ids(duplicates.suggestions(analyst, first)) == [twin.pk]
    # Without the cosine's condition the same reports would be suggested as a pair.
    monkeypatch.setattr(duplicates, "WEIGHTED_THRESHOLD", 0.0)
    duplicates.rebuild()
    assert other.pk in ids(duplicates.suggestions(analyst, first, limit=50))


def test_the_migration_fills_the_words_and_counts_of_reports_indexed_before(world, pair):
    expected = dict(DuplicateWordCount.objects.values_list("word", "reports"))
    DuplicateWordCount.objects.all().delete()
    DuplicateFingerprint.objects.update(words=b"")
    migration = importlib.import_module("dividend.reports.migrations.0012_duplicate_word_counts")
    migration.fill(apps, None)
    assert dict(DuplicateWordCount.objects.values_list("word", "reports")) == expected
    assert check_passes()


def test_the_check_finds_damaged_counts_and_the_rebuild_mends_them(world, pair):
    DuplicateWordCount.objects.filter(word=duplicates.REPORTS_KEY).update(reports=5)
    out = StringIO()
    with pytest.raises(Exception, match="word counts stale: run manage.py reports_duplicates --rebuild."):
        call_command("reports_duplicates", "--check", stdout=out)
    assert out.getvalue() == ("word counts: the counts of 0 word(s) differ from the fingerprints' words "
                              "(reports counted 5, indexed 2)\n")
    call_command("reports_duplicates", "--rebuild", stdout=StringIO())
    assert check_passes()


def test_a_damaged_word_list_is_named_by_the_check_and_mended_by_the_rebuild(world, pair):
    DuplicateFingerprint.objects.filter(report=pair[1]).update(words=b"\x01\x02\x03")
    out = StringIO()
    with pytest.raises(Exception, match="1 report"):
        call_command("reports_duplicates", "--check", stdout=out)
    assert out.getvalue().startswith(f"report {pair[1].pk}: words stale\n")
    call_command("reports_duplicates", "--rebuild", stdout=StringIO())
    assert check_passes()


def test_forgetting_a_damaged_word_list_still_forgets_the_report(world, pair):
    DuplicateFingerprint.objects.filter(report=pair[1]).update(words=b"\x01\x02\x03")
    duplicates.forget([pair[1].pk])
    assert (reports_counted(), DuplicateFingerprint.objects.filter(report=pair[1]).exists()) == (1, False)


def test_a_body_without_words_counts_the_report_and_no_word(world):
    beta_report(world, "...", "!!! ---")
    assert (reports_counted(), DuplicateWordCount.objects.count()) == (1, 1)

