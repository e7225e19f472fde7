"""The full-text index of the field reports is derived data (reports.search): check it, rebuild it."""

from django.core.management.base import BaseCommand, CommandError

from dividend.reports.search import check_index, rebuild_index


class Command(BaseCommand):
    help = ("Check the search index of the field reports (--check: exit 1 if a report's row is missing or "
            "stale, or a term of the index missing from the table of terms) or write it again (--rebuild).")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="Find missing or stale rows; exit 1 if any.")
        group.add_argument("--rebuild", action="store_true", help="Write every report's row again.")

    def handle(self, *args, check=False, rebuild=False, **options):
        if rebuild:
            count = rebuild_index()
            self.stdout.write(f"Search index rebuilt: {count} report(s).")
            return
        result = check_index()
        if result.ok:
            self.stdout.write("Search index up to date.")
            return
        lines = []
        if result.missing:
            lines.append(f"{len(result.missing)} report(s) missing from the index: {_ids(result.missing)}")
        if result.stale:
            lines.append(f"{len(result.stale)} report(s) stale in the index: {_ids(result.stale)}")
        if result.engine_problem:
            lines.append(f"the engine's index does not match its table: {result.engine_problem}")
        if result.missing_terms:
            lines.append("terms of the index missing from the table of terms (a prefix search would not find "
                         f"their reports): {_ids(result.missing_terms)}")
        raise CommandError("; ".join(lines) + ". Run reports_search_index --rebuild.", returncode=1)


def _ids(ids, shown=20) -> str:
    return ", ".join(str(i) for i in ids[:shown]) + (" …" if len(ids) > shown else "")
