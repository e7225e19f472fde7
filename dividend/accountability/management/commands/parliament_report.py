"""The report to parliament for a period, as PDF or XLSX: the same figures as the page
(`accountability.parliament`). National figures only, no names; the export is audited."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dividend.accountability import parliament
from dividend.accountability.forms import ParliamentForm
from dividend.audit.context import audit_context
from dividend.audit.services import record


class Command(BaseCommand):
    help = "Write the report to parliament for a quarter (2026Q3), a year (2026) or a range (2025Q3..2026Q2)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026Q3, 2026 or 2025Q3..2026Q2.")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"], dest="fmt")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--today", help="Count up to this day (yyyy-mm-dd; default today).")

    def handle(self, *args, period, fmt, output, today=None, **options):
        form = ParliamentForm({"period": period})
        if not form.is_valid():
            raise CommandError("--period: " + " ".join(form.errors["period"]))
        try:
            day = dt.date.fromisoformat(today) if today else dt.date.today()
        except ValueError as error:
            raise CommandError(f"--today: not a date (yyyy-mm-dd): {today!r}") from error
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"--output: no such folder: {target.parent}")
        chosen = form.cleaned_data["period"]
        report = parliament.compute(chosen, today=day)
        content = parliament.pdf(report) if fmt == "pdf" else parliament.xlsx(report)
        target.write_bytes(content)
        with audit_context(channel="cli", path="parliament_report"):
            record(actor=None, action="export", object_type="accountability.parliament_report",
                   object_repr=f"Report to parliament {chosen.label} ({fmt})", fields=["figures"],
                   detail={"period": chosen.label, "format": fmt, "missions": len(report.missions)})
        self.stdout.write(f"Report to parliament {chosen.label}: {len(report.missions)} mission(s), "
                          f"{report.totals.people} officer(s), {report.totals.person_months} person-months; "
                          f"written to {target} ({len(content):,} bytes).")
