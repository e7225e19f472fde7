from django.core.management.base import BaseCommand, CommandError

from dividend.missions.loading import load_mission_registry


class Command(BaseCommand):
    help = "Load or refresh the real mission registry (UN, EU CSDP, OSCE) and the job-description catalogue."

    def handle(self, *args, **options):
        try:
            counts = load_mission_registry()
        except ValueError as error:  # a registry file names an unknown code or is malformed
            raise CommandError(str(error)) from error
        self.stdout.write(f"{counts['missions']} missions, {counts['job_descriptions']} job descriptions")
