from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dividend.pools.models import ApiToken


class Command(BaseCommand):
    help = "Issue a bearer token for the JSON API; the key is printed once and only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'HR sync script'.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        _, key = ApiToken.issue(user=user, name=name[:100])
        self.stdout.write(key)
