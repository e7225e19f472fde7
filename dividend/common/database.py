"""Engine housekeeping the app does itself."""

from django.db import connection
from django.utils import timezone


def refresh_planner_statistics() -> None:
    """After a bulk load: give the query planner fresh statistics.

    SQLite never gathers them on its own (without them it picks poor plans for the roster search).
    PostgreSQL: VACUUM (ANALYZE), which also marks the loaded pages all-visible; until then an
    index-only scan (the roster's per-gender counts) still reads every row it finds. Autovacuum
    would do both, but only some time after the load, and not at all where it is turned off.
    VACUUM cannot run inside a transaction: there (a caller's atomic block, tests) only ANALYZE.
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


class BulkRowWriter:
    """Plain INSERT ... executemany (SQLite) or COPY (PostgreSQL) for bulk loads of many small rows:
    several times faster than bulk_create, which compiles SQL per object. Columns not given get the
    field's default, so a field added to the model later does not break the load."""

    def __init__(self, model, names: list[str]):
        meta = model._meta
        given = [meta.get_field(name) for name in names]
        rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
        now = timezone.now()
        self.defaults = tuple(
            f.get_db_prep_save(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                               else f.get_default(), connection) for f in rest)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in given + rest)
        placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
        self.copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        self.rows: list[tuple] = []

    def add(self, row: tuple):
        self.rows.append(row + self.defaults)

    def add_many(self, rows):
        self.rows.extend(row + self.defaults for row in rows)

    def flush(self):
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: one round trip instead of one per row
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.rows = []
