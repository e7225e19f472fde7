"""Take the monthly snapshots of the secondments (targets app): for every pool and nationally, each
month from --from to --to (YYYY-MM; default: last month) not taken yet. A snapshot taken is kept as
it is; --check lists the snapshots of those months the records would now give differently (corrected
since), changing nothing, and exits with status 1 when it finds one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dividend.audit.context import audit_context
from dividend.targets import services
from dividend.targets.forms import MonthRangeForm
from dividend.targets.models import FIGURE_LABELS


class Command(BaseCommand):
    help = "Take the monthly snapshots of the secondments (per pool and national); --check finds stale ones."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="First month, YYYY-MM (default: last month).")
        parser.add_argument("--to", dest="last", help="Last month, YYYY-MM (default: the first month).")
        parser.add_argument("--check", action="store_true",
                            help="Only report snapshots that recomputing would change; change nothing.")
        parser.add_argument("--today", help="Run as of this day (ISO date; for checks and tests).")

    def handle(self, *args, first=None, last=None, check=False, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: not an ISO date: {today!r}") from error
        previous = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        first = first or f"{previous:%Y-%m}"
        form = MonthRangeForm({"first_month": first, "last_month": last or first})
        if not form.is_valid():
            raise CommandError("; ".join(f"{'--from' if name == 'first_month' else '--to'}: {' '.join(messages)}"
                                         for name, messages in form.errors.items()))
        first_month, last_month = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
        if check:
            stale = services.stale_snapshots(first_month=first_month, last_month=last_month)
            for item in stale:
                diffs = ", ".join(f"{FIGURE_LABELS[name]} {old} → {new}" for name, (old, new) in item.differences.items())
                self.stdout.write(f"stale: {item.snapshot} (id {item.snapshot.pk}): {diffs}")
            self.stdout.write(f"{len(stale)} stale snapshot(s) from {first_month:%Y-%m} to {last_month:%Y-%m}; "
                              "nothing changed.")
            if stale:
                raise SystemExit(1)
            return
        with audit_context(channel="cli", path="take_snapshots"):
            try:
                taken = services.take_snapshots(actor=None, first_month=first_month, last_month=last_month, today=day)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{len(taken)} snapshot(s) taken from {first_month:%Y-%m} to {last_month:%Y-%m} "
                          "(existing ones kept as they are).")
