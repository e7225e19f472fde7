from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.selection import access
from dividend.selection.imports import import_positions
from dividend.selection.models import Call


class Command(BaseCommand):
    help = ("Import a call's positions from a CSV or XLSX file (the import page's columns): all rows or none; "
            "every bad row is reported with its line.")

    def add_arguments(self, parser):
        parser.add_argument("call", help="The call's reference.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--actor", required=True, help="User name the import is done as (for access and audit).")

    def handle(self, *args, call: str, file: Path, actor: str, **options):
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"No user '{actor}'.")
        found = list(Call.objects.visible_to(user).filter(reference=call)[:2])
        if len(found) != 1:
            raise CommandError(f"No call '{call}' that '{actor}' sees." if not found else
                               f"Several calls have the reference '{call}'.")
        if not access.can_manage_call(user, found[0]):
            raise CommandError(f"User '{actor}' may not change call '{call}'.")
        if not file.exists():
            raise CommandError(f"No file {file}.")
        with audit_context(channel="cli", path=f"import_call_positions {file.name}"):
            report = import_positions(actor=user, call=found[0], filename=file.name, content=file.read_bytes())
        if not report.ok:
            for line, problem in report.errors:
                self.stderr.write(f"line {line}: {problem}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s).")
        self.stdout.write(f"Imported {report.created} position(s) into {call}.")
