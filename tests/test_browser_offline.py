"""Nothing from the internet (issue 9, section 5): every page, in a real browser whose network ends at
this server, loads without a request to another host and without a console error; /api/docs renders
every operation from the server's own Swagger UI files.

The pages come from the URL conf through the visibility table (`tests/test_visibility.py`, which
fails on a pattern without a row): every GET row some user opens with 200, so every page without
parameters and one detail page of each kind. Each is opened by the first role in `VISITORS` who may
see it, signed in through the login page with their second factor.
"""

import os
from urllib.parse import urlsplit

from dividend.api import api

from .browser import MARKS, launch, sign_in
from .test_visibility import (  # noqa: F401 - fixtures used by name
    ROUTES,
    alerts_world,
    care_world,
    careers_world,
    commitments_world,
    monthly_world,
    performance_world,
    preparation_world,
    priorities_world,
    reports_world,
    selection_world,
    strategic_world,
    targets_world,
    world,
)

pytestmark = MARKS
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Files, not pages: the browser downloads them (their content is tested in their apps).
DOWNLOADS = {"roster/export.<str:fmt>", "roster/officers/<int:pk>/subject-access.<str:fmt>",
             "roster/import/template.<str:fmt>", "priorities/runs/<int:pk>/ranking.<str:fmt>",
             "priorities/runs/<int:pk>/robustness.<str:fmt>", "priorities/compare.<str:fmt>", "api/openapi.json",
             "selection/analytics/<str:fmt>/", "selection/calls/<int:pk>/report.<str:fmt>", "careers/kpis/export.<str:fmt>",
             "targets/export.<str:fmt>", "commitments/assignments.<str:fmt>", "commitments/budget.<str:fmt>",
             "reports/products/<int:pk>/pdf/", "reports/products/<int:pk>/stix/", "reports/themes/misp.json",
             "reports/<int:pk>/attachments/<int:attachment_pk>/", "reports/monthly/<int:pk>/pdf/",
             "performance/missions/<int:pk>/values.<str:fmt>", "accountability/scorecard/export.csv",
             "accountability/dashboard/<str:part>.csv", "accountability/parliament/report.<str:fmt>"}
# Who opens each page: the first of these who gets it (roles with different pages and menus).
VISITORS = ["coordinator_pool", "policy_national", "auditor_national", "admin_national", "secondee", "hr_pool",
            "analyst_pool", "no_role", "anonymous"]


def pages():
    """(pattern, user, URL builder) for every web page some user opens with 200."""
    found = []
    for pattern, row in ROUTES.items():
        if row.method != "GET" or pattern.startswith("GET /api") or pattern in DOWNLOADS:
            continue
        user = next((u for u in VISITORS if row.expected.get(u) == 200), None)
        if user is not None:
            found.append((pattern, user, row.url))
    return found


def test_the_page_list_covers_the_url_conf():
    walked = {pattern for pattern, _, _ in pages()}
    # Every page a person reads, detail pages of each kind included, and the API's docs.
    assert {"", "login/", "account/", "roster/", "roster/officers/<int:pk>/", "roster/me/", "missions/<int:pk>/",
            "missions/positions/<int:pk>/", "secondments/<int:pk>/edit/", "audit/", "priorities/runs/<int:pk>/",
            "priorities/runs/<int:pk>/countries/<str:iso3>/", "tokens/", "api/docs",
            "admin/audit/auditentry/<path:object_id>/change/"} <= walked
    # The rest of the URL conf: changes (POST), downloads, and pages nobody opens (the admin's add).
    rest = {pattern for pattern in ROUTES if not pattern.startswith(("GET /api", "POST /api", "PUT /api",
                                                                      "PATCH /api", "DELETE /api"))} - walked
    assert all(ROUTES[p].method != "GET" or p in DOWNLOADS or 200 not in ROUTES[p].expected.values() for p in rest)


def test_every_page_loads_from_this_server_only(live_server, world, priorities_world, selection_world,  # noqa: F811
                                                reports_world, strategic_world, care_world,  # noqa: F811
                                                preparation_world, alerts_world, careers_world,  # noqa: F811
                                                monthly_world, targets_world,  # noqa: F811
                                                performance_world, commitments_world):  # noqa: F811
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not used while the browser runs
    w = {**world, **priorities_world, **selection_world, **reports_world, **strategic_world, **care_world,
         **preparation_world, **alerts_world, **careers_world, **monthly_world, **targets_world,
         **performance_world, **commitments_world}
    by_user = {}
    for pattern, user, url in pages():
        by_user.setdefault(user, []).append((pattern, url(w)))
    foreign, errors, visited = [], [], []
    with sync_playwright() as p:
        browser = launch(p)
        for name, urls in by_user.items():
            user = None if name == "anonymous" else w["users"][name]
            visited += visit_as(browser, live_server, name, user, urls, foreign, errors)
        browser.close()
    assert (foreign, errors) == ([], [])
    assert sorted(visited) == sorted(pattern for pattern, _, _ in pages())


def visit_as(browser, live_server, name, user, urls, foreign, errors):
    """Open `urls` as `user` (None: anonymous) in a context whose requests to another host are aborted
    and written to `foreign`, with console errors and uncaught exceptions written to `errors`."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()

    def only_this_server(route, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign.append((name, page.url, request.url))
            route.abort()

    context.route("**/*", only_this_server)
    page.on("console", lambda m: errors.append((name, page.url, m.text)) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append((name, page.url, str(e))))
    if user is not None:
        sign_in(page, user)
    visited = []
    for pattern, path in urls:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, (name, path, response.status)
        visited.append(pattern)
        if pattern == "api/docs":
            check_api_docs(page)
    context.close()
    return visited


def check_api_docs(page):
    """Swagger UI has run: the API's title and one block per operation of the schema."""
    page.wait_for_selector(".swagger-ui .opblock-summary", timeout=15000)
    assert page.inner_text(".swagger-ui .info .title").startswith("Dividend API")
    schema = api.get_openapi_schema()
    operations = sum(1 for item in schema["paths"].values() for method in item if method in
                     {"get", "post", "put", "patch", "delete"})
    assert page.locator(".opblock-summary").count() == operations
