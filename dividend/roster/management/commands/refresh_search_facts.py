from django.core.management.base import BaseCommand, CommandError

from dividend.roster.facts import refresh_search_facts, stale_search_facts


class Command(BaseCommand):
    help = ("Recompute the roster's search facts from the officers' records (after editing reference data "
            "such as a country's region outside the app), or check them with --check.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Change nothing; list officers whose facts are out of date and fail if any are.")

    def handle(self, *args, check: bool, **options):
        if check:
            stale = stale_search_facts()
            if stale:
                shown = ", ".join(str(i) for i in stale[:20]) + (" …" if len(stale) > 20 else "")
                raise CommandError(f"{len(stale)} officer(s) with out-of-date search facts: {shown}. "
                                   "Run manage.py refresh_search_facts.")
            self.stdout.write("Search facts are up to date.")
            return
        changed = refresh_search_facts()
        self.stdout.write(f"Search facts refreshed: {changed} officer(s) changed.")
