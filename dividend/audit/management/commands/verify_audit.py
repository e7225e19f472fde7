from django.core.management.base import BaseCommand, CommandError

from dividend.audit.models import AuditEntry
from dividend.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; report each altered, deleted or inserted entry. Exit 1 if broken."

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Audit log is broken in {len(problems)} place(s).")
        self.stdout.write(f"Audit log intact: {AuditEntry.objects.count()} entries verified.")
