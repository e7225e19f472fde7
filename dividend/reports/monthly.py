"""The monthly mission report (issue 12 §7): per mission and month, as Sweden writes it — a short
security assessment, a political update and the work of the national contingent.

`compose` drafts the three sections from what the drafting analyst may read: the month's accepted
field reports on the mission (each cited by its reference, FR-<id>) and the duty-of-care contact
log of the contingent (dates, channels and wellbeing flags only, counted; never a contact's
restricted notes, which are not even loaded). The analyst edits the text; the reports the text
cites are the report's citations, and its marking is never less strict than the strictest of them.

Workflow (`MonthlyReport.TRANSITIONS`): draft → submitted → approved, or submitted → returned (with
a reason) → submitted. A second analyst approves or returns: never the author. Each move is a
keyword-only function, `actor` first, that checks the table, records who/when/why and audits.
"""

import datetime as dt
import re
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dividend.audit.services import record

from . import access
from .models import STRICTNESS, FieldReport, Marking, MonthlyReport, strictest
from .services import refuse_classified

TEXT_FIELDS = ("security_assessment", "political_update", "contingent_work")
EDIT_FIELDS = (*TEXT_FIELDS, "marking")
# Themes whose reports go to the political update; every other accepted report informs the
# security assessment.
POLITICAL_THEMES = frozenset({"rule_of_law", "police_reform", "security_sector_reform", "civilian_oversight"})
# The contingent's wellbeing flags are summarised only over at least this many secondees: fewer would
# tell one person's wellbeing to every reader of the report.
WELLBEING_MIN_SECONDEES = 3
EXCERPT = 300
REFERENCE = re.compile(r"\bFR-(\d{1,12})\b")


def cite(report: FieldReport) -> str:
    """A field report's reference in a monthly report's text."""
    return f"FR-{report.pk}"


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def check_month(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The first day of `month`; a ValidationError for a month that has not begun."""
    today = today or timezone.localdate()
    first = month.replace(day=1)
    if first > today.replace(day=1):
        raise ValidationError({"month": _("%(month)s has not begun: a monthly report is written on the current "
                                          "month or an earlier one.") % {"month": f"{first:%Y-%m}"}})
    return first


def month_reports(actor, mission, month: dt.date):
    """The accepted field reports on `mission` covering a day of `month` that `actor` reads."""
    first, last = month_bounds(month)
    return (FieldReport.objects.visible_to(actor).filter(mission=mission, status=FieldReport.Status.ACCEPTED,
                                                         period_start__lte=last, period_end__gte=first)
            .select_related("officer").prefetch_related("themes").order_by("period_start", "id"))


def _entry(report: FieldReport) -> str:
    body = " ".join(report.body.split())
    excerpt = body if len(body) <= EXCERPT else body[:EXCERPT].rsplit(" ", 1)[0] + " …"
    return (f"- {report.title} ({report.period_start:%d.%m.}–{report.period_end:%d.%m.%Y}, "
            f"{report.get_marking_display()}) [{cite(report)}]\n  {excerpt}")


def _section(reports, empty: str) -> str:
    if not reports:
        return empty
    return "\n".join(_entry(r) for r in reports)


def contingent_summary(actor, mission, month: dt.date) -> str:
    """The contingent's month from the duty-of-care records the actor sees: how many were deployed,
    how many contacts by which channel, and (over enough secondees) the wellbeing flags. Counts
    only: no names, never a contact's notes."""
    from dividend.care.models import Contact
    from dividend.secondments.models import Secondment

    first, last = month_bounds(month)
    deployed = (Secondment.objects.filter(position__mission=mission, start_date__lte=last,
                                          status__in=[Secondment.Status.DEPLOYED, Secondment.Status.RETURNED,
                                                      Secondment.Status.REINTEGRATED])
                .exclude(end_date__lt=first).count())
    contacts = list(Contact.objects.visible_to(actor).filter(secondment__position__mission=mission,
                                                             contact_on__gte=first, contact_on__lte=last)
                    .values_list("secondment_id", "channel", "wellbeing"))
    lines = [ngettext("%(n)d secondee of the national contingent was deployed during the month.",
                      "%(n)d secondees of the national contingent were deployed during the month.",
                      deployed) % {"n": deployed}]
    if not contacts:
        lines.append(_("The contact log you may see holds no contact with them this month."))
        return "\n".join(lines)
    people = len({c[0] for c in contacts})
    channels = Counter(c[1] for c in contacts)
    labels = dict(Contact.Channel.choices)
    by_channel = ", ".join(f"{labels[k]}: {n}" for k, n in sorted(channels.items()))
    lines.append(ngettext("The desk officers logged %(n)d contact with %(people)d secondee (%(channels)s).",
                          "The desk officers logged %(n)d contacts with %(people)d secondees (%(channels)s).",
                          len(contacts)) % {"n": len(contacts), "people": people, "channels": by_channel})
    if people >= WELLBEING_MIN_SECONDEES:
        wellbeing = Counter(c[2] for c in contacts)
        flags = dict(Contact.Wellbeing.choices)
        lines.append(_("Wellbeing at the contacts: %(flags)s.") % {
            "flags": ", ".join(f"{flags[k]}: {wellbeing[k]}" for k in Contact.Wellbeing.values if wellbeing[k])})
    else:
        lines.append(_("Wellbeing is not summarised over fewer than %(n)d secondees.") % {
            "n": WELLBEING_MIN_SECONDEES})
    return "\n".join(lines)


def compose(actor, mission, month: dt.date) -> dict:
    """The drafted text of the three sections, the reports it cites and the marking they need."""
    reports = list(month_reports(actor, mission, month))
    political = [r for r in reports if {t.code for t in r.themes.all()} & POLITICAL_THEMES]
    security = [r for r in reports if r not in political]
    filed = len(reports)
    contingent = contingent_summary(actor, mission, month)
    contingent += "\n" + ngettext("%(n)d accepted field report of the contingent covers the month.",
                                  "%(n)d accepted field reports of the contingent cover the month.",
                                  filed) % {"n": filed}
    return {
        "security_assessment": _section(security, _("No accepted field report on the security situation this "
                                                    "month.")),
        "political_update": _section(political, _("No accepted field report on political developments this "
                                                  "month.")),
        "contingent_work": contingent,
        "reports": reports,
        "marking": strictest([Marking.AMBER, *(r.marking for r in reports)]),
    }


def cited_in(actor, mission, texts) -> list[FieldReport]:
    """The field reports the texts cite (FR-<id>): each one the actor reads, accepted and on the
    mission; else a ValidationError naming the references."""
    ids = sorted({int(m) for text in texts for m in REFERENCE.findall(text or "")})
    if not ids:
        return []
    found = {r.pk: r for r in FieldReport.objects.visible_to(actor).filter(pk__in=ids)}
    unknown = [f"FR-{i}" for i in ids if i not in found]
    if unknown:
        raise ValidationError(_("Not a field report you may read: %(refs)s.") % {"refs": ", ".join(unknown)})
    wrong = [f"FR-{r.pk}" for r in found.values() if r.mission_id != mission.pk
             or r.status != FieldReport.Status.ACCEPTED]
    if wrong:
        raise ValidationError(_("Only accepted field reports on %(mission)s are cited; not these: %(refs)s.") % {
            "mission": mission.acronym, "refs": ", ".join(wrong)})
    return [found[i] for i in ids]


def _label(marking) -> str:
    return Marking(marking).label if marking in Marking.values else str(marking)


def _check_marking(marking, reports) -> None:
    if marking not in Marking.values:
        raise ValidationError({"marking": _("Nothing leaves without a TLP marking: choose CLEAR, GREEN, AMBER, "
                                            "AMBER+STRICT or RED.")})
    sources = strictest(r.marking for r in reports)
    if sources and STRICTNESS[marking] < STRICTNESS[sources]:
        raise ValidationError({"marking": _("A cited report is marked %(sources)s: mark the monthly report at least "
                                            "as strictly.") % {"sources": _label(sources)}})


def _clean_texts(texts: dict) -> dict:
    cleaned = {f: (texts.get(f) or "").replace("\r\n", "\n").strip() for f in TEXT_FIELDS}
    empty = {f: _("Write this section; it may be short.") for f, text in cleaned.items() if not text}
    if empty:
        raise ValidationError(empty)
    nul = {f: _("Null characters are not allowed.") for f, text in cleaned.items() if "\x00" in text}
    if nul:  # the form refuses them too; this is the path to the table (PostgreSQL refuses them)
        raise ValidationError(nul)
    refuse_classified(**cleaned)
    return cleaned


def create_monthly_report(*, actor, mission, month: dt.date) -> MonthlyReport:
    """An analyst drafts the monthly report on a mission and month.

    Steps: 1. check the actor drafts monthly reports; 2. validate: the month has begun, no report on
    that mission and month yet; 3. compose the draft from what the actor reads (`compose`); 4. one
    transaction: the report and its citations; 5. audit (the mission, month and cited ids, never the
    text).
    """
    if not access.can_draft_monthly_reports(actor):
        raise PermissionDenied(_("Only analysts draft monthly mission reports."))
    month = check_month(month)
    if MonthlyReport.objects.filter(mission=mission, month=month).exists():
        raise ValidationError({"month": _("The monthly report on %(mission)s for %(month)s exists already.") % {
            "mission": mission.acronym, "month": f"{month:%Y-%m}"}})
    draft = compose(actor, mission, month)
    now = timezone.now()
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                mission=mission, month=month, marking=draft["marking"], author=actor, created_at=now, updated_at=now,
                status=MonthlyReport.Status.DRAFT, status_changed_at=now, status_changed_by=actor,
                **{f: draft[f] for f in TEXT_FIELDS})
            report.reports.set(draft["reports"])
            record(actor=actor, action="create", obj=report, fields=[*EDIT_FIELDS, "mission", "month", "reports"],
                   detail={"reference": report.reference, "marking": report.marking,
                           "cited": sorted(r.pk for r in draft["reports"])})
    except IntegrityError:  # another analyst drafted it at the same moment
        raise ValidationError({"month": _("The monthly report on %(mission)s for %(month)s exists already.") % {
            "mission": mission.acronym, "month": f"{month:%Y-%m}"}}) from None
    return report


def edit_monthly_report(*, actor, report: MonthlyReport, marking: str, **texts) -> MonthlyReport:
    """The author edits a draft (or a returned report): the three sections and the marking.

    Steps: 1. check the actor edits it (its author, while draft or returned); 2. validate: each
    section written, no classified content, every FR-<id> cited readable, accepted and on the
    mission, the marking at least as strict as the strictest cited report; 3. nothing changed:
    nothing written, nothing audited; else one transaction: the texts, marking and citations;
    4. audit (the fields changed and the cited ids).
    """
    if not access.can_edit_monthly_report(actor, report):
        raise PermissionDenied(_("Only the author edits a draft or a returned monthly report."))
    cleaned = _clean_texts(texts)
    cited = cited_in(actor, report.mission, cleaned.values())
    _check_marking(marking, cited)
    new = {**cleaned, "marking": marking}
    changed = [f for f in EDIT_FIELDS if getattr(report, f) != new[f]]
    cited_ids = sorted(r.pk for r in cited)
    citations_changed = cited_ids != sorted(report.reports.values_list("pk", flat=True))
    if not changed and not citations_changed:
        return report
    with transaction.atomic():
        for field in changed:
            setattr(report, field, new[field])
        report.updated_at = timezone.now()
        report.save(update_fields=[*changed, "updated_at"])
        if citations_changed:
            report.reports.set(cited)
        record(actor=actor, action="update", obj=report, fields=changed + (["reports"] if citations_changed else []),
               detail={"reference": report.reference, "marking": report.marking, "cited": cited_ids})
    return report


def _check_move(report: MonthlyReport, status: str) -> None:
    if not report.can_move_to(status):
        raise ValidationError(_("A monthly report that is %(current)s cannot be moved to %(status)s.") % {
            "current": report.get_status_display().lower(), "status": MonthlyReport.Status(status).label.lower()})


def _move(actor, report: MonthlyReport, status: str, reason: str = "", extra_fields=()) -> None:
    before = report.status
    report.status, report.status_reason = status, reason
    report.status_changed_at, report.status_changed_by = timezone.now(), actor
    report.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", *extra_fields])
    record(actor=actor, action="status", obj=report, fields=["status", "status_reason", *extra_fields],
           detail={"reference": report.reference, "from": before, "to": status, "reason": reason,
                   "marking": report.marking})


def submit_monthly_report(*, actor, report: MonthlyReport) -> MonthlyReport:
    """The author submits a draft or a returned report for approval.

    Steps: 1. check the actor is its author (an analyst); 2. validate the move, the sections and the
    marking against the cited reports; 3. save who/when; 4. audit.
    """
    if report.author_id != actor.pk or not access.is_analyst(actor):
        raise PermissionDenied(_("Only the author submits a monthly report."))
    _check_move(report, MonthlyReport.Status.SUBMITTED)
    _clean_texts({f: getattr(report, f) for f in TEXT_FIELDS})
    _check_marking(report.marking, list(report.reports.all()))
    with transaction.atomic():
        _move(actor, report, MonthlyReport.Status.SUBMITTED)
    return report


def approve_monthly_report(*, actor, report: MonthlyReport) -> MonthlyReport:
    """A second analyst approves a submitted report.

    Steps: 1. check the actor approves (an analyst who reads it and is not its author); 2. validate
    the move and the marking against the cited reports; 3. one transaction: approver, approved_at,
    status; 4. audit.
    """
    if report.author_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("The author does not approve their own monthly report: a second analyst does."))
    if not access.can_approve_monthly_report(actor, report):
        raise PermissionDenied(_("A second analyst, not the author, approves a monthly report."))
    _check_move(report, MonthlyReport.Status.APPROVED)
    _check_marking(report.marking, list(report.reports.all()))
    with transaction.atomic():
        report.approver, report.approved_at = actor, timezone.now()
        _move(actor, report, MonthlyReport.Status.APPROVED, extra_fields=["approver", "approved_at"])
    return report


def return_monthly_report(*, actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    """A second analyst returns a submitted report to its author, saying why.

    Steps: 1. check the actor approves (not the author); 2. validate the move and the reason;
    3. save who/when/why; 4. audit.
    """
    if report.author_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("The author does not return their own monthly report: a second analyst does."))
    if not access.can_approve_monthly_report(actor, report):
        raise PermissionDenied(_("A second analyst, not the author, returns a monthly report."))
    _check_move(report, MonthlyReport.Status.RETURNED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the author reads it.")})
    refuse_classified(reason=reason)
    with transaction.atomic():
        _move(actor, report, MonthlyReport.Status.RETURNED, reason)
    return report


def move(actor, report: MonthlyReport, data: dict) -> MonthlyReport:
    """One move from a form's cleaned data (pages and API)."""
    kind = data["move"]
    if kind == "submit":
        return submit_monthly_report(actor=actor, report=report)
    if kind == "approve":
        return approve_monthly_report(actor=actor, report=report)
    return return_monthly_report(actor=actor, report=report, reason=data.get("reason", ""))


def missions_due(actor, today: dt.date | None = None) -> tuple[dt.date, list]:
    """(the month last due, [(mission, its monthly report or None)]) for the missions with a
    secondee deployed during that month; a month's report is due by the 10th of the next (the
    rule of `overdue.month_due`)."""
    from dividend.missions.models import Mission
    from dividend.secondments.models import Secondment

    from .overdue import month_due

    first, last = month_due(today or timezone.localdate())
    deployed = (Secondment.objects.filter(start_date__lte=last, status__in=[
        Secondment.Status.DEPLOYED, Secondment.Status.RETURNED, Secondment.Status.REINTEGRATED])
        .exclude(end_date__lt=first).values("position__mission_id"))
    missions = list(Mission.objects.filter(pk__in=deployed).order_by("acronym"))
    reports = {r.mission_id: r for r in MonthlyReport.objects.visible_to(actor).filter(
        month=first, mission__in=missions).select_related("mission")}
    return first, [(m, reports.get(m.pk)) for m in missions]
