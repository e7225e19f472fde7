"""Full-text search on officers with each engine's own machinery.

SQLite: an FTS5 table over roster_officer.search_document kept in sync by triggers.
PostgreSQL: a GIN index on to_tsvector('simple', search_document).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE roster_officer_fts USING fts5(search_document, content='roster_officer', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER roster_officer_fts_insert AFTER INSERT ON roster_officer BEGIN "
    "INSERT INTO roster_officer_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER roster_officer_fts_delete AFTER DELETE ON roster_officer BEGIN "
    "INSERT INTO roster_officer_fts(roster_officer_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER roster_officer_fts_update AFTER UPDATE OF search_document ON roster_officer BEGIN "
    "INSERT INTO roster_officer_fts(roster_officer_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO roster_officer_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS roster_officer_fts_update",
    "DROP TRIGGER IF EXISTS roster_officer_fts_delete",
    "DROP TRIGGER IF EXISTS roster_officer_fts_insert",
    "DROP TABLE IF EXISTS roster_officer_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX roster_officer_search_gin ON roster_officer USING GIN (to_tsvector('simple', search_document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS roster_officer_search_gin"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("roster", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
