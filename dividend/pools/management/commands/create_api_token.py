from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dividend.pools.models import ApiGroup, ApiToken
from dividend.pools.services import issue_token


class Command(BaseCommand):
    help = ("Issue a bearer token for the JSON API (audited); the key is printed once and only its hash "
            "is stored. Read-only and for every endpoint group unless told otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'HR sync script'.")
        parser.add_argument("--days", type=int, default=None,
                            help="Lifetime in days (default DIVIDEND_API_TOKEN_DAYS, at most ..._MAX_DAYS).")
        parser.add_argument("--write", action="store_true", help="Read-write (default: read-only).")
        parser.add_argument("--group", action="append", default=[], choices=ApiGroup.values, dest="groups",
                            help="Limit the token to an endpoint group (repeat for several; default: every group).")

    def handle(self, *args, username, name, days, write, groups, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        access = ApiToken.Access.WRITE if write else ApiToken.Access.READ
        try:
            _, key = issue_token(actor=None, user=user, name=name[:100], access=access, groups=groups, days=days)
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())) from error
        self.stdout.write(key)
