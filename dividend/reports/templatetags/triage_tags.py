"""`{% triage_notes report %}` on a report's page: for the analysts who triage it, a link to the
triage page (with who it is assigned to); for its author, the comments analysts marked for them.
Other comments never reach the author (reports.triage)."""

from django import template

from dividend.reports import access
from dividend.reports.models import TriageComment

register = template.Library()


@register.inclusion_tag("reports/_triage_notes.html", takes_context=True)
def triage_notes(context, report):
    user = context["request"].user
    triager = access.can_triage_report(user, report)
    comments = [] if triager else list(TriageComment.objects.visible_to(user, report).select_related("author"))
    return {"report": report, "triager": triager, "comments": comments}
