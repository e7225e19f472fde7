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
