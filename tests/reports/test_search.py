"""Search over field reports (issue 12 §9): ranking, safe highlighting, filters, access, the query
sanitiser, the derived index and its check command, the page and the API; and the bulk ingest path
(reports.ingest) that keeps the index as file_report does."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.reports import ingest, search
from dividend.reports.models import Audience, FieldReport, IntelligenceDebriefing, ReportSearchText
from dividend.secondments.models import Secondment

from ..factories import make_officer, make_position, make_secondment, make_user
from .test_reports import TODAY, fields, file, signed_in

pytestmark = pytest.mark.django_db


def find(user, text="", **filters):
    return search.search_reports(user=user, text=text, filters=search.SearchFilters(**filters))


def titles(page):
    return [h.report.title for h in page.hits]


@pytest.fixture
def berg(world):
    """A second secondee (pool beta) deployed to the same mission, who files their own reports."""
    beta = world["pools"][1]
    user = make_user(Role.SECONDEE, pools=[beta], username="berg")
    officer = make_officer(beta, user=user, last_name="Berg")
    make_secondment(officer, make_position(world["mission"]), status=Secondment.Status.DEPLOYED,
                    start=TODAY - dt.timedelta(days=30), end=TODAY + dt.timedelta(days=300))
    return {"user": user, "officer": officer}


def file_as(who, world, key, **overrides):
    from dividend.reports import services

    return services.file_report(actor=who["user"], officer=who["officer"], draft_key=key, **fields(world, **overrides))


# --- Ranking and highlighting --------------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(world):
    file(world, "k-body-01", title="Weekly round-up", body="A checkpoint opened near Gao.")
    file(world, "k-title-1", title="Checkpoint at the river", body="Quiet week near Gao.")
    page = find(world["users"]["analyst"], "checkpoint")
    assert titles(page) == ["Checkpoint at the river", "Weekly round-up"]


def test_more_occurrences_rank_higher(world):
    file(world, "k-once-01", title="Week one", body="Smuggling was seen once. The market was calm and busy.")
    file(world, "k-many-01", title="Week two", body="Smuggling again. Smuggling at night. Smuggling by boat.")
    assert titles(find(world["users"]["analyst"], "smuggling")) == ["Week two", "Week one"]


def test_every_word_must_match_as_a_prefix(world):
    file(world, "k-a-00001", title="Border", body="Checkpoints near Gao.", places="")
    file(world, "k-b-00001", title="Border", body="Checkpoints near Kidal.", places="")
    page = find(world["users"]["analyst"], "checkp gao")
    assert [h.report.body for h in page.hits] == ["Checkpoints near Gao."]


def test_matches_are_marked_and_the_text_around_them_escaped(world):
    file(world, "k-html-01", title="<b>Bold</b> checkpoint", body="The <script>alert(1)</script> checkpoint & more.")
    hit = find(world["users"]["analyst"], "checkpoint").hits[0]
    assert str(hit.title_html) == "&lt;b&gt;Bold&lt;/b&gt; <mark>checkpoint</mark>"
    # SQLite shows the tag escaped; PostgreSQL's ts_headline drops what its parser reads as a tag.
    assert "<mark>checkpoint</mark> &amp; more" in str(hit.snippet_html)
    assert "<script" not in str(hit.snippet_html)
    if connection.vendor == "sqlite":
        assert "The &lt;script&gt;alert(1)&lt;/script&gt; <mark>checkpoint</mark>" in str(hit.snippet_html)


def test_the_engines_markers_typed_by_a_user_are_not_taken_for_highlights(world):
    file(world, "k-mark-01", title="Title", body=f"Before {search.MARK_START}checkpoint{search.MARK_END} after.",
         places="")
    hit = find(world["users"]["analyst"], "before").hits[0]
    # (PostgreSQL's ts_headline leaves out the final full stop.)
    assert str(hit.snippet_html).rstrip(".") == "<mark>Before</mark> checkpoint after"


def test_diacritics_do_not_matter_on_sqlite(world):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's 'simple' configuration keeps accents (no unaccent extension)")
    file(world, "k-acc-001", title="Sévaré", body="Visit to Sévaré.")
    assert find(world["users"]["analyst"], "sevare").total == 1


def test_theme_and_country_names_are_found(world):
    report = file(world, "k-theme-1", title="Week", body="Nothing to add.",
                  themes=[ThematicArea.objects.get(code="border_management")])
    report.countries.set([world["mission"].host_countries.first()])
    search.refresh_reports([report.pk])
    assert find(world["users"]["analyst"], "border management").total == 1
    assert find(world["users"]["analyst"], "mali").total == 1


# --- The bounded count (issue 12 §10) ------------------------------------------------------------


def test_beyond_the_limit_the_newest_matches_are_counted_and_ranked_and_the_count_is_not_exact(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    file(world, "k-lim-001", title="Checkpoint in the title, filed first", body="Quiet.")
    for i in range(2, 6):
        file(world, f"k-lim-00{i}", title=f"Round-up {i}", body="A checkpoint" + " checkpoint" * (i == 4) + ".")
    page = find(world["users"]["analyst"], "checkpoint")
    # The oldest (its title match would rank first) is beyond the three newest matches.
    assert (titles(page), page.total, page.exact, page.num_pages) == (
        ["Round-up 4", "Round-up 5", "Round-up 3"], 3, False, 1)


def test_up_to_the_limit_the_count_is_exact(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    for i in range(3):
        file(world, f"k-exa-00{i}", title=f"Checkpoint {i}")
    page = find(world["users"]["analyst"], "checkpoint")
    assert (page.total, page.exact) == (3, True)


def test_the_bounded_count_counts_only_reports_the_user_may_read(world, berg, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    file(world, "k-acc-001", title="Alpha checkpoint one")
    file(world, "k-acc-002", title="Alpha checkpoint two")
    for i in range(3):  # newer, of pool beta: not the alpha analyst's, not even in the count
        file_as(berg, world, f"k-accb-00{i}", title=f"Beta checkpoint {i}")
    page = find(world["users"]["analyst"], "checkpoint")
    assert (sorted(titles(page)), page.total, page.exact) == (["Alpha checkpoint one", "Alpha checkpoint two"], 2, True)
    page = find(world["users"]["analyst"], "checkpoint", markings=["red"])
    assert (page.hits, page.total, page.exact) == ([], 0, True)


def test_the_filters_apply_before_the_limit(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    file(world, "k-flt-001", title="Red checkpoint", marking="red")
    for i in range(3):
        file(world, f"k-flt-10{i}", title=f"Green checkpoint {i}", marking="green")
    page = find(world["users"]["analyst"], "checkpoint", markings=["red"])
    assert (titles(page), page.total, page.exact) == (["Red checkpoint"], 1, True)


def test_pages_beyond_the_counted_matches_give_the_last_page(world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    for i in range(5):
        file(world, f"k-pgl-00{i}", title=f"Checkpoint {i}")
    page = search.search_reports(user=world["users"]["analyst"], text="checkpoint", number=7, page_size=2)
    assert (page.number, page.num_pages, len(page.hits), page.total, page.exact) == (2, 2, 1, 3, False)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's two ways of testing the visible reports")
def test_both_ways_of_testing_the_visible_reports_agree_on_sqlite(world, berg):
    for i in range(4):
        file(world, f"k-sq-00{i}", title=f"Checkpoint {i}", body="Quiet.", marking="red" if i % 2 else "green")
    file_as(berg, world, "k-sq-berg", title="Berg checkpoint", body="Quiet.")
    file(world, "k-sq-quiet", title="Quiet", body="Quiet.")
    expression = search._match_expression(["checkpoint"])
    for user, filters in ((world["users"]["analyst"], search.SearchFilters()),
                          (world["users"]["analyst"], search.SearchFilters(markings=["red"])),
                          (world["users"]["national_analyst"], search.SearchFilters(mission=world["mission"].pk))):
        visible = filters.apply(FieldReport.objects.visible_to(user)).order_by()
        listed = search._candidates_sqlite(expression, visible, 3, materialise=True)
        assert listed == search._candidates_sqlite(expression, visible, 3, materialise=False)
        assert [pk for pk, _score in listed] == list(
            visible.filter(title__icontains="checkpoint").order_by("-id").values_list("id", flat=True)[:3])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's two ways of collecting matches")
def test_both_ways_of_collecting_the_newest_matches_agree_on_postgresql(world, berg):
    for i in range(4):
        file(world, f"k-way-00{i}", title=f"Checkpoint {i}", body="Quiet.", marking="red" if i % 2 else "green")
    file_as(berg, world, "k-way-berg", title="Berg checkpoint", body="Quiet.")
    file(world, "k-way-quiet", title="Quiet", body="Quiet.")
    analyst = world["users"]["analyst"]
    for filters in (search.SearchFilters(), search.SearchFilters(markings=["red"])):
        visible = filters.apply(FieldReport.objects.visible_to(analyst)).order_by()
        expression = search._match_expression(["checkpoint"])
        walked = search._candidates_postgresql(expression, visible, 3, walk=True)
        assert walked == search._candidates_postgresql(expression, visible, 3, walk=False)
        assert [pk for pk, _score in walked] == list(
            visible.filter(title__icontains="checkpoint").order_by("-id").values_list("id", flat=True)[:3])


# --- Filters -------------------------------------------------------------------------------------


def test_filters_combine_with_the_words(world):
    border = ThematicArea.objects.get(code="border_management")
    file(world, "k-f-00001", title="Red checkpoint", marking="red", themes=[border])
    file(world, "k-f-00002", title="Green checkpoint", marking="green")
    file(world, "k-f-00003", title="Old checkpoint", period_start=TODAY - dt.timedelta(days=200),
               period_end=TODAY - dt.timedelta(days=190))
    analyst = world["users"]["analyst"]
    assert titles(find(analyst, "checkpoint", markings=["red"])) == ["Red checkpoint"]
    assert titles(find(analyst, "checkpoint", themes=[border.pk])) == ["Red checkpoint"]
    assert titles(find(analyst, "checkpoint", period_to=TODAY - dt.timedelta(days=100))) == ["Old checkpoint"]
    assert find(analyst, "checkpoint", mission=world["other"].pk).total == 0
    assert find(analyst, "checkpoint", mission=world["mission"].pk).total == 3
    assert sorted(titles(find(analyst, "checkpoint", place="timbuk", statuses=["new"], markings=["green"]))) == [
        "Green checkpoint", "Old checkpoint"]


def test_a_status_filter(world):
    from dividend.reports import services

    accepted = file(world, "k-s-00001", title="Checkpoint accepted")
    file(world, "k-s-00002", title="Checkpoint new")
    services.change_report_status(actor=world["users"]["analyst"], report=accepted, status="accepted")
    assert titles(find(world["users"]["analyst"], "checkpoint", statuses=["accepted"])) == ["Checkpoint accepted"]


def test_without_words_the_filtered_reports_come_newest_first(world):
    file(world, "k-n-00001", title="First")
    file(world, "k-n-00002", title="Second")
    page = find(world["users"]["analyst"], "", markings=["green"])
    assert (titles(page), page.total) == (["Second", "First"], 2)


# --- Access --------------------------------------------------------------------------------------


def test_a_secondee_finds_only_their_own_reports_and_counts_only_those(world, berg):
    file(world, "k-own-001", title="Aalto checkpoint")
    file_as(berg, world, "k-berg-01", title="Berg checkpoint")
    page = find(world["users"]["secondee"], "checkpoint")
    assert (titles(page), page.total) == (["Aalto checkpoint"], 1)


def test_an_analyst_of_another_pool_finds_nothing_of_this_pool_not_even_a_count(world):
    file(world, "k-red-001", title="Checkpoint", marking="red", body="Checkpoint seen.")
    page = find(world["users"]["analyst_beta"], "checkpoint")
    assert (page.hits, page.total) == ([], 0)


def test_a_red_report_of_another_pool_is_neither_counted_nor_snippeted(world, berg):
    file_as(berg, world, "k-red-002", title="Berg sees a checkpoint", marking="red", body="Hidden checkpoint detail.")
    file(world, "k-grn-002", title="Aalto sees a checkpoint", marking="green")
    page = find(world["users"]["analyst"], "checkpoint")  # analyst of pool alpha; Berg is of pool beta
    assert (titles(page), page.total) == (["Aalto sees a checkpoint"], 1)
    assert all("Hidden" not in str(h.snippet_html) for h in page.hits)


def test_a_national_analyst_finds_every_pools_reports(world, berg):
    file(world, "k-nat-001", title="Alpha checkpoint")
    file_as(berg, world, "k-nat-002", title="Beta checkpoint")
    assert find(world["users"]["national_analyst"], "checkpoint").total == 2


def test_someone_without_reports_access_finds_nothing(world):
    file(world, "k-none-01", title="Checkpoint")
    assert find(world["users"]["coordinator"], "checkpoint").total == 0


def test_intelligence_debriefings_never_appear(world):
    file(world, "k-deb-001", title="Weekly", body="Routine.")
    group = Audience.objects.create(name="Debrief cell", breadth="named")
    group.members.add(world["users"]["national_analyst"])
    IntelligenceDebriefing.objects.create(officer=world["officer"], group=group, held_on=TODAY,
                                          content="Zanzibarite network met the informant.",
                                          recorded_at=dt.datetime.now(dt.UTC))
    assert find(world["users"]["national_analyst"], "zanzibarite").total == 0


# --- Users' text is never engine syntax ------------------------------------------------------------


@pytest.mark.parametrize("query, words", [
    ('"unbalanced', ["unbalanced"]),
    ("checkpoint AND gao", ["checkpoint", "gao"]),
    ("checkpoint OR NOT gao", ["checkpoint", "gao"]),
    ("NEAR(checkpoint gao, 2)", ["checkpoint", "gao", "2"]),
    ("check* (gao", ["check", "gao"]),
    ("title:gao ^x -y +z", ["title", "gao", "x", "y", "z"]),
    ("'; DROP TABLE x; --", ["drop", "table", "x"]),
    ("and or not near", ["and", "or", "not", "near"]),
    ("***", []),
])
def test_queries_are_read_as_plain_words(query, words):
    assert search.terms(query) == words


def test_a_huge_query_is_cut_to_its_first_words(world):
    words = search.terms("word " * 100_000)
    assert words == ["word"]
    assert len(search.terms(" ".join(f"w{i}" for i in range(100)))) == search.MAX_TERMS
    assert search.terms("x" * 500) == ["x" * search.MAX_TERM_LENGTH]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200))
def test_any_query_searches_without_an_error(world, query):
    page = find(world["users"]["analyst"], query)
    assert page.total >= 0


def test_operator_syntax_finds_what_the_words_find(world):
    file(world, "k-syn-001", title="Checkpoint", body="Near Gao.")
    analyst = world["users"]["analyst"]
    for query in ['"checkpoint', "checkpoint AND", "NEAR(checkpoint", "checkpoint)", "checkpoint*", "(gao"]:
        assert find(analyst, query).total == 1, query


# --- The derived index and its command -----------------------------------------------------------


def test_filing_writes_the_search_text(world):
    report = file(world, "k-idx-001", title="Week", body="Body text.", places="Gao")
    row = ReportSearchText.objects.get(report=report)
    assert (row.title, row.text) == ("Week", "Body text.\nGao")


def test_the_check_finds_a_stale_and_a_missing_row_and_the_rebuild_mends_them(world):
    stale = file(world, "k-chk-001", title="Week", body="Body text.")
    missing = file(world, "k-chk-002", title="Other", body="More text.")
    FieldReport.objects.filter(pk=stale.pk).update(body="Changed behind the index's back.")
    ReportSearchText.objects.filter(report=missing).delete()
    with pytest.raises(CommandError) as error:
        call_command("reports_search_index", "--check")
    assert error.value.returncode == 1
    assert str(error.value) == (f"1 report(s) missing from the index: {missing.pk}; 1 report(s) stale in the "
                                f"index: {stale.pk}. Run reports_search_index --rebuild.")
    call_command("reports_search_index", "--rebuild")
    call_command("reports_search_index", "--check")
    assert find(world["users"]["analyst"], "behind").total == 1


def test_the_check_passes_on_a_fresh_index(world, capsys):
    file(world, "k-chk-003")
    call_command("reports_search_index", "--check")
    assert capsys.readouterr().out == "Search index up to date.\n"


# --- The page and the API ------------------------------------------------------------------------


def test_the_page_shows_ranked_highlighted_results_and_the_count(client, world):
    file(world, "k-pg-0001", title="Checkpoint at the river", body="Quiet.")
    file(world, "k-pg-0002", title="Weekly", body="A checkpoint opened.")
    signed_in(client, world["users"]["analyst"])
    response = client.get("/reports/search/", {"q": "checkpoint"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 reports found." in html
    assert html.index("<mark>Checkpoint</mark> at the river") < html.index("A <mark>checkpoint</mark> opened")
    entry = AuditEntry.objects.filter(object_type="reports.fieldreport", action="list").latest("id")
    assert entry.detail["filters"] == {"q": "checkpoint"}


def test_the_page_answers_htmx_with_the_results_only(client, world):
    file(world, "k-pg-0003", title="Checkpoint")
    signed_in(client, world["users"]["analyst"])
    response = client.get("/reports/search/", {"q": "checkpoint"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<form" not in response.content.decode() and "1 report found." in response.content.decode()


def test_the_page_pages(client, world):
    for i in range(23):
        file(world, f"k-many-{i:04d}", title=f"Checkpoint {i}")
    signed_in(client, world["users"]["analyst"])
    html = client.get("/reports/search/", {"q": "checkpoint", "page": 2}).content.decode()
    assert "Page 2 of 2" in html and html.count('class="card"><h2') == 3


@pytest.mark.parametrize("params, field", [
    ({"q": "x", "period_from": "2026-13-01"}, "period_from"),
    ({"q": "x", "period_from": "2026-02-01", "period_to": "2026-01-01"}, "period_to"),
    ({"q": "x", "marking": "black"}, "marking"),
    ({"q": "x", "page": "0"}, "page"),
    ({"q": "x", "mission": "99999999"}, "mission"),
    ({"q": "x" * 1001}, "q"),
])
def test_bad_filters_on_the_page_are_a_clear_400(client, world, params, field):
    signed_in(client, world["users"]["analyst"])
    response = client.get("/reports/search/", params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]


def test_the_list_links_to_the_search(client, world):
    signed_in(client, world["users"]["analyst"])
    assert 'href="/reports/search/"' in client.get("/reports/").content.decode()


def test_the_api_searches(client, world, berg):
    file(world, "k-api-001", title="Checkpoint <river>", body="Quiet.")
    file_as(berg, world, "k-api-002", title="Berg checkpoint")
    signed_in(client, world["users"]["analyst"])
    response = client.get("/api/reports/search", {"q": 'checkpoint AND "', "marking": ["green"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["words"], [i["title"] for i in body["items"]]) == (
        1, ["checkpoint"], ["Checkpoint <river>"])
    assert body["items"][0]["title_html"] == "<mark>Checkpoint</mark> &lt;river&gt;"


def test_the_page_and_the_api_say_when_more_match_than_were_counted(client, world, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for i in range(3):
        file(world, f"k-more-00{i}", title=f"Checkpoint {i}")
    signed_in(client, world["users"]["analyst"])
    html = client.get("/reports/search/", {"q": "checkpoint"}).content.decode()
    assert "More than 2 reports found: the 2 most recent are shown." in html
    body = client.get("/api/reports/search", {"q": "checkpoint"}).json()
    assert (body["count"], body["count_exact"], len(body["items"])) == (2, False, 2)
    body = client.get("/api/reports/search", {"q": "checkpoint 1"}).json()
    assert (body["count"], body["count_exact"]) == (1, True)


def test_the_api_refuses_bad_filters_with_a_400(client, world):
    signed_in(client, world["users"]["analyst"])
    response = client.get("/api/reports/search", {"q": "x", "marking": "black"})
    assert response.status_code == 400


# --- Bulk ingest (reports.ingest) ----------------------------------------------------------------


def draft(world, key, **overrides):
    return {"draft_key": key, **fields(world, **overrides)}


def test_a_batch_files_every_report_with_its_search_text_and_audit(world):
    border = ThematicArea.objects.get(code="border_management")
    result = ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"], drafts=[
        draft(world, "batch-0001", title="Checkpoint one", themes=[border]),
        draft(world, "batch-0002", title="Checkpoint two", reliability="C")])
    assert [r.title for r in result.filed] == ["Checkpoint one", "Checkpoint two"]
    assert list(FieldReport.objects.get(title="Checkpoint one").themes.all()) == [border]
    assert find(world["users"]["analyst"], "border management").total == 1
    assert AuditEntry.objects.filter(object_type="reports.fieldreport", action="create").count() == 2
    call_command("reports_search_index", "--check")


def test_a_batch_sent_again_files_nothing_twice(world):
    drafts = [draft(world, "batch-0003"), draft(world, "batch-0003")]
    first = ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"], drafts=drafts)
    again = ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"], drafts=drafts)
    assert (len(first.filed), len(again.filed), len(again.already_filed)) == (1, 0, 2)
    assert FieldReport.objects.count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"body": "Annex: SECRET"}, "Classified content is not accepted"),
    ({"marking": "black"}, "Choose a handling marking"),
    ({"period_end": TODAY - dt.timedelta(days=30)}, "The period ends before it starts."),
    ({"body": ""}, "Write the report"),
])
def test_one_bad_draft_refuses_the_batch_and_nothing_is_stored(world, overrides, message):
    with pytest.raises(ValidationError) as error:
        ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"], drafts=[
            draft(world, "batch-0004"), draft(world, "batch-0005", **overrides)])
    assert error.value.messages[0].startswith("Report 2 of the batch: ")
    assert message in error.value.messages[0]
    assert (FieldReport.objects.count(), ReportSearchText.objects.count()) == (0, 0)


def test_a_batch_for_a_mission_not_deployed_to_is_refused(world):
    with pytest.raises(ValidationError) as error:
        ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"],
                                  drafts=[draft(world, "batch-0006", mission=world["other"])])
    assert error.value.messages == ["Report 1 of the batch: You are not deployed to OTHER now."]


def test_only_the_secondee_files_a_batch(world):
    with pytest.raises(PermissionDenied):
        ingest.file_reports_batch(actor=world["users"]["analyst"], officer=world["officer"],
                                  drafts=[draft(world, "batch-0007")])


# --- The classification check, made faster for bulk ingest, reads text as before ------------------


def reference_fold(text):
    """classification.fold as it was (each character tested in Python)."""
    import unicodedata

    from dividend.reports.classification import LOOK_ALIKES

    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    decomposed = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))
    return text.translate(LOOK_ALIKES)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80))
def test_fold_reads_any_text_as_before(text):
    from dividend.reports.classification import fold

    assert fold(text) == reference_fold(text)


def test_triage_changing_themes_and_places_refreshes_the_index(world):
    from dividend.reports import triage

    report = file(world, "k-tri-001", title="Week", body="Quiet.", places="Gao")
    border = ThematicArea.objects.get(code="border_management")
    triage.save_triage(actor=world["users"]["analyst"], report=report, themes=[border], countries=[],
                       places="Kidal")
    analyst = world["users"]["analyst"]
    assert (find(analyst, "kidal border").total, find(analyst, "gao").total) == (1, 0)
    call_command("reports_search_index", "--check")
