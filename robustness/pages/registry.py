"""The access oracle's registry and the shapes most pages share (robustness/access_pages.py).

`PAGES` maps a route key to a function `(built, n, rule) -> [(method, url, data, Expect), ...]`; each
module of this package registers its app family's pages with `@page(key)`."""

from robustness.oracle import Expect

PAGES = {}


def page(key):
    def register(function):
        PAGES[key] = function
        return function
    return register


def everyone(url, rule, **expect):
    """A page every signed-in user opens: it shows at most what the user sees, restricted data only
    with need-to-know."""
    return [("GET", url, None, Expect({200}, officers_at_most=rule.officers(),
                                      restricted_at_most=rule.restricted(), **expect))]


def gated(url, allowed, *, officers_at_most=frozenset(), **expect):
    """A page for some roles (200), refused to the others (403); it shows no officer unless said."""
    if not allowed:
        return [("GET", url, None, Expect({403}))]
    return [("GET", url, None, Expect({200}, officers_at_most=officers_at_most, **expect))]


def per_officer(built, rule, url, *, allowed, ok=200, need_to_know_shown=False):
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


def hidden_writes(method, objects, visible, url, data=None):
    """A change to an object out of scope answers 404 (in scope it would change the world: not sent)."""
    return [(method, url(obj), data(obj) if data else None, Expect({404}))
            for i, obj in objects if not visible(i)]
