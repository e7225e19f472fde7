from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.common.backup import BackupError
from dividend.site.backups import backup_database


class Command(BaseCommand):
    help = ("Back up the whole database to a new file (SQLite: online backup API; PostgreSQL: pg_dump custom "
            "format) while the app runs, then verify the file: row counts per table and the audit chain. "
            "Exit 1 if the copy fails, does not verify, or the audit chain is broken.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write (must not exist).")

    def handle(self, *args, file, **options):
        with audit_context(channel="cli", path="backup"):
            try:
                report = backup_database(actor=None, path=file)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up {report.engine} to {report.path}: {len(report.counts)} tables, "
                          f"{report.rows} rows, {report.audit_entries} audit entries ({report.seconds} s); "
                          "row counts verified in the file.")
        if report.audit_problems:
            for problem in report.audit_problems:
                self.stderr.write(problem)
            raise CommandError(f"Backup written, but the audit log is broken in {len(report.audit_problems)} "
                               "place(s): keep this backup and investigate (manage.py verify_audit).")
