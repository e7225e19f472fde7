import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dividend.accountability.access import can_see_dashboard
from dividend.accounts.access import requires_second_factor
from dividend.alerts.access import can_use_alerts
from dividend.audit.access import can_read_audit_log
from dividend.care.access import can_use_care
from dividend.careers.access import can_use_careers, can_use_returnee_pool
from dividend.commitments.access import can_read_commitments
from dividend.performance.access import can_read_performance
from dividend.pools.access import role_labels
from dividend.preparation.access import can_use_preparation
from dividend.priorities.access import can_read_priorities
from dividend.reports.access import can_use_reports
from dividend.roster import access as roster_access
from dividend.secondments.access import can_list_secondments
from dividend.selection.access import can_use_selection
from dividend.targets.access import can_read_figures

# The header's links in their order: (shown to whom, URL name, label); None: everyone signed in.
LINKS = (
    (roster_access.can_use_roster, "roster:search", _("Roster")),
    (roster_access.can_use_roster, "roster:crisis", _("Crisis query")),
    (roster_access.sees_own_record, "roster:my_profile", _("My profile")),
    (None, "missions:list", _("Missions")),
    (None, "missions:positions", _("Positions")),
    (can_list_secondments, "secondments:list", _("Secondments")),
    (can_use_selection, "selection:board", _("Calls")),
    (can_use_reports, "reports:list", _("Reports")),
    (can_use_care, "care:board", _("Duty of care")),
    (can_use_preparation, "preparation:list", _("Preparation")),
    (can_use_alerts, "alerts:list", _("Alerts")),
    (can_use_careers, "careers:list", _("Careers")),
    (lambda user: can_use_returnee_pool(user) and not can_use_careers(user), "careers:returnees", _("Returnee pool")),
    (can_read_performance, "performance:list", _("Mission performance")),
    (can_read_priorities, "priorities:models", _("Priorities")),
    (can_read_figures, "targets:year", _("Targets")),
    (can_read_commitments, "commitments:list", _("Commitments")),
    (roster_access.can_import_officers, "roster:import", _("Import")),
    (can_see_dashboard, "accountability:dashboard", _("Dashboard")),
    (can_read_audit_log, "audit:list", _("Audit log")),
    (lambda user: user.is_staff, "admin:index", _("Admin")),
)


@functools.lru_cache(maxsize=256)
def _links(shown: tuple[bool, ...], language: str, prefix: str) -> tuple[tuple[str, str], ...]:
    """(href, label) of the links shown, made once per set of links, language and script prefix: as
    template tags they were 20 reverse() calls and 20 translations on every page (1.1 of the header's
    1.8 ms, measured 4 December)."""
    return tuple((reverse(name), str(label)) for (_who, name, label), show in zip(LINKS, shown, strict=True) if show)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if requires_second_factor(user) and not user.is_verified():
        return {"nav_roles": role_labels(user), "nav_pending_second_factor": True}
    shown = tuple(who is None or bool(who(user)) for who, _name, _label in LINKS)
    return {"nav_roles": role_labels(user), "nav_links": _links(shown, get_language(), get_script_prefix())}
