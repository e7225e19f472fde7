"""Export or import the theme vocabulary as a MISP taxonomy (machinetag.json): reports.taxonomy."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.reports import access, taxonomy


class Command(BaseCommand):
    help = ("The theme vocabulary in the MISP taxonomy format. `export [--output FILE]` writes it (standard "
            "output by default); `import FILE --actor USER` imports one, all or nothing, listing every bad entry.")

    def add_arguments(self, parser):
        parser.add_argument("direction", choices=["export", "import"])
        parser.add_argument("file", nargs="?", type=Path, help="The file to import.")
        parser.add_argument("--output", type=Path, help="Export to this file instead of standard output.")
        parser.add_argument("--actor", help="User name the import is done as (for access and audit).")

    def handle(self, *args, direction, file=None, output=None, actor=None, **options):
        if direction == "export":
            text = taxonomy.export_json()
            if output is None:
                self.stdout.write(text, ending="")
            else:
                output.write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {output}.")
            return
        if file is None or actor is None:
            raise CommandError("Give the file to import and --actor.")
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"No user '{actor}'.")
        if not access.can_import_themes(user):
            raise CommandError(f"User '{actor}' may not change the theme vocabulary (national analysts and "
                               f"administrators may).")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        with open(file, "rb") as handle:
            content = handle.read(taxonomy.MAX_BYTES + 1)
        with audit_context(channel="cli", path=f"theme_taxonomy import {file.name}"):
            try:
                result = taxonomy.import_taxonomy(actor=user, content=content)
            except taxonomy.TaxonomyRefused as refused:
                for where, message in refused.problems:
                    self.stderr.write(f"{where}: {message}" if where else message)
                raise CommandError(f"Nothing imported: {len(refused.problems)} problem(s).") from None
        self.stdout.write(f"Imported: {len(result.created)} new, {len(result.renamed)} renamed, "
                          f"{len(result.unchanged)} unchanged; {len(result.kept)} not in the file kept.")
