"""The access oracle's pages of preparation (issue 11 §2): a secondment's checklist to those who
prepare it (coordinators and HR managers of the officer's pool, or national) and to the officer;
a pool's backfill pages to its coordinators and HR managers (or national ones)."""

from robustness.oracle import Expect, marker
from robustness.pages.registry import page


def _uses(rule) -> bool:
    """The preparation pages: preparers, and secondees (their own checklist)."""
    return rule.prepares() or rule._holds({"secondee"})


def _checklist(b, rule, url, *, shown=True, officers_at_most=None):
    """404 out of scope (the secondment unseen), 403 seen but neither prepared nor one's own, else 200
    with the item's marker."""
    probes = []
    for i, s in b.secondments.items():
        if not (rule.sees_officer(i) or rule.own(i)):
            probes.append(("GET", url(s), None, Expect({404})))
        elif not rule.sees_checklist(i):
            probes.append(("GET", url(s), None, Expect({403})))
        else:
            # A preparer is also offered returnees to meet: officers they see.
            at_most = {i} | (rule.officers() if rule.manages_secondments(i) else set())
            probes.append(("GET", url(s), None, Expect({200}, officers_at_most=at_most, notes_at_most=set(),
                                                       markers={marker("Prp", i): True} if shown else None)))
    return probes


@page("preparation/")
def preparation_list(b, n, rule):
    """Secondments being prepared (the world's have returned: at most those one prepares or one's own)."""
    if not _uses(rule):
        return [("GET", "/preparation/", None, Expect({403}))]
    return [("GET", "/preparation/", None, Expect({200}, officers_at_most={i for i in b.secondments
                                                                           if rule.sees_checklist(i)},
                                                  notes_at_most=set()))]


@page("preparation/secondments/<int:pk>/")
def checklist(b, n, rule):
    return _checklist(b, rule, lambda s: f"/preparation/secondments/{s.pk}/")


@page("GET /api/preparation/secondments/{secondment_id}/checklist")
def api_checklist(b, n, rule):
    return _checklist(b, rule, lambda s: f"/api/preparation/secondments/{s.pk}/checklist")


def _hidden(method, url, data=None):
    """A change to a secondment one does not see answers 404 (in scope it would change the world)."""
    def probes(b, n, rule):
        return [(method, url(s), data, Expect({404})) for i, s in b.secondments.items()
                if not (rule.sees_officer(i) or rule.own(i))]
    return probes


for _suffix in ("start", "caveats", "backfill"):
    page(f"preparation/secondments/<int:pk>/{_suffix}/")(
        _hidden("POST", lambda s, suffix=_suffix: f"/preparation/secondments/{s.pk}/{suffix}/"))
page("POST /api/preparation/secondments/{secondment_id}/checklist")(
    _hidden("POST", lambda s: f"/api/preparation/secondments/{s.pk}/checklist"))
page("POST /api/preparation/secondments/{secondment_id}/checklist/items")(
    _hidden("POST", lambda s: f"/api/preparation/secondments/{s.pk}/checklist/items",
            {"items": [{"code": "oracle", "done": True}]}))
page("PUT /api/preparation/secondments/{secondment_id}/backfill")(
    _hidden("PUT", lambda s: f"/api/preparation/secondments/{s.pk}/backfill", {"arrangement": "vacant"}))


def _items(path):
    """A checklist item of a checklist one does not see answers 404."""
    def probes(b, n, rule):
        return [("POST", f"/preparation/items/{item.pk}/{path}/", {"done": "1"}, Expect({404}))
                for i, item in b.checklist_items.items() if not rule.sees_checklist(i)]
    return probes


page("preparation/items/<int:pk>/tick/")(_items("tick"))
page("preparation/items/<int:pk>/edit/")(_items("edit"))


@page("GET /api/preparation/secondments/{secondment_id}/backfill")
def api_backfill(b, n, rule):
    """Preparers only (not the officer); the world records no backfill: 404 once allowed."""
    probes = []
    for i, s in b.secondments.items():
        status = 403 if rule.sees_officer(i) and not rule.manages_secondments(i) else 404
        probes.append(("GET", f"/api/preparation/secondments/{s.pk}/backfill", None, Expect({status})))
    return probes


@page("GET /api/preparation/overdue")
def api_overdue(b, n, rule):
    if not _uses(rule):
        return [("GET", "/api/preparation/overdue", None, Expect({403}))]
    return [("GET", "/api/preparation/overdue", None,
             Expect({200}, officers_at_most={i for i in b.secondments if rule.sees_checklist(i)}))]


@page("preparation/backfill/")
def backfill_overview(b, n, rule):
    if not rule.prepares():
        return [("GET", "/preparation/backfill/", None, Expect({403}))]
    return [("GET", "/preparation/backfill/", None, Expect({200}, officers_at_most=set()))]


def _pool_officers(b, rule, p):
    return {i for i, o in enumerate(b.world.officers) if o.pool == p and rule.sees_officer(i)}


def _pool_pages(url, method="GET"):
    def probes(b, n, rule):
        out = []
        for p, pool in enumerate(b.pools):
            if not rule.prepares():
                out.append((method, url(pool), None, Expect({403})))
            elif not rule.sees_backfill(p):
                out.append((method, url(pool), None, Expect({404})))
            elif method == "GET":
                out.append((method, url(pool), None, Expect({200}, officers_at_most=_pool_officers(b, rule, p),
                                                             notes_at_most=set())))
        return out
    return probes


page("preparation/backfill/pools/<int:pk>/")(_pool_pages(lambda p: f"/preparation/backfill/pools/{p.pk}/"))
page("preparation/backfill/pools/<int:pk>/roster/")(
    _pool_pages(lambda p: f"/preparation/backfill/pools/{p.pk}/roster/", method="POST"))
page("GET /api/preparation/pools/{pool_id}/backfill")(_pool_pages(lambda p: f"/api/preparation/pools/{p.pk}/backfill"))
