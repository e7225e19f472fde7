"""The bulk filing path (reports.ingest.file_reports_batch), as made faster for bench/reports.py:
what each filed report still gets (the source's reliability history, one audit entry each in the
log's language, its near-duplicate rows) and the bulk load's page cache on SQLite."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from dividend.audit.models import AuditEntry
from dividend.audit.services import check_chain
from dividend.common.database import bulk_page_cache
from dividend.reports import duplicates, ingest
from dividend.reports.models import DuplicateCandidate, DuplicateFingerprint, SourceReliability

from .test_duplicates import BODY, EDITED
from .test_reports import fields

pytestmark = pytest.mark.django_db


def draft(world, key, **overrides):
    return {"draft_key": key, **fields(world, **overrides)}


def file_batch(world, drafts):
    return ingest.file_reports_batch(actor=world["users"]["secondee"], officer=world["officer"], drafts=drafts)


def test_the_reliability_history_follows_each_change_of_grade_in_the_batch(world):
    result = file_batch(world, [draft(world, "grade-0001", reliability="C"), draft(world, "grade-0002", reliability="C"),
                                draft(world, "grade-0003", reliability="B"), draft(world, "grade-0004", reliability="F")])
    first, _, third, fourth = (r.pk for r in result.filed)
    rows = SourceReliability.objects.filter(officer=world["officer"]).order_by("id")
    assert [(r.grade, r.reason, r.set_by_id) for r in rows] == [
        ("C", f"given by the source with report {first}", world["users"]["secondee"].pk),
        ("B", f"given by the source with report {third}", world["users"]["secondee"].pk),
        ("F", f"given by the source with report {fourth}", world["users"]["secondee"].pk)]


def test_every_filed_report_has_its_own_audit_entry_in_the_logs_language(world):
    with translation.override("fr"):
        result = file_batch(world, [draft(world, "audit-0001", title="Checkpoint one"),
                                    draft(world, "audit-0002", title="Checkpoint two")])
    entries = AuditEntry.objects.filter(object_type="reports.fieldreport", action="create").order_by("id")
    assert [(e.object_id, e.object_repr, e.actor_id, e.detail["batch"]) for e in entries] == [
        (str(r.pk), r.title, world["users"]["secondee"].pk, True) for r in result.filed]
    assert check_chain().problems == []


def test_filed_reports_get_their_near_duplicate_rows_and_pairs(world):
    result = file_batch(world, [draft(world, "dup-0001", title="Gao road", body=BODY),
                                draft(world, "dup-0002", title="Gao road", body=EDITED)])
    a, b = (r.pk for r in result.filed)
    assert DuplicateFingerprint.objects.filter(report__in=[a, b]).count() == 2
    assert duplicates.band_counts([a, b]) == {a: 24, b: 24}
    assert list(DuplicateCandidate.objects.values_list("report_id", "other_id")) == [(a, b)]
    call_command("reports_duplicates", "--check")


def test_the_bulk_page_cache_grows_sqlites_and_never_shrinks_it(world):
    if connection.vendor != "sqlite":
        bulk_page_cache()  # nothing to do on PostgreSQL: the cache is the server's
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -2000")
        file_batch(world, [draft(world, "cache-0001")])
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone() == (-256 * 1024,)
        cursor.execute("PRAGMA cache_size = -600000")
        bulk_page_cache()
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone() == (-600000,)
        cursor.execute("PRAGMA cache_size = -2000")
