"""The access oracle's pages of duty of care (issue 11 §3): a secondment's care page to the
coordinators and HR managers of the officer's pool (national: all) and to the officer; its
contact notes, leave debriefing and misconduct case only with need-to-know (and shown there),
never to the officer they are about."""

from robustness.oracle import Expect, marker
from robustness.pages.registry import page

CONTACT = {"contact_on": "2020-06-02", "channel": "phone", "wellbeing": "well", "notes": "oracle"}


def _lifecycle_officers(b, rule):
    return {i for i in b.secondments if rule.works_with_lifecycle(i)}


def _care_page(b, rule, url):
    probes = []
    for i, s in b.secondments.items():
        if not rule.sees_care(i):
            probes.append(("GET", url(s), None, Expect({404})))
            continue
        notes = {i} if rule.reads_care_notes(i) else set()
        probes.append(("GET", url(s), None, Expect({200}, officers_at_most={i}, restricted_at_most=notes,
                                                   notes_at_most=notes,
                                                   markers={marker(kind, i): True for kind in ("Cno", "Lvd", "Mis")}
                                                   if notes else None)))
    return probes


@page("care/")
def board(b, n, rule):
    """The board (deployed secondments only: the world's have returned, so at most, never a note)."""
    if not rule.uses_care():
        return [("GET", "/care/", None, Expect({403}))]
    return [("GET", "/care/", None, Expect({200}, officers_at_most=_lifecycle_officers(b, rule), notes_at_most=set()))]


@page("care/officers/")
def care_officers(b, n, rule):
    if not rule.uses_care():
        return [("GET", "/care/officers/", None, Expect({403}))]
    return [("GET", "/care/officers/", None, Expect({200}, officers_at_most=set()))]


@page("care/contingents/")
def contingents(b, n, rule):
    if not rule.uses_care():
        return [("GET", "/care/contingents/", None, Expect({403}))]
    return [("GET", "/care/contingents/", None, Expect({200}, officers_at_most=_lifecycle_officers(b, rule),
                                                       notes_at_most=set()))]


@page("care/secondments/<int:pk>/")
def care_secondment(b, n, rule):
    return _care_page(b, rule, lambda s: f"/care/secondments/{s.pk}/")


def _care_writes(suffix):
    def probes(b, n, rule):
        return [("POST", f"/care/secondments/{s.pk}/{suffix}/", CONTACT, Expect({404}))
                for i, s in b.secondments.items() if not rule.sees_care(i)]
    return probes


for _suffix in ("contacts", "desk-officer", "leave", "incidents", "appraisals", "misconduct"):
    page(f"care/secondments/<int:pk>/{_suffix}/")(_care_writes(_suffix))


def _api_gate(b, rule) -> bool:
    """The care API answers 403 to whoever has no care role and no care record of their own."""
    return rule.uses_care() or any(rule.sees_care(i) for i in b.secondments)


@page("GET /api/care/board")
def api_board(b, n, rule):
    if not rule.uses_care():
        return [("GET", "/api/care/board", None, Expect({403}))]
    return [("GET", "/api/care/board", None, Expect({200}, officers_at_most=_lifecycle_officers(b, rule),
                                                    notes_at_most=set()))]


@page("GET /api/care/secondments/{secondment_id}")
def api_care(b, n, rule):
    if not _api_gate(b, rule):
        return [("GET", f"/api/care/secondments/{s.pk}", None, Expect({403})) for s in b.secondments.values()]
    return _care_page(b, rule, lambda s: f"/api/care/secondments/{s.pk}")


API_WRITES = {
    "contacts": CONTACT,
    "leave": {"start_date": "2020-07-01", "end_date": "2020-07-10"},
    "incidents": {"occurred_on": "2020-07-01", "kind": "other", "severity": "low"},
    "misconduct": {"category": "other", "reported_on": "2020-07-01", "allegation": "oracle"},
}


def _api_care_writes(suffix, body):
    def probes(b, n, rule):
        status = 404 if _api_gate(b, rule) else 403
        return [("POST", f"/api/care/secondments/{s.pk}/{suffix}", body, Expect({status}))
                for i, s in b.secondments.items() if not rule.sees_care(i)]
    return probes


for _suffix, _body in API_WRITES.items():
    page(f"POST /api/care/secondments/{{secondment_id}}/{_suffix}")(_api_care_writes(_suffix, _body))


# Leave debriefings and misconduct decisions change the world: only their out-of-scope answers are
# probed (404: the leave's secondment unseen; the case outside need-to-know).
DECISION = {"status": "unsubstantiated", "decided_on": "2020-08-01", "outcome": "oracle"}


@page("care/leave/<int:pk>/debriefing/")
def leave_debriefing(b, n, rule):
    return [("POST", f"/care/leave/{leave.pk}/debriefing/", {"held_on": "2020-07-12", "content": "oracle"},
             Expect({404})) for i, leave in b.leaves.items() if not rule.sees_care(i)]


@page("care/misconduct/<int:pk>/decide/")
def misconduct_decide(b, n, rule):
    return [("POST", f"/care/misconduct/{case.pk}/decide/", DECISION, Expect({404}))
            for i, case in b.misconduct.items() if not rule.reads_care_notes(i)]


@page("POST /api/care/misconduct/{case_id}/decision")
def api_misconduct_decision(b, n, rule):
    status = 404 if _api_gate(b, rule) else 403
    return [("POST", f"/api/care/misconduct/{case.pk}/decision", DECISION, Expect({status}))
            for i, case in b.misconduct.items() if not rule.reads_care_notes(i)]
