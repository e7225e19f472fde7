"""The chain and its head catch tampering anywhere, the newest entries included, on both engines.

Tampering is done as someone with database access would: triggers dropped, raw SQL."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dividend.audit.models import AuditEntry, ChainHead, ChainVerification, UnknownAuditAction
from dividend.audit.services import (
    check_chain,
    purge_entries_before,
    record,
    record_many,
    run_verification,
    verify_chain,
)
from dividend.pools.models import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db

TRIGGERS = [("audit_entry_no_update", "audit_auditentry"), ("audit_auditentry_no_delete", "audit_auditentry"),
            ("audit_chainhead_no_delete", "audit_chainhead")]


def _chain(n=5):
    return [record(actor=None, action="read", object_type="roster.officer", object_id=str(i)) for i in range(n)]


def _as_attacker(*statements):
    """Drop the append-only triggers and run raw SQL (statement, params)."""
    with connection.cursor() as cursor:
        for name, table in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if connection.vendor == "postgresql" else ""))
        for sql, params in statements:
            cursor.execute(sql, params)


def _problems():
    return [str(p) for p in verify_chain()]


def test_intact_chain_has_no_problems():
    entries = _chain()
    check = check_chain()
    assert (check.problems, check.entries, check.last_entry_id) == ([], 5, entries[-1].pk)


def test_empty_log_verifies_with_a_clear_answer(capsys):
    assert verify_chain() == []
    call_command("verify_audit")
    assert capsys.readouterr().out.strip() == "Audit log is empty: nothing has been recorded yet."


def test_deleting_the_last_entry_is_detected():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk]))
    assert _problems() == [f"chain head: the log ends at entry {entries[-2].pk} but ended at entry "
                           f"{entries[-1].pk}: the newest entries were deleted"]


def test_deleting_the_last_entries_is_detected():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry WHERE id >= %s", [entries[2].pk]))
    assert _problems() == [f"chain head: the log ends at entry {entries[1].pk} but ended at entry "
                           f"{entries[-1].pk}: the newest entries were deleted"]


def test_emptying_the_table_is_detected():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry", []))
    assert _problems() == [f"chain head: the log is empty but ended at entry {entries[-1].pk}: "
                           "all entries were deleted"]


def test_deleting_the_head_with_the_newest_entries_is_detected_after_new_appends():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk]),
                 ("DELETE FROM audit_chainhead", []))
    assert _problems() == ["chain head: missing: it was deleted, and the newest entries may have gone with it"]
    record(actor=None, action="read", object_type="roster.officer", object_id="9")
    assert _problems() == [f"chain head: was deleted and restarted after entry {entries[-2].pk}: entries "
                           "written after it before the restart may have been deleted"]


def test_deleting_an_entry_in_the_middle_is_detected():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk]))
    assert _problems() == [f"entry {entries[3].pk}: does not follow entry {entries[1].pk}: entries between them "
                           "were deleted, or entries were inserted, altered or reordered"]


def test_deleting_the_first_entry_is_detected():
    entries = _chain()
    _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk]))
    assert _problems() == [f"entry {entries[1].pk}: the entries before it were deleted"]


def test_altering_an_entry_is_detected():
    entries = _chain()
    _as_attacker(("UPDATE audit_auditentry SET object_id = '999' WHERE id = %s", [entries[2].pk]))
    assert _problems() == [f"entry {entries[2].pk}: content does not match its hash (altered or inserted)"]


def test_reordering_two_entries_is_detected():
    entries = _chain()
    a, b = entries[1], entries[2]
    columns = [f.column for f in AuditEntry._meta.concrete_fields if f.column != "id"]
    rows = {e.pk: AuditEntry.objects.filter(pk=e.pk).values_list(*[f.attname for f in AuditEntry._meta.concrete_fields
                                                                     if f.column != "id"]).get() for e in (a, b)}
    assignments = ", ".join(f"{c} = %s" for c in columns)

    def params(row):
        return [json.dumps(v) if isinstance(v, (list, dict)) else v for v in row]

    _as_attacker(("UPDATE audit_auditentry SET entry_hash = 'swap' WHERE id = %s", [a.pk]),
                 (f"UPDATE audit_auditentry SET {assignments} WHERE id = %s", [*params(rows[a.pk]), b.pk]),
                 (f"UPDATE audit_auditentry SET {assignments} WHERE id = %s", [*params(rows[b.pk]), a.pk]))
    assert AuditEntry.objects.get(pk=a.pk).object_id == "2"
    assert _problems() == [
        f"entry {a.pk}: does not follow entry {entries[0].pk}: entries between them were deleted, or entries were "
        "inserted, altered or reordered",
        f"entry {b.pk}: does not follow entry {a.pk}: entries between them were deleted, or entries were "
        "inserted, altered or reordered",
        f"entry {entries[3].pk}: does not follow entry {b.pk}: entries between them were deleted, or entries were "
        "inserted, altered or reordered"]


def test_inserting_an_entry_at_the_end_is_detected():
    entries = _chain()
    forged = AuditEntry(timestamp=entries[1].timestamp, actor_label="intruder", action="read",
                        object_type="roster.officer", object_id="7", channel="web",
                        previous_hash=entries[-1].entry_hash, entry_hash="f" * 64)
    forged.save()
    assert _problems() == [f"entry {forged.pk}: content does not match its hash (altered or inserted)",
                           f"chain head: entries after {entries[-1].pk} were added without moving the head (inserted)"]


def test_altering_the_head_is_detected():
    entries = _chain()
    _as_attacker(("UPDATE audit_chainhead SET last_entry_id = %s", [entries[-2].pk]))
    assert _problems() == ["chain head: does not match its signature (altered)",
                           f"chain head: entries after {entries[-2].pk} were added without moving the head (inserted)"]


@pytest.mark.parametrize("sql", ["DELETE FROM audit_auditentry", "DELETE FROM audit_chainhead"])
def test_database_refuses_deletion(sql):
    _chain(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.count() == 2 and ChainHead.objects.count() == 1


def test_record_refuses_an_unknown_action():
    with pytest.raises(UnknownAuditAction, match=r"Unknown audit action 'peek'; add it to AuditEntry.Action"):
        record(actor=None, action="peek", object_type="roster.officer", object_id="1")
    assert not AuditEntry.objects.exists()


def test_record_many_appends_all_in_order_or_none():
    user = make_user(Role.COORDINATOR, national=True)
    ids = record_many(actor=user, entries=[
        {"action": "create", "object_type": "roster.officer", "object_id": i, "fields": ["last_name"]}
        for i in range(3)])
    assert [e.object_id for e in AuditEntry.objects.order_by("id")] == ["0", "1", "2"]
    assert ids == list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    assert ids[-1] == ChainHead.objects.get().last_entry_id
    assert verify_chain() == []
    with pytest.raises(UnknownAuditAction):
        record_many(actor=user, entries=[{"action": "create", "object_type": "roster.officer", "object_id": 4},
                                         {"action": "peek", "object_type": "roster.officer", "object_id": 5}])
    assert AuditEntry.objects.count() == 3


def test_record_many_of_nothing_stores_nothing():
    assert record_many(actor=None, entries=[]) == []
    assert not AuditEntry.objects.exists() and not ChainHead.objects.exists()


def test_changes_keep_old_and_new_values_but_only_the_fact_for_restricted_fields():
    entry = record(actor=None, action="update", object_type="roster.officer", object_id="1",
                   changes={"phone": ("+49 1", "+49 2"), "available_from": (dt.date(2027, 1, 1), None),
                            "emergency_contact_phone": ("+49 3", "+49 4")},
                   restricted=["emergency_contact_phone"])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.fields == ["available_from", "emergency_contact_phone", "phone"]
    assert stored.detail == {"changes": {"phone": {"old": "+49 1", "new": "+49 2"},
                                         "available_from": {"old": "2027-01-01", "new": None},
                                         "emergency_contact_phone": {"changed": True}}}
    assert verify_chain() == []


def _log_split_at_cutoff(old=3, new=2):
    """`old` entries, then the cutoff, then `new` entries."""
    older = _chain(old)
    cutoff = timezone.now()
    return older, cutoff, _chain(new)


def test_purge_deletes_older_entries_and_verification_starts_at_the_first_kept():
    older, cutoff, newer = _log_split_at_cutoff()
    admin = make_user(Role.ADMINISTRATOR, national=True, is_superuser=True)
    assert purge_entries_before(actor=admin, cutoff=cutoff, reason="retention: 1 year") == 3
    kept = list(AuditEntry.objects.order_by("id"))
    assert [e.pk for e in kept[:2]] == [e.pk for e in newer]
    purge = kept[-1]
    assert (purge.action, purge.actor, purge.object_repr) == ("purge", admin, f"entries {older[0].pk}–{older[-1].pk}")
    assert purge.detail == {"deleted": 3, "first_id": older[0].pk, "last_id": older[-1].pk,
                            "cutoff": cutoff.isoformat(), "reason": "retention: 1 year",
                            "base_hash": older[-1].entry_hash}
    assert verify_chain() == []


def test_purge_then_deleting_the_first_kept_entry_is_detected():
    older, cutoff, newer = _log_split_at_cutoff()
    purge_entries_before(actor=None, cutoff=cutoff, reason="retention")
    _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [newer[0].pk]))
    assert _problems() == [f"entry {newer[1].pk}: the entries before it were deleted"]


def test_purge_with_nothing_older_deletes_nothing():
    _chain(2)
    assert purge_entries_before(actor=None, cutoff=timezone.now() - dt.timedelta(days=1), reason="retention") == 0
    assert AuditEntry.objects.count() == 2


@pytest.mark.parametrize(("cutoff", "reason", "message"), [
    (dt.datetime(2026, 1, 1), "retention", "Give the cutoff with its time zone."),
    (timezone.now() + dt.timedelta(days=1), "retention", "The cutoff is in the future"),
    (timezone.now(), "  ", "Say why entries are purged"),
])
def test_purge_refuses_bad_input_and_changes_nothing(cutoff, reason, message):
    _chain(2)
    with pytest.raises(ValidationError, match=message):
        purge_entries_before(actor=None, cutoff=cutoff, reason=reason)
    assert AuditEntry.objects.count() == 2


def test_purge_refuses_a_non_superuser():
    _chain(2)
    auditor = make_user(Role.AUDITOR, national=True)
    with pytest.raises(PermissionDenied):
        purge_entries_before(actor=auditor, cutoff=timezone.now(), reason="retention")
    assert AuditEntry.objects.count() == 2


def test_purge_refuses_a_broken_log():
    entries = _chain(3)
    _as_attacker(("UPDATE audit_auditentry SET object_id = '999' WHERE id = %s", [entries[1].pk]))
    with pytest.raises(ValidationError, match=r"broken in 1 place\(s\).*investigate before purging"):
        purge_entries_before(actor=None, cutoff=timezone.now(), reason="retention")
    assert AuditEntry.objects.count() == 3


def test_purge_command(capsys):
    older, cutoff, newer = _log_split_at_cutoff()
    call_command("purge_audit", "--before", cutoff.isoformat(), "--reason", "retention: 1 year")
    assert capsys.readouterr().out.strip() == f"Purged 3 audit entries written before {cutoff.isoformat()}."
    assert AuditEntry.objects.count() == 3


def test_purge_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--before: give an ISO date-time with time zone"):
        call_command("purge_audit", "--before", "last year", "--reason", "retention")


def test_verification_is_stored_signed(capsys):
    entries = _chain(3)
    call_command("verify_audit")
    assert capsys.readouterr().out.strip() == "Audit log intact: 3 entries verified."
    stored = ChainVerification.objects.get()
    assert (stored.checked_by, stored.entries, stored.last_entry_id, stored.problems, stored.signature_valid) == (
        "verify_audit", 3, entries[-1].pk, [], True)


def test_verify_command_reports_problems_and_stores_them(capsys):
    entries = _chain(3)
    _as_attacker(("UPDATE audit_auditentry SET actor_label = 'someone' WHERE id = %s", [entries[0].pk]))
    with pytest.raises(CommandError, match=r"broken in 1 place"):
        call_command("verify_audit")
    assert f"entry {entries[0].pk}: content does not match" in capsys.readouterr().err
    assert ChainVerification.objects.get().problems == [
        f"entry {entries[0].pk}: content does not match its hash (altered or inserted)"]


def test_forged_verification_result_shows_as_forged():
    result = run_verification(checked_by="auditor")
    ChainVerification.objects.filter(pk=result.pk).update(entries=99)
    assert ChainVerification.objects.get(pk=result.pk).signature_valid is False


def test_anchor_catches_a_replaced_log(tmp_path, capsys):
    anchor = tmp_path / "audit.anchor"
    entries = _chain(3)
    call_command("verify_audit", "--anchor", str(anchor))
    assert json.loads(anchor.read_text())["last_entry_id"] == entries[-1].pk
    # Someone with the database owner's rights empties the log and its head: a fresh-looking log.
    _as_attacker(("DELETE FROM audit_auditentry", []), ("DELETE FROM audit_chainhead", []))
    assert verify_chain() == []
    with pytest.raises(CommandError, match=r"broken in 1 place"):
        call_command("verify_audit", "--anchor", str(anchor))
    assert f"which names entry {entries[-1].pk}: the log or its head was replaced" in capsys.readouterr().err
    assert json.loads(anchor.read_text())["last_entry_id"] == entries[-1].pk  # a broken log does not move it


def test_anchor_catches_an_old_head_put_back(tmp_path, capsys):
    anchor = tmp_path / "audit.anchor"
    entries = _chain(3)
    saved_head = ChainHead.objects.values_list("last_entry_id", "last_hash", "signature").get()
    call_command("verify_audit", "--anchor", str(anchor))
    newer = _chain(2)
    call_command("verify_audit", "--anchor", str(anchor))
    _as_attacker(("DELETE FROM audit_auditentry WHERE id >= %s", [newer[0].pk]),
                 ("UPDATE audit_chainhead SET last_entry_id = %s, last_hash = %s, signature = %s", list(saved_head)))
    assert verify_chain() == []
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", str(anchor))
    assert f"which names entry {newer[-1].pk}" in capsys.readouterr().err
    assert entries


def test_anchor_file_that_is_not_one_is_refused(tmp_path):
    anchor = tmp_path / "audit.anchor"
    anchor.write_text("hello")
    with pytest.raises(CommandError, match="The anchor file .* is not one verify_audit wrote"):
        call_command("verify_audit", "--anchor", str(anchor))
