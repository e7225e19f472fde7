"""Facets in the search text (reports.search.facets): tokens of each report's author, mission, themes,
countries and the months its period covers, so that SQLite's FTS5 intersects a filtered search's
postings before it reads a report. Existing rows get their facets here; on SQLite the FTS5 table is
made again with the third column, and its triggers with it, and rebuilt from the table.

The facets are computed here as reports.search.facets computed them when this was written (a
migration must not change with later code)."""

from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_search_fts_update",
    "DROP TRIGGER IF EXISTS reports_search_fts_delete",
    "DROP TABLE IF EXISTS reports_search_fts",
]


def fts_statements(columns):
    names = ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE reports_search_fts USING fts5({names}, content='reports_reportsearchtext', "
        "content_rowid='report_id', tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER reports_search_fts_delete AFTER DELETE ON reports_reportsearchtext BEGIN "
        f"INSERT INTO reports_search_fts(reports_search_fts, rowid, {names}) "
        f"VALUES ('delete', old.report_id, {old}); END",
        "CREATE TRIGGER reports_search_fts_update AFTER UPDATE ON reports_reportsearchtext BEGIN "
        f"INSERT INTO reports_search_fts(reports_search_fts, rowid, {names}) "
        f"VALUES ('delete', old.report_id, {old}); "
        f"INSERT INTO reports_search_fts(rowid, {names}) VALUES (new.report_id, {new}); END",
        "INSERT INTO reports_search_fts(reports_search_fts) VALUES ('rebuild')",
    ]


def on_sqlite(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


def months(start, end):
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def fill_facets(apps, schema_editor):
    FieldReport = apps.get_model("reports", "FieldReport")
    ReportSearchText = apps.get_model("reports", "ReportSearchText")
    themes, countries = FieldReport.themes.through, FieldReport.countries.through
    last = 0
    while True:
        reports = list(FieldReport.objects.filter(pk__gt=last).order_by("pk")
                       .values_list("pk", "officer_id", "mission_id", "period_start", "period_end")[:2000])
        if not reports:
            return
        last = reports[-1][0]
        ids = [pk for pk, *_rest in reports]
        by_report = {}
        for report_id, pk in themes.objects.filter(fieldreport_id__in=ids).values_list("fieldreport_id", "thematicarea_id"):
            by_report.setdefault(report_id, ([], []))[0].append(pk)
        for report_id, pk in countries.objects.filter(fieldreport_id__in=ids).values_list("fieldreport_id", "country_id"):
            by_report.setdefault(report_id, ([], []))[1].append(pk)
        for pk, officer_id, mission_id, start, end in reports:
            theme_ids, country_ids = by_report.get(pk, ([], []))
            tokens = [f"xo{officer_id}", f"xm{mission_id}"]
            tokens += [f"xt{t}" for t in sorted(theme_ids)] + [f"xc{c}" for c in sorted(country_ids)]
            covered = months(start, end)
            tokens += ["xplong"] if len(covered) > 24 else [f"xp{m}" for m in covered]
            ReportSearchText.objects.filter(report_id=pk).update(facets=" ".join(tokens))


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0012_duplicate_word_counts'),
    ]

    operations = [
        migrations.RunPython(on_sqlite(SQLITE_DROP), on_sqlite(fts_statements(["title", "text"]))),
        migrations.AddField(
            model_name='reportsearchtext',
            name='facets',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.RunPython(fill_facets, migrations.RunPython.noop),
        migrations.RunPython(on_sqlite(fts_statements(["title", "text", "facets"])), on_sqlite(SQLITE_DROP)),
    ]
