"""Pages of the commitments app: the documents that commit the country and their assignments, the
coordination forum (meetings, decisions, follow-up), the budget (lines, committed and paid, cost per
secondment and per person-month) and their CSV/XLSX exports. Thin: each calls a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dividend.audit.services import record
from dividend.common.exports import render_csv, render_xlsx

from . import access, exports, services
from .forms import (
    AssignmentForm,
    BudgetLineForm,
    CostForm,
    DecisionForm,
    DocumentForm,
    FollowUpForm,
    ForumForm,
    MeetingForm,
    MoveForm,
    to_form_errors,
)
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    Assignment,
    BudgetLine,
    CommitmentDocument,
    CoordinationForum,
    Decision,
    FollowUp,
    ForumMeeting,
    SecondmentCost,
)


def _gate(user):
    if not access.can_read_commitments(user):
        raise PermissionDenied(_("Commitments, the coordination forum and the budget are for the Ministry liaison, "
                                 "policy officers, coordinators, auditors and administrators."))


def _require(allowed: bool, message: str):
    """PermissionDenied with the page's reason unless the access predicate allowed it."""
    if not allowed:
        raise PermissionDenied(message)


DOCUMENTS_BY = gettext_lazy("Commitment documents are recorded by policy officers and administrators.")
ASSIGNMENTS_BY = gettext_lazy("Assignments are recorded by whoever records the document.")
FORUM_BY = gettext_lazy("The coordination forum's records are kept by national policy officers and administrators.")
BUDGET_BY = gettext_lazy("Budget lines are recorded by policy officers and administrators.")
COSTS_BY = gettext_lazy("Costs are charged by policy officers and administrators.")


def _year(request, default=None) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return default
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise Http404(_("A year is from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return int(raw)


def _form_page(request, form, *, title, save, done, back):
    """Show `form`; on a valid POST call `save(cleaned_data)` → (object, changed) and go to `done(object)`.
    A service's refusal is shown on the form (400), nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            obj, changed = save(form.cleaned_data)
        except ValidationError as error:
            to_form_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect(done(obj))
    return render(request, "commitments/form.html", {"form": form, "title": title, "back": back},
                  status=400 if form.errors else 200)


def _move_page(request, obj, *, move, done):
    form = MoveForm(request.POST, user=request.user, obj=obj)
    if form.is_valid():
        try:
            move(status=form.cleaned_data["status"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status this one can move to."))
    return redirect(done)


# --- Documents and assignments -------------------------------------------------------------------

@login_required
def document_list(request):
    user = request.user
    _gate(user)
    year = _year(request)
    documents = CommitmentDocument.objects.visible_to(user).select_related("pool")
    if year:
        documents = documents.filter(year=year)
    documents = list(documents)
    today = timezone.localdate()
    counts = {}
    for a in Assignment.objects.filter(document__in=documents).only("document_id", "status", "report_back_on"):
        c = counts.setdefault(a.document_id, {"all": 0, "open": 0, "overdue": 0})
        c["all"] += 1
        c["open"] += a.status in Assignment.PENDING
        c["overdue"] += a.is_overdue(today)
    years = sorted(set(CommitmentDocument.objects.visible_to(user).values_list("year", flat=True).order_by()
                       .distinct()), reverse=True)
    return render(request, "commitments/documents.html", {
        "rows": [(d, counts.get(d.pk, {"all": 0, "open": 0, "overdue": 0})) for d in documents], "year": year,
        "years": years, "may_add": access.can_record_commitments(user)})


@login_required
def document_detail(request, pk):
    user = request.user
    _gate(user)
    document = get_object_or_404(CommitmentDocument.objects.visible_to(user).select_related("pool"), pk=pk)
    may_edit = access.can_edit_document(user, document)
    today = timezone.localdate()
    assignments = [(a, a.is_overdue(today), MoveForm(user=user, obj=a, auto_id=f"move-{a.pk}-%s") if may_edit else None)
                   for a in document.assignments.select_related("status_changed_by")]
    return render(request, "commitments/document.html", {"document": document, "assignments": assignments,
                                                          "may_edit": may_edit})


@login_required
def document_new(request):
    user = request.user
    _gate(user)
    _require(access.can_record_commitments(user), DOCUMENTS_BY)
    form = DocumentForm(request.POST or None, user=user)
    return _form_page(request, form, title=_("New commitment document"),
                      save=lambda d: services.save_document(actor=user, **d),
                      done=lambda doc: reverse("commitments:document", args=[doc.pk]),
                      back=reverse("commitments:list"))


@login_required
def document_edit(request, pk):
    user = request.user
    _gate(user)
    document = get_object_or_404(CommitmentDocument.objects.visible_to(user), pk=pk)
    _require(access.can_edit_document(user, document), DOCUMENTS_BY)
    form = DocumentForm(request.POST or None, user=user, document=document)
    back = reverse("commitments:document", args=[pk])
    return _form_page(request, form, title=_("Change the document"),
                      save=lambda d: services.save_document(actor=user, document=document, **d),
                      done=lambda doc: back, back=back)


@login_required
def assignment_new(request, pk):
    user = request.user
    _gate(user)
    document = get_object_or_404(CommitmentDocument.objects.visible_to(user), pk=pk)
    _require(access.can_edit_document(user, document), ASSIGNMENTS_BY)
    form = AssignmentForm(request.POST or None, user=user)
    back = reverse("commitments:document", args=[pk])
    return _form_page(request, form, title=_("New assignment"),
                      save=lambda d: services.save_assignment(actor=user, document=document, **d),
                      done=lambda a: back, back=back)


@login_required
def assignment_edit(request, pk):
    user = request.user
    _gate(user)
    assignment = get_object_or_404(Assignment.objects.visible_to(user).select_related("document"), pk=pk)
    _require(access.can_edit_document(user, assignment.document), ASSIGNMENTS_BY)
    form = AssignmentForm(request.POST or None, user=user, assignment=assignment)
    back = reverse("commitments:document", args=[assignment.document_id])
    return _form_page(request, form, title=_("Change the assignment"),
                      save=lambda d: services.save_assignment(actor=user, document=assignment.document,
                                                              assignment=assignment, **d),
                      done=lambda a: back, back=back)


@login_required
@require_POST
def assignment_move(request, pk):
    user = request.user
    _gate(user)
    assignment = get_object_or_404(Assignment.objects.visible_to(user).select_related("document"), pk=pk)
    _require(access.can_edit_document(user, assignment.document), ASSIGNMENTS_BY)
    return _move_page(request, assignment,
                      move=lambda **m: services.move_assignment(actor=user, assignment=assignment, **m),
                      done=reverse("commitments:document", args=[assignment.document_id]))


@login_required
def assignments_export(request, fmt):
    user = request.user
    _gate(user)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as CSV or XLSX."))
    assignments = Assignment.objects.visible_to(user).select_related("document", "document__pool")
    table = exports.assignment_table(assignments, today=timezone.localdate())
    record(actor=user, action="export", object_type="commitments.assignment", object_repr=f"Assignments ({fmt})",
           fields=table.headers, detail={"rows": len(table.rows)})
    return render_csv(table, "assignments") if fmt == "csv" else render_xlsx(table, "assignments")


# --- The coordination forum ----------------------------------------------------------------------

@login_required
def forum_list(request):
    user = request.user
    _gate(user)
    forums = CoordinationForum.objects.visible_to(user)
    today = timezone.localdate()
    open_follow_ups = list(FollowUp.objects.visible_to(user).filter(status=FollowUp.Status.OPEN)
                           .select_related("decision__meeting__forum").order_by("due_on", "id"))
    return render(request, "commitments/forums.html", {
        "forums": forums, "follow_ups": [(f, f.is_overdue(today)) for f in open_follow_ups],
        "may_edit": access.can_edit_forum(user)})


@login_required
def forum_new(request):
    user = request.user
    _gate(user)
    _require(access.can_edit_forum(user), FORUM_BY)
    form = ForumForm(request.POST or None, user=user)
    return _form_page(request, form, title=_("New coordination forum"),
                      save=lambda d: services.save_forum(actor=user, **d),
                      done=lambda f: reverse("commitments:forum", args=[f.pk]), back=reverse("commitments:forums"))


@login_required
def forum_detail(request, pk):
    user = request.user
    _gate(user)
    forum = get_object_or_404(CoordinationForum.objects.visible_to(user), pk=pk)
    meetings = forum.meetings.all()
    return render(request, "commitments/forum.html", {"forum": forum, "meetings": meetings,
                                                       "may_edit": access.can_edit_forum(user)})


@login_required
def meeting_new(request, pk):
    user = request.user
    _gate(user)
    forum = get_object_or_404(CoordinationForum.objects.visible_to(user), pk=pk)
    _require(access.can_edit_forum(user), FORUM_BY)
    form = MeetingForm(request.POST or None, user=user)
    return _form_page(request, form, title=_("New meeting"),
                      save=lambda d: services.save_meeting(actor=user, forum=forum, **d),
                      done=lambda m: reverse("commitments:meeting", args=[m.pk]),
                      back=reverse("commitments:forum", args=[pk]))


@login_required
def meeting_edit(request, pk):
    user = request.user
    _gate(user)
    meeting = get_object_or_404(ForumMeeting.objects.visible_to(user).select_related("forum"), pk=pk)
    _require(access.can_edit_forum(user), FORUM_BY)
    form = MeetingForm(request.POST or None, user=user, meeting=meeting)
    back = reverse("commitments:meeting", args=[pk])
    return _form_page(request, form, title=_("Change the meeting"),
                      save=lambda d: services.save_meeting(actor=user, forum=meeting.forum, meeting=meeting, **d),
                      done=lambda m: back, back=back)


@login_required
def meeting_detail(request, pk):
    user = request.user
    _gate(user)
    meeting = get_object_or_404(ForumMeeting.objects.visible_to(user).select_related("forum"), pk=pk)
    may_edit = access.can_edit_forum(user)
    today = timezone.localdate()
    decisions = []
    for decision in meeting.decisions.select_related("mission", "position", "position__mission").prefetch_related(
            "follow_ups"):
        decisions.append((decision, [(f, f.is_overdue(today),
                                      MoveForm(user=user, obj=f, auto_id=f"move-{f.pk}-%s") if may_edit else None)
                                     for f in decision.follow_ups.all()]))
    return render(request, "commitments/meeting.html", {"meeting": meeting, "decisions": decisions,
                                                         "may_edit": may_edit})


@login_required
def decision_new(request, pk):
    user = request.user
    _gate(user)
    meeting = get_object_or_404(ForumMeeting.objects.visible_to(user), pk=pk)
    _require(access.can_edit_forum(user), FORUM_BY)
    form = DecisionForm(request.POST or None, user=user)
    back = reverse("commitments:meeting", args=[pk])
    return _form_page(request, form, title=_("New decision"),
                      save=lambda d: services.record_decision(actor=user, meeting=meeting, **d),
                      done=lambda dec: back, back=back)


@login_required
def follow_up_new(request, pk):
    user = request.user
    _gate(user)
    decision = get_object_or_404(Decision.objects.visible_to(user).select_related("meeting"), pk=pk)
    _require(access.can_edit_forum(user), FORUM_BY)
    form = FollowUpForm(request.POST or None, user=user)
    back = reverse("commitments:meeting", args=[decision.meeting_id])
    return _form_page(request, form, title=_("New follow-up"),
                      save=lambda d: services.add_follow_up(actor=user, decision=decision, **d),
                      done=lambda f: back, back=back)


@login_required
@require_POST
def follow_up_move(request, pk):
    user = request.user
    _gate(user)
    follow_up = get_object_or_404(FollowUp.objects.visible_to(user).select_related("decision"), pk=pk)
    _require(access.can_edit_forum(user), FORUM_BY)
    return _move_page(request, follow_up,
                      move=lambda **m: services.move_follow_up(actor=user, follow_up=follow_up, **m),
                      done=reverse("commitments:meeting", args=[follow_up.decision.meeting_id]))


# --- Budget --------------------------------------------------------------------------------------

@login_required
def budget(request):
    user = request.user
    _gate(user)
    year = _year(request, timezone.localdate().year)
    rows = services.spending_by_pool(year, user)
    national = next((r for r in rows if r["pool"] is None), None)
    per_person_month = services.expected_cost_per_person_month(year) if national else None
    years = sorted(set(BudgetLine.objects.visible_to(user).values_list("year", flat=True).order_by().distinct())
                   | {year}, reverse=True)
    return render(request, "commitments/budget.html", {
        "year": year, "years": years, "rows": rows, "per_person_month": per_person_month,
        "may_add": access.can_record_commitments(user),
        "editable": {p.line.pk for r in rows for p in r["positions"] if access.can_edit_line(user, p.line)}})


@login_required
def budget_export(request, fmt):
    user = request.user
    _gate(user)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as CSV or XLSX."))
    year = _year(request, timezone.localdate().year)
    table = exports.budget_table(services.spending_by_pool(year, user))
    record(actor=user, action="export", object_type="commitments.budgetline", object_repr=f"Budget {year} ({fmt})",
           fields=table.headers, detail={"year": year, "rows": len(table.rows)})
    name = f"budget-{year}"
    return render_csv(table, name) if fmt == "csv" else render_xlsx(table, name)


@login_required
def line_new(request):
    user = request.user
    _gate(user)
    _require(access.can_record_commitments(user), BUDGET_BY)
    form = BudgetLineForm(request.POST or None, user=user, initial={"year": timezone.localdate().year})
    return _form_page(request, form, title=_("New budget line"),
                      save=lambda d: services.save_budget_line(actor=user, **d),
                      done=lambda line: f"{reverse('commitments:budget')}?year={line.year}",
                      back=reverse("commitments:budget"))


@login_required
def line_edit(request, pk):
    user = request.user
    _gate(user)
    line = get_object_or_404(BudgetLine.objects.visible_to(user), pk=pk)
    _require(access.can_edit_line(user, line), BUDGET_BY)
    form = BudgetLineForm(request.POST or None, user=user, line=line)
    back = f"{reverse('commitments:budget')}?year={line.year}"
    return _form_page(request, form, title=_("Change the budget line"),
                      save=lambda d: services.save_budget_line(actor=user, line=line, **d),
                      done=lambda ln: f"{reverse('commitments:budget')}?year={ln.year}", back=back)


@login_required
def cost_list(request):
    """The costs as records, each naming its secondment: only those the user sees (the figures on the
    budget page sum every cost)."""
    user = request.user
    _gate(user)
    year = _year(request, timezone.localdate().year)
    visible = SecondmentCost.objects.visible_to(user).filter(line__year=year)
    costs = list(visible.select_related("line", "line__pool", "secondment__officer__pool",
                                         "secondment__position__mission")[:500])
    per_secondment = services.cost_per_secondment(visible, year)
    editable = {c.pk for c in costs if access.can_edit_line(user, c.line)}  # the rows are visible: secondment seen
    return render(request, "commitments/costs.html", {
        "year": year, "costs": costs, "per_secondment": per_secondment, "editable": editable,
        "may_add": access.can_record_commitments(user)})


@login_required
def cost_edit(request, pk):
    """Correct a charged cost (amount, stage, line, date...): audited with the old and new values."""
    user = request.user
    _gate(user)
    cost = get_object_or_404(SecondmentCost.objects.visible_to(user).select_related("line"), pk=pk)
    _require(access.can_edit_cost(user, cost), COSTS_BY)
    form = CostForm(request.POST or None, user=user, cost=cost)
    back = f"{reverse('commitments:costs')}?year={cost.line.year}"
    return _form_page(request, form, title=_("Correct the cost"),
                      save=lambda d: services.record_cost(actor=user, cost=cost, **d),
                      done=lambda c: f"{reverse('commitments:costs')}?year={c.line.year}", back=back)


@login_required
def cost_new(request):
    user = request.user
    _gate(user)
    _require(access.can_record_commitments(user), COSTS_BY)
    initial = {"secondment": request.GET.get("secondment", "")[:12]}
    form = CostForm(request.POST or None, user=user, initial=initial)
    return _form_page(request, form, title=_("Charge a cost"),
                      save=lambda d: services.record_cost(actor=user, **d),
                      done=lambda c: f"{reverse('commitments:costs')}?year={c.line.year}",
                      back=reverse("commitments:costs"))
