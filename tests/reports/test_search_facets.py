"""Facets of the search text (reports.search.facets): tokens of a report's mission, themes,
countries and months, searched by SQLite's FTS5 together with the words; derived data with its
check, rebuild and migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.reference.models import Country, ThematicArea
from dividend.reports import search
from dividend.reports.models import FieldReport, ReportSearchText

from .test_reports import TODAY, file
from .test_search import file_as

pytestmark = pytest.mark.django_db


def test_a_reports_facets_name_its_author_mission_themes_countries_and_months(world):
    border = ThematicArea.objects.get(code="border_management")
    mali = Country.objects.get(iso3="MLI")
    report = file(world, "k-fac-001", themes=[border], countries=[mali], period_start=dt.date(2026, 11, 28),
                  period_end=dt.date(2027, 1, 3))
    facets = ReportSearchText.objects.get(report=report).facets
    assert facets == (f"xo{world['officer'].pk} xm{world['mission'].pk} xt{border.pk} xc{mali.pk} "
                      "xp202611 xp202612 xp202701")


def test_a_period_longer_than_two_years_is_one_token():
    assert search.facets(mission_id=3, period_start=dt.date(2024, 1, 1), period_end=dt.date(2026, 1, 1)) == "xm3 xplong"
    assert search.facets(period_start=dt.date(2024, 1, 31), period_end=dt.date(2025, 12, 1)).split()[-1] == "xp202512"


def test_a_word_never_matches_a_facet_token(world):
    file(world, "k-fac-002", title="Checkpoint", body="Quiet.")
    analyst = world["users"]["analyst"]
    assert (search.search_reports(user=analyst, text=f"xm{world['mission'].pk}").total,
            search.search_reports(user=analyst, text="xp").total) == (0, 0)


def test_a_report_of_the_same_months_outside_the_period_is_not_found(world):
    file(world, "k-fac-008", title="Checkpoint early", period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 3))
    file(world, "k-fac-009", title="Checkpoint late", period_start=dt.date(2026, 11, 25), period_end=dt.date(2026, 12, 2))
    page = search.search_reports(user=world["users"]["analyst"], text="checkpoint", filters=search.SearchFilters(
        period_from=dt.date(2026, 11, 10), period_to=dt.date(2026, 11, 20)))
    assert page.total == 0
    page = search.search_reports(user=world["users"]["analyst"], text="checkpoint", filters=search.SearchFilters(
        period_from=dt.date(2026, 11, 3), period_to=dt.date(2026, 11, 25)))
    assert sorted(h.report.title for h in page.hits) == ["Checkpoint early", "Checkpoint late"]


THEMES = ("border_management", "organised_crime", "trafficking_in_human_beings")


@pytest.fixture
def corpus(world):
    themes = {code: ThematicArea.objects.get(code=code) for code in THEMES}
    mali = Country.objects.get(iso3="MLI")
    for i in range(12):
        start = TODAY - dt.timedelta(days=45 * i)
        file(world, f"k-fac-c{i:02d}", title=f"Checkpoint {i}", body="Smuggling near the river.",
             themes=[themes[THEMES[i % 3]]] + ([themes[THEMES[(i + 1) % 3]]] if i % 4 == 0 else []),
             countries=[mali] if i % 2 else [], period_start=start,
             period_end=start + dt.timedelta(days=800 if i == 7 else 6 + 20 * (i % 3)))
    return themes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mission=st.sampled_from(["mission", "other", None]), codes=st.sets(st.sampled_from(THEMES), max_size=2),
       country=st.booleans(), start=st.one_of(st.none(), st.integers(-700, 10)),
       length=st.one_of(st.none(), st.integers(0, 1200)),
       who=st.sampled_from(["analyst", "national_analyst", "secondee", "analyst_beta"]))
def test_filters_find_exactly_the_matching_reports_that_pass_them(world, corpus, mission, codes, country, start, length,
                                                                   who):
    filters = search.SearchFilters(
        mission=world[mission].pk if mission else None, themes=[corpus[c].pk for c in sorted(codes)],
        countries=[Country.objects.get(iso3="MLI").pk] if country else [],
        period_from=TODAY + dt.timedelta(days=start) if start is not None else None,
        period_to=TODAY + dt.timedelta(days=(start or 0) + length) if length is not None else None)
    analyst = world["users"][who]
    page = search.search_reports(user=analyst, text="checkpoint smuggl", filters=filters, page_size=50)
    passing = set(filters.apply(FieldReport.objects.visible_to(analyst)).values_list("pk", flat=True))
    every_match = search.search_reports(user=world["users"]["national_analyst"], text="checkpoint smuggl", page_size=50)
    assert {h.report.pk for h in page.hits} == {h.report.pk for h in every_match.hits} & passing
    assert page.total == len(passing)


def test_the_officers_a_user_reads_by_are_those_whose_reports_visible_to_gives(world, berg):
    file(world, "k-fac-004")
    file_as(berg, world, "k-fac-005")
    reports = FieldReport.objects.all()
    for name in ("secondee", "analyst", "analyst_beta", "coordinator"):
        user = world["users"][name]
        authors = set(reports.authors_read_by(user).values_list("pk", flat=True))
        assert authors == set(reports.visible_to(user).values_list("officer_id", flat=True)), name
    assert reports.authors_read_by(world["users"]["national_analyst"]) is None


def test_a_pool_analyst_and_a_secondee_find_through_their_authors_tokens(world, berg):
    file(world, "k-fac-006", title="Checkpoint alpha")
    file_as(berg, world, "k-fac-007", title="Checkpoint beta")
    assert [titles for titles in (
        [h.report.title for h in search.search_reports(user=world["users"][name], text="checkpoint").hits]
        for name in ("analyst", "analyst_beta", "secondee"))] == [["Checkpoint alpha"], ["Checkpoint beta"],
                                                                 ["Checkpoint alpha"]]
    assert search.search_reports(user=berg["user"], text="checkpoint").total == 1


def test_the_check_finds_stale_facets_and_the_rebuild_mends_them(world):
    report = file(world, "k-fac-003")
    ReportSearchText.objects.filter(report=report).update(facets="xm999")
    with pytest.raises(CommandError) as error:
        call_command("reports_search_index", "--check")
    assert str(error.value) == (f"1 report(s) stale in the index: {report.pk}. Run reports_search_index --rebuild.")
    call_command("reports_search_index", "--rebuild")
    call_command("reports_search_index", "--check")
    assert search.search_reports(user=world["users"]["analyst"], text="checkpoints",
                                 filters=search.SearchFilters(mission=world["mission"].pk)).total == 1


def test_the_migration_gives_existing_reports_the_facets_the_search_computes(world, corpus):
    expected = {pk: parts[2] for pk, parts in search.collect_texts(FieldReport.objects.values_list("pk", flat=True)).items()}
    ReportSearchText.objects.update(facets="")
    migration = importlib.import_module("dividend.reports.migrations.0013_search_facets")
    migration.fill_facets(apps, None)
    assert dict(ReportSearchText.objects.values_list("report_id", "facets")) == expected
    call_command("reports_search_index", "--check")
