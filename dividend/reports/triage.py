"""Triage workflows (issue 12 §4): assignment, comments between analysts, bulk actions on the queue
and the edit lock. Keyword-only functions, `actor` first, audited; docs/reports-triage.md.

Decisions:

- Assignment: a report is assigned to at most one analyst, who must be able to triage it (an
  analyst of the author's pool, or a national one). Any analyst who triages the report assigns,
  reassigns or unassigns it; the queue filters "assigned to me" and "nobody".
- Comments are between analysts: append-only (never edited or deleted), each audited without its
  text. An analyst may mark a comment for the report's author; the secondee then reads it on their
  report. Every other comment never reaches the secondee (not the page, the API, nor the subject
  access report, which gives only that and when an internal comment was made).
- The lock: opening the triage form takes it (or renews one's own) for `lock_lifetime()` (15
  minutes; DIVIDEND_TRIAGE_LOCK_MINUTES). While it is live nobody else saves the triage form or
  moves the report's status (`services.change_report_status` asks `models.lock_held_by_other`),
  and the page says "being edited by X since …". Saving releases it; an expired lock counts for
  nothing and is taken over by the next one to open the form. Locks are coordination, not a change
  of the record: taking and releasing one is not audited.
- Bulk actions: several reports assigned or moved at once (with one reason). Each report is
  checked first (readable, triaged by the actor, the move allowed, a reason where needed, not
  locked by someone else, the assignee able to triage it); one failure and nothing is changed, the
  answer naming each failing report and why. Then one transaction applies all, an audit entry each.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.pools.models import Role, RoleAssignment

from . import access
from .models import FieldReport, ReportAssignment, ReportLock, TriageComment, lock_held_by_other
from .search import refresh_reports as refresh_search
from .services import change_report_status, refuse_classified


def lock_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "DIVIDEND_TRIAGE_LOCK_MINUTES", 15))


def user_label(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "?"


def locked_message(lock: ReportLock) -> str:
    """"Being edited by Ana Lyst since 10:42 (until 10:57)." in the user's language and time zone."""
    return _("Being edited by %(name)s since %(since)s; the lock ends at %(until)s unless they save "
             "first.") % {"name": user_label(lock.holder),
                          "since": date_format(timezone.localtime(lock.taken_at), "SHORT_DATETIME_FORMAT"),
                          "until": date_format(timezone.localtime(lock.expires_at), "TIME_FORMAT")}


class ReportLocked(ValidationError):
    """Another user holds the report's edit lock; carries the lock."""

    def __init__(self, lock: ReportLock):
        self.lock = lock
        super().__init__(locked_message(lock), code="locked")


def check_not_locked(*, actor, report: FieldReport) -> None:
    lock = lock_held_by_other(report, actor)
    if lock is not None:
        raise ReportLocked(lock)


# --- Analysts ---------------------------------------------------------------------------------------


def analysts():
    """Active users holding the analyst role (any scope), by name."""
    ids = RoleAssignment.objects.filter(role=Role.ANALYST).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name",
                                                                                "username")


def analysts_for(report: FieldReport) -> list:
    """The analysts who may triage `report` (and so be assigned it)."""
    return [u for u in analysts() if access.can_triage_report(u, report)]


OPEN = (FieldReport.Status.NEW, FieldReport.Status.IN_REVIEW, FieldReport.Status.NEEDS_INFORMATION)


def queue(user, status: str, assigned: str):
    """The triage queue's reports: readable by the user, filtered by status and assignment."""
    reports = (FieldReport.objects.visible_to(user).with_related()
               .select_related("triage_assignment__analyst", "triage_lock__holder"))
    if status == "open":
        reports = reports.filter(status__in=OPEN)
    elif status in FieldReport.Status.values:
        reports = reports.filter(status=status)
    if assigned == "me":
        reports = reports.filter(triage_assignment__analyst=user)
    elif assigned == "nobody":
        reports = reports.filter(triage_assignment__isnull=True)
    return reports.order_by("submitted_at", "id")  # oldest first: the queue's order


# --- Lock -------------------------------------------------------------------------------------------


def take_lock(*, actor, report: FieldReport, now=None) -> tuple[ReportLock, bool]:
    """Open the triage form: take the report's edit lock (or renew one's own).

    Steps: 1. check the actor triages the report; 2. one transaction: read the lock row for update;
    another's live lock is returned untaken; a stale or own lock is taken over, none is created (two
    openers at once: the second finds the first one's row); 3. not audited (coordination only).
    Returns (the lock, whether the actor holds it).
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
    now = now or timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                lock = ReportLock.objects.select_for_update().select_related("holder").filter(
                    report_id=report.pk).first()
                if lock is not None and lock.holder_id != actor.pk and lock.is_live(now):
                    return lock, False
                if lock is None:
                    lock = ReportLock.objects.create(report=report, holder=actor, taken_at=now,
                                                     expires_at=now + lock_lifetime())
                else:
                    if lock.holder_id != actor.pk or not lock.is_live(now):
                        lock.taken_at = now  # a stale or another's expired lock: a new editing session
                    lock.holder, lock.expires_at = actor, now + lock_lifetime()
                    lock.save(update_fields=["holder", "taken_at", "expires_at"])
                return lock, True
        except IntegrityError:  # another opener created the row at the same moment: read theirs
            continue
    lock = ReportLock.objects.select_related("holder").get(report_id=report.pk)
    return lock, lock.holder_id == actor.pk


def release_lock(*, actor, report: FieldReport) -> bool:
    """Drop the actor's own lock on `report` (saving does it); another's lock is left alone."""
    deleted, _rows = ReportLock.objects.filter(report_id=report.pk, holder_id=actor.pk).delete()
    return bool(deleted)


# --- Triage form ------------------------------------------------------------------------------------


def save_triage(*, actor, report: FieldReport, themes, countries, places: str, status: str = "",
                reason: str = "") -> list[str]:
    """Save the triage form: themes, countries and places (suggestions the analyst accepted or
    edited) and, optionally, a status move; returns the changed fields.

    Steps: 1. check the actor triages the report; 2. validate: nobody else holds the lock, no
    classified text in the places, the move allowed; 3. compare: nothing changed, nothing written or
    logged; 4. one transaction: the fields and the report's search text, the move (through
    `change_report_status`), the lock released; 5. audit the fields' changes (the move is audited by its own workflow).
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
    check_not_locked(actor=actor, report=report)
    places = "; ".join(p.strip() for p in (places or "").split(";") if p.strip())
    refuse_classified(places=places)
    before = {"themes": sorted(report.themes.values_list("pk", flat=True)),
              "countries": sorted(report.countries.values_list("pk", flat=True)), "places": report.places}
    after = {"themes": sorted(t.pk for t in themes), "countries": sorted(c.pk for c in countries), "places": places}
    changed = [name for name in before if before[name] != after[name]]
    if status and status == report.status:
        status = ""
    with transaction.atomic():
        if changed:
            if "themes" in changed:
                report.themes.set(themes)
            if "countries" in changed:
                report.countries.set(countries)
            if "places" in changed:
                report.places = places
                report.save(update_fields=["places"])
            refresh_search([report.pk])  # themes, countries and places are searched (derived data)
            record(actor=actor, action="update", obj=report, fields=changed,
                   changes={name: (before[name], after[name]) for name in changed},
                   detail={"officer_id": report.officer_id})
        if status:
            change_report_status(actor=actor, report=report, status=status, reason=reason)
            changed.append("status")
        release_lock(actor=actor, report=report)
    return changed


# --- Assignment -------------------------------------------------------------------------------------


def _check_assignee(report: FieldReport, analyst) -> None:
    if analyst is not None and not (analyst.is_active and access.can_triage_report(analyst, report)):
        raise ValidationError({"analyst": _("%(name)s does not triage reports of this author's pool.") % {
            "name": user_label(analyst)}})


def assign_report(*, actor, report: FieldReport, analyst) -> ReportAssignment | None:
    """Assign a report to an analyst (None: to nobody).

    Steps: 1. check the actor triages the report; 2. validate: the analyst triages it too; 3. the
    same assignee again: nothing written; 4. one transaction: the assignment row; 5. audit (from, to).
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
    _check_assignee(report, analyst)
    with transaction.atomic():
        return _assign(actor, report, analyst)


def _assign(actor, report, analyst):
    current = ReportAssignment.objects.filter(report_id=report.pk).first()
    before = current.analyst_id if current else None
    after = analyst.pk if analyst is not None else None
    if before == after:
        return current
    if analyst is None:
        current.delete()
        result = None
    else:
        result, _created = ReportAssignment.objects.update_or_create(
            report=report, defaults={"analyst": analyst, "assigned_by": actor, "assigned_at": timezone.now()})
    record(actor=actor, action="update", obj=report, fields=["assigned_to"],
           changes={"assigned_to": (before, after)}, detail={"officer_id": report.officer_id})
    return result


# --- Comments ---------------------------------------------------------------------------------------


def add_comment(*, actor, report: FieldReport, text: str, for_author: bool = False) -> TriageComment:
    """An analyst comments on a report for the other analysts (and, marked so, for its author).

    Steps: 1. check the actor triages the report; 2. validate: text, no classified content; 3. save;
    4. audit (that a comment was made and whether the author sees it, never its text).
    """
    if not access.can_comment_report(actor, report):
        raise PermissionDenied(_("Only the analysts who triage a report comment on it."))
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    refuse_classified(text=text)
    with transaction.atomic():
        comment = TriageComment.objects.create(report=report, author=actor, text=text, for_author=bool(for_author),
                                               created_at=timezone.now())
        record(actor=actor, action="create", obj=comment, fields=["text", "for_author"],
               detail={"report_id": report.pk, "officer_id": report.officer_id, "for_author": comment.for_author})
    return comment


# --- Bulk actions -----------------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)  # report ids changed
    unchanged: list[int] = field(default_factory=list)  # already so: nothing written


class BulkRefused(ValidationError):
    """Some reports fail the checks: nothing was changed. `problems` maps each failing report's id
    to its messages."""

    def __init__(self, problems: dict[int, list[str]]):
        self.problems = problems
        super().__init__(_("Nothing was changed: %(count)s of the chosen reports cannot be changed so.") % {
            "count": len(problems)})


BULK_ACTIONS = ("assign", "status")
MAX_BULK = 200


def bulk_triage(*, actor, reports, action: str, analyst=None, status: str = "", reason: str = "") -> BulkResult:
    """Assign several reports, or move their status with one reason, all or nothing.

    Steps: 1. check the actor triages reports; 2. validate each report (readable, triaged by the
    actor, not locked by another, the move allowed from its status, a reason where needed, the
    assignee able to triage it), collecting every problem; any problem: BulkRefused naming each
    report, nothing changed; 3. one transaction: each report through the one-report workflow; a
    failure there (a lock taken in the meantime) rolls all back; 4. audit: an entry per report.
    """
    if not access.is_analyst(actor):
        raise PermissionDenied(_("Only analysts triage reports."))
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose assign or move.")})
    reports = list(reports)
    if not reports:
        raise ValidationError({"reports": _("Choose at least one report.")})
    if len(reports) > MAX_BULK:
        raise ValidationError({"reports": _("Choose at most %(count)s reports at once.") % {"count": MAX_BULK}})
    reason = (reason or "").strip()
    if action == "status":
        if status not in FieldReport.Status.values:
            raise ValidationError({"status": _("Choose the status to move the reports to.")})
        if status in FieldReport.REASON_NEEDED and not reason:
            raise ValidationError({"reason": _("Say why: the authors read it.")})
        refuse_classified(reason=reason)
    visible = set(FieldReport.objects.visible_to(actor).filter(pk__in=[r.pk for r in reports])
                  .values_list("pk", flat=True))
    locks = {lock.report_id: lock for lock in ReportLock.objects.live().filter(report__in=reports)
             .exclude(holder_id=actor.pk).select_related("holder")}
    problems: dict[int, list[str]] = {}
    result = BulkResult()
    for report in reports:
        mistakes = []
        if report.pk not in visible or not access.can_triage_report(actor, report):
            problems[report.pk] = [_("You may not triage this report.")]
            continue
        if report.pk in locks:
            mistakes.append(locked_message(locks[report.pk]))
        if action == "status":
            if report.status == status:
                result.unchanged.append(report.pk)
            elif not report.can_move_to(status):
                mistakes.append(_("A report that is %(current)s cannot be moved to %(status)s.") % {
                    "current": report.get_status_display().lower(), "status": FieldReport.Status(status).label.lower()})
        else:
            try:
                _check_assignee(report, analyst)
            except ValidationError as error:
                mistakes += error.messages
        if mistakes:
            problems[report.pk] = mistakes
    if problems:
        raise BulkRefused(problems)
    with transaction.atomic():
        for report in reports:
            if action == "status":
                if report.pk in result.unchanged:
                    continue
                try:
                    change_report_status(actor=actor, report=report, status=status, reason=reason)
                except ValidationError as error:  # locked or moved in the meantime: undo them all
                    raise BulkRefused({report.pk: error.messages}) from error
                result.changed.append(report.pk)
            else:
                current = ReportAssignment.objects.filter(report_id=report.pk).values_list("analyst_id",
                                                                                           flat=True).first()
                if current == (analyst.pk if analyst is not None else None):
                    result.unchanged.append(report.pk)
                    continue
                _assign(actor, report, analyst)
                result.changed.append(report.pk)
    return result
