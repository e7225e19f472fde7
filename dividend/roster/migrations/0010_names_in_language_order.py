"""An index on the officer's names in the root collation order (common.collation), so that the
roster's name sort by the user's language walks an index on both engines: ICU's "und-x-icu" on
PostgreSQL, the Python collation `dividend_root` on SQLite (registered on every connection; the
index needs it for every write and for the integrity check). Written per engine: neither names
the other's collation."""

from django.db import migrations

INDEX = "officer_name_collated"
COLLATION = {"postgresql": '"und-x-icu"', "sqlite": "dividend_root"}


def create(apps, schema_editor):
    collation = COLLATION.get(schema_editor.connection.vendor)
    if collation:
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON roster_officer "  # noqa: S608 - constant names # nosec B608
            f"(last_name COLLATE {collation}, first_name COLLATE {collation}, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in COLLATION:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("roster", "0009_minimal_personal_data")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
