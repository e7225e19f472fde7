import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dividend.site.demo import DEMO_PASSWORD, generate_demo_data
from dividend.site.demo_catalogue import DEMO_USERNAMES


class Command(BaseCommand):
    help = ("Load reference data and the mission registry, then generate a deterministic demo roster "
            "(pools, officers, positions, mission history, one user per role). Does nothing if the "
            "roster already has officers, unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--officers", type=int, default=2000, help="Number of officers (default 2000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--reset", action="store_true",
                            help="Wipe the roster, positions and mission history first, then generate.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Reference date (YYYY-MM-DD) for availability and expiry dates; default today. "
                                 "Same seed and same date give identical data.")

    def handle(self, *args, officers, seed, reset, today, **options):
        if officers < 1:
            raise CommandError("--officers must be at least 1")
        try:
            result = generate_demo_data(officers=officers, seed=seed, today=today, reset=reset,
                                        log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write(self.style.WARNING(result.message))
            return
        self.stdout.write("")
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>10,}")
        self.stdout.write(self.style.SUCCESS(result.message))
        self.stdout.write(f"Demo users ({', '.join(DEMO_USERNAMES)}) have the password {DEMO_PASSWORD!r}.")
