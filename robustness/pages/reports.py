"""The access oracle's pages of field reports (issue 12): a report to the analysts of its officer's
pool (national analysts: every report) and to the officer who filed it; triage, comments and
judgements to those analysts only. Every answer is judged by the reports' "Rep" markers: exactly
the reports in scope listed, found and opened, none other anywhere."""

from robustness.oracle import Expect, marker
from robustness.pages.registry import page


def _listed(b, rule, wanted):
    """Every report's marker: shown exactly for the reports `wanted(i)`."""
    return {marker("Rep", i): wanted(i) for i in b.reports}


def _seen(b, rule):
    return {i for i in b.reports if rule.sees_report(i)}


@page("reports/")
def report_list(b, n, rule):
    if not rule.uses_reports():
        return [("GET", "/reports/", None, Expect({403}))]
    return [("GET", "/reports/", None, Expect({200}, officers_at_most=_seen(b, rule),
                                              markers=_listed(b, rule, rule.sees_report)))]


@page("GET /api/reports")
def api_report_list(b, n, rule):
    if not rule.uses_reports():
        return [("GET", "/api/reports", None, Expect({403}))]
    seen = _seen(b, rule)
    return [("GET", "/api/reports", None, Expect({200}, officers_at_most=seen, count=len(seen),
                                                 ids={b.reports[i].pk for i in seen}))]


def _detail(b, rule, url, *, gate=True, allowed=lambda i: True, method="GET", shown=lambda i: {marker("Rep", i): True}):
    """404 for a report out of scope (403 first without a reports role where `gate`: the API), 403
    without `allowed(i)`, else 200 with the markers `shown(i)` (True: must appear; False: must not)."""
    probes = []
    for i, report in b.reports.items():
        if gate and not rule.uses_reports():
            probes.append((method, url(report), None, Expect({403})))
        elif not rule.sees_report(i):
            probes.append((method, url(report), None, Expect({404})))
        elif not allowed(i):
            probes.append((method, url(report), None, Expect({403})))
        elif method == "GET":
            probes.append((method, url(report), None, Expect({200}, officers_at_most={i}, markers=shown(i))))
    return probes


@page("reports/<int:pk>/")
def report_detail(b, n, rule):
    return _detail(b, rule, lambda r: f"/reports/{r.pk}/", gate=False)


@page("GET /api/reports/{report_id}")
def api_report(b, n, rule):
    return _detail(b, rule, lambda r: f"/api/reports/{r.pk}")


def _attachment(b, url):
    return lambda r: url(r, b.attachments[next(i for i, x in b.reports.items() if x.pk == r.pk)])


@page("reports/<int:pk>/attachments/<int:attachment_pk>/")
def attachment_download(b, n, rule):
    """A report's attachment: whoever reads the report (its bytes, with their marker), 404 otherwise."""
    return _detail(b, rule, _attachment(b, lambda r, a: f"/reports/{r.pk}/attachments/{a.pk}/"), gate=False,
                   shown=lambda i: {marker("Att", i): True})


@page("GET /api/reports/{report_id}/attachments/{attachment_id}")
def api_attachment_download(b, n, rule):
    return _detail(b, rule, _attachment(b, lambda r, a: f"/api/reports/{r.pk}/attachments/{a.pk}"),
                   shown=lambda i: {marker("Att", i): True})


@page("reports/search/")
def search_page(b, n, rule):
    """A word of every report's title: the page lists exactly the reports in scope."""
    url = "/reports/search/?q=Oraclereport"
    if not rule.uses_reports():
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers_at_most=_seen(b, rule),
                                      markers=_listed(b, rule, rule.sees_report)))]


@page("GET /api/reports/search")
def api_search(b, n, rule):
    """The common word, then each report's own marker: exactly the reports in scope are found (the
    answer repeats the query's words, so it is judged by ids)."""
    if not rule.uses_reports():
        return [("GET", "/api/reports/search?q=Oraclereport", None, Expect({403}))]
    seen = _seen(b, rule)
    probes = [("GET", "/api/reports/search?q=Oraclereport", None,
               Expect({200}, officers_at_most=seen, count=len(seen), ids={b.reports[i].pk for i in seen}))]
    for i, report in b.reports.items():
        hit = {report.pk} if i in seen else set()
        probes.append(("GET", f"/api/reports/search?q={marker('Rep', i)}", None,
                       Expect({200}, officers_at_most=seen & {i}, count=len(hit), ids=hit)))
    return probes


@page("reports/triage/")
def triage_queue(b, n, rule):
    """The analysts' queue: the new reports of their pools' officers (not their own as secondee)."""
    if not (rule.user.superuser or rule._holds({"analyst"})):
        return [("GET", "/reports/triage/", None, Expect({403}))]
    return [("GET", "/reports/triage/", None, Expect({200}, officers_at_most={i for i in b.reports if rule.triages(i)},
                                                     markers=_listed(b, rule, rule.triages)))]


@page("GET /api/reports/triage/queue")
def api_triage_queue(b, n, rule):
    if not (rule.user.superuser or rule._holds({"analyst"})):
        return [("GET", "/api/reports/triage/queue", None, Expect({403}))]
    mine = {i for i in b.reports if rule.triages(i)}
    return [("GET", "/api/reports/triage/queue", None, Expect({200}, officers_at_most=mine,
                                                              ids={b.reports[i].pk for i in mine}))]


@page("reports/<int:pk>/triage/")
def triage_report(b, n, rule):
    """The triage page: the report and every comment, for the analysts who triage it."""
    return _detail(b, rule, lambda r: f"/reports/{r.pk}/triage/", gate=False, allowed=rule.triages,
                   shown=lambda i: {marker("Rep", i): True, marker("Cin", i): True, marker("Cfa", i): True})


@page("GET /api/reports/{report_id}/comments")
def api_comments(b, n, rule):
    """Every comment for the analysts who triage the report; its author only those marked for them."""
    return _detail(b, rule, lambda r: f"/api/reports/{r.pk}/comments",
                   shown=lambda i: {marker("Cin", i): rule.triages(i), marker("Cfa", i): True})


def _hidden(method, url, data=None):
    """A change to a report out of scope answers 404 (the API: 403 first without a reports role)."""
    def probes(b, n, rule):
        return [(method, url(r), data, Expect({403 if url(r).startswith("/api/") and not rule.uses_reports() else 404}))
                for i, r in b.reports.items() if not rule.sees_report(i)]
    return probes


for _suffix in ("status", "assign", "comments", "feedback", "triage/release", "duplicates"):
    page(f"reports/<int:pk>/{_suffix}/")(_hidden("POST", lambda r, suffix=_suffix: f"/reports/{r.pk}/{suffix}/"))
page("POST /api/reports/{report_id}/status")(
    _hidden("POST", lambda r: f"/api/reports/{r.pk}/status", {"status": "in_review"}))
page("POST /api/reports/{report_id}/assign")(_hidden("POST", lambda r: f"/api/reports/{r.pk}/assign", {}))
page("POST /api/reports/{report_id}/comments")(
    _hidden("POST", lambda r: f"/api/reports/{r.pk}/comments", {"text": "oracle"}))
page("POST /api/reports/{report_id}/feedback")(
    _hidden("POST", lambda r: f"/api/reports/{r.pk}/feedback", {"verdict": "useful"}))


@page("GET /api/reports/{report_id}/duplicates")
def api_duplicates(b, n, rule):
    return _detail(b, rule, lambda r: f"/api/reports/{r.pk}/duplicates", allowed=rule.triages, shown=lambda i: None)


@page("GET /api/reports/{report_id}/suggestions")
def api_suggestions(b, n, rule):
    """Theme and place suggestions for a report's text: whoever reads it (its author too)."""
    return _detail(b, rule, lambda r: f"/api/reports/{r.pk}/suggestions", shown=lambda i: None)


page("POST /api/reports/{report_id}/duplicates")(
    _hidden("POST", lambda r: f"/api/reports/{r.pk}/duplicates", {"other": 1, "verdict": "not_duplicate"}))


# --- Intelligence debriefings (issue 12 §8): the members of their named group only ---------------

def _debriefed(b, rule):
    return {i for i in b.debriefings if rule.in_debriefing_group()}


@page("reports/debriefings/")
def debriefing_list(b, n, rule):
    """The group's members see every debriefing (their officers named); other users of the pages none."""
    if not rule.uses_debriefings():
        return [("GET", "/reports/debriefings/", None, Expect({403}))]
    return [("GET", "/reports/debriefings/", None, Expect(
        {200}, officers_at_most=_debriefed(b, rule) | rule.officers(), notes_at_most=set(),
        markers={marker("Dbg", i): False for i in b.debriefings}))]


@page("GET /api/reports/debriefings")
def api_debriefing_list(b, n, rule):
    if not rule.uses_debriefings():
        return [("GET", "/api/reports/debriefings", None, Expect({403}))]
    shown = _debriefed(b, rule)
    return [("GET", "/api/reports/debriefings", None, Expect(
        {200}, officers_at_most=shown | rule.officers(), notes_at_most=set(),
        ids={b.debriefings[i].pk for i in shown}))]


def _debriefing(url, *, titles=True):
    """One debriefing: its content to the group's members (with the earlier report's title only where
    the reader reads it; the API gives ids, no titles), 404 to everyone else."""
    def probes(b, n, rule):
        result = []
        for i, debriefing in b.debriefings.items():
            if not rule.in_debriefing_group():
                result.append(("GET", url(debriefing), None, Expect({404})))
            else:
                result.append(("GET", url(debriefing), None, Expect(
                    {200}, officers_at_most={i} | rule.officers(), notes_at_most=set(),
                    markers={marker("Dbg", i): True, marker("Rep", i): titles and rule.sees_report(i)})))
        return result
    return probes


page("reports/debriefings/<int:pk>/")(_debriefing(lambda d: f"/reports/debriefings/{d.pk}/"))
page("GET /api/reports/debriefings/{debriefing_id}")(
    _debriefing(lambda d: f"/api/reports/debriefings/{d.pk}", titles=False))


# --- The monthly mission report (issue 12 §7): analysts who read every report it cites ------------

def _analyst(rule) -> bool:
    return rule.user.superuser or rule._holds({"analyst"})


@page("reports/monthly/")
def monthly_list(b, n, rule):
    if not _analyst(rule):
        return [("GET", "/reports/monthly/", None, Expect({403}))]
    return [("GET", "/reports/monthly/", None, Expect({200}, officers_at_most=rule.officers(), notes_at_most=set()))]


@page("GET /api/reports/monthly")
def api_monthly_list(b, n, rule):
    if not _analyst(rule):
        return [("GET", "/api/reports/monthly", None, Expect({403}))]
    return [("GET", "/api/reports/monthly", None, Expect(
        {200}, officers_at_most=rule.officers(), notes_at_most=set(),
        ids={b.monthly.pk} if rule.reads_monthly() else set()))]


def _monthly(url, *, ok=200, shown=True):
    """The monthly report: 404 to whoever may not read it; else `ok`, its text shown where `shown`,
    the cited reports' titles only as far as the reader reads them."""
    def probes(b, n, rule):
        if not rule.reads_monthly():
            return [("GET", url(b.monthly), None, Expect({404}))]
        markers = {marker("Rep", i): False for i in b.reports if not rule.sees_report(i)}
        if shown:
            markers[marker("Mon", 0)] = True
        return [("GET", url(b.monthly), None, Expect({ok}, officers_at_most=rule.officers(), notes_at_most=set(),
                                                     markers=markers if ok == 200 else None))]
    return probes


page("reports/monthly/<int:pk>/")(_monthly(lambda m: f"/reports/monthly/{m.pk}/"))
page("GET /api/reports/monthly/{report_id}")(_monthly(lambda m: f"/api/reports/monthly/{m.pk}"))
page("reports/monthly/<int:pk>/pdf/")(_monthly(lambda m: f"/reports/monthly/{m.pk}/pdf/", shown=False))
# Only its author edits it (the world's has none): 403 to its readers.
page("reports/monthly/<int:pk>/edit/")(_monthly(lambda m: f"/reports/monthly/{m.pk}/edit/", ok=403))


# --- Intelligence products (issue 12 §5): producers, and the lists their marking may reach --------

def _products_shown(b, rule):
    return {marker("Prd", k): rule.reads_product(k) for k in b.products}


@page("reports/products/")
def product_list(b, n, rule):
    """Readable products listed, no other; the page refused to whoever reads none and has no reports role."""
    if not any(rule.reads_product(k) for k in b.products) and not _analyst(rule) and not rule.uses_reports():
        return [("GET", "/reports/products/", None, Expect({403}))]
    return [("GET", "/reports/products/", None, Expect({200}, officers_at_most=rule.officers(), notes_at_most=set(),
                                                       markers=_products_shown(b, rule)))]


@page("GET /api/reports/products")
def api_product_list(b, n, rule):
    return [("GET", "/api/reports/products", None, Expect(
        {200}, officers_at_most=rule.officers(), notes_at_most=set(),
        ids={p.pk for k, p in b.products.items() if rule.reads_product(k)}))]


def _product(url, *, shown=True):
    """One product: 404 to whoever may not read it; else 200 with its title (where `shown`), the cited
    reports' titles only as far as the reader reads them."""
    def probes(b, n, rule):
        result = []
        for k, product in b.products.items():
            if not rule.reads_product(k):
                result.append(("GET", url(product), None, Expect({404})))
                continue
            markers = {marker("Rep", i): False for i in b.reports if not rule.sees_report(i)}
            if shown:
                markers[marker("Prd", k)] = True
            result.append(("GET", url(product), None, Expect({200}, officers_at_most=rule.officers(),
                                                             notes_at_most=set(), markers=markers)))
        return result
    return probes


page("reports/products/<int:pk>/")(_product(lambda p: f"/reports/products/{p.pk}/"))
page("reports/products/<int:pk>/pdf/")(_product(lambda p: f"/reports/products/{p.pk}/pdf/", shown=False))
page("reports/products/<int:pk>/stix/")(_product(lambda p: f"/reports/products/{p.pk}/stix/"))
page("GET /api/reports/products/{product_id}")(_product(lambda p: f"/api/reports/products/{p.pk}"))
page("GET /api/reports/products/{product_id}/stix")(_product(lambda p: f"/api/reports/products/{p.pk}/stix"))
