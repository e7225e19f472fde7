from django.core.management.base import BaseCommand

from dividend.common.idempotency import purge_expired


class Command(BaseCommand):
    help = ("Delete stored answers of API writes whose Idempotency-Key expired (DIVIDEND_IDEMPOTENCY_HOURS, "
            "default 24). Run daily.")

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired()} expired idempotency keys.")
