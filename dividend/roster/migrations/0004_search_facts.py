"""Search facts (roster.facts): a token line per officer, indexed by each engine's full-text machinery.

The column is added with plain ALTER TABLE on both engines: Django's SQLite schema editor would
rebuild roster_officer for a NOT NULL column, which drops the full-text triggers of 0002.
SQLite: an FTS5 table over roster_officer.search_facts (detail=none: only which officers hold a
token is needed) kept in sync by triggers. PostgreSQL: a GIN index on to_tsvector('simple',
search_facts), without the pending list (fastupdate off) so searches never scan unmerged entries.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE roster_officer_facts USING fts5(search_facts, content='roster_officer', "
    "content_rowid='id', detail='none')",
    "CREATE TRIGGER roster_officer_facts_insert AFTER INSERT ON roster_officer BEGIN "
    "INSERT INTO roster_officer_facts(rowid, search_facts) VALUES (new.id, new.search_facts); END",
    "CREATE TRIGGER roster_officer_facts_delete AFTER DELETE ON roster_officer BEGIN "
    "INSERT INTO roster_officer_facts(roster_officer_facts, rowid, search_facts) "
    "VALUES ('delete', old.id, old.search_facts); END",
    "CREATE TRIGGER roster_officer_facts_update AFTER UPDATE OF search_facts ON roster_officer BEGIN "
    "INSERT INTO roster_officer_facts(roster_officer_facts, rowid, search_facts) "
    "VALUES ('delete', old.id, old.search_facts); "
    "INSERT INTO roster_officer_facts(rowid, search_facts) VALUES (new.id, new.search_facts); END",
    "INSERT INTO roster_officer_facts(roster_officer_facts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS roster_officer_facts_update",
    "DROP TRIGGER IF EXISTS roster_officer_facts_delete",
    "DROP TRIGGER IF EXISTS roster_officer_facts_insert",
    "DROP TABLE IF EXISTS roster_officer_facts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX roster_officer_facts_gin ON roster_officer USING GIN (to_tsvector('simple', search_facts)) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS roster_officer_facts_gin"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    # Facts are filled by the application (refresh_search_facts); the roster is empty when this runs.
    dependencies = [("roster", "0003_search_covering_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(
                model_name="officer", name="search_facts",
                field=models.TextField(blank=True, default="", editable=False))],
            database_operations=[migrations.RunSQL(
                "ALTER TABLE roster_officer ADD COLUMN search_facts text NOT NULL DEFAULT ''",
                "ALTER TABLE roster_officer DROP COLUMN search_facts")],
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
