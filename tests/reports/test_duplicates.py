"""Near-duplicate suggestions (issue 12 §4): MinHash/LSH candidates stored as derived rows,
confirmed by rapidfuzz, shown only among reports the viewer may read, decided by an analyst
(never merged), checked and rebuilt by `reports_duplicates`."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reports import duplicates
from dividend.reports.duplicate_services import decide_duplicate
from dividend.reports.models import (
    DuplicateBand,
    DuplicateCandidate,
    DuplicateDecision,
    DuplicateFingerprint,
    DuplicatePendingBands,
    FieldReport,
)

from ..factories import make_officer, make_user
from .test_reports import TODAY, file, signed_in

pytestmark = pytest.mark.django_db

BODY = ("On Tuesday morning the mission's patrol found two new checkpoints on the road from Gao to Bourem, "
        "run by men in mixed uniforms who asked drivers for a fee of five thousand francs. Traders in the "
        "Gao market said the checkpoints appeared after the army left the Tacharane post last week, and "
        "that lorries now wait up to six hours. The local police commander confirmed the reports but said "
        "he has no vehicles to send. Our team will ask the governor's office about it on Thursday.")
# The same report re-edited by its author: a few words changed, a sentence added.
EDITED = BODY.replace("two new checkpoints", "two new illegal checkpoints").replace("six hours", "seven hours") \
    + " More on Friday."
UNRELATED = ("The training course for the Niger border police ended with a written examination. Twenty-one "
             "officers passed; three will sit it again in March. The curriculum on document fraud was "
             "well received and the academy asks for a second course on migrant smuggling in the autumn.")


def beta_report(world, title, body, **extra):
    """A report of an officer of pool beta (filed directly: the derived rows follow on save)."""
    officer = make_officer(world["pools"][1], last_name="Berg")
    return FieldReport.objects.create(
        officer=officer, mission=world["mission"], period_start=TODAY - dt.timedelta(days=6), period_end=TODAY,
        kind="weekly", title=title, body=body, marking="green", credibility=3, reliability="C",
        draft_key=f"beta-{title[:20]}", submitted_at=timezone.now(), **extra)


@pytest.fixture
def pair(world):
    original = file(world, key="draft-orig-1", title="Checkpoints on the Gao road", body=BODY)
    copy = file(world, key="draft-copy-1", title="Checkpoints on the Gao road", body=EDITED)
    return original, copy


def ids(found):
    return [s.report.pk for s in found]


# --- The engine ------------------------------------------------------------------------------------


def test_a_planted_near_duplicate_is_suggested_with_its_similarity(world, pair):
    original, copy = pair
    found = duplicates.suggestions(world["users"]["analyst"], copy)
    assert ids(found) == [original.pk]
    assert found[0].similarity == pytest.approx(0.8586, abs=1e-4)  # exact Jaccard of the shingle sets
    assert ids(duplicates.suggestions(world["users"]["analyst"], original)) == [copy.pk]


def test_an_unrelated_report_is_not_suggested(world, pair):
    other = file(world, key="draft-unrel-1", title="Border police course", body=UNRELATED)
    assert duplicates.suggestions(world["users"]["analyst"], other) == []
    assert DuplicateCandidate.objects.filter(other=other).count() == 0


def test_a_filed_report_gets_its_fingerprint_and_one_row_per_band(world, pair):
    original, _ = pair
    assert duplicates.band_counts([original.pk]) == {original.pk: duplicates.BANDS}
    fingerprint = DuplicateFingerprint.objects.get(report=original)
    assert fingerprint.text_hash == duplicates.text_hash(duplicates.report_text(original.title, original.body))


@pytest.mark.parametrize("merged", [False, True], ids=["pending", "merged"])
def test_a_new_report_pairs_with_an_earlier_one_whose_bands_are_pending_or_merged(world, merged):
    original = file(world, key="draft-orig-1", title="Checkpoints on the Gao road", body=BODY)
    assert DuplicatePendingBands.objects.filter(report=original).count() == 1
    if merged:
        assert duplicates.merge_pending() == 1
        assert (DuplicatePendingBands.objects.count(), DuplicateBand.objects.filter(report=original).count()) == (
            0, duplicates.BANDS)
    copy = file(world, key="draft-copy-1", title="Checkpoints on the Gao road", body=EDITED)
    assert list(DuplicateCandidate.objects.values_list("report_id", "other_id", "similarity")) == [
        (original.pk, copy.pk, 0.8586)]


def test_pending_bands_are_merged_in_key_order_once_merge_at_reports_wait(world, monkeypatch):
    monkeypatch.setattr(duplicates, "MERGE_AT", 3)
    first = file(world, key="draft-merge-1", title="Gao road", body=BODY)
    second = file(world, key="draft-merge-2", title="Course", body=UNRELATED)
    assert DuplicatePendingBands.objects.count() == 2
    third = file(world, key="draft-merge-3", title="Gao road again", body=EDITED)
    assert DuplicatePendingBands.objects.count() == 0
    rows = list(DuplicateBand.objects.order_by("band", "bucket", "report").values_list("report_id", flat=True))
    assert sorted(rows) == sorted([first.pk, second.pk, third.pk] * duplicates.BANDS)
    assert duplicates.band_counts([first.pk, second.pk, third.pk]) == {
        first.pk: duplicates.BANDS, second.pk: duplicates.BANDS, third.pk: duplicates.BANDS}
    assert list(DuplicateCandidate.objects.values_list("report_id", "other_id")) == [(first.pk, third.pk)]


def test_check_names_a_report_whose_pending_row_is_damaged(world, pair):
    DuplicatePendingBands.objects.filter(report=pair[1]).update(buckets=b"\x00" * 100)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("reports_duplicates", "--check", stdout=out)
    assert out.getvalue() == f"report {pair[1].pk}: 0 band rows, not {duplicates.BANDS}\n"


def test_the_batch_signatures_are_datasketchs_minhash_value_for_value():
    texts = [duplicates.normalise(t) for t in (BODY, EDITED, UNRELATED, "Quiet.", "")]
    signatures = duplicates.signatures(texts)
    for text, row in zip(texts, signatures, strict=True):
        assert row.tolist() == duplicates.minhash(text).hashvalues.tolist()


def _vary(text, data):
    """The same words with their case, the spacing between them and punctuation changed."""
    words = text.split(" ")
    out = []
    for word in words:
        word = data.draw(st.sampled_from([word, word.upper(), word.lower(), word.capitalize()]))
        out.append(word + data.draw(st.sampled_from([" ", "  ", "\n", "\t", " - ", ", ", " … "])))
    return data.draw(st.sampled_from(["", " ", "\n"])) + "".join(out)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_whitespace_case_and_punctuation_variants_have_the_same_signature(data):
    variant = _vary(BODY, data)
    a, b = duplicates.report_text("Checkpoints", BODY), duplicates.report_text("CHECKPOINTS", variant)
    assert a == b
    assert duplicates.buckets(duplicates.signatures([a])).tolist() == \
        duplicates.buckets(duplicates.signatures([b])).tolist()
    assert duplicates.similarity(a, b) == 1.0


def test_accents_do_not_matter():
    assert duplicates.normalise("Ségou, Tombouctou et GAO") == duplicates.normalise("segou tombouctou et gao")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_variant_filed_later_is_found(world, data):
    with transaction.atomic():  # each example in a savepoint rolled back: the world as the fixture made it
        original = file(world, key="draft-v-1", title="Checkpoints", body=BODY)
        variant = file(world, key="draft-v-2", title="CHECKPOINTS", body=_vary(BODY, data))
        found = duplicates.suggestions(world["users"]["analyst"], variant)
        assert [(s.report.pk, s.similarity) for s in found] == [(original.pk, 1.0)]
        transaction.set_rollback(True)


def test_index_reports_finds_pairs_within_a_batch_and_with_earlier_reports(world, pair):
    original, _ = pair
    officer = world["officer"]
    common = {"officer": officer, "mission": world["mission"], "period_start": TODAY, "period_end": TODAY,
              "kind": "ad_hoc", "marking": "green", "credibility": 3, "reliability": "C",
              "submitted_at": timezone.now()}
    made = FieldReport.objects.bulk_create([
        FieldReport(title="Gao road", body=BODY + " Second copy.", draft_key="bulk-1", **common),
        FieldReport(title="Course", body=UNRELATED, draft_key="bulk-2", **common),
        FieldReport(title="Course ended", body=UNRELATED + " Thanks.", draft_key="bulk-3", **common),
    ])  # bulk_create sends no signal: the ingest calls the batch function
    assert DuplicateFingerprint.objects.filter(report__in=made).count() == 0
    done = duplicates.index_reports(made)
    assert done.reports == 3
    pairs = set(DuplicateCandidate.objects.filter(other__in=made).values_list("report_id", "other_id"))
    assert {(original.pk, made[0].pk), (made[1].pk, made[2].pk)} <= pairs
    assert not any(made[1].pk in p and original.pk in p for p in pairs)



def test_each_new_report_checks_at_most_max_candidates_those_sharing_most_bands_first(world, monkeypatch):
    officer = world["officer"]
    common = {"officer": officer, "mission": world["mission"], "period_start": TODAY, "period_end": TODAY,
              "kind": "ad_hoc", "marking": "green", "credibility": 3, "reliability": "C",
              "submitted_at": timezone.now()}
    earlier = FieldReport.objects.bulk_create([
        FieldReport(title="Gao road", body=BODY, draft_key="cap-1", **common),  # every band in common
        FieldReport(title="Gao road", body=EDITED, draft_key="cap-2", **common),  # fewer bands
    ])
    duplicates.index_reports(earlier)
    shared = duplicates.band_counts([r.pk for r in earlier])
    assert shared == {earlier[0].pk: duplicates.BANDS, earlier[1].pk: duplicates.BANDS}
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 1)
    (new,) = FieldReport.objects.bulk_create([FieldReport(title="Gao road", body=BODY, draft_key="cap-3", **common)])
    assert duplicates.index_reports([new]).candidates == 1
    assert list(DuplicateCandidate.objects.filter(other=new).values_list("report_id", "similarity")) == [
        (earlier[0].pk, 1.0)]
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 100)
    (again,) = FieldReport.objects.bulk_create([FieldReport(title="Gao road", body=BODY, draft_key="cap-4",
                                                            **common)])
    assert duplicates.index_reports([again]).candidates == 3

def test_changing_a_reports_text_refreshes_its_pairs(world, pair):
    original, copy = pair
    copy.body = UNRELATED
    copy.save()
    assert duplicates.suggestions(world["users"]["analyst"], original) == []
    copy.body = EDITED
    copy.save()
    assert ids(duplicates.suggestions(world["users"]["analyst"], original)) == [copy.pk]


def test_a_status_change_does_not_recompute_anything(world, pair, django_assert_num_queries):
    _, copy = pair
    duplicates.merge_pending()
    before = list(DuplicateBand.objects.filter(report=copy).values_list("pk", flat=True))
    copy.status = "in_review"
    with django_assert_num_queries(1):
        copy.save(update_fields=["status"])
    assert list(DuplicateBand.objects.filter(report=copy).values_list("pk", flat=True)) == before
    assert len(before) == duplicates.BANDS


# --- Who sees what ---------------------------------------------------------------------------------


def test_suggestions_show_only_reports_the_viewer_may_read(world, pair):
    _, copy = pair
    berg = beta_report(world, "Gao road checkpoints", BODY)
    users = world["users"]
    assert set(ids(duplicates.suggestions(users["national_analyst"], copy))) == {pair[0].pk, berg.pk}
    assert ids(duplicates.suggestions(users["analyst"], copy)) == [pair[0].pk]  # pool alpha: not Berg's
    assert ids(duplicates.suggestions(users["analyst_beta"], berg)) == []  # beta: neither of Aalto's


def test_the_page_shows_the_panel_to_analysts_who_triage_it(client, world, pair):
    original, copy = pair
    page = signed_in(client, world["users"]["analyst"]).get(f"/reports/{copy.pk}/").content.decode()
    assert 'id="duplicates"' in page
    assert f'href="/reports/{original.pk}/"' in page
    similarity = duplicates.suggestions(world["users"]["analyst"], copy)[0].similarity
    assert f"{round(similarity * 100)}%" in page
    entry = AuditEntry.objects.filter(action="list", object_type="reports.fieldreport").latest("pk")
    assert entry.detail["ids"] == [original.pk] and entry.detail["filters"] == {"duplicates_of": copy.pk}


def test_the_author_sees_no_panel(client, world, pair):
    page = signed_in(client, world["users"]["secondee"]).get(f"/reports/{pair[1].pk}/").content.decode()
    assert 'id="duplicates"' not in page


def test_the_api_lists_suggestions_and_decisions(client, world, pair):
    original, copy = pair
    answer = signed_in(client, world["users"]["analyst"]).get(f"/api/reports/{copy.pk}/duplicates")
    assert answer.status_code == 200
    body = answer.json()
    assert [s["report_id"] for s in body["suggestions"]] == [original.pk]
    assert body["decisions"] == []


def test_the_api_refuses_the_author_and_hides_from_other_pools(client, world, pair):
    assert signed_in(client, world["users"]["secondee"]).get(f"/api/reports/{pair[1].pk}/duplicates").status_code == 403
    assert signed_in(client, world["users"]["analyst_beta"]).get(
        f"/api/reports/{pair[1].pk}/duplicates").status_code == 404


# --- Decisions -------------------------------------------------------------------------------------


def test_a_decision_is_recorded_audited_and_merges_nothing(world, pair):
    original, copy = pair
    analyst = world["users"]["analyst"]
    decision = decide_duplicate(actor=analyst, report=copy, other=original, verdict="duplicate", note="Sent twice.")
    assert (decision.report, decision.other, decision.verdict, decision.decided_by) == (copy, original, "duplicate",
                                                                                         analyst)
    entry = AuditEntry.objects.get(action="decide", object_type="reports.fieldreport")
    assert (entry.object_id, entry.detail["other_id"], entry.detail["verdict"]) == (str(copy.pk), original.pk,
                                                                                   "duplicate")
    assert FieldReport.objects.filter(pk__in=[original.pk, copy.pk]).count() == 2
    assert FieldReport.objects.get(pk=copy.pk).body == EDITED
    assert duplicates.suggestions(analyst, copy) == []
    assert [(d.direction, d.counterpart.pk) for d in duplicates.decisions(analyst, original)] == \
        [("duplicated_by", copy.pk)]


def test_a_dismissed_pair_is_not_suggested_again_even_after_a_rebuild(world, pair):
    original, copy = pair
    decide_duplicate(actor=world["users"]["analyst"], report=copy, other=original, verdict="not_duplicate")
    call_command("reports_duplicates", "--rebuild", stdout=StringIO())
    assert DuplicateCandidate.objects.count() == 1  # the derived pair is back...
    assert duplicates.suggestions(world["users"]["analyst"], copy) == []  # ...but not suggested
    assert duplicates.suggestions(world["users"]["analyst"], original) == []


def test_the_same_decision_again_changes_and_logs_nothing(world, pair):
    original, copy = pair
    analyst = world["users"]["analyst"]
    first = decide_duplicate(actor=analyst, report=copy, other=original, verdict="duplicate")
    again = decide_duplicate(actor=analyst, report=copy, other=original, verdict="duplicate")
    assert again.pk == first.pk
    assert AuditEntry.objects.filter(action="decide").count() == 1


def test_a_changed_decision_replaces_the_pairs_one_either_way_round(world, pair):
    original, copy = pair
    analyst = world["users"]["analyst"]
    decide_duplicate(actor=analyst, report=copy, other=original, verdict="duplicate")
    decide_duplicate(actor=analyst, report=original, other=copy, verdict="not_duplicate")
    assert list(DuplicateDecision.objects.values_list("report_id", "other_id", "verdict")) == [
        (original.pk, copy.pk, "not_duplicate")]
    assert AuditEntry.objects.filter(action="decide").latest("pk").detail["before"] == {
        "report_id": copy.pk, "other_id": original.pk, "verdict": "duplicate"}


def test_a_secondee_or_an_analyst_of_another_pool_may_not_decide(world, pair):
    original, copy = pair
    for user in (world["users"]["secondee"], world["users"]["analyst_beta"]):
        with pytest.raises(PermissionDenied):
            decide_duplicate(actor=user, report=copy, other=original, verdict="duplicate")
    assert DuplicateDecision.objects.count() == 0


def test_a_report_the_analyst_may_not_read_cannot_be_named(world, pair):
    berg = beta_report(world, "Gao road checkpoints", BODY)
    with pytest.raises(PermissionDenied):
        decide_duplicate(actor=world["users"]["analyst"], report=pair[1], other=berg, verdict="duplicate")
    assert DuplicateDecision.objects.count() == 0


@pytest.mark.parametrize(("verdict", "field"), [("merge", "verdict"), ("duplicate", "other")])
def test_bad_decisions_are_refused_and_store_nothing(world, pair, verdict, field):
    _, copy = pair
    other = copy  # itself
    with pytest.raises(ValidationError) as error:
        decide_duplicate(actor=world["users"]["analyst"], report=copy, other=other if field == "other" else pair[0],
                         verdict=verdict)
    assert list(error.value.message_dict) == [field]
    assert DuplicateDecision.objects.count() == 0


def test_the_api_records_a_decision_once_per_idempotency_key(client, world, pair):
    original, copy = pair
    client = signed_in(client, world["users"]["analyst"])
    body = json.dumps({"other": original.pk, "verdict": "duplicate", "note": "Sent twice."})
    first = client.post(f"/api/reports/{copy.pk}/duplicates", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="dup-decision-1")
    again = client.post(f"/api/reports/{copy.pk}/duplicates", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="dup-decision-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert (first.json()["report_id"], first.json()["other_id"], first.json()["verdict"]) == (copy.pk, original.pk,
                                                                                            "duplicate")
    assert DuplicateDecision.objects.count() == 1
    assert AuditEntry.objects.filter(action="decide").count() == 1


@pytest.mark.parametrize(("payload", "field"), [
    ({"other": "self", "verdict": "duplicate"}, "other"),
    ({"other": "beta", "verdict": "duplicate"}, "other"),
    ({"other": 987654, "verdict": "duplicate"}, "other"),
    ({"other": "original", "verdict": "merge"}, "verdict"),
    ({"other": "original", "verdict": "duplicate", "note": "x" * 501}, "note"),
])
def test_the_api_refuses_bad_decisions_with_a_400_and_stores_nothing(client, world, pair, payload, field):
    original, copy = pair
    berg = beta_report(world, "Gao road checkpoints", BODY)
    other = {"self": copy.pk, "beta": berg.pk, "original": original.pk}.get(payload["other"], payload["other"])
    answer = signed_in(client, world["users"]["analyst"]).post(
        f"/api/reports/{copy.pk}/duplicates", json.dumps(payload | {"other": other}), content_type="application/json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert DuplicateDecision.objects.count() == 0


def test_the_page_records_a_decision_and_then_shows_it(client, world, pair):
    original, copy = pair
    client = signed_in(client, world["users"]["analyst"])
    answer = client.post(f"/reports/{copy.pk}/duplicates/", {"other": original.pk, "verdict": "not_duplicate"})
    assert answer.status_code == 302
    assert DuplicateDecision.objects.get().verdict == "not_duplicate"
    page = client.get(f"/reports/{copy.pk}/").content.decode()
    assert 'id="no-duplicates"' in page and 'id="duplicate-decisions"' in page
    assert "Not a duplicate of" in page


def test_the_page_refuses_a_bad_decision_with_a_message(client, world, pair):
    _, copy = pair
    client = signed_in(client, world["users"]["analyst"])
    answer = client.post(f"/reports/{copy.pk}/duplicates/", {"other": "", "verdict": "duplicate"}, follow=True)
    assert "Not recorded:" in answer.content.decode()
    assert DuplicateDecision.objects.count() == 0


# --- The command -----------------------------------------------------------------------------------


def test_check_finds_a_stale_row_and_rebuild_mends_it(world, pair):
    original, copy = pair
    FieldReport.objects.filter(pk=copy.pk).update(body=UNRELATED)  # bypasses save(): the rows are now stale
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("reports_duplicates", "--check", stdout=out)
    assert error.value.returncode == 1
    assert out.getvalue() == f"report {copy.pk}: stale\n"
    call_command("reports_duplicates", "--rebuild", stdout=StringIO())
    call_command("reports_duplicates", "--check", stdout=(ok := StringIO()))
    assert ok.getvalue() == "Near-duplicate rows are up to date.\n"
    assert duplicates.suggestions(world["users"]["analyst"], original) == []


def test_check_finds_missing_rows(world, pair):
    duplicates.merge_pending()
    DuplicateFingerprint.objects.filter(report=pair[0]).delete()
    DuplicateBand.objects.filter(report=pair[1], band=0).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("reports_duplicates", "--check", stdout=out)
    # The deleted fingerprint's words are still counted: every one of them is now counted once too often.
    words = len(duplicates.distinct_words(duplicates.report_text(pair[0].title, pair[0].body)))
    assert out.getvalue() == (f"report {pair[0].pk}: missing\n"
                              f"report {pair[1].pk}: {duplicates.BANDS - 1} band rows, not {duplicates.BANDS}\n"
                              f"word counts: the counts of {words} word(s) differ from the fingerprints' words "
                              "(reports counted 2, indexed 1)\n")


def test_the_command_wants_one_of_check_rebuild_or_merge():
    with pytest.raises(CommandError, match="Say --check, --rebuild or --merge."):
        call_command("reports_duplicates", stdout=StringIO())
    with pytest.raises(CommandError, match="Say --check, --rebuild or --merge."):
        call_command("reports_duplicates", "--check", "--merge", stdout=StringIO())


def test_the_merge_command_moves_the_pending_bands(world, pair):
    out = StringIO()
    call_command("reports_duplicates", "--merge", stdout=out)
    assert out.getvalue().startswith("Merged the bands of 2 report(s) in ")
    assert (DuplicatePendingBands.objects.count(), DuplicateBand.objects.filter(report__in=pair).count()) == (
        0, 2 * duplicates.BANDS)
    call_command("reports_duplicates", "--check", stdout=(ok := StringIO()))
    assert ok.getvalue() == "Near-duplicate rows are up to date.\n"


def test_decisions_are_in_the_deciders_subject_access_report(world, pair):
    from dividend.roster.subject_access import subject_access_report

    analyst = make_user(Role.ANALYST, pools=[world["pools"][0]], username="anadec")
    officer = make_officer(world["pools"][0], user=analyst, last_name="Decider")
    decide_duplicate(actor=analyst, report=pair[1], other=pair[0], verdict="duplicate")
    report = subject_access_report(actor=analyst, officer=officer)
    rows = {s.title: s.rows for s in report.sections}["Near-duplicate decisions recorded"]
    assert [r[1:] for r in rows] == [[str(pair[1].pk), "Duplicate", str(pair[0].pk)]]
