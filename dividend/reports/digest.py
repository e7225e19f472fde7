"""The monthly digest to each secondee: what became of their field reports last month — reports
filed, triage decisions, analysts' verdicts, and the products their reports were used in. Django's
e-mail backend sends it (a console backend in the demo). It names the products by reference only: a
secondee opens a product only if a list it went to includes them."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.roster.models import Officer

from .models import FieldReport, Product, ReportFeedback


@dataclass
class DigestResult:
    month: dt.date
    sent: int = 0
    recipients: list = field(default_factory=list)


def previous_month(now) -> dt.date:
    """The first day of the month before `now`'s (local time)."""
    first = timezone.localdate(now).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _month_bounds(month: dt.date):
    start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return start, timezone.make_aware(dt.datetime.combine(following, dt.time()))


def digest_lines(officer, month: dt.date) -> list[str]:
    """The lines of one secondee's digest for `month` (empty: nothing happened)."""
    start, end = _month_bounds(month)
    reports = FieldReport.objects.filter(officer=officer)
    lines = []
    filed = list(reports.filter(submitted_at__gte=start, submitted_at__lt=end).order_by("submitted_at", "id"))
    if filed:
        lines.append(_("Reports you filed: %(count)s.") % {"count": len(filed)})
    for r in reports.filter(status_changed_at__gte=start, status_changed_at__lt=end).exclude(
            status=FieldReport.Status.NEW).order_by("status_changed_at", "id"):
        line = _("“%(title)s”: %(status)s.") % {"title": r.title, "status": r.get_status_display().lower()}
        lines.append(f"{line} {r.status_reason}".strip())
    for f in ReportFeedback.objects.filter(report__officer=officer, given_at__gte=start, given_at__lt=end).select_related(
            "report").order_by("given_at", "id"):
        line = _("“%(title)s” was marked %(verdict)s by an analyst.") % {
            "title": f.report.title, "verdict": f.get_verdict_display().lower()}
        lines.append(f"{line} {f.note}".strip())
    used = (Product.objects.filter(sections__citations__report__officer=officer, published_at__gte=start,
                                   published_at__lt=end).distinct().order_by("published_at", "id"))
    for p in used:
        lines.append(_("Your report was used in %(reference)s.") % {"reference": p.reference})
    return lines


def send_monthly_digests(*, now=None, month: dt.date | None = None) -> DigestResult:
    """E-mail each secondee with something to tell for `month` (default: the month before `now`)."""
    now = now or timezone.now()
    month = month or previous_month(now)
    result = DigestResult(month=month)
    officers = (Officer.objects.filter(user__isnull=False, user__is_active=True, field_reports__isnull=False)
                .select_related("user").distinct().order_by("id"))
    for officer in officers:
        if not officer.user.email:
            continue
        lines = digest_lines(officer, month)
        if not lines:
            continue
        send_mail(_("Your field reports in %(month)s") % {"month": month.strftime("%Y-%m")},
                  "\n".join([_("What became of your field reports in %(month)s:") % {"month": month.strftime("%Y-%m")},
                             "", *(f"- {line}" for line in lines)]),
                  settings.DEFAULT_FROM_EMAIL, [officer.user.email])
        result.sent += 1
        result.recipients.append(officer.user.email)
    return result
