"""The engine settings the app relies on, checked on the engine the suite runs against."""

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
