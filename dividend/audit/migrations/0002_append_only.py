"""The database itself refuses to change an audit entry (deletion is refused by the app and caught
by the hash chain; the test runner's flush needs DELETE)."""

from django.db import migrations

FORWARD = {
    "sqlite": [
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entry_refuse_update() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_update()",
    ],
}
BACKWARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_entry_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
        "DROP FUNCTION IF EXISTS audit_entry_refuse_update()",
    ],
}


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
