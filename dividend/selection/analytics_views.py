"""The selection's figures (analytics.py): the page and its CSV/XLSX export. Thin: access.py says who
may read them, analytics.py counts over the nominations the reader may see."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from dividend.common.exports import render_csv, render_xlsx

from . import access
from .analytics import analytics_table, selection_analytics

EXPORTS = {"csv": render_csv, "xlsx": render_xlsx}


def _require_reader(user):
    if not access.can_see_selection_analytics(user):
        raise PermissionDenied(_("The selection's figures are for coordinators, line managers, policy officers, "
                                 "analysts, administrators and auditors."))


@login_required
def analytics(request):
    """Nominations and success rate by pool, gender, organisation and year; days from call to
    nomination, overall and per call; release refusals."""
    _require_reader(request.user)
    return render(request, "selection/analytics.html", {"analytics": selection_analytics(request.user)})


@login_required
def analytics_export(request, fmt):
    _require_reader(request.user)
    if fmt not in EXPORTS:
        return HttpResponseBadRequest(_("Export format must be csv or xlsx."))
    return EXPORTS[fmt](analytics_table(selection_analytics(request.user)), "selection-analytics")
