"""Audit tampering (issue 8, §7.3): random tamperings of the audit log, each must be detected.

Every round writes a fresh chain of entries, then tampers as the database's owner would (the
append-only triggers dropped, raw SQL: the application cannot do any of this), then asks
`verify_chain` (what `manage.py verify_audit` runs). A round whose tampering is not reported is a
failure. Each round runs in a transaction that is rolled back, triggers included.

Kinds: edit one column of one entry (every stored column), delete one entry anywhere (the first,
the middle, the newest), insert a forged entry (at the end, or in the middle with the later ids
shifted), reorder (swap two entries' ids), truncate (the newest k, everything, the oldest k), and
truncate while moving the chain head to the new end (without the audit key: unsigned).
"""

import datetime as dt
import random
import secrets

from robustness.common import Check

ROUNDS = {"full": 1000, "ci": 100}
TRIGGERS = [("audit_entry_no_update", "audit_auditentry"), ("audit_auditentry_no_delete", "audit_auditentry"),
            ("audit_chainhead_no_delete", "audit_chainhead")]
TABLE = "audit_auditentry"
TEXT_COLUMNS = ("actor_label", "action", "object_type", "object_id", "object_repr", "channel", "ip_address",
                "path", "previous_hash", "entry_hash")
EDITABLE = ("timestamp", "actor_id", "fields", "detail", *TEXT_COLUMNS)


class _Rollback(Exception):
    pass


def _drop_triggers(cursor, vendor):
    for name, table in TRIGGERS:
        cursor.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if vendor == "postgresql" else ""))


def _write_chain(rng, users):
    from dividend.audit.services import record

    n = rng.randint(3, 12)
    entries = []
    for i in range(n):
        entries.append(record(actor=rng.choice(users), action=rng.choice(["read", "update", "create", "export"]),
                              object_type="roster.officer", object_id=str(rng.randint(1, 10**6)),
                              object_repr=f"Officer {i}", fields=rng.sample(["email", "phone", "rank", "medical"], 2),
                              detail={"round": i}))
    return entries


def _changed_text(rng, value: str, column: str) -> str:
    if column in ("previous_hash", "entry_hash"):
        i = rng.randrange(len(value))
        return value[:i] + ("0" if value[i] != "0" else "1") + value[i + 1:]
    options = [value + rng.choice("x ."), value.upper() if value != value.upper() else value.lower(), "forged"]
    if value:
        options.append("")
    return rng.choice([o for o in options if o != value] or [value + "x"])


def _edit(rng, cursor, connection, entries, users):
    from dividend.audit.models import AuditEntry

    entry = rng.choice(entries)
    column = rng.choice(EDITABLE)
    ops = connection.ops
    if column == "timestamp":
        value = ops.adapt_datetimefield_value(entry.timestamp + dt.timedelta(seconds=rng.choice([-3600, -1, 1, 86400])))
    elif column == "actor_id":
        choices = [None, *(u.pk for u in users if u is not None)]
        value = rng.choice([c for c in choices if c != entry.actor_id])
    elif column == "fields":
        value = ops.adapt_json_value([*entry.fields, "salary"] if rng.random() < 0.5 else entry.fields[:-1], None)
    elif column == "detail":
        value = ops.adapt_json_value({**entry.detail, "round": -1} if rng.random() < 0.5 else {}, None)
    else:
        value = _changed_text(rng, getattr(AuditEntry.objects.get(pk=entry.pk), column), column)
    cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, entry.pk])  # noqa: S608 - column from EDITABLE
    return f"edit {column}"


def _delete_one(rng, cursor, connection, entries, users):
    where = rng.choice(["first", "middle", "newest"])
    entry = {"first": entries[0], "newest": entries[-1]}.get(where) or rng.choice(entries[1:-1])
    cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608 - constant table
    return f"delete {where}"


def _forged_row(rng, cursor, template_id, previous_hash):
    cursor.execute("SELECT timestamp, actor_id, actor_label, action, object_type, object_id, object_repr, fields, "  # noqa: S608
                   f"detail, channel, ip_address, path FROM {TABLE} WHERE id = %s", [template_id])
    row = list(cursor.fetchone())
    row[6] = "Forged entry"
    return [*row, previous_hash, secrets.token_hex(32)]


_INSERT = (f"INSERT INTO {TABLE} (id, timestamp, actor_id, actor_label, action, object_type, object_id, "  # noqa: S608
           "object_repr, fields, detail, channel, ip_address, path, previous_hash, entry_hash) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def _insert(rng, cursor, connection, entries, users):
    if rng.random() < 0.5:  # at the end, linked to the newest entry's hash
        last = entries[-1]
        cursor.execute(_INSERT, [last.pk + 1, *_forged_row(rng, cursor, rng.choice(entries).pk, last.entry_hash)])
        return "insert at the end"
    i = rng.randrange(1, len(entries))  # before entries[i]: shift it and the later ones up by one
    shift = 10**9
    cursor.execute(f"UPDATE {TABLE} SET id = id + %s WHERE id >= %s", [shift, entries[i].pk])  # noqa: S608
    cursor.execute(f"UPDATE {TABLE} SET id = id - %s + 1 WHERE id >= %s", [shift, shift])  # noqa: S608
    cursor.execute(_INSERT, [entries[i].pk, *_forged_row(rng, cursor, entries[0].pk, entries[i - 1].entry_hash)])
    return "insert in the middle"


def _reorder(rng, cursor, connection, entries, users):
    a, b = rng.sample(entries, 2)
    cursor.execute(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [-1, a.pk])  # noqa: S608
    cursor.execute(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [a.pk, b.pk])  # noqa: S608
    cursor.execute(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [b.pk, -1])  # noqa: S608
    return "reorder"


def _truncate(rng, cursor, connection, entries, users):
    how = rng.choice(["newest", "all", "oldest", "newest, head moved"])
    k = rng.randint(1, len(entries) - 1)
    if how == "all":
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    elif how == "oldest":
        cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [entries[k - 1].pk])  # noqa: S608
    else:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [entries[-k].pk])  # noqa: S608
        if how.endswith("head moved"):  # the owner points the head at the new end; he cannot sign it
            new_last = entries[-k - 1]
            cursor.execute("UPDATE audit_chainhead SET last_entry_id = %s, last_hash = %s",
                           [new_last.pk, new_last.entry_hash])
    return f"truncate {how}"


KINDS = [_edit, _delete_one, _insert, _reorder, _truncate]


def _check(*, mode, seed, result):
    from django.db import connection, transaction

    from dividend.audit.services import verify_chain
    from dividend.pools.models import Role
    from tests.factories import make_user

    result.unit = "tamperings"
    rng = random.Random(seed)
    users = [None, make_user(Role.COORDINATOR, national=True, username="tamper_a"),
             make_user(Role.AUDITOR, national=True, username="tamper_b")]
    missed: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for _ in range(ROUNDS[mode]):
        try:
            with transaction.atomic():
                entries = _write_chain(rng, users)
                assert verify_chain() == [], "a fresh chain does not verify"
                with connection.cursor() as cursor:
                    _drop_triggers(cursor, connection.vendor)
                    kind = rng.choice(KINDS)(rng, cursor, connection, entries, users)
                kinds[kind] = kinds.get(kind, 0) + 1
                result.count += 1
                if not verify_chain():
                    result.failures += 1
                    missed[kind] = missed.get(kind, 0) + 1
                raise _Rollback
        except _Rollback:
            pass
    result.notes.append(f"{len(kinds)} kinds of tampering, on {connection.vendor}")
    for kind, n in sorted(missed.items()):
        result.notes.append(f"NOT detected: {kind} ({n} of {kinds[kind]})")


check = Check("audit-tampering", _check)
