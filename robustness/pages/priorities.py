"""The access oracle's pages of priorities (not personal data: a role gate, and no officer in any answer)."""

from robustness.pages.registry import PAGES, gated

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
    PAGES[_key] = lambda b, n, rule, url=_url: gated(url.format(run=b.run_id), rule.reads_priorities())
for _key, _url in PRIORITY_EDITS.items():
    PAGES[_key] = lambda b, n, rule, url=_url: gated(url.format(run=b.run_id), rule.edits_priorities())

