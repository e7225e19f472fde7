"""The access oracle's pages of selection (one open call sent to every pool, every officer nominated)."""

from robustness.oracle import Expect
from robustness.pages.registry import page


@page("selection/calls/<int:pk>/")
def selection_call(b, n, rule):
    url = f"/selection/calls/{b.call.pk}/"
    if not rule.sees_call():
        return [("GET", url, None, Expect({404}))]
    return [("GET", url, None, Expect({200}, officers=rule.nominations()))]


def _ranking(url, rule):
    if not rule.sees_call():
        return [("GET", url, None, Expect({404}))]
    if not rule.sees_ranking():
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers=rule.nominations()))]


@page("selection/call-positions/<int:pk>/")
def selection_position_ranking(b, n, rule):
    """A position's ranked candidates: the nominations one sees, for the roles that see rankings."""
    return _ranking(f"/selection/call-positions/{b.call.positions.get().pk}/", rule)


@page("selection/calls/<int:pk>/eligibility/")
def selection_eligibility(b, n, rule):
    return _ranking(f"/selection/calls/{b.call.pk}/eligibility/", rule)


@page("GET /api/selection/call-positions/{call_position_id}/ranking")
def api_selection_ranking(b, n, rule):
    return _ranking(f"/api/selection/call-positions/{b.call.positions.get().pk}/ranking", rule)


@page("GET /api/selection/calls")
def api_selection_calls(b, n, rule):
    seen = {b.call.pk} if rule.sees_call() else set()
    return [("GET", "/api/selection/calls", None, Expect({200}, officers=set(), count=len(seen), ids=seen))]


@page("GET /api/selection/calls/{call_id}")
def api_selection_call(b, n, rule):
    return [("GET", f"/api/selection/calls/{b.call.pk}", None,
             Expect({200} if rule.sees_call() else {404}, officers=set()))]


@page("GET /api/selection/nominations")
def api_selection_nominations(b, n, rule):
    seen = rule.nominations()
    return [("GET", "/api/selection/nominations", None, Expect({200}, officers=seen, count=len(seen),
                                                                 ids={b.nominations[i].pk for i in seen}))]


@page("GET /api/selection/nominations/{nomination_id}")
def api_selection_nomination(b, n, rule):
    return [("GET", f"/api/selection/nominations/{nom.pk}", None,
             Expect({200}, officers={i}) if i in rule.nominations() else Expect({404}))
            for i, nom in b.nominations.items()]


@page("selection/mine/")
def selection_mine(b, n, rule):
    own = rule.user.officer
    if own is None:
        return [("GET", "/selection/mine/", None, Expect({403}))]
    return [("GET", "/selection/mine/", None, Expect({200}, officers={own}))]


@page("selection/releases/")
def selection_releases(b, n, rule):
    """Every nomination of the world awaits its release: the HR manager sees those of their pools."""
    if not (rule.user.superuser or rule._holds({"hr_manager"})):
        return [("GET", "/selection/releases/", None, Expect({403}))]
    return [("GET", "/selection/releases/", None,
             Expect({200}, officers={i for i in rule.nominations() if rule.releases(i)}))]


# The selection's figures (docs/selection.md, "Analytics"): staff roles but the panel and secondees.
ANALYTICS_ROLES = {"coordinator", "hr_manager", "policy_officer", "administrator", "auditor", "analyst"}


def _reads_analytics(rule) -> bool:
    return rule.user.superuser or rule._holds(ANALYTICS_ROLES)


@page("selection/analytics/")
def selection_analytics(b, n, rule):
    """Figures only: no officer named; the API below states the count of nominations counted."""
    if not _reads_analytics(rule):
        return [("GET", "/selection/analytics/", None, Expect({403}))]
    return [("GET", "/selection/analytics/", None, Expect({200}, officers=set()))]


@page("selection/analytics/<str:fmt>/")
def selection_analytics_export(b, n, rule):
    if not _reads_analytics(rule):
        return [("GET", "/selection/analytics/csv/", None, Expect({403}))]
    return [("GET", "/selection/analytics/csv/", None, Expect({200}, officers=set()))]


@page("GET /api/selection/analytics")
def api_selection_analytics(b, n, rule):
    """Counted over the nominations the reader sees: a count never reveals one the lists hide."""
    if not _reads_analytics(rule):
        return [("GET", "/api/selection/analytics", None, Expect({403}))]
    return [("GET", "/api/selection/analytics", None,
             Expect({200}, officers=set(), count=len(rule.nominations())))]


@page("selection/rotations/")
def selection_rotations(b, n, rule):
    """Strategic positions with their holders and successors: staff who work with calls; an officer
    is named only to those who see them (the world's secondments are completed: none named)."""
    if not (rule.user.superuser or rule._holds({"coordinator", "panel_member", "hr_manager", "policy_officer",
                                                "administrator", "auditor", "analyst"})):
        return [("GET", "/selection/rotations/", None, Expect({403}))]
    return [("GET", "/selection/rotations/", None, Expect({200}, officers_at_most=rule.officers()))]


@page("selection/call-positions/<int:pk>/nominate/")
def selection_nominate(b, n, rule):
    """The choice lists the officers of the call's pools (every pool) the coordinator may nominate."""
    return _nomination_form(b, rule, f"/selection/call-positions/{b.call.positions.get().pk}/nominate/")


@page("selection/call-positions/<int:pk>/team/")
def selection_nominate_team(b, n, rule):
    """As the nomination form: the choices are the officers the coordinator may nominate."""
    return _nomination_form(b, rule, f"/selection/call-positions/{b.call.positions.get().pk}/team/")


def _nomination_form(b, rule, url):
    if not rule.sees_call():
        return [("GET", url, None, Expect({404}))]
    if not (rule.user.superuser or rule._holds({"coordinator"})):
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers={i for i in range(len(b.officers)) if rule.coordinates(i)}))]


@page("selection/nominations/<int:pk>/outcome/")
def selection_outcome(b, n, rule):
    probes = []
    for i, nomination in b.nominations.items():
        url = f"/selection/nominations/{nomination.pk}/outcome/"
        if i not in rule.nominations():
            probes.append(("GET", url, None, Expect({404})))
        elif not rule.coordinates(i):
            probes.append(("GET", url, None, Expect({403})))
        else:
            probes.append(("GET", url, None, Expect({200}, officers={i})))
    return probes
