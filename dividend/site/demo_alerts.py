"""Demo data for rapid deployment alerts (issue 11 §4), sent, deployed and stood down through the
alerts' workflows (the audit log holds them too): one alert still open, sent three hours ago to
officers of the home pool (the demo secondee among them, not yet answered), with answers coming in;
and one closed a month ago, two officers deployed and the rest stood down. These are records of the
past: nobody is e-mailed (`notify=False`), and the times are set back afterwards, as they were."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from dividend.alerts import services
from dividend.alerts.models import Alert, Recipient
from dividend.audit.services import record_many
from dividend.roster.models import Officer

from .demo_catalogue import HOME_POOL

OPEN_RECIPIENTS = 30
CLOSED_RECIPIENTS = 20


def _answer(recipients, rng, *, share: float, available: float, at):
    """Each recipient answers with probability `share` (available with probability `available`),
    minutes after `at`, most of them soon. The demo's officers have no accounts of their own to
    answer with, so the answers are stored as recorded history, one audit entry each (by the
    system); returns the recipients who answered available."""
    said_yes, entries = [], []
    for r in recipients:
        if rng.random() >= share:
            continue
        yes = rng.random() < available
        r.answer = Recipient.Answer.AVAILABLE if yes else Recipient.Answer.NOT_AVAILABLE
        r.answered_at = at + dt.timedelta(seconds=60 + min(int(rng.expovariate(1 / 1800)), 9000))
        r.note = "Can leave within 48 hours" if yes and rng.random() < 0.3 else ""
        entries.append({"action": "update", "obj": r, "changes": {"answer": (Recipient.Answer.NO_ANSWER, r.answer)},
                        "detail": {"officer_id": r.officer_id, "alert_id": r.alert_id, "reason": "demo data"}})
        if yes:
            said_yes.append(r)
    Recipient.objects.bulk_update([e["obj"] for e in entries], ["answer", "answered_at", "note"])
    record_many(actor=None, entries=entries)
    return said_yes


def _set_back(alert, sent_at, *, ended_at=None):
    """Move the alert's times to when it happened: sent at `sent_at`, over at `ended_at`."""
    Alert.objects.filter(pk=alert.pk).update(sent_at=sent_at, status_changed_at=ended_at or sent_at)
    if ended_at is not None:
        Recipient.objects.filter(alert=alert).update(outcome_at=ended_at)


def make_alerts(generator) -> dict[str, int]:
    """The two alerts, by the home pool's demo coordinator; counts of what was made."""
    rng = random.Random(f"{generator.seed}:alerts")  # noqa: S311 - seeded demo data, not security # nosec B311
    coordinator = get_user_model().objects.get(username="coordinator")
    today = generator.today
    # "Now" on the demo's day (a demo generated for another day keeps its alerts on that day).
    now = timezone.now() if today == timezone.localdate() else timezone.make_aware(
        dt.datetime.combine(today, dt.time(12, 0)))
    home = Officer.objects.filter(pool__code=HOME_POOL, available_from__isnull=False, user__isnull=True)
    chosen_ones = list(home.order_by("service_number")[:OPEN_RECIPIENTS + CLOSED_RECIPIENTS])
    # A small demo roster has fewer: two thirds for the open alert, a third for the closed one.
    cut = min(OPEN_RECIPIENTS, len(chosen_ones) * 2 // 3)
    open_to, closed_to = chosen_ones[:cut], chosen_ones[cut:]
    secondee_officer = Officer.objects.filter(user__username="secondee").first()

    sent = now - dt.timedelta(days=30)
    closed = services.create_alert(
        actor=coordinator, title="Earthquake: police liaison officers for the consular crisis team",
        message="An earthquake hit the capital; the consular crisis team needs two police liaison officers for "
                "victim identification and liaison with the host police, for three months.",
        start_date=today - dt.timedelta(days=28), end_date=today + dt.timedelta(days=62), officers=closed_to,
        notify=False)
    volunteers = _answer(list(closed.recipients.all()), rng, share=0.8, available=0.6, at=sent)
    if volunteers:
        services.deploy(actor=coordinator, alert=closed, officers=[r.officer for r in volunteers[:2]],
                        reason="Two officers are enough", notify=False)
    else:
        services.stand_down(actor=coordinator, alert=closed, reason="Nobody was available", notify=False)
    _set_back(closed, sent, ended_at=sent + dt.timedelta(hours=20))

    sent = now - dt.timedelta(hours=3)
    opened = services.create_alert(
        actor=coordinator, title="Hurricane: police support for the evacuation of nationals",
        message="A hurricane hit the islands; the embassy asks for police officers to support the evacuation of "
                "nationals, leaving within a week for two months. Answer whether you are available.",
        start_date=today + dt.timedelta(days=5), end_date=today + dt.timedelta(days=66),
        officers=open_to + ([secondee_officer] if secondee_officer is not None else []),
        query={"within_days": "5", "duration_months": "2"}, notify=False)
    _answer(list(opened.recipients.filter(officer__in=open_to)), rng, share=0.6, available=0.65, at=sent)
    _set_back(opened, sent)
    Recipient.objects.filter(alert=opened, answered_at__gt=now).update(answered_at=now)  # never after now
    return {"alerts": 2, "recipients": Recipient.objects.filter(alert__in=[opened, closed]).count()}
