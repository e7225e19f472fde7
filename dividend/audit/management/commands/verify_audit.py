import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.services import anchor_problems, current_anchor, run_verification


class Command(BaseCommand):
    help = ("Check the audit log's hash chain and head; report each altered, deleted, inserted or reordered "
            "entry and a truncated tail; store the result for the auditor's page. Exit 1 if broken.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", default=getattr(settings, "DIVIDEND_AUDIT_ANCHOR_FILE", ""),
            help="File outside the database holding the last verified head (default: DIVIDEND_AUDIT_ANCHOR_FILE). "
                 "The log must still contain what it names; it is moved forward when the log is intact.")

    def handle(self, *args, anchor, **options):
        anchor_path = Path(anchor) if anchor else None
        anchored = self._read_anchor(anchor_path) if anchor_path and anchor_path.exists() else None
        result = run_verification(checked_by="verify_audit")
        problems = list(result.problems)
        if anchored is not None:
            problems += [str(p) for p in anchor_problems(anchored)]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Audit log is broken in {len(problems)} place(s).")
        if anchor_path:
            anchor_path.write_text(json.dumps(current_anchor()) + "\n")
        if result.entries == 0:
            self.stdout.write("Audit log is empty: nothing has been recorded yet.")
        else:
            self.stdout.write(f"Audit log intact: {result.entries} entries verified.")

    def _read_anchor(self, path: Path) -> dict:
        try:
            anchored = json.loads(path.read_text())
            anchor_problems(anchored)  # refuses a malformed anchor before the long walk
        except (ValueError, ValidationError, AttributeError) as exc:
            raise CommandError(f"The anchor file {path} is not one verify_audit wrote.") from exc
        return anchored
