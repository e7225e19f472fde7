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


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if requires_second_factor(user) and not user.is_verified():
        return {"nav_roles": role_labels(user), "nav_pending_second_factor": True}
    return {
        "nav_roles": role_labels(user),
        "nav_can_use_roster": roster_access.can_use_roster(user),
        "nav_can_review_qualifications": roster_access.can_review_qualifications(user),
        "nav_can_read_audit": can_read_audit_log(user),
        "nav_can_import": roster_access.can_import_officers(user),
        "nav_can_read_priorities": can_read_priorities(user),
        "nav_has_own_record": roster_access.sees_own_record(user),
        "nav_can_list_secondments": can_list_secondments(user),
        "nav_can_use_selection": can_use_selection(user),
        "nav_can_use_reports": can_use_reports(user),
        "nav_can_use_care": can_use_care(user),
        "nav_can_use_preparation": can_use_preparation(user),
        "nav_can_use_alerts": can_use_alerts(user),
        "nav_can_use_careers": can_use_careers(user),
        "nav_can_use_returnee_pool": can_use_returnee_pool(user),
        "nav_can_read_figures": can_read_figures(user),
        "nav_can_read_commitments": can_read_commitments(user),
        "nav_can_read_performance": can_read_performance(user),
        "nav_can_see_dashboard": can_see_dashboard(user),
    }
