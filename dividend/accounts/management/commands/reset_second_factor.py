from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context

from ...services import reset_second_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator app (lost phone) and end their sessions; they set up a new one at login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        with audit_context(channel="cli", path="reset_second_factor"):
            removed = reset_second_factor(actor=None, user=user)
        self.stdout.write(f"{removed} authenticator(s) of {username} removed.")
