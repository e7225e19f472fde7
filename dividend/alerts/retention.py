"""The alerts' retention rule (see audit.retention): an alert that is over (closed or stood down)
is deleted with its recipients' answers once its period has passed, counted from the end; each
answer's deletion is audited with the officer's id, the alert's once, in one transaction."""

from django.db import transaction

from dividend.audit.models import AuditEntry
from dividend.audit.retention import RetentionRule, register_retention_rule
from dividend.audit.services import record_many

from .models import Alert, Recipient


def ended_alerts(*, cutoff, dry_run=False) -> int:
    alerts = Alert.objects.exclude(status=Alert.Status.OPEN).filter(status_changed_at__lt=cutoff)
    if dry_run:
        return alerts.count()
    with transaction.atomic():
        chosen = list(alerts.select_for_update().order_by("pk"))
        if not chosen:
            return 0
        recipients = list(Recipient.objects.filter(alert__in=chosen).order_by("pk"))
        reason = "retention rule alerts.ended_alert"
        record_many(actor=None, entries=[
            *({"action": AuditEntry.Action.DELETE, "obj": r, "detail": {"officer_id": r.officer_id, "reason": reason}}
              for r in recipients),
            *({"action": AuditEntry.Action.DELETE, "obj": a, "detail": {"reason": reason}} for a in chosen)])
        Recipient.objects.filter(pk__in=[r.pk for r in recipients]).delete()
        Alert.objects.filter(pk__in=[a.pk for a in chosen]).delete()
    return len(chosen)


register_retention_rule(RetentionRule(
    "alerts.ended_alert", "rapid deployment alerts and their answers, counted from the alert's end", 365,
    ended_alerts))
