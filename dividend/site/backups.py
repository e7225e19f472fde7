"""Backing up and restoring the whole database, each checked: row counts per table and the audit chain.

The engine's own tools do the copying (`dividend.common.backup`); this module decides what counts
as a good copy and writes the audit log (docs/operations.md, "Backup and restore").
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections

from dividend.audit.models import AuditEntry
from dividend.audit.services import check_chain, record
from dividend.common import backup as engine
from dividend.common.backup import BackupError


@dataclass
class BackupReport:
    path: Path
    engine: str
    counts: dict[str, int]
    audit_entries: int
    audit_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _inspect(alias: str) -> tuple[dict[str, int], object]:
    return engine.table_counts(alias), check_chain(using=alias)


def _differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [f"{name}: {expected.get(name, 'missing')} rows expected, {found.get(name, 'missing')} found"
            for name in sorted(set(expected) | set(found)) if expected.get(name) != found.get(name)]


def backup_database(*, actor, path) -> BackupReport:
    """Write a backup of the configured database to `path` (a new file) and verify it.

    Steps: 1. copy with the engine's tool (SQLite: online backup API; PostgreSQL: pg_dump custom
    format from an exported snapshot), counting rows per table and walking the audit chain in the
    very snapshot copied; 2. verify the file: its row counts per table equal the snapshot's (SQLite:
    integrity check, and the chain walked again in the copy; PostgreSQL: counted by pg_restore from
    the archive); 3. audit the backup as an export (after it: the copy does not hold this entry).
    A broken audit chain does not stop the backup (it is evidence); the report lists its problems.
    Raises BackupError if the copy fails or does not verify.
    """
    started = time.perf_counter()
    path = Path(path)
    kind = engine.vendor()
    if kind == "sqlite":
        counts, chain = engine.sqlite_backup(path, _inspect)
        engine.sqlite_check_file(path)
        with engine.other_database(path, read_only=True) as alias:
            written, written_chain = _inspect(alias)
        if [str(p) for p in written_chain.problems] != [str(p) for p in chain.problems]:
            raise BackupError(f"The audit chain in {path} differs from the database's.")
    elif kind == "postgresql":
        counts, chain = engine.pg_backup(path, _inspect)
        written = engine.pg_archive_counts(path)
    else:
        raise BackupError(f"No backup for the {kind} engine.")
    differences = _differences(counts, written)
    if differences:
        raise BackupError(f"{path} does not hold what was copied: {'; '.join(differences)}")
    report = BackupReport(path=path, engine=kind, counts=counts, audit_entries=chain.entries,
                          audit_problems=[str(p) for p in chain.problems],
                          seconds=round(time.perf_counter() - started, 2))
    record(actor=actor, action=AuditEntry.Action.EXPORT, object_type="database", object_repr=path.name,
           detail={"file": str(path.resolve()), "engine": kind, "tables": len(counts), "rows": report.rows,
                   "audit_entries": chain.entries, "audit_last_entry_id": chain.last_entry_id})
    return report


def default_target() -> str:
    return str(connections["default"].settings_dict["NAME"])


def restore_database(*, actor, path, target: str | None = None, force: bool = False) -> BackupReport:
    """Restore a backup into `target` (SQLite: a file; PostgreSQL: a database on the configured
    server; default: the configured database) and verify it.

    Steps: 1. read the backup (engine of the file must be the configured one; SQLite: integrity
    check; both: its row counts per table); 2. refuse a target that holds any table unless `force`
    (then its content is replaced whole); 3. restore with the engine's tool (schema, rows, the
    audit tables' triggers and chain head exactly as backed up); 4. verify: the restored row counts
    equal the backup's, and the audit chain is intact; 5. audit the restore in the restored
    database when it is the configured one (an entry after the verified copy).
    Raises BackupError on any refusal or failed check.
    """
    started = time.perf_counter()
    path = Path(path)
    kind = engine.vendor()
    if not path.is_file():
        raise BackupError(f"No file {path}.")
    file_kind = engine.file_engine(path)
    if file_kind != kind:
        raise BackupError(f"{path} is a {file_kind} backup; the configured database is {kind}.")
    target = str(target or default_target())
    is_default = target == default_target()
    if is_default:
        connections["default"].close()  # SQLite: the file is about to be replaced
    if kind == "sqlite":
        engine.sqlite_check_file(path)
        expected = engine.sqlite_counts(path)
        if not force and not engine.sqlite_is_empty(Path(target)):
            raise BackupError(f"{target} is not empty: restore into a new file, or replace it with --force.")
        engine.sqlite_restore(path, Path(target))
    else:
        expected = engine.pg_archive_counts(path)
        if not engine.pg_database_exists(target):
            engine.pg_create_database(target)
        with engine.other_database(target) as alias:
            if not engine.pg_is_empty(alias):
                if not force:
                    raise BackupError(f"Database {target} is not empty: restore into a new database, "
                                      "or replace its content with --force.")
                engine.pg_clear(alias)
            connections[alias].close()
            engine.pg_restore(path, alias)
    with engine.other_database(target) as alias:
        found, chain = _inspect(alias)
    differences = _differences(expected, found)
    if differences:
        raise BackupError(f"The restored database differs from {path}: {'; '.join(differences)}")
    if chain.problems:
        raise BackupError(f"The restored audit log is broken in {len(chain.problems)} place(s): {chain.problems[0]}")
    report = BackupReport(path=path, engine=kind, counts=found, audit_entries=chain.entries,
                          seconds=round(time.perf_counter() - started, 2))
    if is_default:
        record(actor=actor, action=AuditEntry.Action.IMPORT, object_type="database", object_repr=path.name,
               detail={"file": str(path.resolve()), "engine": kind, "tables": len(found), "rows": report.rows,
                       "audit_entries": chain.entries, "audit_last_entry_id": chain.last_entry_id})
    return report
