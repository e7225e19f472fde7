"""Pages of the triage (issue 12 §4): the analysts' queue with its bulk actions, a report's triage
page (opening it takes the edit lock; saving releases it) with theme and place suggestions,
assignment and comments, suggestions for the filing form, and the theme vocabulary in the MISP
taxonomy format. Decisions: reports.triage and docs/reports-triage.md."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.missions.models import Mission
from dividend.reference.models import ThematicArea

from . import access, suggestions, taxonomy, triage
from .models import FieldReport, TriageComment, deployed_missions
from .triage_forms import AssignForm, BulkForm, CommentForm, SuggestForm, TaxonomyImportForm, TriageForm

queue = triage.queue
QUEUE_FIELDS = ["title", "mission", "status", "officer", "assigned_to"]
ASSIGNED = (("", _("Anyone or nobody")), ("me", _("Assigned to me")), ("nobody", _("Assigned to nobody")))


def _analyst(user):
    if not access.can_use_triage(user):
        raise PermissionDenied(_("The triage is for analysts."))


def _filters(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "", *FieldReport.Status.values):
        status = "open"
    assigned = request.GET.get("assigned", "")
    if assigned not in ("me", "nobody"):
        assigned = ""
    return status, assigned


def _queue_page(request, *, form=None, problems=None, status_code=200):
    user = request.user
    status, assigned = _filters(request)
    page = Paginator(queue(user, status, assigned), 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if shown:
        record_list(actor=user, object_type="reports.fieldreport", ids=[r.pk for r in shown], fields=QUEUE_FIELDS,
                    filters={"status": status, "assigned": assigned, "view": "triage"},
                    detail={"officer_ids": sorted({r.officer_id for r in shown})})
    now = timezone.now()
    chosen = {str(pk) for pk in (request.POST.getlist("reports") if request.method == "POST" else [])}
    for r in shown:
        lock = getattr(r, "triage_lock", None)
        r.lock_note = triage.locked_message(lock) if lock is not None and lock.is_live(now) \
            and lock.holder_id != user.pk else ""
        assignment = getattr(r, "triage_assignment", None)
        r.assignee = triage.user_label(assignment.analyst) if assignment is not None else ""
        r.problems = (problems or {}).get(r.pk, [])
        r.chosen = str(r.pk) in chosen
    return render(request, "reports/triage_queue.html", {
        "page": page, "reports": shown, "status": status, "assigned": assigned, "statuses": FieldReport.Status.choices,
        "assigned_choices": ASSIGNED, "form": form or BulkForm(user=user), "problems": problems or {},
        "query": request.GET.urlencode()}, status=status_code)


@login_required
def triage_queue(request):
    _analyst(request.user)
    return _queue_page(request)


@login_required
@require_POST
def triage_bulk(request):
    """Assign several reports or move their status: all or nothing, each report's problems shown."""
    user = request.user
    _analyst(user)
    form = BulkForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = triage.bulk_triage(actor=user, reports=data["reports"], action=data["action"],
                                        analyst=data["analyst"], status=data["status"], reason=data["reason"])
        except triage.BulkRefused as refused:
            form.add_error(None, refused.messages)
            return _queue_page(request, form=form, problems=refused.problems, status_code=400)
        except ValidationError as error:
            for name, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("%(changed)s reports changed, %(unchanged)s already so.") % {
                "changed": len(result.changed), "unchanged": len(result.unchanged)})
            return redirect(reverse("reports:triage") + ("?" + request.GET.urlencode() if request.GET else ""))
    return _queue_page(request, form=form, status_code=400)


def _report(user, pk) -> FieldReport:
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=pk)
    if not access.can_triage_report(user, report):
        raise PermissionDenied(_("You may not triage this report."))
    return report


def _triage_page(request, report, *, form=None, lock=None, held=True, comment_form=None, status_code=200):
    user = request.user
    if lock is None:
        lock, held = triage.take_lock(actor=user, report=report)
    form = form or TriageForm(report=report)
    chosen_places = [p.strip() for p in (form["places"].value() or "").split(";") if p.strip()]
    found = suggestions.suggest(title=report.title, body=report.body, mission=report.mission,
                                chosen_themes=[int(v) for v in form["themes"].value() or [] if str(v).isdigit()],
                                chosen_countries=[int(v) for v in form["countries"].value() or []
                                                  if str(v).isdigit()],
                                chosen_places=chosen_places)
    assignment = getattr(report, "triage_assignment", None)
    return render(request, "reports/triage_report.html", {
        "report": report, "form": form, "held": held, "lock": lock,
        "lock_note": "" if held else triage.locked_message(lock), "suggestions": found,
        "assign_form": AssignForm(initial={"analyst": assignment.analyst_id if assignment else None}),
        "assignee": triage.user_label(assignment.analyst) if assignment else "",
        "comments": TriageComment.objects.visible_to(user, report).select_related("author"),
        "comment_form": comment_form or CommentForm()}, status=status_code)


@login_required
def triage_report(request, pk):
    """GET: open the triage form (takes or renews the lock; another's live lock: read only). POST:
    save it (refused while another holds the lock), which releases the lock."""
    user = request.user
    report = _report(user, pk)
    if request.method != "POST":
        record(actor=user, action="read", obj=report, fields=["title", "body", "themes", "countries", "places",
                                                              "status", "triage_comments"],
               detail={"officer_id": report.officer_id, "view": "triage"})
        return _triage_page(request, report)
    form = TriageForm(request.POST, report=report)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = triage.save_triage(actor=user, report=report, themes=data["themes"], countries=data["countries"],
                                         places=data["places"], status=data["status"], reason=data["reason"])
        except triage.ReportLocked as locked:
            form.add_error(None, locked.messages)
            return _triage_page(request, report, form=form, lock=locked.lock, held=False, status_code=409)
        except ValidationError as error:
            for name, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Triage saved.") if changed else _("Nothing to save: nothing changed."))
            return redirect("reports:triage_report", pk=report.pk)
    return _triage_page(request, report, form=form, status_code=400)


@login_required
@require_POST
def triage_assign(request, pk):
    user = request.user
    report = _report(user, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not assigned: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            triage.assign_report(actor=user, report=report, analyst=form.cleaned_data["analyst"])
        except ValidationError as error:
            messages.error(request, _("Not assigned: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Assignment saved."))
    return redirect("reports:triage_report", pk=report.pk)


@login_required
@require_POST
def triage_comment(request, pk):
    """Add a comment; htmx swaps the comments section (with the form's errors, 400, on a refusal)."""
    user = request.user
    report = _report(user, pk)
    form = CommentForm(request.POST)
    status_code = 200
    if form.is_valid():
        try:
            triage.add_comment(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            for name, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
            status_code = 400
        else:
            form = CommentForm()
    else:
        status_code = 400
    context = {"report": report, "comments": TriageComment.objects.visible_to(user, report).select_related("author"),
               "comment_form": form}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_triage_comments.html", context, status=status_code)
    if status_code == 200:
        messages.success(request, _("Comment added."))
        return redirect("reports:triage_report", pk=report.pk)
    return _triage_page(request, report, comment_form=form, status_code=400)


@login_required
@require_POST
def suggest(request):
    """Suggestions for the filing form's text (htmx fragment): themes and places with their words."""
    user = request.user
    if not access.can_suggest(user):
        raise PermissionDenied(_("Suggestions are for secondees and analysts."))
    form = SuggestForm(request.POST)
    found, error = None, ""
    if not form.is_valid():
        error = _("The text is too long for suggestions.")
    else:
        data = form.cleaned_data
        try:
            from .services import refuse_classified

            refuse_classified(title=data["title"], body=data["body"])
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            missions = deployed_missions(user) if not access.is_analyst(user) else Mission.objects.all()
            mission = missions.filter(pk=data["mission"]).first() if data["mission"] else None
            found = suggestions.suggest(title=data["title"], body=data["body"], mission=mission,
                                        chosen_themes=[int(v) for v in request.POST.getlist("themes") if v.isdigit()],
                                        chosen_countries=[int(v) for v in request.POST.getlist("countries")
                                                          if v.isdigit()],
                                        chosen_places=[p for p in request.POST.get("places", "").split(";")])
    return render(request, "reports/_suggestions.html", {"suggestions": found, "error": error},
                  status=400 if error else 200)


# --- The theme vocabulary (MISP taxonomy) -------------------------------------------------------------


@login_required
def theme_list(request):
    user = request.user
    if not access.can_read_themes(user):
        raise PermissionDenied(_("The theme vocabulary's page is for analysts and administrators."))
    importer = access.can_import_themes(user)
    form = TaxonomyImportForm(request.POST or None, request.FILES or None) if importer else None
    problems, status_code = [], 200
    if request.method == "POST":
        if not importer:
            raise PermissionDenied(_("Only national analysts and administrators change the theme vocabulary."))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(taxonomy.MAX_BYTES + 1)
            try:
                result = taxonomy.import_taxonomy(actor=user, content=content)
            except taxonomy.TaxonomyRefused as refused:
                problems, status_code = refused.problems, 400
            else:
                messages.success(request, _("Imported: %(created)s new themes, %(renamed)s renamed, %(unchanged)s "
                                            "unchanged; %(kept)s not in the file kept.") % {
                    "created": len(result.created), "renamed": len(result.renamed),
                    "unchanged": len(result.unchanged), "kept": len(result.kept)})
                return redirect("reports:themes")
        else:
            status_code = 400
    themes = sorted(ThematicArea.objects.all(), key=lambda t: str(t))
    return render(request, "reports/themes.html", {"themes": themes, "form": form, "problems": problems},
                  status=status_code)


@login_required
def theme_export(request):
    user = request.user
    if not access.can_read_themes(user):
        raise PermissionDenied(_("The theme vocabulary's page is for analysts and administrators."))
    record(actor=user, action="export", object_type="reference.thematicarea", object_repr="MISP taxonomy",
           detail={"format": "misp"})
    response = HttpResponse(taxonomy.export_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dividend-theme.machinetag.json"'
    return response



@login_required
@require_POST
def triage_release(request, pk):
    """Close the triage form without saving: the user's own lock is released (another's is left)."""
    user = request.user
    report = _report(user, pk)
    if triage.release_lock(actor=user, report=report):
        messages.info(request, _("Closed without saving: others may edit the report's triage now."))
    return redirect("reports:triage")
