"""The access oracle's pages of the site, accounts, the roster, the officers' API, the audit log and tokens."""

from robustness.oracle import Expect, marker
from robustness.pages.registry import everyone, gated, hidden_writes, page, per_officer

# --- Site and accounts -----------------------------------------------------------------------------

@page("")
def home(b, n, rule):
    return everyone("/", rule)


@page("account/")
def account(b, n, rule):
    return everyone("/account/", rule)


@page("account/password/")
def password(b, n, rule):
    return everyone("/account/password/", rule)


# --- Roster ------------------------------------------------------------------------------------------

@page("roster/")
def roster_search(b, n, rule):
    """The list with its count, and a free-text search for every officer's service number (not the
    marker name, which the page would echo in its search field)."""
    if not rule.uses_roster():
        return [("GET", "/roster/", None, Expect({403}))]
    seen = rule.officers()
    probes = [("GET", "/roster/", None, Expect({200}, officers=seen, count=len(seen)))]
    for i in range(len(b.officers)):
        hit = seen & {i}
        probes.append(("GET", f"/roster/?text=SNQ{i}", None, Expect({200}, officers=hit, count=len(hit))))
    return probes


@page("roster/export.<str:fmt>")
def roster_export(b, n, rule):
    # CSV: XLSX is the same table (exporters return headers and rows), compressed beyond a text search.
    if not rule.uses_roster():
        return [("GET", "/roster/export.csv", None, Expect({403}))]
    return [("GET", "/roster/export.csv", None, Expect({200}, officers=rule.officers()))]


@page("roster/new/")
def roster_new(b, n, rule):
    return gated("/roster/new/", rule.adds_officers())


@page("roster/officers/<int:pk>/")
def officer_detail(b, n, rule):
    return per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/", allowed=lambda i: True,
                        need_to_know_shown=True)


@page("roster/officers/<int:pk>/edit/")
def officer_edit(b, n, rule):
    return per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/edit/", allowed=rule.edits)


@page("roster/officers/<int:pk>/subject-access.<str:fmt>")
def subject_access(b, n, rule):
    # JSON: the PDF is the same report, compressed.
    return per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/subject-access.json",
                        allowed=rule.need_to_know, need_to_know_shown=True)


@page("roster/officers/<int:pk>/qualifications/")
def add_qualification(b, n, rule):
    return hidden_writes("POST", enumerate(b.officers), rule.sees_officer,
                          lambda o: f"/roster/officers/{o.pk}/qualifications/")


@page("roster/me/")
def my_profile(b, n, rule):
    own = rule.user.officer
    if own is None:
        return [("GET", "/roster/me/", None, Expect({403}))]
    return [("GET", "/roster/me/", None, Expect({200}, officers={own}, restricted_at_most={own},
                                                restricted_exactly={own}))]


def _qualifications(b):
    """(officer index, qualification, restricted) for every qualification the world singles out."""
    for i, quals in b.restricted_quals.items():
        for q in quals:
            yield i, q, True
    for i, q in b.pending.items():
        yield i, q, False


@page("roster/qualifications/<int:pk>/edit/")
def qualification_edit(b, n, rule):
    probes = []
    for i, q, restricted in _qualifications(b):
        url = f"/roster/qualifications/{q.pk}/edit/"
        if not rule.sees_officer(i) or (restricted and not rule.need_to_know(i)):
            probes.append(("GET", url, None, Expect({404})))
        elif rule.edits(i):
            probes.append(("GET", url, None, Expect({200}, officers_at_most={i},
                                                     restricted_at_most={i} if restricted else set())))
        else:
            probes.append(("GET", url, None, Expect({403})))
    return probes


@page("roster/qualifications/pending/")
def pending(b, n, rule):
    if not rule.reviews_qualifications():
        return [("GET", "/roster/qualifications/pending/", None, Expect({403}))]
    return [("GET", "/roster/qualifications/pending/", None,
             Expect({200}, officers={i for i in b.pending if rule.sees_officer(i)}))]


@page("roster/qualifications/expiring/")
def expiring(b, n, rule):
    # The world's qualifications expire years ahead: the page lists none, and must leak none.
    if not rule.uses_roster():
        return [("GET", "/roster/qualifications/expiring/?days=365", None, Expect({403}))]
    return [("GET", "/roster/qualifications/expiring/?days=365", None,
             Expect({200}, officers_at_most=rule.officers(), restricted_at_most=rule.restricted()))]


@page("roster/qualifications/<int:pk>/decide/")
def decide(b, n, rule):
    return hidden_writes("POST", b.pending.items(), rule.sees_officer,
                          lambda q: f"/roster/qualifications/{q.pk}/decide/", data=lambda q: {"decision": "confirm"})


@page("roster/import/")
def roster_import(b, n, rule):
    return gated("/roster/import/", rule.imports())


@page("roster/import/template.<str:fmt>")
def import_template(b, n, rule):
    return gated("/roster/import/template.csv", rule.imports())


@page("roster/crisis/")
def crisis(b, n, rule):
    """Everyone is available with the world's skill: the query lists exactly the officers in scope,
    and no medical or clearance date (only "valid on departure")."""
    url = f"/roster/crisis/?within_days=30&duration_months=1&skill={b.skill_id}"
    if not rule.uses_roster():
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers=rule.officers()))]


# --- Officers API ------------------------------------------------------------------------------------

@page("GET /api/officers")
def api_officers(b, n, rule):
    if not rule.uses_roster():
        return [("GET", "/api/officers", None, Expect({403}))]
    seen = rule.officers()
    probes = [("GET", "/api/officers", None, Expect({200}, officers=seen, count=len(seen),
                                                     ids={b.officers[i].pk for i in seen}))]
    for i in range(len(b.officers)):
        hit = seen & {i}
        probes.append(("GET", f"/api/officers?text=SNQ{i}", None,
                       Expect({200}, officers=hit, count=len(hit), ids={b.officers[j].pk for j in hit})))
    return probes


@page("GET /api/officers/{officer_id}")
def api_officer(b, n, rule):
    return per_officer(b, rule, lambda pk: f"/api/officers/{pk}", allowed=lambda i: True, need_to_know_shown=True)


def _officer_in(o):
    """A well-formed body (so that the lookup, not the schema, answers) that the form would refuse."""
    return {"pool": o.pool_id, "service_number": "", "first_name": "", "last_name": "", "rank": 0, "gender": "x",
            "date_of_birth": "1990-01-01"}


@page("PUT /api/officers/{officer_id}")
def api_officer_update(b, n, rule):
    return hidden_writes("PUT", enumerate(b.officers), rule.sees_officer, lambda o: f"/api/officers/{o.pk}",
                          data=_officer_in)


@page("GET /api/pools")
def api_pools(b, n, rule):
    return [("GET", "/api/pools", None, Expect({200}, ids={p.pk for k, p in enumerate(b.pools) if rule.sees_pool(k)}))]


# --- Audit log and tokens ------------------------------------------------------------------------------

@page("audit/")
def audit(b, n, rule):
    # Readers see the whole log (every officer's name may appear), never restricted values.
    return gated("/audit/", rule.reads_audit(), officers_at_most=None)


@page("GET /api/audit")
def api_audit(b, n, rule):
    return gated("/api/audit", rule.reads_audit(), officers_at_most=None)


@page("tokens/")
def tokens(b, n, rule):
    return everyone("/tokens/", rule, markers={marker("Tok", k): k == n for k in range(len(b.tokens))})


@page("tokens/<int:pk>/revoke/")
def revoke_token(b, n, rule):
    return hidden_writes("POST", enumerate(b.tokens), lambda k: k == n, lambda t: f"/tokens/{t.pk}/revoke/")
