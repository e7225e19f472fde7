"""The roster's retention rules (see audit.retention): records deleted once their period is over,
each deletion audited against its record with the officer's id, in one transaction per rule."""

from django.db import transaction

from dividend.audit.models import AuditEntry
from dividend.audit.retention import RetentionRule, register_retention_rule
from dividend.audit.services import record_many

from .facts import refresh_search_facts
from .models import Qualification, UnavailablePeriod

CHUNK = 2000


def _delete(queryset, *, rule: str, dry_run: bool, facts: bool) -> int:
    """Delete the rows of `queryset` (with officer_id), one audit entry each; refresh the search
    facts of their officers when the rows count in them (confirmed qualifications)."""
    if dry_run:
        return queryset.count()
    deleted = 0
    with transaction.atomic():
        while True:
            rows = list(queryset.select_for_update().order_by("pk")[:CHUNK])
            if not rows:
                break
            record_many(actor=None, entries=[
                {"action": AuditEntry.Action.DELETE, "obj": row,
                 "detail": {"officer_id": row.officer_id, "reason": f"retention rule {rule}"}} for row in rows])
            queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
            if facts:
                refresh_search_facts(officer_ids={row.officer_id for row in rows})
            deleted += len(rows)
    return deleted


def expired_restricted_qualifications(*, cutoff, dry_run=False) -> int:
    return _delete(Qualification.objects.filter(qualification_type__restricted=True, expires_on__lt=cutoff.date()),
                   rule="roster.restricted_qualification", dry_run=dry_run, facts=True)


def rejected_qualifications(*, cutoff, dry_run=False) -> int:
    return _delete(Qualification.objects.filter(status=Qualification.Status.REJECTED, decided_at__lt=cutoff),
                   rule="roster.rejected_qualification", dry_run=dry_run, facts=False)


def past_unavailable_periods(*, cutoff, dry_run=False) -> int:
    return _delete(UnavailablePeriod.objects.filter(end__lt=cutoff.date()), rule="roster.unavailable_period",
                   dry_run=dry_run, facts=False)


register_retention_rule(RetentionRule(
    "roster.restricted_qualification", "medical and clearance records, counted from their expiry", 365,
    expired_restricted_qualifications))
register_retention_rule(RetentionRule(
    "roster.rejected_qualification", "qualifications a coordinator rejected, counted from the decision", 180,
    rejected_qualifications))
register_retention_rule(RetentionRule(
    "roster.unavailable_period", "unavailable periods, counted from their end", 730, past_unavailable_periods))
