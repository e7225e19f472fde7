from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.roster.exports import subject_access_json, subject_access_pdf
from dividend.roster.models import Officer
from dividend.roster.subject_access import subject_access_report

RENDERERS = {"json": subject_access_json, "pdf": subject_access_pdf}


class Command(BaseCommand):
    help = ("Write everything held about one officer (subject access, GDPR art. 15) as JSON or PDF; "
            "as the officer or a coordinator or HR manager of the officer's pool. The export is audited.")

    def add_arguments(self, parser):
        parser.add_argument("--officer", required=True, type=int, help="The officer's id.")
        parser.add_argument("--actor", required=True, help="User name the export is made as (access and audit).")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="json")
        parser.add_argument("--output", required=True, type=Path, help="File to write (refused if it exists).")

    def handle(self, *args, officer: int, actor: str, format: str, output: Path, **options):
        user = get_user_model().objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user '{actor}'.")
        subject = Officer.objects.visible_to(user).filter(pk=officer).first()
        if subject is None:
            raise CommandError(f"No officer {officer} that '{actor}' may see.")
        if output.exists():
            raise CommandError(f"{output} exists; name a new file.")
        try:
            with audit_context(channel="cli", path=f"subject_access {officer}"):
                report = subject_access_report(actor=user, officer=subject, channel_format=format)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        output.write_bytes(RENDERERS[format](report))
        self.stdout.write(f"Wrote {output}: {len(report.sections)} sections, "
                          f"{sum(len(s.rows) for s in report.sections)} rows.")
