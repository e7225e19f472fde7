"""Engine housekeeping the app does itself."""

from django.db import connection


def refresh_planner_statistics() -> None:
    """After a bulk load: give the query planner fresh statistics.

    SQLite never gathers them on its own (without them it picks poor plans for the roster search);
    PostgreSQL's autovacuum would, but only some time after the load.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
