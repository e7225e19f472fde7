"""The table of the SQLite full-text index's terms (reports.search: a word searched as a prefix is
looked up there and searched as the terms it begins). Filled here from FTS5's own list of its
terms (fts5vocab), so that reports filed before keep being found; empty on PostgreSQL."""

from django.db import migrations, models

FILL = [
    "CREATE VIRTUAL TABLE temp.reports_search_fts_terms_0011 USING fts5vocab(main, reports_search_fts, row)",
    "INSERT OR IGNORE INTO reports_reportsearchterm(term) SELECT substr(term, 1, 64) FROM temp.reports_search_fts_terms_0011",
    "DROP TABLE temp.reports_search_fts_terms_0011",
]


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FILL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0010_duplicate_pending_bands'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportSearchTerm',
            fields=[
                ('term', models.CharField(max_length=64, primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'search term of the field reports',
                'verbose_name_plural': 'search terms of the field reports',
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
