"""Prefixes on SQLite (reports.search): a word is searched as the index's terms it begins, looked up
in the table of terms (derived data), with the engine's prefix query where that table cannot
answer; the table's check and rebuild."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.reports import ingest, search
from dividend.reports.models import FieldReport, ReportSearchTerm

from .test_reports import fields, file

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "sqlite", reason="the table of terms serves FTS5 only")]

WORDS = ["checkpoint", "checkpoints", "checked", "patrol", "patrols", "patrolling", "Zégoua", "convoy", "c4"]


def stored(terms):
    return set(ReportSearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))


def matches(expression, user):
    visible = FieldReport.objects.visible_to(user).order_by()
    return [pk for pk, _score in search._candidates_sqlite(expression, visible, 1000)]


def test_filing_adds_the_reports_terms_to_the_table(world):
    file(world, "k-term-001", title="Checkpoints near Zégoua", body="A patrol, a CONVOY_7 and c4.")
    assert stored(["checkpoints", "near", "zegoua", "zégoua", "a", "patrol", "convoy", "7", "c4"]) == {
        "checkpoints", "near", "zegoua", "zégoua", "a", "patrol", "convoy", "7", "c4"}


def test_a_word_with_a_combining_mark_is_one_term_as_fts5_reads_it(world):
    report = file(world, "k-term-011", title="H\u0331olon", body="Quiet.")  # H, COMBINING MACRON BELOW
    assert stored(["holon"]) == {"holon"}
    assert [h.report.pk for h in search.search_reports(user=world["users"]["analyst"], text="holo").hits] == [report.pk]
    assert search.missing_terms() == []


def test_the_bulk_ingest_adds_the_terms_too(world):
    ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"],
                              drafts=[{"draft_key": "k-term-b01", **fields(world, title="Roadblock", body="Gendarmes.")}])
    assert stored(["roadblock", "gendarmes"]) == {"roadblock", "gendarmes"}


def test_a_prefix_is_searched_as_the_terms_it_begins(world):
    first = file(world, "k-term-002", title="Checkpoint", body="Quiet.")
    second = file(world, "k-term-003", title="Checkpoints", body="Quiet.")
    file(world, "k-term-004", title="Checked", body="Quiet.")
    assert search._match_expression(["checkp", "quiet"]) == '("checkpoint" OR "checkpoints") AND "quiet"'
    page = search.search_reports(user=world["users"]["analyst"], text="checkp")
    assert sorted(h.report.pk for h in page.hits) == [first.pk, second.pk]


def test_beyond_the_most_terms_the_engines_prefix_query_is_used(world, monkeypatch):
    monkeypatch.setattr(search, "MAX_EXPANSIONS", 1)
    first = file(world, "k-term-005", title="Checkpoint", body="Quiet.")
    second = file(world, "k-term-006", title="Checkpoints", body="Quiet.")
    assert search._match_expression(["checkp"]) == '"checkp"*'
    page = search.search_reports(user=world["users"]["analyst"], text="checkp")
    assert sorted(h.report.pk for h in page.hits) == [first.pk, second.pk]


def test_a_word_of_other_letters_is_the_engines_prefix_query(world):
    report = file(world, "k-term-007", title="Zégoua", body="Quiet.")
    assert search._match_expression(["zégou"]) == '"zégou"*'
    assert [h.report.pk for h in search.search_reports(user=world["users"]["analyst"], text="Zégou").hits] == [report.pk]


def test_a_word_no_term_begins_is_the_engines_prefix_query_and_finds_a_report_the_table_lacks(world):
    report = file(world, "k-term-008", title="Roadblock", body="Quiet.")
    ReportSearchTerm.objects.filter(term="roadblock").delete()
    assert search._match_expression(["roadbl"]) == '"roadbl"*'
    assert [h.report.pk for h in search.search_reports(user=world["users"]["analyst"], text="roadbl").hits] == [report.pk]


@pytest.fixture
def corpus(world):
    for i, word in enumerate(WORDS):
        file(world, f"k-term-c{i:02}", title=f"{word} report", body=f"{WORDS[(i + 3) % len(WORDS)]} seen.")
    return world


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(WORDS + ["report", "seen"]), cut=st.integers(min_value=1, max_value=12))
def test_the_terms_find_the_same_reports_as_the_engines_prefix_query(corpus, word, cut):
    prefix = search.terms(word[:cut])[0]
    analyst = corpus["users"]["analyst"]
    assert matches(search._match_expression([prefix]), analyst) == matches(f'"{prefix}"*', analyst)


def test_the_check_finds_a_term_missing_from_the_table_and_the_rebuild_mends_it(world):
    file(world, "k-term-009", title="Roadblock", body="Quiet.")
    ReportSearchTerm.objects.filter(term="roadblock").delete()
    with pytest.raises(CommandError) as error:
        call_command("reports_search_index", "--check")
    assert error.value.returncode == 1
    assert str(error.value) == ("terms of the index missing from the table of terms (a prefix search would not find "
                                "their reports): roadblock. Run reports_search_index --rebuild.")
    call_command("reports_search_index", "--rebuild")
    call_command("reports_search_index", "--check")
    assert stored(["roadblock"]) == {"roadblock"}


def test_filling_from_the_index_takes_the_word_columns_terms_only(world):
    file(world, "k-term-010", title="Roadblock near Sévaré", body="Quiet.")
    before = set(ReportSearchTerm.objects.values_list("term", flat=True))
    ReportSearchTerm.objects.all().delete()
    count = search.fill_terms_from_index()
    after = set(ReportSearchTerm.objects.values_list("term", flat=True))
    # The index holds FTS5's forms only: "sevare", not also "sévaré"; no facet token ("xm1").
    assert (after, before - after, count) == (before - {"sévaré"}, {"sévaré"}, len(before) - 1)
