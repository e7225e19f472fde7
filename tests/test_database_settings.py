"""The engine settings the app relies on, checked on the engine the suite runs against."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_engine_settings():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"


# Run in a fresh interpreter: the settings are read once per process, and the suite's own database
# may be PostgreSQL.
SQLITE_URL_SCRIPT = """
import os, sqlite3, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x integer)")
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
# Another writer holds the write lock for a second: this one's transaction waits for it (busy timeout,
# IMMEDIATE begin), where a deferred one that read first would fail at once with "database is locked".
holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
holder.execute("BEGIN IMMEDIATE")
holder.execute("INSERT INTO t VALUES (1)")
threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
started = time.monotonic()
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        cursor.execute("INSERT INTO t VALUES (2)")
print(journal, busy, connection.transaction_mode, round(time.monotonic() - started) >= 1)
"""


def test_sqlite_chosen_by_database_url_gets_the_sqlite_options(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'url.sqlite3'}",
               DJANGO_SETTINGS_MODULE="dividend.settings", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, "-c", SQLITE_URL_SCRIPT], env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE", "True"]
def _officer_planner_state():
    """(rows the planner believes roster_officer has, whether every page is marked all-visible)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One row per index; its first number is the table's row count.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'roster_officer' LIMIT 1")
            row = cursor.fetchone()
            return (int(row[0].split()[0]) if row else None), None
        cursor.execute("SELECT reltuples, relpages, relallvisible FROM pg_class WHERE relname = 'roster_officer'")
        tuples, pages, visible = cursor.fetchone()
        return int(tuples), pages > 0 and visible == pages


@pytest.mark.django_db(transaction=True)
def test_bulk_load_housekeeping_outside_a_transaction():
    """Asked to, outside a transaction PostgreSQL vacuums too: index-only scans then skip the loaded rows."""
    from dividend.common.database import refresh_planner_statistics

    from .factories import make_officer, make_pool

    pool = make_pool()
    for _ in range(3):
        make_officer(pool)
    refresh_planner_statistics(vacuum=True)
    assert _officer_planner_state() == (3, None if connection.vendor == "sqlite" else True)


def test_bulk_load_housekeeping_inside_a_transaction():
    """Inside a transaction (VACUUM cannot run there) the statistics are still refreshed."""
    from dividend.common.database import refresh_planner_statistics

    from .factories import make_officer, make_pool

    pool = make_pool()
    for _ in range(4):
        make_officer(pool)
    refresh_planner_statistics(vacuum=True)
    assert _officer_planner_state()[0] == 4
