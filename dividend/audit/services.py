"""Writing and verifying the audit log."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .context import current
from .models import AuditEntry

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises chain appends.
_PG_CHAIN_LOCK = 727_001


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])
    # SQLite: transactions are IMMEDIATE (settings), so writers are already serialised.


def _entry(*, actor, ctx, timestamp, action: str, obj=None, object_type: str = "", object_id="",
           object_repr: str = "", fields=(), detail=None) -> AuditEntry:
    """An unsaved entry, not yet linked into the chain."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        timestamp=timestamp,
        actor=actor_user,
        actor_label=actor_user.get_username() if actor_user else (getattr(actor, "label", None) or "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        fields=sorted(fields),
        detail=detail or {},
        channel=ctx.channel,
        ip_address=ctx.ip_address,
        path=ctx.path,
    )


def record(*, actor, action: str, obj=None, object_type: str = "", object_id="", object_repr: str = "",
           fields=(), detail=None) -> AuditEntry:
    """Append one entry to the chain.

    Steps: 1. take the chain lock; 2. read the last hash; 3. build the entry with the request or
    command context; 4. save it and store its hash.
    """
    return record_many(actor=actor, entries=[dict(action=action, obj=obj, object_type=object_type,
                                                  object_id=object_id, object_repr=object_repr, fields=fields,
                                                  detail=detail)])[0]


def record_many(*, actor, entries: list[dict]) -> list[AuditEntry]:
    """Append several entries by one actor to the chain at once, in the given order (an import's
    one entry per officer); each dict takes record()'s other keyword arguments.

    Steps: 1. take the chain lock; 2. read the last hash; 3. build each entry with the request or
    command context and link it to the one before; 4. insert them together.
    """
    ctx = current()
    timestamp = timezone.now()
    built = [_entry(actor=actor, ctx=ctx, timestamp=timestamp, **entry) for entry in entries]
    with transaction.atomic():
        _lock_chain()
        previous = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS_HASH
        for entry in built:
            entry.previous_hash = previous
            entry.entry_hash = previous = entry.compute_hash()
        if len(built) == 1:
            built[0].save()
        else:
            AuditEntry.objects.bulk_create(built, batch_size=1000)
    return built


@dataclass
class ChainProblem:
    entry_id: int
    problem: str

    def __str__(self):
        return f"entry {self.entry_id}: {self.problem}"


def verify_chain(batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the chain in id order and report each place it breaks.

    - altered row: its stored hash no longer matches its content (the hash is keyed, so it cannot
      be recomputed without the key);
    - inserted row: same, its hash cannot be right without the key, and the next entry's link breaks;
    - deleted row: the next entry's previous_hash is the hash of no entry we saw before it.
    """
    problems: list[ChainProblem] = []
    previous_hash = GENESIS_HASH
    previous_id = None
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.compute_hash() != entry.entry_hash:
                problems.append(ChainProblem(entry.pk, "content does not match its hash (altered or inserted)"))
            if entry.previous_hash != previous_hash:
                if previous_id is not None and entry.pk != previous_id + 1:
                    problems.append(ChainProblem(
                        entry.pk, f"the entry before it is missing: ids {previous_id + 1}–{entry.pk - 1} were deleted"))
                elif previous_id is None and entry.previous_hash != GENESIS_HASH:
                    problems.append(ChainProblem(entry.pk, "the entries before it were deleted"))
                else:
                    problems.append(ChainProblem(
                        entry.pk, f"does not follow entry {previous_id}: an entry was deleted, inserted or altered"))
            previous_hash = entry.entry_hash
            previous_id = entry.pk
        last_id = batch[-1].pk
    return problems
