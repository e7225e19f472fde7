"""List the assignments and the forum's follow-ups past their date and not done (for the weekly
coordination meeting's agenda). Exit status 1 when there are any, so a scheduler can alert."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dividend.commitments import services


class Command(BaseCommand):
    help = "List overdue assignments of commitment documents and overdue follow-ups of the coordination forum."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to count from, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: give a date as YYYY-MM-DD, not {options['today']!r}.") from error
        found = services.overdue(today)
        for a in found["assignments"]:
            self.stdout.write(f"assignment {a.pk}: {a.text} ({a.owner}), report back by {a.report_back_on}: "
                              f"{a.document}")
        for f in found["follow_ups"]:
            self.stdout.write(f"follow-up {f.pk}: {f.action} ({f.owner}), due {f.due_on}: {f.decision.meeting}")
        total = len(found["assignments"]) + len(found["follow_ups"])
        self.stdout.write(f"{len(found['assignments'])} assignments and {len(found['follow_ups'])} follow-ups overdue.")
        if total:
            raise SystemExit(1)
