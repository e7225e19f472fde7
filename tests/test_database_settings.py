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
