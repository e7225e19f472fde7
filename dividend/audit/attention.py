"""The auditor's start-page items: the chain's last verification, and today's reads of restricted data
(counted from the same queryset and filters as the audit log page the item links to)."""

import datetime as dt
from dataclasses import dataclass

from .models import AuditEntry, ChainVerification


def restricted_reads_on(user, day: dt.date):
    return AuditEntry.objects.visible_to(user).matching(since=day, until=day).restricted_reads()


@dataclass
class AuditItems:
    verification: ChainVerification | None
    restricted_reads_today: int
    today: dt.date


def audit_items(user, *, today: dt.date) -> AuditItems:
    """Two queries: the stored verification (verify_audit writes it; walking the chain on a page
    load would take seconds) and the count of today's restricted reads."""
    return AuditItems(verification=ChainVerification.objects.first(),
                      restricted_reads_today=restricted_reads_on(user, today).count(), today=today)
