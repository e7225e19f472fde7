"""Retention: how long each kind of record is kept, applied by a daily command (`apply_retention`).

Each app that keeps records with a retention period registers a rule from its AppConfig.ready():
a key ("roster.rejected_qualification"), what it covers, a default period in days and the function
that deletes or anonymises the records older than a cutoff through the app's own audited workflow
(one audit entry per record, or the audit log's own purge). `DIVIDEND_RETENTION_DAYS` overrides a
period per key (docs/data-protection.md lists the rules). `apply_retention` then writes one more
entry per rule applied, saying what it did, so the log shows every run.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import AuditEntry
from .services import purge_entries_before, record


@dataclass(frozen=True)
class RetentionRule:
    key: str
    covers: str  # what the rule removes, in the words of docs/data-protection.md
    default_days: int
    apply: Callable[..., int]  # apply(*, cutoff: datetime, dry_run: bool) -> number of records


_RULES: dict[str, RetentionRule] = {}


def register_retention_rule(rule: RetentionRule) -> None:
    _RULES[rule.key] = rule


def rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda r: r.key)


def retention_days(rule: RetentionRule) -> int:
    overrides = getattr(settings, "DIVIDEND_RETENTION_DAYS", {}) or {}
    unknown = set(overrides) - set(_RULES)
    if unknown:
        raise ImproperlyConfigured(f"DIVIDEND_RETENTION_DAYS names unknown rule(s): {', '.join(sorted(unknown))}")
    days = overrides.get(rule.key, rule.default_days)
    if not isinstance(days, int) or days < 1:
        raise ImproperlyConfigured(f"DIVIDEND_RETENTION_DAYS[{rule.key!r}] must be a whole number of days, at least 1.")
    return days


@dataclass
class RetentionResult:
    key: str
    covers: str
    days: int
    cutoff: dt.datetime
    count: int


def apply_retention(*, actor=None, now: dt.datetime | None = None, dry_run: bool = False) -> list[RetentionResult]:
    """Apply every retention rule (the daily job).

    Steps: 1. for each rule, in key order, the cutoff (now minus its period); 2. the rule deletes or
    anonymises what is older, each in its app's own audited transaction (or counts it, dry run);
    3. one `purge` entry per rule that removed anything, with the rule, the period, the cutoff and
    the count. The audit log's own rule runs last, so that it never removes this run's entries.
    """
    now = now or timezone.now()
    results = []
    ordered = sorted(rules(), key=lambda r: (r.key == AUDIT_RULE, r.key))
    for rule in ordered:
        days = retention_days(rule)
        cutoff = now - dt.timedelta(days=days)
        count = rule.apply(cutoff=cutoff, dry_run=dry_run)
        results.append(RetentionResult(rule.key, rule.covers, days, cutoff, count))
        if count and not dry_run:
            record(actor=actor, action=AuditEntry.Action.PURGE, object_type="retention", object_repr=rule.key,
                   detail={"rule": rule.key, "days": days, "cutoff": cutoff.isoformat(), "count": count})
    return results


AUDIT_RULE = "audit.entry"


def _purge_audit_entries(*, cutoff, dry_run) -> int:
    if dry_run:
        return AuditEntry.objects.filter(timestamp__lt=cutoff).count()
    return purge_entries_before(actor=None, cutoff=cutoff, reason="retention rule audit.entry")


# Ten years: the period police data-protection laws commonly allow for logs of access to personal
# data kept for supervision; a unit sets its own through DIVIDEND_RETENTION_DAYS.
register_retention_rule(RetentionRule(AUDIT_RULE, "audit log entries", 3650, _purge_audit_entries))
