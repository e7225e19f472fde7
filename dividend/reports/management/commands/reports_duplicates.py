"""Check or rebuild the near-duplicate rows (derived data: reports.duplicates)."""

import time

from django.core.management.base import BaseCommand, CommandError

from dividend.reports import duplicates


class Command(BaseCommand):
    help = ("Near-duplicate suggestions are derived from each report's title and body. --check lists "
            "reports whose rows are missing or stale (exit status 1 if any); --rebuild recomputes them all.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="List missing or stale rows; exit 1 if any.")
        parser.add_argument("--rebuild", action="store_true", help="Recompute every report's rows and pairs.")
        parser.add_argument("--limit", type=int, default=20, help="With --check: how many reports to name.")

    def handle(self, *args, check=False, rebuild=False, limit=20, **options):
        if check == rebuild:
            raise CommandError("Say --check or --rebuild.")
        if rebuild:
            started = time.perf_counter()
            done = duplicates.rebuild()
            self.stdout.write(f"Rebuilt: {done.reports} report(s), {done.candidates} near-duplicate pair(s) "
                              f"in {time.perf_counter() - started:.1f} s.")
            return
        problems = list(duplicates.check())
        for problem in problems[:limit]:
            self.stdout.write(f"report {problem.report_id}: {problem.reason}")
        if problems:
            raise CommandError(f"{len(problems)} report(s) with missing or stale near-duplicate rows: "
                               "run manage.py reports_duplicates --rebuild.", returncode=1)
        self.stdout.write("Near-duplicate rows are up to date.")
