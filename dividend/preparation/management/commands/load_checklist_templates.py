from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dividend.preparation.loading import load_templates


class Command(BaseCommand):
    help = ("Load the shipped pre-deployment checklist templates (dividend/data/preparation/"
            "checklist_templates.json); templates already in the database are kept unless --replace.")

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true", help="Replace templates edited in the admin.")

    def handle(self, *args, replace=False, **options):
        try:
            result = load_templates(replace=replace)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Checklist templates: {result.created} created, {result.replaced} replaced, "
                          f"{result.kept} kept.")
