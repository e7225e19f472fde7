from django.core.management.base import BaseCommand

from dividend.audit.context import audit_context
from dividend.audit.retention import apply_retention


class Command(BaseCommand):
    help = ("Apply the retention rules (run daily): delete or anonymise what is older than each rule's period, "
            "through the audited workflows; --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        with audit_context(channel="cli", path="apply_retention"):
            results = apply_retention(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for r in results:
            self.stdout.write(f"{r.key:40} {r.days:>6} days  before {r.cutoff:%Y-%m-%d}  {verb} {r.count}  ({r.covers})")
