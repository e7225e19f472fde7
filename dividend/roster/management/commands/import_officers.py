from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.roster import access
from dividend.roster.imports import import_officers


class Command(BaseCommand):
    help = "Import officers from a CSV or XLSX file: all rows or none; every bad row is reported with its line."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--actor", required=True, help="User name the import is done as (for access and audit).")

    def handle(self, *args, file: Path, actor: str, **options):
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"No user '{actor}'.")
        if not access.can_import_officers(user):
            raise CommandError(f"User '{actor}' may not import officers (coordinators and administrators may).")
        if not file.exists():
            raise CommandError(f"No file {file}.")
        with audit_context(channel="cli", path=f"import_officers {file.name}"):
            report = import_officers(actor=user, filename=file.name, content=file.read_bytes())
        if not report.ok:
            for line, problem in report.errors:
                self.stderr.write(f"line {line}: {problem}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s).")
        self.stdout.write(f"Imported: {report.created} created, {report.updated} updated, {report.unchanged} unchanged.")
