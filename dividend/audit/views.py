import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from dividend.pools import access

from .forms import AuditFilterForm
from .models import AuditEntry


def filter_entries(queryset, params):
    """Filters auditors use: actor, action, object type and id, channel, date range."""
    if params.get("actor"):
        queryset = queryset.filter(actor_label__iexact=params["actor"].strip())
    if params.get("action") in AuditEntry.Action.values:
        queryset = queryset.filter(action=params["action"])
    if params.get("object_type"):
        queryset = queryset.filter(object_type=params["object_type"].strip())
    if params.get("object_id"):
        queryset = queryset.filter(object_id=params["object_id"].strip())
    if params.get("channel") in AuditEntry.Channel.values:
        queryset = queryset.filter(channel=params["channel"])
    for name, lookup in (("since", "timestamp__date__gte"), ("until", "timestamp__date__lte")):
        if params.get(name):
            try:
                queryset = queryset.filter(**{lookup: dt.date.fromisoformat(params[name])})
            except ValueError:
                pass
    return queryset


@login_required
def entry_list(request):
    if not access.can_read_audit_log(request.user):
        raise PermissionDenied("Only auditors and administrators read the audit log.")
    form = AuditFilterForm(request.GET)
    entries = filter_entries(AuditEntry.objects.visible_to(request.user), request.GET).order_by("-id")
    if not form.is_valid():  # a range that cannot be read shows its error, not every entry
        entries = entries.none()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/list.html", {"page": page, "params": request.GET, "querystring": params.urlencode(),
                                               "form": form, "actions": AuditEntry.Action.choices,
                                               "channels": AuditEntry.Channel.choices},
                  status=200 if form.is_valid() else 400)
