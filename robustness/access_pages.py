"""The access oracle's registry: every URL pattern and API operation, and what each user must get.

`PAGES` maps a route, keyed as tests/test_visibility.py keys it (the URL pattern as Django's
resolver writes it, `"roster/officers/<int:pk>/"`, or `"METHOD /api/path/{param}"`), to a function
`(built, n, rule) -> [(method, url, data, Expect), ...]`: the requests user `n` of the built world
sends there (one per object of the world for a detail) and what each answer must be, from `rule`
(robustness/oracle.py's `Rule`, never the product's predicates). `NOT_APPLICABLE` names the routes
that reveal no record, with the reason. tests/test_robustness.py fails when a route is in neither.

A later app adds its pages here with `@page("its/pattern/<int:pk>/")` (docs/robustness.md).
"""

from robustness.oracle import Expect, marker

PAGES = {}

NOT_APPLICABLE = {
    "login/": "the sign-in form: shows no record",
    "logout/": "signs out: shows no record",
    "account/logout-everywhere/": "ends one's own sessions (POST): shows no record",
    "account/second-factor/": "one's own authenticator set-up: shows no record",
    "account/second-factor/verify/": "the second-factor prompt: shows no record",
    "i18n/setlang/": "Django's language switcher (POST): sets a cookie, shows no record",
    "admin/": "the Django admin (every admin/ pattern): staff only; its audit and role pages follow the "
              "product's rules, checked by tests/test_visibility.py",
    "api/": "the API's 404 for an unknown path: no record",
    "^api/": "the API's 404 for an unknown path: no record",
    "api/openapi.json": "the API's public description: no record",
    "api/docs": "the API's public description: no record",
    "POST /api/officers": "creates an officer in a pool given in the body: no existing record is revealed; "
                          "its role gate is in tests/test_visibility.py and api-fuzzing",
    "priorities/models/<slug:name>/check/": "checks a submitted model text (POST): priority data are not "
                                            "personal and the role gate is in tests/test_visibility.py",
    "priorities/models/<slug:name>/home/": "sets a model's home country (POST): as above",
    "POST /api/priorities/models/{name}/versions": "writes non-personal priority data: role gate in "
                                                   "tests/test_visibility.py and api-fuzzing",
    "POST /api/priorities/datasets": "as above",
    "POST /api/priorities/datasets/upload": "as above",
    "POST /api/priorities/runs": "as above",
    # Landed while the oracle was being merged: priority data (not personal), role gates checked by
    # tests/test_visibility.py; the reads belong in PRIORITY_READS once the shared records include
    # an adoption.
    "priorities/models/<slug:name>/tree/": "priority model tree (not personal): role gate in test_visibility",
    "priorities/models/<slug:name>/versions/<int:number>/changes/": "as above",
    "priorities/runs/<int:pk>/adopt/": "adopts a run (POST): not personal, role gate in test_visibility",
    "priorities/adopted/": "the adopted ranking (not personal): role gate in test_visibility",
    "priorities/adopted/<int:adoption_id>/withdraw/": "withdraws an adoption (POST): as above",
    "GET /api/priorities/adoptions": "as above",
    "POST /api/priorities/adoptions": "as above",
    "POST /api/priorities/adoptions/withdraw": "as above",
    "GET /api/priorities/adopted-ranking": "as above",
    # Selection (issue 10): the call page and the API's calls and nominations are in PAGES (below).
    # The others, each with its row per role in tests/test_visibility.py:
    "selection/": "the calls board: calls and counts, no officer",
    "selection/calls/new/": "a form (role gate): no record",
    "selection/calls/<int:pk>/edit/": "a call's form (call facts, no officer)",
    "selection/calls/<int:pk>/positions/new/": "as above",
    "selection/calls/<int:pk>/positions/import/": "as above",
    "selection/call-positions/<int:pk>/edit/": "as above",
    "selection/calls/<int:pk>/status/": "a change (POST): no record shown",
    "selection/call-positions/<int:pk>/interest/": "as above",
    "selection/nominations/<int:pk>/release/": "as above",
    "selection/nominations/<int:pk>/approve/": "as above",
    "selection/nominations/<int:pk>/withdraw/": "as above",
    "POST /api/selection/calls": "as above",
    "POST /api/selection/calls/{call_id}/status": "as above",
    "POST /api/selection/calls/{call_id}/positions": "as above",
    "POST /api/selection/nominations": "as above",
    "POST /api/selection/teams": "as above",
    "POST /api/selection/nominations/{nomination_id}/release": "as above",
    "POST /api/selection/nominations/{nomination_id}/outcome": "as above",
    "GET /api/selection/calls/{call_id}/positions": "a call's positions: mission facts, no officer",
    # Selection on the record (issue 10, section 6), each with its row per role in test_visibility.
    "selection/calls/<int:pk>/panel/": "the panel's anonymised summaries: names no officer (the leak test is "
                                       "tests/selection/test_panel.py)",
    "GET /api/selection/calls/{call_id}/panel": "as above",
    "GET /api/selection/calls/{call_id}/panel-scores": "panel scores by nomination and member: no officer",
    "selection/nominations/<int:pk>/score/": "a change (POST): no record shown",
    "POST /api/selection/nominations/{nomination_id}/panel-score": "as above",
    "selection/decisions/<int:pk>/review/": "as above",
    "POST /api/selection/decisions/{decision_id}/review": "as above",
    "POST /api/selection/calls/{call_id}/assignment-runs": "as above",
    "selection/calls/<int:pk>/assignment/": "the assignment form and the list of runs: no officer",
    "selection/calls/<int:pk>/decisions/": "decisions on the nominations the user sees (Decision.visible_to reads "
                                           "Nomination.visible_to); the oracle's world has no decisions",
    "GET /api/selection/calls/{call_id}/decisions": "as above",
    "selection/assignment-runs/<int:pk>/": "names only the officers the user sees, the others by pseudonym; the "
                                           "oracle's world has no runs",
    "GET /api/selection/assignment-runs/{run_id}": "nominations and pseudonyms, no officer",
    "selection/calls/<int:pk>/report.<str:fmt>": "a binary export naming only the officers the user sees (the "
                                                "others by pseudonym): tests/selection/test_report.py",
    "selection/calls/<int:pk>/criteria/": "a call's ranking criteria (weights, a date): no officer",
    "selection/calls/<int:pk>/criteria/lock/": "locks them (POST): no record shown",
    "GET /api/selection/calls/{call_id}/criteria": "as the criteria page",
    "PUT /api/selection/calls/{call_id}/criteria": "a change: no record shown",
    "POST /api/selection/calls/{call_id}/criteria/lock": "as above",
    "selection/rule-sets/": "eligibility rule sets: organisations' rules as data, no personal data",
    "selection/rule-sets/new/": "as above (form)",
    "selection/rule-sets/<int:pk>/": "as above",
    "selection/rule-sets/<int:pk>/compare/<int:other>/": "as above",
    "GET /api/selection/rule-sets": "as above",
    "GET /api/selection/rule-sets/{rule_set_id}": "as above",
    "POST /api/selection/rule-sets": "as above (a new version)",
    # Strategic positions: relevance is derived from the adopted ranking, themes and a policy
    # officer's assessments of positions (not personal); the rotations page is in PAGES (below).
    "selection/strategic/": "the most strategic open positions: positions and their relevance, no officer",
    "selection/relevance/weights/": "the weights of relevance and who set them (staff), no officer",
    "selection/positions/<int:pk>/relevance/": "a position's relevance and rotation state, no officer named",
    "GET /api/selection/call-positions/{call_position_id}/relevance": "as above",
    "GET /api/selection/strategic": "as above",
    "GET /api/selection/relevance-weights": "as above",
    "PUT /api/selection/relevance-weights": "a change (PUT): no record shown; role gate in tests/test_visibility.py",
    # Field reports (issue 12, started): not yet in the oracle's worlds, which hold no reports; their
    # role gates and scope (an analyst's pools, a secondee's own) are checked row by row in
    # tests/test_visibility.py until the worlds file reports.
    "reports/": "field reports: not yet in the oracle's worlds (tests/test_visibility.py)",
    "reports/new/": "as above",
    "reports/requirements/": "as above",
    "reports/<int:pk>/": "as above",
    "reports/<int:pk>/status/": "as above",
    "reports/manifest.webmanifest": "the reporting app's manifest: static addresses, no record",
    "reports/sw.js": "the reporting form's service worker: static addresses, no record",
    "GET /api/reports": "as above",
    "POST /api/reports": "as above",
    "GET /api/reports/requirements": "as above",
    "reports/<int:pk>/feedback/": "as above",
    "reports/products/": "as above",
    "reports/products/new/": "as above",
    "reports/products/<int:pk>/": "as above",
    "reports/products/<int:pk>/sections/": "as above",
    "reports/products/<int:pk>/audiences/": "as above",
    "reports/products/<int:pk>/marking/": "as above",
    "reports/products/<int:pk>/move/": "as above",
    "reports/products/<int:pk>/pdf/": "as above",
    "reports/products/<int:pk>/stix/": "as above",
    "reports/audiences/": "as above",
    "reports/funnel/": "as above",
    "GET /api/reports/products": "as above",
    "POST /api/reports/products": "as above",
    "GET /api/reports/products/{product_id}": "as above",
    "GET /api/reports/products/{product_id}/stix": "as above",
    "POST /api/reports/products/{product_id}/sections": "as above",
    "POST /api/reports/products/{product_id}/audiences": "as above",
    "POST /api/reports/products/{product_id}/move": "as above",
    "GET /api/reports/audiences": "as above",
    "POST /api/reports/audiences": "as above",
    "GET /api/reports/funnel": "as above",
    "POST /api/reports/{report_id}/feedback": "as above",
    "POST /api/reports/requirements": "as above",
    "GET /api/reports/{report_id}": "as above",
    "POST /api/reports/{report_id}/status": "as above",
    # Triage (issue 12 §4): as the reports above, each with its row in tests/test_visibility.py.
    "reports/triage/": "the triage queue: field reports, not yet in the oracle's worlds (tests/test_visibility.py)",
    "reports/triage/bulk/": "as above",
    "reports/<int:pk>/triage/": "as above",
    "reports/<int:pk>/triage/release/": "as above",
    "reports/<int:pk>/assign/": "as above",
    "reports/<int:pk>/comments/": "as above",
    "reports/suggest/": "suggestions for a submitted text (POST): reveals no record",
    "reports/themes/": "the theme vocabulary (reference data, not personal): role gate in test_visibility",
    "reports/themes/misp.json": "as above",
    "GET /api/reports/triage/queue": "field reports: not yet in the oracle's worlds (tests/test_visibility.py)",
    "POST /api/reports/triage/bulk": "as above",
    "POST /api/reports/{report_id}/assign": "as above",
    "GET /api/reports/{report_id}/comments": "as above",
    "POST /api/reports/{report_id}/comments": "as above",
    "GET /api/reports/{report_id}/suggestions": "as above",
    "POST /api/reports/suggestions/draft": "suggestions for a submitted text: reveals no record",
    "reports/<int:pk>/duplicates/": "field reports: not yet in the oracle's worlds (tests/test_visibility.py); near-duplicates, issue 12 §4",
    "GET /api/reports/{report_id}/duplicates": "as above",
    "POST /api/reports/{report_id}/duplicates": "as above",
    "reports/<int:pk>/attachments/<int:attachment_pk>/": "as above (a report's attachment: its readers only)",
    "GET /api/reports/{report_id}/attachments/{attachment_id}": "as above",
    # Monthly mission reports and intelligence debriefings (issue 12 §7–8): each with its row in
    # tests/test_visibility.py.
    "reports/monthly/": "monthly mission reports: not yet in the oracle's worlds (tests/test_visibility.py)",
    "reports/monthly/new/": "as above",
    "reports/monthly/<int:pk>/": "as above",
    "reports/monthly/<int:pk>/edit/": "as above",
    "reports/monthly/<int:pk>/move/": "as above",
    "reports/monthly/<int:pk>/pdf/": "as above",
    "reports/debriefings/": "as above",
    "reports/debriefings/new/": "as above",
    "reports/debriefings/<int:pk>/": "as above",
    "GET /api/reports/monthly": "as above",
    "POST /api/reports/monthly": "as above",
    "GET /api/reports/monthly/{report_id}": "as above",
    "PUT /api/reports/monthly/{report_id}": "as above",
    "POST /api/reports/monthly/{report_id}/move": "as above",
    "GET /api/reports/debriefings": "as above",
    "POST /api/reports/debriefings": "as above",
    "GET /api/reports/debriefings/{debriefing_id}": "as above",
    "reports/search/": "field reports: not yet in the oracle's worlds; search access is tested in tests/reports/test_search.py",
    "GET /api/reports/search": "as above",
    # Duty of care (issue 11 §3): not yet in the oracle's worlds, which hold no deployed secondment
    # with care records; their role gates and scope (the officer's pool, need-to-know for the
    # restricted parts, the secondee's own page) are checked row by row in tests/test_visibility.py
    # and tests/care/.
    "care/": "duty of care: not yet in the oracle's worlds (tests/test_visibility.py)",
    "care/officers/": "the pools' duty officers and heads of unit (users, no officer): role gate",
    "care/officers/<int:pk>/": "a change (POST): no record shown",
    "care/contingents/": "as care/",
    "care/contingents/<int:mission_id>/leader/": "a change (POST): no record shown",
    "care/secondments/<int:pk>/": "as care/",
    "care/secondments/<int:pk>/contacts/": "a change (POST): refused input shows the care page (as care/)",
    "care/secondments/<int:pk>/desk-officer/": "as above",
    "care/secondments/<int:pk>/leave/": "as above",
    "care/secondments/<int:pk>/incidents/": "as above",
    "care/secondments/<int:pk>/appraisals/": "as above",
    "care/secondments/<int:pk>/misconduct/": "as above",
    "care/leave/<int:pk>/debriefing/": "as above",
    "care/misconduct/<int:pk>/decide/": "as above",
    # Preparation (issue 11 §2): checklists and backfills are not yet in the oracle's worlds (no
    # secondment there is being prepared); their scope (the officer's preparers, the secondee's own
    # checklist, the medical item yes/no) is checked row by row in tests/test_visibility.py.
    "preparation/": "pre-deployment checklists: not yet in the oracle's worlds (tests/test_visibility.py)",
    "preparation/secondments/<int:pk>/": "as above",
    "preparation/secondments/<int:pk>/start/": "as above",
    "preparation/secondments/<int:pk>/caveats/": "as above",
    "preparation/secondments/<int:pk>/backfill/": "as above",
    "preparation/items/<int:pk>/tick/": "as above",
    "preparation/items/<int:pk>/edit/": "as above",
    "preparation/backfill/": "as above",
    "preparation/backfill/pools/<int:pk>/": "as above",
    "preparation/backfill/pools/<int:pk>/roster/": "as above",
    "preparation/backfill/roster/<int:pk>/remove/": "as above",
    "GET /api/preparation/secondments/{secondment_id}/checklist": "as above",
    "POST /api/preparation/secondments/{secondment_id}/checklist": "as above",
    "POST /api/preparation/secondments/{secondment_id}/checklist/items": "as above",
    "GET /api/preparation/secondments/{secondment_id}/backfill": "as above",
    "PUT /api/preparation/secondments/{secondment_id}/backfill": "as above",
    "GET /api/preparation/overdue": "as above",
    "GET /api/preparation/pools/{pool_id}/backfill": "as above",
    # Rapid deployment alerts (issue 11 §4): not yet in the oracle's worlds, which hold no alerts;
    # their role gates and scope (the coordinators of the pools an alert reaches, the recipient's
    # own answer page) are checked row by row in tests/test_visibility.py.
    "alerts/": "rapid deployment alerts: not yet in the oracle's worlds (tests/test_visibility.py)",
    "alerts/new/": "as above",
    "alerts/<int:pk>/replies/": "the alert page's replies panel (polled): as alerts/<int:pk>/, which is in PAGES",
    "alerts/<int:pk>/deploy/": "as above",
    "alerts/<int:pk>/stand-down/": "as above",
    "GET /api/alerts": "as above",
    "POST /api/alerts": "as above",
    "POST /api/alerts/{alert_id}/reply": "as above",
    "POST /api/alerts/{alert_id}/deploy": "as above",
    "POST /api/alerts/{alert_id}/stand-down": "as above",
    # Careers (issue 11 §2, §5-7): the oracle's worlds hold no learning plans, debriefings,
    # appraisals, vacancies or returned secondments yet; role gates, scope (the pool's coordinators
    # and HR managers, national ones, the secondee's own) and need-to-know on the debriefing are
    # checked row by row in tests/test_visibility.py until the worlds file careers records.
    "careers/": "careers records: not yet in the oracle's worlds (tests/test_visibility.py)",
    "careers/secondments/<int:pk>/": "as above",
    "careers/secondments/<int:pk>/plan/": "as above",
    "careers/secondments/<int:pk>/plan/confirm/": "as above",
    "careers/secondments/<int:pk>/plan/review/": "as above",
    "careers/secondments/<int:pk>/debriefing/": "as above",
    "careers/secondments/<int:pk>/appraisal/<str:stage>/<str:rater>/": "as above",
    "careers/secondments/<int:pk>/follow-up/": "as above",
    "careers/vacancies/": "as above",
    "careers/vacancies/new/": "as above",
    "careers/vacancies/<int:pk>/": "as above",
    "careers/vacancies/<int:pk>/edit/": "as above",
    "careers/vacancies/<int:pk>/place/": "as above",
    "careers/kpis/": "as above",
    "careers/kpis/export.<str:fmt>": "as above",
    "careers/returnees/": "as above",
    "GET /api/careers/secondments/{secondment_id}": "as above",
    "PUT /api/careers/secondments/{secondment_id}/plan": "as above",
    "POST /api/careers/secondments/{secondment_id}/plan/confirm": "as above",
    "PUT /api/careers/secondments/{secondment_id}/debriefing": "as above",
    "PUT /api/careers/secondments/{secondment_id}/appraisals/{stage}/{rater}": "as above",
    "PUT /api/careers/secondments/{secondment_id}/follow-up": "as above",
    "GET /api/careers/vacancies": "as above",
    "POST /api/careers/vacancies": "as above",
    "GET /api/careers/vacancies/{vacancy_id}/matches": "as above",
    "POST /api/careers/vacancies/{vacancy_id}/placements": "as above",
    "GET /api/careers/returnees": "as above",
    "GET /api/careers/kpis": "as above",
    "GET /api/care/board": "as care/",
    "GET /api/care/secondments/{secondment_id}": "as care/",
    "POST /api/care/secondments/{secondment_id}/contacts": "a change: refused input shows no record",
    "POST /api/care/secondments/{secondment_id}/leave": "as above",
    "POST /api/care/secondments/{secondment_id}/incidents": "as above",
    "POST /api/care/secondments/{secondment_id}/misconduct": "as above",
    "POST /api/care/misconduct/{case_id}/decision": "as above",
}


def page(key):
    def register(function):
        PAGES[key] = function
        return function
    return register


def _everyone(url, rule, **expect):
    """A page every signed-in user opens: it shows at most what the user sees, restricted data only
    with need-to-know."""
    return [("GET", url, None, Expect({200}, officers_at_most=rule.officers(),
                                      restricted_at_most=rule.restricted(), **expect))]


def _gated(url, allowed, *, officers_at_most=frozenset(), **expect):
    """A page for some roles (200), refused to the others (403); it shows no officer unless said."""
    if not allowed:
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers_at_most=officers_at_most, **expect))]


def _per_officer(built, rule, url, *, allowed, ok=200, need_to_know_shown=False):
    """A page about one officer, for each officer: 404 out of scope, else `ok` if `allowed(i)`, else 403."""
    probes = []
    for i, officer in enumerate(built.officers):
        if not rule.sees_officer(i):
            probes.append(("GET", url(officer.pk), None, Expect({404})))
        elif not allowed(i):
            probes.append(("GET", url(officer.pk), None, Expect({403})))
        else:
            ntk = rule.need_to_know(i)
            # Other officers may appear (e.g. a subject access report lists the person's own reads),
            # never one out of the user's scope.
            probes.append(("GET", url(officer.pk), None, Expect(
                {ok}, officers_at_most=rule.officers(), restricted_at_most={i} if ntk else set(),
                restricted_exactly={i} if ntk and need_to_know_shown else None)))
    return probes


def _hidden_writes(method, objects, visible, url, data=None):
    """A change to an object out of scope answers 404 (in scope it would change the world: not sent)."""
    return [(method, url(obj), data(obj) if data else None, Expect({404}))
            for i, obj in objects if not visible(i)]


# --- Site and accounts -----------------------------------------------------------------------------

@page("")
def home(b, n, rule):
    return _everyone("/", rule)


@page("account/")
def account(b, n, rule):
    return _everyone("/account/", rule)


@page("account/password/")
def password(b, n, rule):
    return _everyone("/account/password/", rule)


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
    return _gated("/roster/new/", rule.adds_officers())


@page("roster/officers/<int:pk>/")
def officer_detail(b, n, rule):
    return _per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/", allowed=lambda i: True,
                        need_to_know_shown=True)


@page("roster/officers/<int:pk>/edit/")
def officer_edit(b, n, rule):
    return _per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/edit/", allowed=rule.edits)


@page("roster/officers/<int:pk>/subject-access.<str:fmt>")
def subject_access(b, n, rule):
    # JSON: the PDF is the same report, compressed.
    return _per_officer(b, rule, lambda pk: f"/roster/officers/{pk}/subject-access.json",
                        allowed=rule.need_to_know, need_to_know_shown=True)


@page("roster/officers/<int:pk>/qualifications/")
def add_qualification(b, n, rule):
    return _hidden_writes("POST", enumerate(b.officers), rule.sees_officer,
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
    return _hidden_writes("POST", b.pending.items(), rule.sees_officer,
                          lambda q: f"/roster/qualifications/{q.pk}/decide/", data=lambda q: {"decision": "confirm"})


@page("roster/import/")
def roster_import(b, n, rule):
    return _gated("/roster/import/", rule.imports())


@page("roster/import/template.<str:fmt>")
def import_template(b, n, rule):
    return _gated("/roster/import/template.csv", rule.imports())


@page("roster/crisis/")
def crisis(b, n, rule):
    """Everyone is available with the world's skill: the query lists exactly the officers in scope,
    and no medical or clearance date (only "valid on departure")."""
    url = f"/roster/crisis/?within_days=30&duration_months=1&skill={b.skill_id}"
    if not rule.uses_roster():
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers=rule.officers()))]


# --- Missions (public registry facts: no officer appears) --------------------------------------------

@page("missions/")
def missions(b, n, rule):
    return _gated("/missions/", True)


@page("missions/<int:pk>/")
def mission(b, n, rule):
    return _gated(f"/missions/{b.position.mission_id}/", True)


@page("missions/positions/")
def positions(b, n, rule):
    return _gated("/missions/positions/", True)


@page("missions/positions/<int:pk>/")
def position(b, n, rule):
    return _gated(f"/missions/positions/{b.position.pk}/", True)


@page("GET /api/missions")
def api_missions(b, n, rule):
    return _gated("/api/missions", True)


@page("GET /api/missions/{mission_id}")
def api_mission(b, n, rule):
    return _gated(f"/api/missions/{b.position.mission_id}", True)


@page("GET /api/positions")
def api_positions(b, n, rule):
    return _gated("/api/positions", True)


@page("GET /api/positions/{position_id}")
def api_position(b, n, rule):
    return _gated(f"/api/positions/{b.position.pk}", True)


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
    return _hidden_writes("POST", b.secondments.items(), rule.sees_officer,
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
    return _per_officer(b, rule, lambda pk: f"/secondments/officers/{pk}/new/", allowed=rule.manages_secondments)


@page("GET /api/secondments")
def api_secondments(b, n, rule):
    seen = rule.secondments()
    return [("GET", "/api/secondments", None, Expect({200}, officers=seen, count=len(seen),
                                                       ids={b.secondments[i].pk for i in seen}))]


@page("POST /api/secondments")
def api_record_secondment(b, n, rule):
    return _hidden_writes("POST", enumerate(b.officers), rule.sees_officer, lambda o: "/api/secondments",
                          data=lambda o: {"officer": o.pk, "position": b.position.pk, "start_date": "2027-01-01",
                                          "status": "selected"})


@page("GET /api/secondments/{secondment_id}")
def api_secondment(b, n, rule):
    return [("GET", f"/api/secondments/{s.pk}", None,
             Expect({200}, officers={i}) if rule.sees_officer(i) else Expect({404}))
            for i, s in b.secondments.items()]


@page("POST /api/secondments/{secondment_id}/promotions")
def api_secondment_promotion(b, n, rule):
    return _hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/promotions",
                          data=lambda s: {"rank": 999999, "effective_on": "2020-06-01"})


@page("POST /api/secondments/{secondment_id}/handover")
def api_secondment_handover(b, n, rule):
    return _hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/handover",
                          data=lambda s: {"successor": 999999, "handed_over_on": "2020-06-01"})


@page("POST /api/secondments/{secondment_id}/moves")
def api_secondment_move(b, n, rule):
    return _hidden_writes("POST", b.secondments.items(), rule.sees_officer,
                          lambda s: f"/api/secondments/{s.pk}/moves", data=lambda s: {"move": "cancel",
                                                                                      "reason": "oracle"})


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
    return _per_officer(b, rule, lambda pk: f"/api/officers/{pk}", allowed=lambda i: True, need_to_know_shown=True)


def _officer_in(o):
    """A well-formed body (so that the lookup, not the schema, answers) that the form would refuse."""
    return {"pool": o.pool_id, "service_number": "", "first_name": "", "last_name": "", "rank": 0, "gender": "x",
            "date_of_birth": "1990-01-01"}


@page("PUT /api/officers/{officer_id}")
def api_officer_update(b, n, rule):
    return _hidden_writes("PUT", enumerate(b.officers), rule.sees_officer, lambda o: f"/api/officers/{o.pk}",
                          data=_officer_in)


@page("GET /api/pools")
def api_pools(b, n, rule):
    return [("GET", "/api/pools", None, Expect({200}, ids={p.pk for k, p in enumerate(b.pools) if rule.sees_pool(k)}))]


# --- Audit log and tokens ------------------------------------------------------------------------------

@page("audit/")
def audit(b, n, rule):
    # Readers see the whole log (every officer's name may appear), never restricted values.
    return _gated("/audit/", rule.reads_audit(), officers_at_most=None)


@page("GET /api/audit")
def api_audit(b, n, rule):
    return _gated("/api/audit", rule.reads_audit(), officers_at_most=None)


@page("tokens/")
def tokens(b, n, rule):
    return _everyone("/tokens/", rule, markers={marker("Tok", k): k == n for k in range(len(b.tokens))})


@page("tokens/<int:pk>/revoke/")
def revoke_token(b, n, rule):
    return _hidden_writes("POST", enumerate(b.tokens), lambda k: k == n, lambda t: f"/tokens/{t.pk}/revoke/")


# --- Priorities (not personal data: a role gate, and no officer in any answer) ----------------------------

PRIORITY_READS = {
    "priorities/": "/priorities/",
    "priorities/models/<slug:name>/": "/priorities/models/oracle/",
    "priorities/models/<slug:name>/versions/": "/priorities/models/oracle/versions/",
    "priorities/models/<slug:name>/versions/<int:number>/": "/priorities/models/oracle/versions/1/",
    "priorities/models/<slug:name>/themes/": "/priorities/models/oracle/themes/",
    "priorities/datasets/": "/priorities/datasets/",
    "priorities/runs/": "/priorities/runs/",
    "priorities/runs/<int:pk>/": "/priorities/runs/{run}/",
    "priorities/runs/<int:pk>/ranking.<str:fmt>": "/priorities/runs/{run}/ranking.csv",
    "priorities/runs/<int:pk>/countries/<str:iso3>/": "/priorities/runs/{run}/countries/COL/",
    "priorities/runs/<int:pk>/robustness/": "/priorities/runs/{run}/robustness/",
    "priorities/runs/<int:pk>/robustness.<str:fmt>": "/priorities/runs/{run}/robustness.csv",
    "priorities/compare/": "/priorities/compare/",
    "priorities/compare.<str:fmt>": "/priorities/compare.csv?a={run}&b={run}",
    "GET /api/priorities/models": "/api/priorities/models",
    "GET /api/priorities/models/{name}": "/api/priorities/models/oracle",
    "GET /api/priorities/models/{name}/versions/{number}": "/api/priorities/models/oracle/versions/1",
    "GET /api/priorities/datasets": "/api/priorities/datasets",
    "GET /api/priorities/runs": "/api/priorities/runs",
    "GET /api/priorities/runs/{run_id}": "/api/priorities/runs/{run}",
    "GET /api/priorities/runs/{run_id}/ranking": "/api/priorities/runs/{run}/ranking",
    "GET /api/priorities/runs/{run_id}/countries/{iso3}": "/api/priorities/runs/{run}/countries/COL",
    "GET /api/priorities/runs/{run_id}/robustness": "/api/priorities/runs/{run}/robustness",
}
PRIORITY_EDITS = {
    "priorities/datasets/<slug:name>/edit/": "/priorities/datasets/oracle_cases/edit/",
    "priorities/runs/new/": "/priorities/runs/new/",
}
# The model "oracle", its run and the dataset "oracle_cases" are shared by every world (oracle.py).
for _key, _url in PRIORITY_READS.items():
    PAGES[_key] = lambda b, n, rule, url=_url: _gated(url.format(run=b.run_id), rule.reads_priorities())
for _key, _url in PRIORITY_EDITS.items():
    PAGES[_key] = lambda b, n, rule, url=_url: _gated(url.format(run=b.run_id), rule.edits_priorities())

# Pages whose answer holds no record of the world, only a role gate (priority data are not personal,
# missions are public registry facts): each user opens one of them per world (see oracle.examine).
ROLE_GATES = [*PRIORITY_READS, *PRIORITY_EDITS, "missions/", "missions/<int:pk>/", "missions/positions/",
              "missions/positions/<int:pk>/", "GET /api/missions", "GET /api/missions/{mission_id}",
              "GET /api/positions", "GET /api/positions/{position_id}", "roster/new/", "roster/import/",
              "roster/import/template.<str:fmt>", "account/password/"]


# --- Selection (one open call sent to every pool, every officer nominated) ------------------------------

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


# --- Rapid deployment alerts (docs/alerts.md) --------------------------------------------------------

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
