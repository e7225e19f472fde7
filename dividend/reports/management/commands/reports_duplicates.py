"""Check or rebuild the near-duplicate rows (derived data: reports.duplicates)."""

import time

from django.core.management.base import BaseCommand, CommandError

from dividend.reports import duplicates


class Command(BaseCommand):
    help = ("Near-duplicate suggestions are derived from each report's title and body. --check lists "
            "reports whose rows are missing or stale (exit status 1 if any); --rebuild recomputes them all; "
            "--merge moves the pending bands of recent reports into the band index now (filing does it "
            "by itself every 20,000 reports; run it at night to keep that pause off a secondee's filing).")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="List missing or stale rows; exit 1 if any.")
        parser.add_argument("--rebuild", action="store_true", help="Recompute every report's rows and pairs.")
        parser.add_argument("--merge", action="store_true", help="Move the pending bands into the band index.")
        parser.add_argument("--limit", type=int, default=20, help="With --check: how many reports to name.")

    def handle(self, *args, check=False, rebuild=False, merge=False, limit=20, **options):
        if check + rebuild + merge != 1:
            raise CommandError("Say --check, --rebuild or --merge.")
        if merge:
            started = time.perf_counter()
            moved = duplicates.merge_pending()
            self.stdout.write(f"Merged the bands of {moved} report(s) in {time.perf_counter() - started:.1f} s.")
            return
        if rebuild:
            started = time.perf_counter()
            done = duplicates.rebuild()
            self.stdout.write(f"Rebuilt: {done.reports} report(s), {done.candidates} near-duplicate pair(s) "
                              f"in {time.perf_counter() - started:.1f} s.")
            return
        problems = list(duplicates.check())
        reports = [p for p in problems if p.report_id is not None]
        for problem in reports[:limit]:
            self.stdout.write(f"report {problem.report_id}: {problem.reason}")
        counts = [p.reason for p in problems if p.report_id is None]
        for reason in counts:
            self.stdout.write(f"word counts: {reason}")
        if problems:
            said = [f"{len(reports)} report(s) with missing or stale near-duplicate rows"] if reports else []
            said += ["word counts stale"] if counts else []
            raise CommandError(f"{'; '.join(said)}: run manage.py reports_duplicates --rebuild.", returncode=1)
        self.stdout.write("Near-duplicate rows are up to date.")
