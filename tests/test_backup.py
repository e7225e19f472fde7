"""manage.py backup / restore on the engine the suite runs against: a restore into a fresh database
holds the same rows, the same audit chain and the same protections (docs/operations.md)."""

import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from dividend.audit.context import audit_context
from dividend.audit.models import AuditEntry
from dividend.audit.services import check_chain, record
from dividend.common import backup as engine
from dividend.pools.models import Role
from dividend.roster.models import Officer

from .factories import make_officer, make_pool, make_user

# pg_dump and a second connection read only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    pool = make_pool("alpha")
    make_user(Role.COORDINATOR, pools=[pool], username="coord")
    officers = [make_officer(pool, last_name=name) for name in ("Aalto", "Müller", "O'Brien\nNewline")]
    with audit_context(channel="cli"):
        for officer in officers:
            record(actor=None, action=AuditEntry.Action.READ, obj=officer, fields=["last_name"])
    return officers


@pytest.fixture
def backup_file(tmp_path):
    return tmp_path / ("dividend.sqlite3" if connection.vendor == "sqlite" else "dividend.dump")


@pytest.fixture
def fresh_target(tmp_path):
    """A database that does not exist yet: a new file, or a scratch PostgreSQL database named
    after the test database."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    engine.pg_drop_database(name)
    yield name
    engine.pg_drop_database(name)


def _audit_rows(alias):
    return list(AuditEntry.objects.using(alias).order_by("id").values_list("id", "entry_hash"))


def test_restore_into_a_fresh_database_holds_the_same_rows_and_audit_chain(world, backup_file, fresh_target, capsys):
    before_counts = engine.table_counts()
    before_audit = _audit_rows("default")
    call_command("backup", str(backup_file))
    assert "row counts verified in the file" in capsys.readouterr().out
    call_command("restore", str(backup_file), "--target", fresh_target)
    assert "3 audit entries intact" in capsys.readouterr().out
    with engine.other_database(fresh_target) as alias:
        assert engine.table_counts(alias) == before_counts
        assert _audit_rows(alias) == before_audit
        assert check_chain(using=alias).problems == []
        assert sorted(Officer.objects.using(alias).values_list("last_name", flat=True)) == [
            "Aalto", "Müller", "O'Brien\nNewline"]


def test_restored_audit_log_still_refuses_deletion(world, backup_file, fresh_target):
    call_command("backup", str(backup_file))
    call_command("restore", str(backup_file), "--target", fresh_target)
    with engine.other_database(fresh_target) as alias:
        with pytest.raises(DatabaseError, match="audit entries cannot be deleted"), transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry")
        with pytest.raises(DatabaseError, match="audit entries are append-only"), transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("UPDATE audit_auditentry SET path = 'forged'")
        assert AuditEntry.objects.using(alias).count() == 3


def test_backup_is_audited_after_the_copy(world, backup_file):
    call_command("backup", str(backup_file))
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.channel, entry.object_repr) == (
        "export", "database", "cli", backup_file.name)
    assert entry.detail["audit_entries"] == 3
    assert check_chain().problems == []


def test_restore_refuses_a_database_that_is_not_empty(world, backup_file, fresh_target):
    call_command("backup", str(backup_file))
    call_command("restore", str(backup_file), "--target", fresh_target)
    with pytest.raises(CommandError, match="is not empty: restore into a new"):
        call_command("restore", str(backup_file), "--target", fresh_target)


def test_restore_with_force_replaces_the_content(world, backup_file, fresh_target):
    call_command("backup", str(backup_file))
    call_command("restore", str(backup_file), "--target", fresh_target)
    with engine.other_database(fresh_target) as alias:
        Officer.objects.using(alias).filter(last_name="Aalto").update(last_name="Changed")
    call_command("restore", str(backup_file), "--target", fresh_target, "--force")
    with engine.other_database(fresh_target) as alias:
        assert Officer.objects.using(alias).filter(last_name="Aalto").count() == 1
        assert Officer.objects.using(alias).filter(last_name="Changed").count() == 0


def test_backup_refuses_to_overwrite_a_file(world, backup_file):
    backup_file.write_text("earlier backup")
    with pytest.raises(CommandError, match="exists: give a new file name"):
        call_command("backup", str(backup_file))
    assert backup_file.read_text() == "earlier backup"


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, fresh_target):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="neither a SQLite database nor a pg_dump custom-format archive"):
        call_command("restore", str(junk), "--target", fresh_target)


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path, fresh_target):
    other = tmp_path / "other"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00")
        expected = "is a postgresql backup; the configured database is sqlite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        expected = "is a sqlite backup; the configured database is postgresql"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--target", fresh_target)


def test_backup_reports_a_broken_audit_chain_but_keeps_the_file(world, backup_file):
    # An entry altered behind the app's back (the update trigger dropped by the database owner).
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_entry_no_update" + (" ON audit_auditentry" if connection.vendor != "sqlite" else ""))
        cursor.execute("UPDATE audit_auditentry SET path = 'forged' WHERE id = (SELECT MIN(id) FROM audit_auditentry)")
    try:
        with pytest.raises(CommandError, match=r"Backup written, but the audit log is broken in 1 place"):
            call_command("backup", str(backup_file))
        assert backup_file.stat().st_size > 0
    finally:
        _recreate_update_trigger()


def _recreate_update_trigger():
    # The migration's own statements: later tests on this database expect the trigger.
    from importlib import import_module

    migration = import_module("dividend.audit.migrations.0002_append_only")
    with connection.cursor() as cursor:
        for statement in migration.FORWARD[connection.vendor]:
            cursor.execute(statement)
