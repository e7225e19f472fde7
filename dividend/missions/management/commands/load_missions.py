from django.core.management.base import BaseCommand

from dividend.missions.loading import load_mission_registry


class Command(BaseCommand):
    help = "Load or refresh the real mission registry (UN, EU CSDP, OSCE) and the job-description catalogue."

    def handle(self, *args, **options):
        counts = load_mission_registry()
        self.stdout.write(f"{counts['missions']} missions, {counts['job_descriptions']} job descriptions")
