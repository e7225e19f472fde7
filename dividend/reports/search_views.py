"""The reports search page (issue 12 §9): words and filters, results in rank order with highlighted
snippets, the count and pages; htmx swaps the results only. The search itself: reports.search."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from dividend.audit.services import record_list

from . import access
from .search import search_reports
from .search_forms import ReportSearchForm

PAGE_SIZE = 20
SHOWN_FIELDS = ["title", "mission", "period_start", "period_end", "marking", "status", "officer", "body"]


@login_required
def report_search(request):
    user = request.user
    if not access.can_use_reports(user):
        raise PermissionDenied(_("Field reports are for secondees and analysts."))
    form = ReportSearchForm(request.GET or None, user=user)
    page = None
    if form.is_bound and form.is_valid():
        page = search_reports(user=user, text=form.cleaned_data["q"], filters=form.filters(),
                              number=form.cleaned_data["page"] or 1, page_size=PAGE_SIZE)
        if page.hits:
            record_list(actor=user, object_type="reports.fieldreport", ids=[h.report.pk for h in page.hits],
                        fields=SHOWN_FIELDS, filters=request.GET,
                        detail={"officer_ids": sorted({h.report.officer_id for h in page.hits}), "search": True})
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "analyst": access.is_analyst(user)}
    template = "reports/_search_results.html" if request.headers.get("HX-Request") else "reports/search.html"
    return render(request, template, context, status=400 if form.errors else 200)
