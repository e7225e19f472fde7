"""The access oracle's pages of rapid deployment alerts (docs/alerts.md)."""

from robustness.oracle import Expect
from robustness.pages.registry import page


@page("alerts/<int:pk>/")
def alert_page(b, n, rule):
    """The coordinators' page of an alert: the answers of the officers of their pools (national: all)."""
    url = f"/alerts/{b.alert.pk}/"
    if not rule.alert_answers():  # the alert reaches every officer: seen by whoever sees an answer
        return [("GET", url, None, Expect({404}))]
    if not rule.sends_alerts():
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers=rule.alert_answers()))]


@page("alerts/<int:pk>/answer/")
def alert_answer(b, n, rule):
    """The recipient's own answer page: theirs alone."""
    url = f"/alerts/{b.alert.pk}/answer/"
    own = b.world.users[n].officer
    if own is None:
        return [("GET", url, None, Expect({404}))]
    return [("GET", url, None, Expect({200}, officers={own}))]


@page("GET /api/alerts/{alert_id}")
def api_alert(b, n, rule):
    url = f"/api/alerts/{b.alert.pk}"
    if not rule.uses_alerts():
        return [("GET", url, None, Expect({403}))]
    if not rule.alert_answers():
        return [("GET", url, None, Expect({404}))]
    return [("GET", url, None, Expect({200}, officers=rule.alert_answers()))]
