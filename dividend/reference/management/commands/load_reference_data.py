from django.core.management.base import BaseCommand

from dividend.reference.loading import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh countries (ISO 3166 + UN M49 regions), skills, languages, qualification types and ranks."

    def handle(self, *args, **options):
        counts = load_reference_data()
        self.stdout.write(", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))
