"""The access oracle's pages of secondments."""

from robustness.oracle import Expect
from robustness.pages.registry import hidden_writes, page, per_officer

# --- Secondments ---------------------------------------------------------------------------------------

@page("secondments/")
def secondment_list(b, n, rule):
    seen = rule.secondments()
    return [("GET", "/secondments/", None, Expect({200}, officers=seen, count=len(seen)))]


@page("secondments/<int:pk>/")
def secondment_page(b, n, rule):
    return [("GET", f"/secondments/{s.pk}/", None, Expect({200}, officers={i}) if rule.sees_officer(i) else Expect({404}))
            for i, s in b.secondments.items()]


@page("secondments/<int:pk>/move/")
def secondment_status(b, n, rule):
    return hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/secondments/{s.pk}/move/", data=lambda s: {"move": "cancel", "reason": "oracle"})


def _managed_secondment_pages(b, rule, suffix, shown=lambda i: {i}):
    """A form page about one secondment: 404 out of scope, 403 without the right to manage it, and
    otherwise at most the officers `shown(i)` (the secondment's own; the handover's successors too)."""
    probes = []
    for i, s in b.secondments.items():
        status = 404 if not rule.sees_officer(i) else 200 if rule.manages_secondments(i) else 403
        probes.append(("GET", f"/secondments/{s.pk}/{suffix}/", None,
                       Expect({status}, officers_at_most=shown(i) if status == 200 else set())))
    return probes


@page("secondments/<int:pk>/promotion/")
def secondment_promotion(b, n, rule):
    return _managed_secondment_pages(b, rule, "promotion")


@page("secondments/<int:pk>/handover/")
def secondment_handover(b, n, rule):
    # The successors offered: live secondments on the same position among those the user sees.
    return _managed_secondment_pages(b, rule, "handover",
                                     shown=lambda i: {i} | {j for j in b.secondments if rule.sees_officer(j)})


@page("secondments/<int:pk>/edit/")
def secondment_edit(b, n, rule):
    return _managed_secondment_pages(b, rule, "edit")


@page("secondments/officers/<int:officer_id>/new/")
def secondment_record(b, n, rule):
    return per_officer(b, rule, lambda pk: f"/secondments/officers/{pk}/new/", allowed=rule.manages_secondments)


@page("GET /api/secondments")
def api_secondments(b, n, rule):
    seen = rule.secondments()
    return [("GET", "/api/secondments", None, Expect({200}, officers=seen, count=len(seen),
                                                       ids={b.secondments[i].pk for i in seen}))]


@page("POST /api/secondments")
def api_record_secondment(b, n, rule):
    return hidden_writes("POST", enumerate(b.officers), rule.sees_officer, lambda o: "/api/secondments",
                          data=lambda o: {"officer": o.pk, "position": b.position.pk, "start_date": "2027-01-01",
                                          "status": "selected"})


@page("GET /api/secondments/{secondment_id}")
def api_secondment(b, n, rule):
    return [("GET", f"/api/secondments/{s.pk}", None,
             Expect({200}, officers={i}) if rule.sees_officer(i) else Expect({404}))
            for i, s in b.secondments.items()]


@page("POST /api/secondments/{secondment_id}/promotions")
def api_secondment_promotion(b, n, rule):
    return hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/promotions",
                          data=lambda s: {"rank": 999999, "effective_on": "2020-06-01"})


@page("POST /api/secondments/{secondment_id}/handover")
def api_secondment_handover(b, n, rule):
    return hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/handover",
                          data=lambda s: {"successor": 999999, "handed_over_on": "2020-06-01"})


@page("POST /api/secondments/{secondment_id}/moves")
def api_secondment_move(b, n, rule):
    return hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/moves", data=lambda s: {"move": "cancel",
                                                                                      "reason": "oracle"})
