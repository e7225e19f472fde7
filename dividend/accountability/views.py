"""The dashboard with its drill-down lists and CSV per part, and the report to parliament (page,
PDF, XLSX). Thin: the figures are `dashboard` and `parliament`, the input `forms`, who sees what
`access`."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record, record_list
from dividend.common.exports import render_csv
from dividend.reports.models import FieldReport
from dividend.roster.models import Officer

from . import access, dashboard, parliament
from .forms import DashboardForm, ParliamentForm
from .periods import Period

PAGE_SIZE = 50


def _require_dashboard(user):
    if not access.can_see_dashboard(user):
        raise PermissionDenied(_("The dashboard is for policy officers, coordinators, administrators, auditors and "
                                 "the Ministry liaison."))


def _form(request):
    form = DashboardForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        form = DashboardForm({}, user=request.user, today=timezone.localdate())
    return form


@login_required
def dashboard_page(request):
    _require_dashboard(request.user)
    form = _form(request)
    if not form.is_valid():
        return render(request, "accountability/dashboard.html", {"form": form, "parts": []}, status=400)
    scope = form.scope()
    return render(request, "accountability/dashboard.html", {
        "form": form, "scope": scope, "parts": dashboard.build(scope), "querystring": urlencode(scope.query()),
        "can_drill_down": access.can_drill_down(request.user)})


@login_required
def dashboard_csv(request, part):
    _require_dashboard(request.user)
    form = _form(request)
    if not form.is_valid():
        return HttpResponse(" ".join(m for ms in form.errors.values() for m in ms), status=400,
                            content_type="text/plain; charset=utf-8")
    scope = form.scope()
    found = [p for p in dashboard.build(scope, links=False, charts_too=False) if p.key == part]
    if not found:
        raise Http404(_("No such part of the dashboard."))
    record(actor=request.user, action="export", object_type="accountability.dashboard", object_repr=found[0].title,
           fields=found[0].headers, detail={"rows": len(found[0].rows), "format": "csv"})
    return render_csv(found[0].table(), f"dashboard-{part}-{scope.period.start}-{scope.period.end}")


@login_required
def drill_down(request, kind):
    """The list of records a figure counts, with the figure's count; names only where the reader
    may see the officer's record."""
    user = request.user
    _require_dashboard(user)
    if not access.can_drill_down(user):
        raise PermissionDenied(_("The lists behind the figures hold personal data: the Ministry liaison sees the "
                                 "consolidated figures only."))
    if kind not in dashboard.DRILL_KINDS:
        raise Http404(_("No such figure."))
    form = _form(request)
    error = ""
    rows, total, page = [], 0, None
    row_kind = ""
    if form.is_valid():
        scope = form.scope()
        try:
            row_kind, queryset = dashboard.drill_down(scope, kind, request.GET)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            page = Paginator(queryset.order_by("pk").values_list("pk", flat=True), PAGE_SIZE).get_page(
                request.GET.get("page"))
            total = page.paginator.count
            rows = _rows(user, row_kind, list(page.object_list))
            record_list(actor=user, object_type=f"accountability.{row_kind}", ids=[r["pk"] for r in rows],
                        filters=request.GET, fields=["figure", kind],
                        detail={"officer_ids": sorted(r["officer"].pk if row_kind == "officers" else
                                                      r["object"].officer_id for r in rows if r.get("officer"))})
    else:
        error = " ".join(m for ms in form.errors.values() for m in ms)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "accountability/drill_down.html", {
        "kind": kind, "row_kind": row_kind, "rows": rows, "total": total, "page": page, "error": error,
        "form": form, "params": params.urlencode(), "filters": _filter_labels(request.GET)},
        status=400 if error else 200)


def _filter_labels(query) -> list[tuple[str, str]]:
    names = {"start": _("from"), "end": _("to"), "pool": _("pool"), "month": _("month"),
             "organisation": _("organisation"), "mission": _("mission"), "country": _("host country"),
             "gender": _("gender"), "stage": _("stage"), "year": _("year of return"), "type": _("qualification")}
    return [(str(names[k]), query[k][:40]) for k in names if query.get(k)]


def _rows(user, row_kind, ids) -> list[dict]:
    """One dict per record of the page: what may be shown to anyone who reads the figures, and the
    officer's name and a link only where the reader sees the officer (`Officer.visible_to`)."""
    from dividend.roster.models import Qualification
    from dividend.secondments.models import Secondment
    from dividend.selection.models import Call, Nomination

    if row_kind == "calls":
        calls = Call.objects.visible_to(user).in_bulk(ids)
        return [{"pk": pk, "call": calls.get(pk), "hidden": pk not in calls} for pk in ids]
    if row_kind == "officers":
        objects = Officer.objects.select_related("pool", "rank").in_bulk(ids)
    elif row_kind == "nominations":
        objects = Nomination.objects.select_related("officer__pool", "call_position__call",
                                                    "call_position__position__mission").in_bulk(ids)
    elif row_kind == "reports":
        objects = FieldReport.objects.select_related("officer__pool", "mission").in_bulk(ids)
    elif row_kind == "secondments":
        objects = Secondment.objects.select_related("officer__pool", "position__mission").in_bulk(ids)
    else:
        objects = Qualification.objects.select_related("officer__pool", "qualification_type").in_bulk(ids)
    officer_of = {pk: (pk if row_kind == "officers" else objects[pk].officer_id) for pk in ids}
    seen = set(Officer.objects.visible_to(user).filter(pk__in=set(officer_of.values())).values_list("pk", flat=True))
    readable = set()
    if row_kind == "reports":
        readable = set(FieldReport.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [{"pk": pk, "object": objects[pk], "officer": (objects[pk] if row_kind == "officers"
                                                          else objects[pk].officer) if officer_of[pk] in seen else None,
             "pool": (objects[pk] if row_kind == "officers" else objects[pk].officer).pool.name,
             "readable": pk in readable} for pk in ids]


def _parliament_form(request):
    data = request.GET if request.GET.get("period") else {"period": _last_quarter()}
    return ParliamentForm(data)


def _last_quarter() -> str:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the last complete quarter
    return f"{today.year - 1}Q4" if quarter == 0 else f"{today.year}Q{quarter}"


@login_required
def parliament_page(request):
    if not access.can_see_parliament_report(request.user):
        raise PermissionDenied(_("The report to parliament is for the readers of the dashboard."))
    form = _parliament_form(request)
    if not form.is_valid():
        return render(request, "accountability/parliament.html", {"form": form}, status=400)
    report = parliament.compute(form.cleaned_data["period"], today=timezone.localdate())
    return render(request, "accountability/parliament.html", {
        "form": form, "report": report, "summary": parliament.summary_table(report),
        "charts": parliament.report_charts(report), "period": report.period.label})


@login_required
def parliament_download(request, fmt):
    if not access.can_see_parliament_report(request.user):
        raise PermissionDenied(_("The report to parliament is for the readers of the dashboard."))
    if fmt not in ("pdf", "xlsx"):
        raise Http404(_("The report is a PDF or an XLSX workbook."))
    form = _parliament_form(request)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors["period"]), status=400, content_type="text/plain; charset=utf-8")
    period: Period = form.cleaned_data["period"]
    report = parliament.compute(period, today=timezone.localdate())
    record(actor=request.user, action="export", object_type="accountability.parliament_report",
           object_repr=f"Report to parliament {period.label} ({fmt})", fields=["figures"],
           detail={"period": period.label, "format": fmt, "missions": len(report.missions)})
    if fmt == "pdf":
        response = HttpResponse(parliament.pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(parliament.xlsx(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="report-to-parliament-{period.label}.{fmt}"'
    return response
