"""Pages of the reports app: the reports list (the analysts' queue, a secondee's own reports), filing
a report, a report with its triage, and the information requirements with their coverage."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.roster.models import Officer

from . import access, duplicate_views, services
from .forms import FeedbackForm, FieldReportForm, RequirementForm, StatusForm
from .models import FieldReport, InformationRequirement, Product, ReportFeedback, current_reliability

LIST_FIELDS = ["title", "mission", "period_start", "period_end", "kind", "marking", "status", "officer"]
OPEN = (FieldReport.Status.NEW, FieldReport.Status.IN_REVIEW, FieldReport.Status.NEEDS_INFORMATION)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))


@login_required
def report_list(request):
    user = request.user
    if not access.can_use_reports(user):
        raise PermissionDenied(_("Field reports are for secondees and analysts."))
    reports = FieldReport.objects.visible_to(user).with_related()
    status = request.GET.get("status", "open" if access.is_analyst(user) else "")
    if status == "open":
        reports = reports.filter(status__in=OPEN)
    elif status in FieldReport.Status.values:
        reports = reports.filter(status=status)
    else:
        status = ""
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if shown:
        record_list(actor=user, object_type="reports.fieldreport", ids=[r.pk for r in shown], fields=LIST_FIELDS,
                    filters={"status": status}, detail={"officer_ids": sorted({r.officer_id for r in shown})})
    # Feedback to the source: what became of one's own reports (used in a product; analysts' verdicts).
    own = [r.pk for r in shown if r.officer.user_id == user.pk]
    used = services.used_in(own) if own else {}
    verdicts = {}
    for f in ReportFeedback.objects.filter(report_id__in=own).order_by("given_at", "id") if own else []:
        verdicts.setdefault(f.report_id, []).append(f)
    readable = set(Product.objects.visible_to(user).filter(pk__in=[p.pk for ps in used.values() for p in ps])
                   .values_list("pk", flat=True)) if used else set()
    for r in shown:
        r.used_in, r.verdicts = used.get(r.pk, []), verdicts.get(r.pk, [])
        for p in r.used_in:
            p.readable = p.pk in readable
    return render(request, "reports/list.html", {
        "page": page, "reports": shown, "notices": [(r, p) for r in shown for p in r.used_in], "status": status, "statuses": FieldReport.Status.choices,
        "analyst": access.is_analyst(user), "may_file": access.can_file_reports(user)})


@login_required
def report_new(request):
    user = request.user
    officer = Officer.objects.filter(user=user).first()
    if not access.can_file_reports(user) or officer is None:
        raise PermissionDenied(_("Only a secondee with an officer record files field reports."))
    initial = {"reliability": current_reliability(officer), "kind": FieldReport.Kind.WEEKLY,
               "period_end": timezone.localdate(), "period_start": timezone.localdate() - dt.timedelta(days=6),
               "marking": "green", "credibility": 3}
    if request.method == "POST":  # the same draft sent again: the report filed the first time
        key = request.POST.get("draft_key", "")[:64]
        filed = FieldReport.objects.filter(officer=officer, draft_key=key).first() if key else None
        if filed is not None:
            messages.info(request, _("This draft was filed already: here is the report."))
            return redirect("reports:detail", pk=filed.pk)
    form = FieldReportForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = services.file_report(actor=user, officer=officer, **data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Report filed: analysts will read it."))
            return redirect("reports:detail", pk=report.pk)
    requirements = list(form.fields["requirements"].queryset.select_related("mission", "theme"))
    return render(request, "reports/new.html", {"form": form, "requirements": requirements,
                                                "deployed": form.fields["mission"].queryset.exists()},
                  status=400 if form.errors else 200)


@login_required
def report_detail(request, pk):
    user = request.user
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=pk)
    record(actor=user, action="read", obj=report, fields=[*LIST_FIELDS, "body", "places"],
           detail={"officer_id": report.officer_id})
    triage = access.can_triage_report(user, report)
    context = {"report": report, "themes": report.themes.all(), "countries": report.countries.all(),
               "requirements": report.requirements.all(), "attachments": report.attachments.listing(),
               "used_in": services.used_in([report.pk]).get(report.pk, []),
               "feedback": list(report.feedback.all()),
               "feedback_form": FeedbackForm() if access.can_give_feedback(user, report) else None,
               "status_form": StatusForm(report=report) if triage and FieldReport.TRANSITIONS.get(report.status) else None}
    context.update(duplicate_views.panel(user, report))
    return render(request, "reports/detail.html", context)


@login_required
@require_POST
def report_status(request, pk):
    user = request.user
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=pk)
    if not access.can_triage_report(user, report):
        raise PermissionDenied(_("You may not triage this report."))
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.change_report_status(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not changed: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect("reports:detail", pk=report.pk)


def last_months(count: int = 6, today=None) -> list[dt.date]:
    """The first days of the last `count` months, oldest first, this month included."""
    month = (today or timezone.localdate()).replace(day=1)
    months = [month]
    while len(months) < count:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    return months


@login_required
def requirement_list(request):
    user = request.user
    if not access.can_use_reports(user):
        raise PermissionDenied(_("Field reports are for secondees and analysts."))
    analyst = access.can_set_requirements(user)
    form = RequirementForm(request.POST or None) if analyst else None
    if request.method == "POST":
        if not analyst:
            raise PermissionDenied(_("Only analysts set information requirements."))
        if form.is_valid():
            try:
                services.create_requirement(actor=user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Information requirement set."))
                return redirect("reports:requirements")
    requirements = list(InformationRequirement.objects.visible_to(user).select_related("mission", "theme"))
    # Coverage: reports answering each requirement per month, counted over the reports the reader sees.
    months = last_months()
    counts = (FieldReport.objects.visible_to(user).filter(requirements__in=[r.pk for r in requirements],
                                                          submitted_at__date__gte=months[0])
              .annotate(month=TruncMonth("submitted_at")).values("requirements", "month")
              .annotate(n=Count("id", distinct=True)))
    table = {(row["requirements"], row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
             for row in counts}
    rows = [{"requirement": r, "counts": [table.get((r.pk, m), 0) for m in months]} for r in requirements]
    return render(request, "reports/requirements.html", {"rows": rows, "months": months, "form": form},
                  status=400 if form is not None and form.errors else 200)
