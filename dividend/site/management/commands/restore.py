from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.common.backup import BackupError
from dividend.site.backups import restore_database


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into an empty database (stop the app first), "
            "then verify it: row counts per table equal the backup's and the audit chain is intact.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--target", default="",
                            help="SQLite: the database file; PostgreSQL: a database name on the configured server "
                                 "(created if missing). Default: the configured database.")
        parser.add_argument("--force", action="store_true",
                            help="Replace the content of a target that is not empty (everything in it is lost).")

    def handle(self, *args, file, target, force, **options):
        with audit_context(channel="cli", path="restore"):
            try:
                report = restore_database(actor=None, path=file, target=target or None, force=force)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {report.path} ({report.engine}): {len(report.counts)} tables, {report.rows} "
                          f"rows, {report.audit_entries} audit entries intact ({report.seconds} s).")
