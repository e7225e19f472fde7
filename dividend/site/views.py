import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dividend.accountability.access import can_drill_down, can_see_dashboard
from dividend.audit.access import can_read_audit_log
from dividend.audit.attention import audit_items
from dividend.audit.models import AuditEntry
from dividend.audit.services import record_many
from dividend.priorities.access import can_edit_priorities
from dividend.priorities.attention import current_ranking
from dividend.roster import access as roster_access
from dividend.roster.attention import coordinator_items, own_profile_status
from dividend.roster.forms import DecisionForm
from dividend.secondments.attention import deployment_items


@login_required
def home(request):
    """The start page: what needs the user today, a section per role they hold (each app says what
    its section holds; the predicates say who sees it). Every item links to where it is acted on."""
    user, today = request.user, dt.date.today()
    context = {"today": today}
    if roster_access.can_review_qualifications(user):
        context["coordinator"] = coordinator_items(user, today=today)
        context["deployments"] = deployment_items(user, today=today)
        context["decision_form"] = DecisionForm()
        _record_names_shown(user, context["coordinator"], context["deployments"])
    if can_edit_priorities(user):
        context["ranking"] = current_ranking(user)
    if can_read_audit_log(user):
        context["audit"] = audit_items(user, today=timezone.localdate())
    if can_see_dashboard(user):  # the consolidated figures; for the Ministry liaison, all they see
        context["figures"] = {"lists": can_drill_down(user)}
    if roster_access.sees_own_record(user):
        context["profile"] = own_profile_status(user, today=today)
    return render(request, "site/home.html", context)


def _record_names_shown(user, coordinator, deployments):
    """The start page names officers (qualifications to confirm, secondments ending): list reads,
    logged as the lists it previews log theirs, in one append."""
    shown = [("roster.qualification", coordinator.pending, ["officer", "qualification_type", "issued_on", "expires_on"]),
             ("secondments.secondment", deployments.ending, ["officer", "mission", "end_date"])]
    entries = [{"action": AuditEntry.Action.LIST, "object_type": object_type, "object_repr": f"{len(rows)} shown",
                "fields": fields, "detail": {"page": "start", "filters": {}, "ids": [row.pk for row in rows],
                                             "officer_ids": sorted({row.officer_id for row in rows})}}
               for object_type, rows, fields in shown if rows]
    if entries:
        record_many(actor=user, entries=entries)
