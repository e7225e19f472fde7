"""Writing, verifying and purging the audit log."""

import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import access
from .context import current
from .models import (
    CONTENT_COLUMNS,
    AuditEntry,
    AuditLogIsAppendOnly,
    ChainHead,
    ChainVerification,
    RetentionPermit,
    UnknownAuditAction,
    audit_key,
    canonical_content,
    chain_hash,
)

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises chain appends.
_PG_CHAIN_LOCK = 727_001
_HEAD = 1
_ACTIONS = frozenset(AuditEntry.Action.values)


_HEAD_COLUMNS = ("id", "base_after_id", "base_hash", "last_entry_id", "last_hash", "restarted_after_id",
                 "signature")


def _lock_chain() -> ChainHead | None:
    """Take the chain for this transaction and return its head (None while there is none).

    Every writer of the chain calls this first, inside its transaction. PostgreSQL: the head row's
    lock (SELECT … FOR UPDATE, which also reads the head as the previous writer committed it);
    while there is no head yet, the advisory lock as well, so that one writer creates it. SQLite:
    transactions are IMMEDIATE (settings), so writers are already serialised.
    """
    if connection.vendor != "postgresql":
        return ChainHead.objects.filter(pk=_HEAD).first()
    select = (f"SELECT {', '.join(_HEAD_COLUMNS)} FROM {ChainHead._meta.db_table} "  # noqa: S608 - the model's own names # nosec B608
              "WHERE id = %s FOR UPDATE")
    with connection.cursor() as cursor:
        cursor.execute(select, [_HEAD])
        row = cursor.fetchone()
        if row is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])
            cursor.execute(select, [_HEAD])
            row = cursor.fetchone()
    return ChainHead(**dict(zip(_HEAD_COLUMNS, row, strict=True))) if row else None


_JSON_SCALARS = (str, int, float, bool, type(None))


def _is_plain_json(value) -> bool:
    if isinstance(value, _JSON_SCALARS):
        return not isinstance(value, float) or value == value  # NaN does not survive a round trip
    if isinstance(value, list):
        return all(_is_plain_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain_json(v) for k, v in value.items())
    return False


def _json_safe(value):
    # Stored as the database gives it back, so the hash computed now matches the row read later.
    # Plain JSON values already are (the common case: an import's 10,000 entries, where the round
    # trip through json cost about a second).
    if _is_plain_json(value):
        return value
    return json.loads(json.dumps(value, default=str))


def _build(actor_user, actor_label, ctx, *, action: str, obj=None, object_type: str = "", object_id="",
           object_repr: str = "", fields=(), detail=None, changes=None, restricted=()) -> dict:
    """An entry's content columns (a dict, not a model: record_many builds 10,000 of them)."""
    if action not in _ACTIONS:
        raise UnknownAuditAction(
            f"Unknown audit action {action!r}; add it to AuditEntry.Action first "
            f"(known: {', '.join(AuditEntry.Action.values)}).")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if not object_repr:
            # In the source language (English), whoever acts: names of reference data are shown
            # translated (reference.names), the log keeps one language. record_many switches once
            # for all its entries (per entry the switch was 0.9 s of 20,000).
            if translation.get_language() is None:
                object_repr = str(obj)[:200]
            else:
                with translation.override(None):
                    object_repr = str(obj)[:200]
    detail = dict(detail or {})
    fields = set(fields)
    if changes:
        restricted = set(restricted)
        detail["changes"] = {name: {"changed": True} if name in restricted else {"old": old, "new": new}
                             for name, (old, new) in changes.items()}
        fields |= set(changes)
    return {"timestamp": timezone.now(), "actor_id": actor_user.pk if actor_user else None,
            "actor_label": actor_label, "action": action, "object_type": object_type, "object_id": str(object_id),
            "object_repr": object_repr[:200], "fields": sorted(fields), "detail": _json_safe(detail),
            "channel": ctx.channel, "ip_address": ctx.ip_address, "path": ctx.path}


def _actor(actor):
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return user, (user.get_username() if user else (getattr(actor, "label", None) or "system"))


def _head_for_append() -> ChainHead:
    head = _lock_chain()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    # A head missing while entries exist was deleted: restart from the table's end, marked, so that
    # verification still reports that newer entries may have gone with it.
    head = ChainHead(pk=_HEAD, base_hash=GENESIS_HASH, last_entry_id=last[0] if last else 0,
                     last_hash=last[1] if last else GENESIS_HASH, restarted_after_id=last[0] if last else None)
    head.signature = head.compute_signature()
    head.save(force_insert=True)
    return head


def _append(rows: list[dict]) -> list[int]:
    """Link the entries to the chain, store them and move the head, in one transaction; their ids."""
    if not rows:
        return []
    key = audit_key()
    with transaction.atomic():
        head = _head_for_append()
        previous = head.last_hash
        for row in rows:
            text = canonical_content(row["timestamp"].isoformat(timespec="microseconds"),
                                     *(row[name] for name in CONTENT_COLUMNS[1:]))
            row["previous_hash"] = previous
            row["entry_hash"] = previous = chain_hash(previous, text, key)
        ids = [_insert_one(rows[0])] if len(rows) == 1 else _insert_many(rows)
        head.last_entry_id, head.last_hash = ids[-1], previous
        head.signature = head.compute_signature()
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {ChainHead._meta.db_table} SET last_entry_id = %s, last_hash = %s, "  # noqa: S608 - the model's own names, values are bound parameters # nosec B608
                           "signature = %s WHERE id = %s", [head.last_entry_id, head.last_hash, head.signature, head.pk])
    return ids


_INSERT_COLUMNS = (*CONTENT_COLUMNS, "previous_hash", "entry_hash")


def _db_values(row: dict) -> tuple:
    """An entry's columns (_INSERT_COLUMNS) as the database driver takes them."""
    ops = connection.ops
    return (ops.adapt_datetimefield_value(row["timestamp"]), row["actor_id"], row["actor_label"], row["action"],
            row["object_type"], row["object_id"], row["object_repr"], ops.adapt_json_value(row["fields"], None),
            ops.adapt_json_value(row["detail"], None), row["channel"], row["ip_address"], row["path"],
            row["previous_hash"], row["entry_hash"])


def _insert_one(row: dict) -> int:
    """Insert one entry under the chain lock; its id.

    Plain SQL, not Model.save: an entry is written by nearly every page and API read, and the ORM's
    insert and the head's save cost about 1 ms of CPU of the 1.95 ms an entry took (PostgreSQL,
    profiled; robustness/README.md, "load").
    """
    sql = (f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(_INSERT_COLUMNS)}) "  # noqa: S608 - the model's own names, values are bound parameters # nosec B608
           f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))}) RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, _db_values(row))
        return cursor.fetchone()[0]


def _insert_many(rows: list[dict]) -> list[int]:
    """Insert under the chain lock (COPY on PostgreSQL, executemany on SQLite), then read the new
    ids back in order.

    Not bulk_create: its model instances and statement compilation (SQLite's 999-parameter
    batches) cost more than the insert, as do executemany's round trips per row on PostgreSQL; an
    import's 10,000 entries must cost well under 2 s.
    """
    table = AuditEntry._meta.db_table
    values = [_db_values(r) for r in rows]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - table and column names are the models' own, values are bound parameters # nosec B608
        (before,) = cursor.fetchone()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(_INSERT_COLUMNS)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(_INSERT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})", values)  # noqa: S608 - table and column names are the models' own, values are bound parameters # nosec B608
        cursor.execute(f"SELECT id FROM {table} WHERE id > %s ORDER BY id", [before])  # noqa: S608 - table and column names are the models' own, values are bound parameters # nosec B608
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != len(rows):  # only rows written behind the chain lock's back could cause it
        raise AuditLogIsAppendOnly("Audit entries appeared while the chain was locked; nothing was stored.")
    return ids


def record(*, actor, action: str, obj=None, object_type: str = "", object_id="", object_repr: str = "",
           fields=(), detail=None, changes=None, restricted=()) -> AuditEntry:
    """Append one entry to the chain.

    `action` is a word of `AuditEntry.Action` (anything else raises UnknownAuditAction).
    `changes={field: (old, new)}` stores old and new values in detail["changes"]; for the names in
    `restricted` only that they changed. Steps: 1. check the action; 2. build the entry with the
    request or command context; 3. one transaction: take the chain lock, link the entry to the
    head's last hash, save it, move the head.
    """
    actor_user, label = _actor(actor)
    row = _build(actor_user, label, current(), action=action, obj=obj, object_type=object_type,
                 object_id=object_id, object_repr=object_repr, fields=fields, detail=detail, changes=changes,
                 restricted=restricted)
    (pk,) = _append([row])
    return AuditEntry(pk=pk, **row)


def record_list(*, actor, object_type: str, ids, filters=None, fields=(), detail=None) -> AuditEntry:
    """Log one page of results shown (a list, a search, an API list): which objects, found with
    which filters. One entry per page however many rows, so reading stays one append.

    `filters` may be a QueryDict (request.GET) or a dict; empty values are left out.
    """
    ids = list(ids)
    if hasattr(filters, "lists"):
        filters = {name: values if len(values) > 1 else values[0]
                   for name, values in filters.lists() if any(v not in ("", None) for v in values)}
    detail = {**(detail or {}), "filters": filters or {}, "ids": ids}
    return record(actor=actor, action=AuditEntry.Action.LIST, object_type=object_type,
                  object_repr=f"{len(ids)} shown", fields=fields, detail=detail)


def record_many(*, actor, entries: Iterable[dict]) -> list[int]:
    """Append many entries by one actor in one go (imports): each dict takes `record()`'s keyword
    arguments but `actor`. All or none are stored; an unknown action refuses the whole lot.
    Returns the new entries' ids, in order.

    Steps: 1. build and check every entry; 2. one transaction: lock the chain, link them in order,
    insert them in batches, move the head once.
    """
    actor_user, label = _actor(actor)
    ctx = current()
    with translation.override(None):
        rows = [_build(actor_user, label, ctx, **kwargs) for kwargs in entries]
    return _append(rows)


@dataclass
class ChainProblem:
    entry_id: int | None
    problem: str

    def __str__(self):
        return f"entry {self.entry_id}: {self.problem}" if self.entry_id is not None else f"chain head: {self.problem}"


@dataclass
class ChainCheck:
    entries: int = 0
    last_entry_id: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    seconds: float = 0.0


_COLUMNS = ("id", *CONTENT_COLUMNS, "previous_hash", "entry_hash")


def _iso_timestamp(value) -> str:
    # As the model's DateTimeField would give it back: SQLite keeps naive UTC text.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="microseconds")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def check_chain(batch_size: int = 10000, using: str = "default") -> ChainCheck:
    """Walk the chain in id order from the head's base, then compare its end with the head.

    - altered or inserted row: its stored hash no longer matches its content (the hash is keyed,
      so it cannot be recomputed without the key);
    - deleted or reordered rows: an entry's previous_hash is not the hash of the entry before it;
    - deleted oldest entries: the first entry does not follow the head's base (genesis or purge);
    - deleted newest entries, emptied table: the table ends before the entry the head names;
    - a missing, altered or restarted head is reported as such.
    Reads raw rows (no model instances or field converters): it is the cost of a 100,000-entry walk.
    `using` names another database connection (a backup being checked).
    """
    started = time.perf_counter()
    check = ChainCheck()
    problems = check.problems
    key = audit_key()
    head = ChainHead.objects.using(using).filter(pk=_HEAD).first()
    previous_hash = head.base_hash if head else GENESIS_HASH
    previous_id, last_id = None, 0
    sql = (f"SELECT {', '.join(_COLUMNS)} FROM {AuditEntry._meta.db_table} WHERE id > %s ORDER BY id "  # noqa: S608 - table and column names are the models' own, values are bound parameters; batch_size is an int # nosec B608
           f"LIMIT {int(batch_size)}")
    while True:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [last_id])
            rows = cursor.fetchall()
        if not rows:
            break
        for (entry_id, timestamp, actor_id, actor_label, action, object_type, object_id, object_repr, fields,
             detail, channel, ip_address, path, stored_previous, entry_hash) in rows:
            text = canonical_content(_iso_timestamp(timestamp), actor_id, actor_label, action, object_type,
                                     object_id, object_repr, _json(fields), _json(detail), channel, ip_address, path)
            if chain_hash(stored_previous, text, key) != entry_hash:
                problems.append(ChainProblem(entry_id, "content does not match its hash (altered or inserted)"))
            if stored_previous != previous_hash:
                if previous_id is None:
                    problems.append(ChainProblem(entry_id, "the entries before it were deleted"))
                else:
                    problems.append(ChainProblem(
                        entry_id, f"does not follow entry {previous_id}: entries between them were deleted, "
                                  "or entries were inserted, altered or reordered"))
            previous_hash, previous_id = entry_hash, entry_id
            check.entries += 1
        last_id = rows[-1][0]
    check.last_entry_id = previous_id or 0
    problems.extend(_head_problems(head, check.entries, previous_id, previous_hash))
    check.seconds = time.perf_counter() - started
    return check


def _head_problems(head, entries, last_id, last_hash) -> list[ChainProblem]:
    if head is None:
        if entries:
            return [ChainProblem(None, "missing: it was deleted, and the newest entries may have gone with it")]
        return []
    problems = []
    if head.signature != head.compute_signature():
        problems.append(ChainProblem(None, "does not match its signature (altered)"))
    if head.restarted_after_id is not None:
        problems.append(ChainProblem(
            None, f"was deleted and restarted after entry {head.restarted_after_id}: entries written after it "
                  "before the restart may have been deleted"))
    if last_id is None:
        if head.last_entry_id != head.base_after_id:
            problems.append(ChainProblem(
                None, f"the log is empty but ended at entry {head.last_entry_id}: all entries were deleted"))
    elif last_id < head.last_entry_id:
        problems.append(ChainProblem(
            None, f"the log ends at entry {last_id} but ended at entry {head.last_entry_id}: "
                  "the newest entries were deleted"))
    elif last_id > head.last_entry_id:
        problems.append(ChainProblem(
            None, f"entries after {head.last_entry_id} were added without moving the head (inserted)"))
    elif last_hash != head.last_hash:
        problems.append(ChainProblem(None, f"entry {last_id} is not the last entry the head names (replaced)"))
    return problems


def verify_chain(batch_size: int = 10000) -> list[ChainProblem]:
    """The chain's problems (empty: intact)."""
    return check_chain(batch_size).problems


def run_verification(*, checked_by: str) -> ChainVerification:
    """Verify the whole chain and store the result for the auditor's page.

    Steps: 1. walk the chain (check_chain); 2. store the result, signed."""
    check = check_chain()
    result = ChainVerification(checked_at=timezone.now(), checked_by=checked_by[:150], entries=check.entries,
                               last_entry_id=check.last_entry_id, problems=[str(p) for p in check.problems],
                               seconds=round(check.seconds, 3))
    result.signature = result.compute_signature()
    result.save()
    return result


def current_anchor() -> dict:
    """What an external anchor file keeps: the head's last entry and hash, and when."""
    head = ChainHead.objects.filter(pk=_HEAD).first()
    return {"last_entry_id": head.last_entry_id if head else 0,
            "last_hash": head.last_hash if head else GENESIS_HASH,
            "written_at": timezone.now().isoformat(timespec="seconds")}


def anchor_problems(anchor: dict) -> list[ChainProblem]:
    """Compare the log with an anchor written earlier outside the database.

    Catches what the head alone cannot: the whole log and its head deleted, or an old head row put
    back by someone who saved it (both need the database's owner or superuser)."""
    try:
        anchored_id, anchored_hash = int(anchor["last_entry_id"]), str(anchor["last_hash"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"The anchor file is not one verify_audit wrote ({exc}).") from exc
    head = ChainHead.objects.filter(pk=_HEAD).first()
    when = anchor.get("written_at", "?")
    if anchored_id == 0:
        return []
    if head is None or head.last_entry_id < anchored_id:
        return [ChainProblem(None, f"behind the anchor of {when}, which names entry {anchored_id}: "
                                   "the log or its head was replaced by an older one")]
    if anchored_id <= head.base_after_id:
        return []  # purged since; the purge's own entry records the hash it kept
    stored = AuditEntry.objects.filter(pk=anchored_id).values_list("entry_hash", flat=True).first()
    if stored != anchored_hash:
        return [ChainProblem(anchored_id, f"not the entry the anchor of {when} names (deleted or replaced)")]
    return []


def purge_entries_before(*, actor, cutoff: dt.datetime, reason: str) -> int:
    """Delete the entries older than `cutoff` (retention), the one audited way to delete any.

    Steps: 1. check the actor may purge (None: the system, e.g. a scheduled command); 2. validate
    the cutoff (aware, not in the future) and the reason; 3. verify the chain (a broken log is
    investigated, not purged); 4. one transaction: lock the chain, take a retention permit,
    delete, drop the permit, move the head's base to the last deleted entry so verification starts
    at the first kept one; 5. audit the purge (count, range, cutoff, reason, the base hash).
    Returns the number of entries deleted.
    """
    if actor is not None and not access.can_purge_audit_log(actor):
        raise PermissionDenied(_("Only a superuser or the system may purge the audit log."))
    if timezone.is_naive(cutoff):
        raise ValidationError(_("Give the cutoff with its time zone."))
    if cutoff > timezone.now():
        raise ValidationError(_("The cutoff is in the future: retention only removes entries already written."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why entries are purged (e.g. the retention rule applied)."))
    problems = verify_chain()
    if problems:
        raise ValidationError(f"The audit log is broken in {len(problems)} place(s) ({problems[0]}); "
                              "investigate before purging.")
    with transaction.atomic():
        _head_for_append()  # the chain's lock, and its head made if it is missing
        last = (AuditEntry.objects.filter(timestamp__lt=cutoff).order_by("-id")
                .values_list("id", "entry_hash").first())
        if last is None:
            return 0
        last_id, last_hash = last
        first_id = AuditEntry.objects.order_by("id").values_list("id", flat=True).first()
        permit = RetentionPermit.objects.create(reason=reason[:300])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id <= %s", [last_id])  # noqa: S608 - table and column names are the models' own, values are bound parameters # nosec B608
            deleted = cursor.rowcount
        permit.delete()
        head = ChainHead.objects.get(pk=_HEAD)
        head.base_after_id, head.base_hash = last_id, last_hash
        head.signature = head.compute_signature()
        head.save(update_fields=["base_after_id", "base_hash", "signature"])
        record(actor=actor, action=AuditEntry.Action.PURGE, object_type="audit.auditentry",
               object_repr=f"entries {first_id}–{last_id}",
               detail={"deleted": deleted, "first_id": first_id, "last_id": last_id, "cutoff": cutoff.isoformat(),
                       "reason": reason, "base_hash": last_hash})
    return deleted
