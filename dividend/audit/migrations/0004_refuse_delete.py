"""The database refuses to delete audit entries and the chain head, as it refuses to change entries.

Design: a deletion is let through only while a row exists in `audit_retentionpermit`. The one
writer of that table is `audit.services.purge_entries_before` (retention), which inserts the
permit, deletes, and removes the permit inside one transaction; on PostgreSQL an uncommitted permit
is invisible to every other connection, on SQLite there is one writer at a time, so no other
session can delete under someone else's permit. A plain DELETE (a bug, an injected statement, an
operator's mistake) is refused.

The test runner: pytest-django empties tables between transactional tests with DELETE on SQLite
and TRUNCATE on PostgreSQL. TRUNCATE fires no row trigger, so PostgreSQL needs nothing; on SQLite
tests/conftest.py empties the audit tables through a permit first, the same path retention uses.
Production is not weakened for it. TRUNCATE stays possible for the tables' owner, like dropping
these triggers: someone who can do that is caught by the chain head and, for a wholesale
replacement of the log and its head, by `verify_audit --anchor` (docs/operations.md).
"""

from django.db import migrations

PERMIT = "NOT EXISTS (SELECT 1 FROM audit_retentionpermit)"
TABLES = ("audit_auditentry", "audit_chainhead")

FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {PERMIT} "
        "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted (retention: purge_entries_before)'); END"
        for table in TABLES
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_refuse_delete() RETURNS trigger AS $$ "
        f"BEGIN IF {PERMIT} THEN "
        "RAISE EXCEPTION 'audit entries cannot be deleted (retention: purge_entries_before)'; END IF; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        *(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
          "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_delete()" for table in TABLES),
    ],
}
BACKWARD = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {table}_no_delete" for table in TABLES],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}" for table in TABLES),
        "DROP FUNCTION IF EXISTS audit_refuse_delete()",
    ],
}


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_head_retention_permit")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
