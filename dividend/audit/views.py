import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .access import can_read_audit_log
from .forms import AuditFilterForm
from .models import AuditEntry, ChainVerification


def filter_entries(queryset, params):
    """The list page's filters; unknown choices and unreadable dates are left out, as a form would blank them."""
    def choice(name, values):
        return params.get(name) if params.get(name) in values else ""

    def date(name):
        try:
            return dt.date.fromisoformat(params.get(name) or "")
        except ValueError:
            return None

    return queryset.matching(actor=params.get("actor", ""), action=choice("action", AuditEntry.Action.values),
                             object_type=params.get("object_type", ""), object_id=params.get("object_id", ""),
                             channel=choice("channel", AuditEntry.Channel.values), since=date("since"),
                             until=date("until"))


@login_required
def entry_list(request):
    if not can_read_audit_log(request.user):
        raise PermissionDenied("Only auditors and administrators read the audit log.")
    form = AuditFilterForm(request.GET)
    entries = filter_entries(AuditEntry.objects.visible_to(request.user), request.GET).order_by("-id")
    if not form.is_valid():  # a range that cannot be read shows its error, not every entry
        entries = entries.none()
    elif form.cleaned_data["restricted"]:
        entries = entries.restricted_reads()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    # The last stored verification (verify_audit writes it; walking a large log on every page load
    # would take seconds), shown with its age.
    return render(request, "audit/list.html", {"page": page, "params": request.GET, "querystring": params.urlencode(),
                                               "verification": ChainVerification.objects.first(),
                                               "form": form, "actions": AuditEntry.Action.choices,
                                               "channels": AuditEntry.Channel.choices},
                  status=200 if form.is_valid() else 400)
