"""The daily duty-of-care e-mails: each desk officer gets one message listing their overdue items
(contact overdue, and what the registered overdue sources count for their secondments); each new
escalation step to a pool's duty officer or head of unit gets its own message. Django's e-mail
backend sends them (a console backend in the demo). The messages name the officer and the mission,
never restricted data."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.secondments.models import Secondment

from .board import contact_overdue, overdue_counts, overdue_sources
from .models import Escalation
from .services import record_escalations


@dataclass
class DailyResult:
    escalations: list = field(default_factory=list)
    sent: int = 0
    recipients: list = field(default_factory=list)


def _line(s, text):
    return f"- {s.officer.full_name} ({s.officer.pool.name}), {s.position.mission.acronym}: {text}"


def desk_officer_digests(today: dt.date, interval_days=None) -> dict:
    """{desk officer: [lines]} of the overdue items of the secondments they are desk officer of."""
    mine = Secondment.objects.filter(care__desk_officer__isnull=False, care__desk_officer__is_active=True)
    related = ("officer", "officer__pool", "position__mission", "care__desk_officer")
    lines: dict = {}
    for s in contact_overdue(mine, today, interval_days).select_related(*related):
        days = (today - s.counted_from).days
        lines.setdefault(s.care.desk_officer, []).append(
            _line(s, _("no contact for %(days)s days (last: %(day)s)") % {"days": days, "day": s.counted_from}))
    for source in overdue_sources():
        counts = overdue_counts(source, mine, today)
        for s in Secondment.objects.filter(pk__in=list(counts)).select_related(*related).order_by("id"):
            lines.setdefault(s.care.desk_officer, []).append(
                _line(s, _("%(label)s: %(count)s") % {"label": source.label, "count": counts[s.pk]}))
    return lines


def send_daily(*, now=None, interval_days=None) -> DailyResult:
    """Record the escalation steps due, e-mail each desk officer their overdue items, and tell the
    duty officers and heads of unit of the steps that reached them now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = DailyResult(escalations=record_escalations(now=now, interval_days=interval_days))
    sender = settings.DEFAULT_FROM_EMAIL
    for user, lines in sorted(desk_officer_digests(today, interval_days).items(), key=lambda kv: kv[0].pk):
        if not user.email:
            continue
        send_mail(_("Duty of care: %(count)s overdue item(s)") % {"count": len(lines)},
                  "\n".join([_("Overdue on %(day)s, for the secondments you are desk officer of:") % {"day": today},
                             "", *lines]), sender, [user.email])
        result.sent += 1
        result.recipients.append(user.email)
    users = get_user_model().objects.in_bulk([e.notified_id for e in result.escalations if e.notified_id])
    for e in result.escalations:
        if e.step == Escalation.Step.DESK_OFFICER or e.notified_id not in users or not users[e.notified_id].email:
            continue
        s = e.secondment
        send_mail(_("Duty of care: missed contact escalated to you (%(step)s)") % {"step": e.get_step_display()},
                  _("No contact with %(officer)s (%(pool)s, %(mission)s) since %(day)s. The contact was overdue on "
                    "%(since)s; this step was due on %(due)s.") % {
                      "officer": s.officer.full_name, "pool": s.officer.pool.name,
                      "mission": s.position.mission.acronym, "day": e.last_contact_on,
                      "since": timezone.localtime(e.due_at - Escalation.DELAY[e.step]).strftime("%Y-%m-%d %H:%M"),
                      "due": timezone.localtime(e.due_at).strftime("%Y-%m-%d %H:%M")},
                  sender, [users[e.notified_id].email])
        result.sent += 1
        result.recipients.append(users[e.notified_id].email)
    return result
