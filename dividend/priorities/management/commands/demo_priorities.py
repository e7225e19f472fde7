from django.conf import settings
from django.core.management.base import BaseCommand

from dividend.priorities.models import PriorityRun
from dividend.priorities.services import ensure_default_model, install_shipped_models, start_run


class Command(BaseCommand):
    help = "Install the shipped priority models and, when no run exists yet, rank countries once (demo)."

    def add_arguments(self, parser):
        parser.add_argument("--home", default=settings.DIVIDEND_HOME_COUNTRY,
                            help="home country ISO3 (default: DIVIDEND_HOME_COUNTRY)")
        parser.add_argument("--mc", type=int, default=2000)

    def handle(self, *args, home, mc, **options):
        install_shipped_models()
        if PriorityRun.objects.exists():
            self.stdout.write("Priority runs exist already; nothing to do.")
            return
        model = ensure_default_model()
        run, _ = start_run(actor=None, version=model.current_version, home_country=home, draws=mc, seed=42,
                           label="Demo run")
        self.stdout.write(f"Demo priority run {run.pk}: {run.country_count} countries ranked for {home}.")
