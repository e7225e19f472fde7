"""Workflows of the commitments app: documents and their assignments, the coordination forum's
meetings, decisions and follow-up, budget lines and the costs charged to them; and the figures
other apps read.

`budget_position(year, pool=None)` and `expected_cost_per_person_month(year, pool=None)` are what
higher apps (accountability's portfolio planning) call: sums without personal data and None where no
budget line or no cost exists (never an invented figure). They apply no access rule: the caller asks
`commitments.access.can_read_commitments` first.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record

from . import access
from .models import (
    Assignment,
    BudgetLine,
    CommitmentDocument,
    CoordinationForum,
    Decision,
    FollowUp,
    ForumMeeting,
    SecondmentCost,
)

CENT = Decimal("0.01")
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12: a person-month as the targets' snapshots count it


def _text(value) -> str:
    """Trimmed, with the browser's CRLF line breaks as LF: a textarea sent back unchanged is unchanged."""
    return (value or "").replace("\r\n", "\n").strip()


def _save(*, actor, obj, values: dict, audit_detail=None):
    """Write `values` onto `obj` (new when it has no pk) if any differs, validated by the model, and
    audit it with the old and new values. Returns (obj, changed field names); nothing changed: nothing
    written. The caller holds the transaction and has checked permission."""
    created = obj.pk is None
    old = {} if created else {name: getattr(obj, name) for name in values}
    changes = {name: (old.get(name), value) for name, value in values.items() if created or old[name] != value}
    if not changes:
        return obj, []
    for name, value in values.items():
        setattr(obj, name, value)
    if hasattr(obj, "updated_at"):
        obj.updated_at = timezone.now()
    obj.full_clean()
    obj.save()

    def shown(value):
        return None if value is None else str(getattr(value, "pk", value))

    record(actor=actor, action="create" if created else "update", obj=obj, detail=audit_detail,
           changes={name: (shown(a), shown(b)) for name, (a, b) in changes.items()})
    return obj, sorted(changes)


def _locked(model, obj):
    return None if obj is None else model.objects.select_for_update().get(pk=obj.pk)


# --- Documents and assignments -------------------------------------------------------------------

def save_document(*, actor, document: CommitmentDocument | None = None, kind: str, year: int, title: str,
                  issued_by: str, issued_on: dt.date, pool=None, summary: str = "") -> tuple:
    """Create or change a commitment document.

    Steps: 1. check the actor records documents of the pool (and of the document's current one);
    2. validate (the model: year 2000-2100, the kind, lengths); 3. one transaction: write what
    changed; 4. audit (old and new values). Returns (document, changed fields).
    """
    if not access.can_record_for_pool(actor, pool) or (document and not access.can_edit_document(actor, document)):
        raise PermissionDenied(_("Commitment documents are recorded by policy officers and administrators "
                                 "(national ones: national ones)."))
    _check_year(year)
    with transaction.atomic():
        document = _locked(CommitmentDocument, document) or CommitmentDocument()
        return _save(actor=actor, obj=document, values={
            "kind": kind, "year": year, "title": _text(title), "issued_by": _text(issued_by), "issued_on": issued_on,
            "pool": pool, "summary": _text(summary)})


def _check_year(year):
    if year is None or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("A year is from 2000 to 2100.")})


def save_assignment(*, actor, document: CommitmentDocument, assignment: Assignment | None = None, text: str,
                    owner: str, report_back_on: dt.date) -> tuple:
    """Add an assignment to a document or change one.

    Steps: 1. check the actor may edit the document; 2. validate: the report-back date not before the
    document was issued; 3. one transaction: write what changed; 4. audit. Returns (assignment, changed).
    """
    if not access.can_edit_document(actor, document):
        raise PermissionDenied(_("Assignments are recorded by whoever records the document."))
    if report_back_on and report_back_on < document.issued_on:
        raise ValidationError({"report_back_on": _("The report-back date %(date)s is before the document was "
                                                   "issued (%(issued)s).") % {"date": report_back_on,
                                                                              "issued": document.issued_on}})
    with transaction.atomic():
        assignment = _locked(Assignment, assignment) or Assignment(document=document)
        return _save(actor=actor, obj=assignment, values={
            "text": _text(text), "owner": _text(owner), "report_back_on": report_back_on},
            audit_detail={"document_id": document.pk})


def _move(*, actor, model, obj, status: str, reason: str, what: str):
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        if status not in model.Status.values or not obj.can_move_to(status):
            raise ValidationError({"status": _("%(what)s that is %(now)s cannot become %(to)s.") % {
                "what": what, "now": obj.get_status_display().lower(), "to": status}})
        old = obj.status
        obj.status, obj.status_reason = status, _text(reason)[:500]
        obj.status_changed_at, obj.status_changed_by = timezone.now(), actor
        obj.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
        record(actor=actor, action="status", obj=obj, changes={"status": (old, status)},
               detail={"reason": obj.status_reason})
    return obj


def move_assignment(*, actor, assignment: Assignment, status: str, reason: str = "") -> Assignment:
    """Move an assignment (open → in progress → reported; cancelled; reopened).

    Steps: 1. check the actor may edit the document; 2. validate the move against
    Assignment.TRANSITIONS; 3. one transaction: the status with who, when and why; 4. audit (status).
    """
    if not access.can_edit_document(actor, assignment.document):
        raise PermissionDenied(_("Assignments are recorded by whoever records the document."))
    return _move(actor=actor, model=Assignment, obj=assignment, status=status, reason=reason,
                 what=_("An assignment"))


# --- The coordination forum ----------------------------------------------------------------------

def _forum_gate(actor):
    if not access.can_edit_forum(actor):
        raise PermissionDenied(_("The coordination forum's records are kept by national policy officers and "
                                 "administrators."))


def save_forum(*, actor, forum: CoordinationForum | None = None, name: str, chaired_by: str, members: str,
               cadence: str = "") -> tuple:
    """Create or change a forum. Steps: 1. check the actor keeps the forum's records; 2. validate (the
    model: a unique name); 3. one transaction; 4. audit."""
    _forum_gate(actor)
    with transaction.atomic():
        forum = _locked(CoordinationForum, forum) or CoordinationForum()
        return _save(actor=actor, obj=forum, values={
            "name": _text(name), "chaired_by": _text(chaired_by), "members": _text(members), "cadence": _text(cadence)})


def save_meeting(*, actor, forum: CoordinationForum, meeting: ForumMeeting | None = None, held_on: dt.date,
                 summary: str = "") -> tuple:
    """Record a meeting of the forum or change its minutes. Steps: 1. check; 2. validate: one meeting
    per forum and day, not in the future; 3. one transaction; 4. audit."""
    _forum_gate(actor)
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting is recorded once it has been held.")})
    clash = ForumMeeting.objects.filter(forum=forum, held_on=held_on).exclude(pk=getattr(meeting, "pk", None))
    if clash.exists():
        raise ValidationError({"held_on": _("The forum already has a meeting on %(date)s.") % {"date": held_on}})
    with transaction.atomic():
        meeting = _locked(ForumMeeting, meeting) or ForumMeeting(forum=forum)
        return _save(actor=actor, obj=meeting, values={"held_on": held_on, "summary": _text(summary)},
                     audit_detail={"forum_id": forum.pk})


def record_decision(*, actor, meeting: ForumMeeting, kind: str, text: str, mission=None, position=None) -> tuple:
    """Record a decision taken at a meeting. Steps: 1. check; 2. validate: joining a mission names the
    mission, a strategic position names the position (and its mission, if given, is the position's);
    3. one transaction; 4. audit."""
    _forum_gate(actor)
    if kind == Decision.Kind.JOIN_MISSION and mission is None:
        raise ValidationError({"mission": _("Name the mission the country joins.")})
    if kind == Decision.Kind.STRATEGIC_POSITION and position is None:
        raise ValidationError({"position": _("Name the strategic position to pursue.")})
    if position is not None and mission is not None and position.mission_id != mission.pk:
        raise ValidationError({"position": _("The position is not on the mission named.")})
    with transaction.atomic():
        return _save(actor=actor, obj=Decision(meeting=meeting), values={
            "kind": kind, "text": _text(text), "mission": mission, "position": position},
            audit_detail={"meeting_id": meeting.pk})


def add_follow_up(*, actor, decision: Decision, action: str, owner: str, due_on: dt.date) -> tuple:
    """What a decision asks of someone. Steps: 1. check; 2. validate: due on or after the meeting;
    3. one transaction; 4. audit."""
    _forum_gate(actor)
    if due_on and due_on < decision.meeting.held_on:
        raise ValidationError({"due_on": _("A follow-up is due on or after the meeting (%(date)s).")
                               % {"date": decision.meeting.held_on}})
    with transaction.atomic():
        return _save(actor=actor, obj=FollowUp(decision=decision), values={
            "action": _text(action), "owner": _text(owner), "due_on": due_on}, audit_detail={"decision_id": decision.pk})


def move_follow_up(*, actor, follow_up: FollowUp, status: str, reason: str = "") -> FollowUp:
    """Done, dropped, or open again. Steps: 1. check; 2. validate against FollowUp.TRANSITIONS;
    3. one transaction: who, when, why; 4. audit (status)."""
    _forum_gate(actor)
    return _move(actor=actor, model=FollowUp, obj=follow_up, status=status, reason=reason, what=_("A follow-up"))


# --- Budget ------------------------------------------------------------------------------------------

def _check_amount(amount):
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("An amount is zero or more: a negative budget or cost is refused.")})


def save_budget_line(*, actor, line: BudgetLine | None = None, year: int, pool=None, kind: str, title: str,
                     amount: Decimal) -> tuple:
    """Create or change a budget line. Steps: 1. check the actor records the pool's budget (and the
    line's current pool's); 2. validate: a year 2000-2100, an amount not negative; 3. one transaction;
    4. audit (old and new amounts)."""
    if not access.can_record_for_pool(actor, pool) or (line and not access.can_edit_line(actor, line)):
        raise PermissionDenied(_("Budget lines are recorded by policy officers and administrators "
                                 "(national lines: national ones)."))
    _check_year(year)
    _check_amount(amount)
    with transaction.atomic():
        line = _locked(BudgetLine, line) or BudgetLine()
        return _save(actor=actor, obj=line, values={"year": year, "pool": pool, "kind": kind, "title": _text(title),
                                                    "amount": Decimal(amount).quantize(CENT)})


def record_cost(*, actor, cost: SecondmentCost | None = None, line: BudgetLine, secondment, category: str,
                stage: str, amount: Decimal, incurred_on: dt.date, note: str = "") -> tuple:
    """Charge a cost of a secondment to a budget line, or correct a charged one (`cost`: a wrong
    amount, a commitment now paid, the wrong line). Steps: 1. check the actor may edit the line (and
    the corrected cost's) and sees the secondment; 2. validate: not negative, dated in the line's
    year; 3. one transaction; 4. audit (a correction: the old and new values)."""
    from dividend.secondments.models import Secondment

    if not access.can_edit_line(actor, line) or not Secondment.objects.visible_to(actor).filter(
            pk=secondment.pk).exists() or (cost is not None and not access.can_edit_cost(actor, cost)):
        raise PermissionDenied(_("Costs are charged by whoever records the budget line, to a secondment they see."))
    _check_amount(amount)
    if incurred_on and incurred_on.year != line.year:
        raise ValidationError({"incurred_on": _("The budget line is for %(year)s: date the cost in that year.")
                               % {"year": line.year}})
    with transaction.atomic():
        return _save(actor=actor, obj=_locked(SecondmentCost, cost) or SecondmentCost(), values={
            "line": line, "secondment": secondment, "category": category, "stage": stage,
            "amount": Decimal(amount).quantize(CENT), "incurred_on": incurred_on, "note": _text(note)},
            audit_detail={"line_id": line.pk})


# --- Figures -----------------------------------------------------------------------------------------

@dataclass
class LinePosition:
    line: BudgetLine
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.line.amount - self.committed - self.paid

    @property
    def used_percent(self) -> Decimal | None:
        if not self.line.amount:
            return None
        return ((self.committed + self.paid) * 100 / self.line.amount).quantize(Decimal("0.1"), ROUND_HALF_UP)


def line_positions(lines) -> list[LinePosition]:
    """Each budget line with what is committed and paid on it: two queries however many lines."""
    lines = list(lines)
    sums = {(row["line_id"], row["stage"]): Decimal(row["total"]).quantize(CENT) for row in SecondmentCost.objects.filter(
        line__in=[line.pk for line in lines]).values("line_id", "stage").order_by().annotate(total=Sum("amount"))}
    zero = Decimal("0.00")
    return [LinePosition(line, sums.get((line.pk, "committed"), zero), sums.get((line.pk, "paid"), zero))
            for line in lines]


def _lines_of(year: int, pool=None):
    lines = BudgetLine.objects.filter(year=year)
    return lines.filter(pool__isnull=True) if pool is None else lines.filter(pool=pool)


def budget_position(year: int, pool=None) -> dict | None:
    """The year's budget (national lines, or one pool's): {budget, committed, paid, spent (committed +
    paid), remaining, used_percent}; None when no budget line exists for it."""
    positions = line_positions(_lines_of(year, pool))
    if not positions:
        return None
    budget = sum((p.line.amount for p in positions), Decimal("0.00"))
    committed = sum((p.committed for p in positions), Decimal("0.00"))
    paid = sum((p.paid for p in positions), Decimal("0.00"))
    return {"year": year, "pool": pool.pk if pool else None, "budget": budget, "committed": committed, "paid": paid,
            "spent": committed + paid, "remaining": budget - committed - paid,
            "used_percent": ((committed + paid) * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if budget else None}


def person_months(secondment, year: int, today: dt.date | None = None) -> Decimal:
    """The secondment's months within the year by its dates (days ÷ 30.4375; without an end date, up to today)."""
    first = max(secondment.start_date, dt.date(year, 1, 1))
    last = min(dt.date(year, 12, 31), secondment.end_date or today or timezone.localdate())
    days = (last - first).days + 1
    return (Decimal(max(0, days)) / DAYS_PER_MONTH).quantize(CENT, ROUND_HALF_UP)


def cost_per_secondment(costs, year: int, today: dt.date | None = None) -> list[dict]:
    """Per secondment among `costs` (a SecondmentCost queryset): total cost, person-months in the year
    and cost per person-month (None for a secondment without a day in the year)."""
    from dividend.secondments.models import Secondment

    totals = {pk: Decimal(total).quantize(CENT) for pk, total in costs.values("secondment_id").order_by()
              .annotate(total=Sum("amount")).values_list("secondment_id", "total")}
    rows = []
    for s in Secondment.objects.filter(pk__in=list(totals)).select_related(
            "officer__pool", "position__mission").order_by("pk"):  # the page names officer and pool
        months = person_months(s, year, today)
        rows.append({"secondment": s, "total": totals[s.pk], "person_months": months,
                     "per_person_month": (totals[s.pk] / months).quantize(CENT, ROUND_HALF_UP) if months else None})
    return rows


def expected_cost_per_person_month(year: int, pool=None, today: dt.date | None = None) -> Decimal | None:
    """What a person-month has cost: all costs charged on the year's lines ÷ the person-months of the
    secondments charged; the year before when this year has none yet; None without any cost."""
    for each_year in (year, year - 1):
        rows = cost_per_secondment(SecondmentCost.objects.filter(line__in=_lines_of(each_year, pool)), each_year,
                                   today)
        months = sum((r["person_months"] for r in rows), Decimal("0"))
        if months:
            return (sum((r["total"] for r in rows), Decimal("0")) / months).quantize(CENT, ROUND_HALF_UP)
    return None


def overdue(today: dt.date | None = None) -> dict:
    """Assignments and follow-ups past their date and not done: {"assignments": [...], "follow_ups": [...]}."""
    today = today or timezone.localdate()
    return {"assignments": list(Assignment.objects.overdue(today).select_related("document")),
            "follow_ups": list(FollowUp.objects.overdue(today).select_related("decision__meeting__forum"))}


def spending_by_pool(year: int, user) -> list[dict]:
    """The year's budget per pool the user reads and nationally: one row each with lines."""
    lines = BudgetLine.objects.visible_to(user).filter(year=year).select_related("pool")
    by_pool: dict = {}
    for position in line_positions(lines):
        by_pool.setdefault(position.line.pool, []).append(position)
    rows = []
    for pool, positions in sorted(by_pool.items(), key=lambda item: (item[0] is not None, str(item[0] or ""))):
        budget = sum((p.line.amount for p in positions), Decimal("0.00"))
        committed = sum((p.committed for p in positions), Decimal("0.00"))
        paid = sum((p.paid for p in positions), Decimal("0.00"))
        rows.append({"pool": pool, "positions": positions, "budget": budget, "committed": committed, "paid": paid,
                     "spent": committed + paid, "remaining": budget - committed - paid})
    return rows


__all__ = ["add_follow_up", "budget_position", "cost_per_secondment", "expected_cost_per_person_month",
           "line_positions", "move_assignment", "move_follow_up", "overdue", "person_months", "record_cost",
           "record_decision", "save_assignment", "save_budget_line", "save_document", "save_forum", "save_meeting",
           "spending_by_pool"]
