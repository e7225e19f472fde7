from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.priorities.engine import ModelFileError, shipped_model_names
from dividend.priorities.services import install_shipped_models


class Command(BaseCommand):
    help = ("Install the model files shipped in dividend/priorities/model_files (idempotent: existing models are "
            "left alone unless they still hold an unedited shipped version that the file has changed).")

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"model names (default: all of {', '.join(shipped_model_names())})")

    def handle(self, *args, names, **options):
        unknown = sorted(set(names) - set(shipped_model_names()))
        if unknown:
            raise CommandError(f"Unknown shipped model(s): {', '.join(unknown)}. "
                               f"Shipped: {', '.join(shipped_model_names())}.")
        try:
            with audit_context(channel="cli"):
                outcome = install_shipped_models(names=names or None)
        except ModelFileError as exc:
            raise CommandError(str(exc)) from exc
        for name, what in outcome.items():
            self.stdout.write(f"{name}: {what}")
