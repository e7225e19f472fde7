"""Pages of the selection app for the decision on the record: the panel's anonymised scoring, the
decisions and their review, the optimal assignment of a call and its selection report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.roster.models import Officer

from . import access, panel, services
from .forms import (
    AssignmentForm,
    DecisionReviewForm,
    PanelScoreForm,
)
from .models import AssignmentRun, Call, Decision, Nomination
from .views import error_text, visible_call

# --- Selection on the record: the panel, decisions -----------------------------------------------

@login_required
def panel_page(request, pk):
    """The panel's page: anonymised summaries of the call's nominees, the member's own score form,
    and the other members' scores on a nominee once the member has scored them."""
    call = visible_call(request, pk)
    user = request.user
    if not access.can_see_panel(user, call):
        raise PermissionDenied(_("The panel's page is for the call's panel and coordinators."))
    member = access.is_panel_member(user, call)
    summaries = panel.panel_summaries(call, viewer=user, sees_all=not member)
    if summaries:
        record_list(actor=user, object_type="selection.nomination", ids=[s.nomination_id for s in summaries],
                    fields=panel.PANEL_FIELDS, detail={"call_id": call.pk, "anonymised": True})
    scoring = member and call.status in services.SCORING_STATUSES
    positions = {}
    for summary in summaries:
        positions.setdefault((summary.call_position_id, summary.position, summary.mission), []).append(summary)
    return render(request, "selection/panel.html", {
        "call": call, "positions": [(key, rows) for key, rows in positions.items()], "member": member,
        "scoring": scoring, "form": PanelScoreForm()})


@login_required
@require_POST
def panel_score(request, pk):
    """Submit a score; with htmx the nominee's row comes back (the others' scores now shown, or the
    reason the score was refused, 400), without it the panel page."""
    nomination = get_object_or_404(Nomination.objects.filter(
        call_position__call__in=Call.objects.visible_to(request.user)).select_related("call_position__call"), pk=pk)
    call = nomination.call_position.call
    if not access.can_score(request.user, call):
        raise PermissionDenied(_("Only the call's panel members score its nominees."))
    form = PanelScoreForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Score not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values())
    else:
        try:
            services.submit_panel_score(actor=request.user, nomination=nomination, **form.cleaned_data)
        except ValidationError as err:
            error = _("Score not recorded: ") + error_text(err)
    if request.headers.get("HX-Request"):
        row = panel.panel_nominations(call).filter(pk=nomination.pk).first()
        summary = panel.summarise(row, panel.pseudonyms(call)[row.officer_id], viewer=request.user, sees_all=False)
        return render(request, "selection/_panel_row.html",
                      {"s": summary, "scoring": call.status in services.SCORING_STATUSES, "error": error},
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Score submitted: the other members' scores on this nominee are shown."))
    return redirect("selection:panel", pk=call.pk)


@login_required
def decisions(request, pk):
    """The decisions on a call's nominees: proposed (awaiting a second coordinator), approved and
    rejected, each with who proposed and who decided, its departures and justification."""
    call = visible_call(request, pk)
    user = request.user
    if not access.can_manage_call(user, call):
        raise PermissionDenied(_("You may not change this call."))
    rows = list(Decision.objects.visible_to(user).filter(nomination__call_position__call=call).with_related()
                .order_by("-proposed_at", "-id"))
    if rows:
        record_list(actor=user, object_type="selection.decision", ids=[d.pk for d in rows],
                    fields=["officer", "outcome", "feedback", "justification"],
                    detail={"call_id": call.pk, "officer_ids": sorted({d.nomination.officer_id for d in rows})})
    return render(request, "selection/decisions.html", {
        "call": call, "rows": [(d, d.status == Decision.Status.PROPOSED and access.can_approve_decision(user, d))
                               for d in rows],
        "form": DecisionReviewForm()})


@login_required
@require_POST
def decision_review(request, pk):
    decision = get_object_or_404(Decision.objects.visible_to(request.user).with_related(), pk=pk)
    call_id = decision.nomination.call_position.call_id
    if not access.can_decide_outcome(request.user, decision.nomination):
        raise PermissionDenied(_("You may not decide on this nomination."))
    form = DecisionReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("selection:decisions", pk=call_id)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_decision(actor=request.user, decision=decision)
        else:
            services.reject_decision(actor=request.user, decision=decision, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Not recorded: ") + error_text(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("selection:decisions", pk=call_id)


# --- The optimal assignment of a call -------------------------------------------------------------

@login_required
def assignment(request, pk):
    """Run the optimal assignment of the call with constraints set on the page; the runs so far."""
    call = visible_call(request, pk)
    if not access.can_run_assignment(request.user, call):
        raise PermissionDenied(_("You may not run the assignment of this call."))
    form = AssignmentForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_assignment(actor=request.user, call=call, parameters=form.parameters())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("selection:assignment_run", pk=run.pk)
    runs = list(call.assignment_runs.select_related("created_by").order_by("-created_at", "-id")[:20])
    return render(request, "selection/assignment.html", {"call": call, "form": form, "runs": runs},
                  status=400 if form.errors else 200)


def _run_view(run, user):
    """A stored run for a page: each side's pairs with the nominee's name where the user sees the
    officer (else the pseudonym), its checks and infeasibility in words, and each constraint's cost."""
    from . import call_assignment as ca

    sides = []
    ids = {p["officer_id"] for side in ("optimal", "greedy") for p in run.result.get(side, {}).get("pairs", [])}
    names = {o.pk: o.full_name for o in Officer.objects.visible_to(user).filter(pk__in=ids)}
    positions = {cp.pk: cp for cp in run.call.positions.with_related()}
    for key, label in (("optimal", _("Optimal assignment")), ("greedy", _("Greedy baseline"))):
        data = run.result.get(key)
        if not data:
            continue
        pairs = [{**p, "name": names.get(p["officer_id"], panel.candidate_label(p["candidate"])),
                  "cp": positions.get(p["call_position"])} for p in data["pairs"]]
        sides.append({"key": key, "label": label, "data": data, "pairs": pairs, "status": ca.status_text(data["status"]),
                      "checks": [(ca.constraint_label(c["key"]), c["met"], ca.check_text(c)) for c in data["checks"]],
                      "infeasibility": [ca.reason_text(r) for r in data["infeasibility"]],
                      "infeasible": [ca.constraint_label(k) for k in data["infeasible_keys"]]})
    costs = [(ca.constraint_label(k), v) for k, v in run.result.get("costs", {}).items()]
    return sides, costs, sorted(names)


@login_required
def assignment_run(request, pk):
    run = get_object_or_404(AssignmentRun.objects.select_related("call", "created_by"), pk=pk)
    call = visible_call(request, run.call_id)
    if not access.can_run_assignment(request.user, call):
        raise PermissionDenied(_("You may not run the assignment of this call."))
    sides, costs, named = _run_view(run, request.user)
    if named:
        record_list(actor=request.user, object_type="roster.officer", ids=named, fields=["name"],
                    detail={"officer_ids": named, "call_id": call.pk, "assignment_run_id": run.pk})
    return render(request, "selection/assignment_run.html", {
        "call": call, "run": run, "sides": sides, "costs": costs,
        "parameters": AssignmentForm.describe(run.parameters, call)})


@login_required
def report(request, pk, fmt):
    """The call's selection report as PDF or XLSX."""
    from django.http import HttpResponse, HttpResponseBadRequest

    from dividend.common.exports import tables_pdf_bytes, tables_xlsx_bytes

    call = visible_call(request, pk)
    if not access.can_see_report(request.user, call):
        raise PermissionDenied(_("The selection report is for the call's coordinators."))
    if fmt not in ("pdf", "xlsx"):
        return HttpResponseBadRequest(_("Report format must be pdf or xlsx."))
    from .reports import report_officer_ids, selection_report

    tables = selection_report(call, viewer=request.user)
    ids = report_officer_ids(call, viewer=request.user)
    record(actor=request.user, action="export", obj=call, fields=["nominees", "eligibility", "scores", "panel_scores",
                                                                   "decisions", "assignment_run"],
           detail={"format": fmt, "call_id": call.pk, "officer_ids": ids})
    if fmt == "pdf":
        body = tables_pdf_bytes(_("Selection report: %(reference)s") % {"reference": call.reference}, tables,
                                subtitle=call.title)
        response = HttpResponse(body, content_type="application/pdf")
    else:
        response = HttpResponse(tables_xlsx_bytes(tables),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="selection-{call.pk}.{fmt}"'
    return response


