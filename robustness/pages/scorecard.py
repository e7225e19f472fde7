"""The access oracle's pages of accountability's scorecard and portfolio planning
(docs/accountability.md): consolidated scorecards (no officer) to coordinators, policy officers,
administrators and auditors; a secondment's scorecard, naming its officer, to those roles of the
officer's pool (national: every pool); portfolio runs hold positions and counts only."""

from robustness.oracle import Expect
from robustness.pages.registry import gated, page


@page("accountability/scorecard/")
def scorecard_index(b, n, rule):
    return gated("/accountability/scorecard/", rule.reads_scorecards())


@page("accountability/scorecard/missions/<int:pk>/")
def mission_scorecard(b, n, rule):
    """The world's mission: its secondments' officers listed, only those one may see the scorecard of."""
    url = f"/accountability/scorecard/missions/{b.position.mission_id}/"
    return gated(url, rule.reads_scorecards(), officers_at_most={i for i in b.secondments if rule.sees_scorecard(i)},
                 restricted_at_most=set())


@page("accountability/scorecard/years/<int:year>/")
def year_scorecard(b, n, rule):
    years = sorted({s.start_date.year for s in b.secondments.values()}) or [2020]
    return [probe for year in years for probe in gated(
        f"/accountability/scorecard/years/{year}/", rule.reads_scorecards(),
        officers_at_most={i for i in b.secondments if rule.sees_scorecard(i)}, restricted_at_most=set())]


@page("accountability/scorecard/secondments/<int:pk>/")
def secondment_scorecard(b, n, rule):
    """403 without a scorecard role, 404 out of the reader's pools, else 200 naming that officer only."""
    probes = []
    for i, s in b.secondments.items():
        url = f"/accountability/scorecard/secondments/{s.pk}/"
        if not rule.reads_scorecards():
            probes.append(("GET", url, None, Expect({403})))
        elif not rule.sees_scorecard(i):
            probes.append(("GET", url, None, Expect({404})))
        else:
            probes.append(("GET", url, None, Expect({200}, officers_at_most={i}, restricted_at_most=set())))
    return probes


@page("accountability/scorecard/export.csv")
def scorecard_export(b, n, rule):
    """Per year: consolidated (no officer); per secondment: exactly the officers one may see the scorecard of."""
    probes = gated("/accountability/scorecard/export.csv?by=year", rule.reads_scorecards())
    if not rule.reads_scorecards():
        return probes
    return probes + [("GET", "/accountability/scorecard/export.csv?by=secondment", None, Expect(
        {200}, officers={i for i in b.secondments if rule.sees_scorecard(i)}, restricted_at_most=set()))]
