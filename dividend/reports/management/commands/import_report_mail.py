"""File field reports sent by e-mail: an mbox file or a Maildir folder (reports/mail_import.py)."""

from django.core.management.base import BaseCommand, CommandError

from dividend.audit.context import audit_context
from dividend.reports.mail_import import MailboxError, import_mailbox, summary


class Command(BaseCommand):
    help = ("File each message of an mbox file or a Maildir folder as a field report of its sender, through "
            "the same checks as the web form. A mailbox is imported whole or not at all: every bad message "
            "is reported and nothing is stored, unless --skip-bad. Importing again files nothing twice "
            "(by Message-ID).")

    def add_arguments(self, parser):
        parser.add_argument("mailbox", help="An mbox file or a Maildir folder (with cur, new and tmp).")
        parser.add_argument("--skip-bad", action="store_true",
                            help="File the good messages and report the bad ones (default: a bad message "
                                 "stops the whole mailbox).")

    def handle(self, *args, mailbox, skip_bad=False, **options):
        try:
            with audit_context(channel="cli", path="import_report_mail"):
                outcomes, stored = import_mailbox(mailbox, skip_bad=skip_bad)
        except (MailboxError, OSError) as error:
            raise CommandError(str(error)) from None
        for outcome in outcomes:
            self.stdout.write(outcome.line())
        line = summary(outcomes, stored)
        refused = sum(o.status == "refused" for o in outcomes)
        if refused and not skip_bad:
            raise CommandError(line)
        self.stdout.write(line)
