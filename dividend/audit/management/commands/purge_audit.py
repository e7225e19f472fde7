import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.audit.services import purge_entries_before


class Command(BaseCommand):
    help = ("Retention: delete audit entries written before a date-time, through the one audited path "
            "(the chain is verified first; the purge is itself an audit entry).")

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="ISO date-time with time zone, e.g. 2025-12-01T00:00+00:00")
        parser.add_argument("--reason", required=True, help="The retention rule applied.")

    def handle(self, *args, before, reason, **options):
        try:
            cutoff = dt.datetime.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("--before: give an ISO date-time with time zone, e.g. 2025-12-01T00:00+00:00") from exc
        with audit_context(channel="cli", path="purge_audit"):
            try:
                deleted = purge_entries_before(actor=None, cutoff=cutoff, reason=reason)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Purged {deleted} audit entries written before {cutoff.isoformat()}.")
