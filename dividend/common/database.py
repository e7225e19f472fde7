"""Engine housekeeping the app does itself."""

from django.db import connection
from django.utils import timezone


def refresh_planner_statistics(tables: list[str] | None = None, *, vacuum: bool = False) -> None:
    """After a bulk load: give the query planner fresh statistics, for the given tables (None: all).

    SQLite never gathers them on its own (without them it picks poor plans for the roster search);
    PostgreSQL's autovacuum would, but only some time after the load. Naming the tables a load
    wrote matters: ANALYZE of every table took 2.1 s of a 10,000-officer import on PostgreSQL.

    `vacuum` (PostgreSQL): VACUUM (ANALYZE), which also marks the loaded pages all-visible; until
    autovacuum does that, an index-only scan (the roster's per-gender counts) still reads every row
    it finds. VACUUM cannot run inside a transaction: there (a caller's atomic block, tests) only
    ANALYZE.
    """
    command = "ANALYZE"
    if vacuum and connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        if tables is None:
            cursor.execute(command)
        elif connection.vendor == "postgresql":
            cursor.execute(f"{command} " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:  # SQLite analyses one table (or schema) per statement
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))


def analyze_after_load(tables: list[str]) -> None:
    """After a load into a database in use (an import): fresh planner statistics for its tables,
    where the engine does not gather them itself.

    SQLite never does: ANALYZE the tables (under 0.1 s at 100,000 officers). PostgreSQL's autovacuum
    analyses a table once a tenth of its rows changed (autovacuum_analyze_scale_factor), within a
    minute (autovacuum_naptime): an import waits for it only when autovacuum is off. An ANALYZE of
    the roster tables took 1.0 to 2.1 s of a 10,000-officer import there (the tsvector expression
    indexes are sampled), a fifth of its time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            if cursor.fetchone()[0] == "on":
                return
    refresh_planner_statistics(tables)



BULK_PAGE_CACHE_MIB = 256


def bulk_page_cache(mib: int = BULK_PAGE_CACHE_MIB) -> None:
    """Before a bulk load on SQLite: let this connection cache up to `mib` MiB of pages (SQLite's
    default is 2 MiB; PostgreSQL's cache is the server's, nothing to do). The memory is taken only
    as pages are read, and kept for the connection's life.

    Why: a load of many small rows into large indexes (the near-duplicate bands: 24 random
    insertions and 24 probes a report, each insertion also looking up its report for the foreign
    key) re-reads the same index pages batch after batch; with 2 MiB they are read again from the
    file each time. 12,000 band rows into a 20,000-report database: 135 to 200 ms with the default
    cache, 66 to 74 ms with 256 MiB."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (current,) = cursor.fetchone()
        wanted = -mib * 1024  # negative: KiB rather than pages
        # A positive value counts pages (of 4 KiB by default): compare in KiB.
        if (current < 0 and current > wanted) or (current >= 0 and current * 4 < mib * 1024):
            cursor.execute(f"PRAGMA cache_size = {int(wanted)}")  # noqa: S608 # nosec B608 - an integer

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
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - table and column names are the models' own, values are bound parameters, quoted by the backend # nosec B608
        self.copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        self.rows: list[tuple] = []

    def add(self, row: tuple):
        self.rows.append(row + self.defaults)

    def add_many(self, rows):
        self.rows.extend(row + self.defaults for row in rows)

    def flush(self):
        if not self.rows:
            return
        _write(self.sql, self.copy_sql, self.rows)
        self.rows = []


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain tuples into a table: COPY on PostgreSQL, executemany elsewhere (see BulkRowWriter).
    Values must already be in the database's form (connection.ops.adapt_*)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    _write(f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608 - table and column names are the models' own, values are bound parameters, quoted by the backend # nosec B608
           f"COPY {quote(table)} ({names}) FROM STDIN", rows)


def _write(insert_sql: str, copy_sql: str, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one round trip instead of one per row
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(insert_sql, rows)
