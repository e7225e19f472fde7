"""Backups of the whole database with each engine's own tools, and what is needed to check them.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL: `pg_dump` in
custom format from an exported snapshot, so the row counts taken in that snapshot are the ones the
archive holds, and `pg_restore`. Nothing here knows Dividend's tables: the workflow that verifies
the audit chain is `dividend.site.backups`.
"""

import contextlib
import copy
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump and pg_restore, found on PATH, never a shell
import uuid
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend

from .collation import register_sqlite_collations


class BackupError(Exception):
    """A backup or restore that cannot be done or did not verify; the message says why."""


def vendor(using: str = "default") -> str:
    return connections[using].vendor


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows per table (views left out), on the given connection, in the current transaction."""
    conn = connections[using]
    with conn.cursor() as cursor:
        names = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")  # noqa: S608 - names from the catalogue, quoted # nosec B608
            counts[name] = cursor.fetchone()[0]
    return counts


@contextlib.contextmanager
def other_database(name, using: str = "default", read_only: bool = False):
    """A temporary connection alias to another database on the same engine and server as `using`
    (SQLite: a file path; PostgreSQL: a database name). Yields the alias. A read-only SQLite file
    is opened as such, without the app's pragmas (WAL would rewrite the backup's header)."""
    alias = f"backup_{uuid.uuid4().hex[:12]}"
    settings_dict = copy.deepcopy(connections.settings[using])
    settings_dict["NAME"] = str(name)
    settings_dict["CONN_MAX_AGE"] = 0
    if read_only and settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = f"file:{Path(name).resolve()}?mode=ro"
        settings_dict["OPTIONS"] = {}
    # Set on the handler, not added to DATABASES: a connection for this task only.
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


# --- SQLite -------------------------------------------------------------------------------------

def sqlite_backup(path: Path, inspect, using: str = "default"):
    """Copy the database into `path` with SQLite's online backup API, in one read transaction, and
    return what `inspect(alias)` (row counts, the audit chain) finds in that same snapshot."""
    conn = connections[using]
    conn.ensure_connection()
    raw = conn.connection
    if conn.in_atomic_block:
        raise BackupError("Back up outside a transaction.")
    if Path(path).exists():
        raise BackupError(f"{path} exists: give a new file name.")
    target = sqlite3.connect(str(path))
    try:
        raw.execute("BEGIN")  # a read snapshot: writers in WAL mode go on, unseen by the copy
        try:
            snapshot = inspect(using)
            raw.backup(target)
        finally:
            raw.execute("COMMIT")
        # A self-contained file: the copy takes the source's WAL mode, whose side files a reader
        # would create next to it (or fail to, on read-only media).
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    return snapshot


def sqlite_counts(path: Path) -> dict[str, int]:
    """Rows per table of a SQLite file, opened read-only."""
    with other_database(path, read_only=True) as alias:
        return table_counts(alias)


def sqlite_is_empty(path: Path) -> bool:
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        return True
    db = sqlite3.connect(str(path))
    try:
        return db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0
    finally:
        db.close()


def sqlite_check_file(path: Path) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    register_sqlite_collations(db)  # the check reads indexes sorted by them
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc}).") from exc
    finally:
        db.close()
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")


def sqlite_restore(path: Path, target: Path) -> None:
    """Replace the whole content of the database file `target` (schema, triggers, rows) with the
    backup's, page by page."""
    sqlite_check_file(path)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        destination.close()


# --- PostgreSQL ---------------------------------------------------------------------------------

def file_engine(path: Path) -> str:
    """"sqlite" or "postgresql", read from the file's first bytes."""
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from exc
    if start.startswith(b"SQLite format 3\0"):
        return "sqlite"
    if start.startswith(b"PGDMP"):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive.")


def _pg_env(settings_dict: dict, name: str | None = None) -> dict:
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = name or settings_dict["NAME"]
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 - fixed tools, no shell # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.returncode}")
    return result


def pg_backup(path: Path, inspect, using: str = "default"):
    """pg_dump (custom format) from a snapshot exported by the app's own connection, in which
    `inspect(alias)` also runs (row counts, the audit chain): what it finds is what the archive holds."""
    conn = connections[using]
    if conn.in_atomic_block:
        raise BackupError("Back up outside a transaction.")
    if Path(path).exists():
        raise BackupError(f"{path} exists: give a new file name.")
    pg_dump = _tool("pg_dump")
    conn.ensure_connection()
    raw = conn.connection
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
        snapshot = inspect(using)
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
              f"--file={path}"], _pg_env(conn.settings_dict))
    finally:
        raw.rollback()
        raw.autocommit = True
    return snapshot


_COPY = re.compile(r'^COPY (?:"?[\w]+"?\.)?"?([\w]+)"? \(.*\) FROM stdin;$')


def pg_archive_counts(path: Path) -> dict[str, int]:
    """Rows per table inside a custom-format archive, read by pg_restore itself (COPY text: one
    line per row, newlines inside values escaped)."""
    pg_restore = _tool("pg_restore")
    counts, table = {}, None
    with subprocess.Popen([pg_restore, "--data-only", "--file=-", str(path)], stdout=subprocess.PIPE,  # noqa: S603 # nosec B603 - pg_restore reading the given file, no shell
                          stderr=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            if table is None:
                match = _COPY.match(line.rstrip("\n"))
                if match:
                    table = match.group(1)
                    counts[table] = 0
            elif line == "\\.\n":
                table = None
            else:
                counts[table] += 1
        error = process.stderr.read()
    if process.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {error.strip()}")
    return counts


def pg_database_exists(name: str, using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def pg_create_database(name: str, using: str = "default") -> None:
    conn = connections[using]
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {conn.ops.quote_name(name)}")


def pg_drop_database(name: str, using: str = "default") -> None:
    conn = connections[using]
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {conn.ops.quote_name(name)} WITH (FORCE)")


def pg_is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")
        return cursor.fetchone()[0] == 0


def pg_clear(alias: str) -> None:
    """Drop everything in the target's schema (asked for with --force)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        quoted = connections[alias].ops.quote_name(schema)
        cursor.execute(f"DROP SCHEMA {quoted} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quoted}")


def pg_restore(path: Path, alias: str) -> None:
    """pg_restore into the (empty) database of `alias`, all or nothing (one transaction). Tables
    are filled before the triggers are created, so the audit log's triggers refuse nothing."""
    conn = connections[alias]
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={conn.settings_dict['NAME']}", str(path)], _pg_env(conn.settings_dict))
