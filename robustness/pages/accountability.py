"""The access oracle's pages of accountability (issue 14 §3-4): the dashboard, its CSV and the
report to parliament are consolidated figures (never a name) for policy officers, coordinators,
administrators, auditors and the Ministry liaison; the lists behind the figures name at most the
officers one sees, and are refused to the liaison and to every other role."""

from robustness.pages.registry import gated, page

WIDE = "start=2020-01-01&end=2029-12-31"


@page("accountability/")
def dashboard(b, n, rule):
    return gated(f"/accountability/?{WIDE}", rule.reads_figures())


@page("accountability/dashboard/<str:part>.csv")
def dashboard_csv(b, n, rule):
    return gated(f"/accountability/dashboard/missions.csv?{WIDE}", rule.reads_figures())


@page("accountability/dashboard/list/<str:kind>/")
def drill_down(b, n, rule):
    return gated(f"/accountability/dashboard/list/officers/?{WIDE}", rule.drills_down(),
                 officers_at_most=rule.officers())


@page("accountability/parliament/")
def parliament(b, n, rule):
    return gated("/accountability/parliament/?period=2026", rule.reads_figures())


@page("accountability/parliament/report.<str:fmt>")
def parliament_report(b, n, rule):
    return gated("/accountability/parliament/report.xlsx?period=2026Q1", rule.reads_figures())


@page("GET /api/accountability/dashboard")
def api_dashboard(b, n, rule):
    return gated(f"/api/accountability/dashboard?{WIDE}", rule.reads_figures())


@page("GET /api/accountability/parliament-report")
def api_parliament(b, n, rule):
    return gated("/api/accountability/parliament-report?period=2026", rule.reads_figures())
