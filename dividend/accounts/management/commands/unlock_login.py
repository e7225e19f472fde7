from django.core.management.base import BaseCommand

from dividend.audit.context import audit_context

from ...services import unlock_login


class Command(BaseCommand):
    help = "Lift a login lockout (too many failed passwords) for a user name, optionally from one address only."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--ip", default="", help="only the lockout from this client address")

    def handle(self, *args, username, ip, **options):
        with audit_context(channel="cli", path="unlock_login"):
            removed = unlock_login(actor=None, username=username, ip_address=ip)
        self.stdout.write(f"{removed} lockout record(s) of {username} removed.")
