"""The care app's retention rules (see audit.retention): contact-log entries (their notes are
restricted) counted from the day of the contact, and leave debriefings counted from the day they
were held; each deletion audited against its record with the officer's id."""

from django.db import transaction

from dividend.audit.models import AuditEntry
from dividend.audit.retention import RetentionRule, register_retention_rule
from dividend.audit.services import record_many

from .models import Contact, LeaveDebriefing
from .services import refresh_last_contact

CHUNK = 2000


def _delete(queryset, *, rule: str, officer_path: str, dry_run: bool) -> tuple[int, set]:
    if dry_run:
        return queryset.count(), set()
    deleted, touched = 0, set()
    with transaction.atomic():
        while True:
            rows = list(queryset.select_for_update().select_related(officer_path).order_by("pk")[:CHUNK])
            if not rows:
                break
            record_many(actor=None, entries=[
                {"action": AuditEntry.Action.DELETE, "obj": row,
                 "detail": {"officer_id": _secondment(row).officer_id, "reason": f"retention rule {rule}"}}
                for row in rows])
            queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
            touched |= {_secondment(row) for row in rows}
            deleted += len(rows)
    return deleted, touched


def _secondment(row):
    return row.secondment if hasattr(row, "secondment") else row.leave.secondment


def old_contacts(*, cutoff, dry_run=False) -> int:
    count, touched = _delete(Contact.objects.filter(contact_on__lt=cutoff.date()), rule="care.contact",
                             officer_path="secondment", dry_run=dry_run)
    for secondment in touched:  # derived data: the last contact left
        refresh_last_contact(secondment)
    return count


def old_debriefings(*, cutoff, dry_run=False) -> int:
    return _delete(LeaveDebriefing.objects.filter(held_on__lt=cutoff.date()), rule="care.leave_debriefing",
                   officer_path="leave__secondment", dry_run=dry_run)[0]


register_retention_rule(RetentionRule(
    "care.contact", "contact-log entries during deployments (notes included), counted from the contact", 730,
    old_contacts))
register_retention_rule(RetentionRule(
    "care.leave_debriefing", "debriefings held during leave, counted from the day held", 1825, old_debriefings))
