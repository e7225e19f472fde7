"""The monthly digest of field reports to each secondee (run on the first of the month, cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dividend.audit.context import audit_context
from dividend.reports.digest import send_monthly_digests


class Command(BaseCommand):
    help = "E-mail each secondee what became of their field reports last month."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to tell (YYYY-MM); default: the previous month.")
        parser.add_argument("--now", help="Run as of this moment (ISO date and time; for checks and tests).")

    def handle(self, *args, month=None, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: not an ISO date and time: {now!r}") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        chosen = None
        if month:
            try:
                chosen = dt.date.fromisoformat(f"{month}-01")
            except ValueError as error:
                raise CommandError(f"--month: not a month (YYYY-MM): {month!r}") from error
        with audit_context(channel="cli", path="reports_digest"):
            result = send_monthly_digests(now=moment, month=chosen)
        self.stdout.write(f"{result.month:%Y-%m}: {result.sent} digest(s) sent.")
