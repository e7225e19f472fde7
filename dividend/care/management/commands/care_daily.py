"""The daily duty-of-care run: record the escalation steps of missed contacts that fell due, e-mail
each desk officer their overdue items, and tell duty officers and heads of unit of steps that reached
them. Run it daily (cron); hourly runs record the 24- and 48-hour steps closer to their hour."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dividend.audit.context import audit_context
from dividend.care.notifications import send_daily


class Command(BaseCommand):
    help = "Record missed-contact escalations and e-mail each desk officer their overdue items."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Run as of this moment (ISO date and time; for checks and tests).")

    def handle(self, *args, now=None, **options):
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: not an ISO date and time: {now!r}") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        else:
            moment = timezone.now()
        with audit_context(channel="cli", path="care_daily"):
            result = send_daily(now=moment)
        self.stdout.write(f"{len(result.escalations)} escalation step(s) recorded, {result.sent} e-mail(s) sent.")
