"""Full-text search on field reports with each engine's own machinery (reports.search).

The table reports_reportsearchtext holds the derived text of each report; on top of it:
SQLite: the FTS5 table reports_search_fts (external content; new rows are indexed by
reports.search.store_texts in the same statement batch: an insert trigger made FTS5 flush a segment,
and merge, per row; updates and deletes by triggers);
PostgreSQL: a tsvector column `vector` (title weighted A, the rest B) set by a trigger, GIN index.
"""

import django.db.models.deletion
from django.db import migrations, models


SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE reports_search_fts USING fts5(title, text, content='reports_reportsearchtext', "
    "content_rowid='report_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER reports_search_fts_delete AFTER DELETE ON reports_reportsearchtext BEGIN "
    "INSERT INTO reports_search_fts(reports_search_fts, rowid, title, text) "
    "VALUES ('delete', old.report_id, old.title, old.text); END",
    "CREATE TRIGGER reports_search_fts_update AFTER UPDATE ON reports_reportsearchtext BEGIN "
    "INSERT INTO reports_search_fts(reports_search_fts, rowid, title, text) "
    "VALUES ('delete', old.report_id, old.title, old.text); "
    "INSERT INTO reports_search_fts(rowid, title, text) VALUES (new.report_id, new.title, new.text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_search_fts_update",
    "DROP TRIGGER IF EXISTS reports_search_fts_delete",
    "DROP TABLE IF EXISTS reports_search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE reports_reportsearchtext ADD COLUMN vector tsvector",
    "CREATE FUNCTION reports_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.vector := setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') "
    "|| setweight(to_tsvector('simple', coalesce(NEW.text, '')), 'B'); RETURN NEW; END $$",
    "CREATE TRIGGER reports_search_vector BEFORE INSERT OR UPDATE OF title, text ON reports_reportsearchtext "
    "FOR EACH ROW EXECUTE FUNCTION reports_search_vector()",
    "CREATE INDEX reports_search_vector_gin ON reports_reportsearchtext USING GIN (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS reports_search_vector_gin",
    "DROP TRIGGER IF EXISTS reports_search_vector ON reports_reportsearchtext",
    "DROP FUNCTION IF EXISTS reports_search_vector()",
    "ALTER TABLE reports_reportsearchtext DROP COLUMN IF EXISTS vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_monthly_report'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportSearchText',
            fields=[
                ('report', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_text', serialize=False, to='reports.fieldreport')),
                ('title', models.TextField()),
                ('text', models.TextField()),
            ],
            options={
                'verbose_name': 'search text of a field report',
                'verbose_name_plural': 'search texts of field reports',
            },
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
