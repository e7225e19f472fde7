"""The access oracle's registry: every URL pattern and API operation, and what each user must get.

`PAGES` maps a route, keyed as tests/test_visibility.py keys it (the URL pattern as Django's
resolver writes it, `"roster/officers/<int:pk>/"`, or `"METHOD /api/path/{param}"`), to a function
`(built, n, rule) -> [(method, url, data, Expect), ...]`: the requests user `n` of the built world
sends there (one per object of the world for a detail) and what each answer must be, from `rule`
(robustness/oracle.py's `Rule`, never the product's predicates). `NOT_APPLICABLE` names the routes
that reveal no record, with the reason. tests/test_robustness.py fails when a route is in neither.

The pages live in robustness/pages/, one module per app family (registry.py holds `PAGES`, `page`
and the shapes most pages share); a later app adds a module there, imports it below, and registers
its pages with `@page("its/pattern/<int:pk>/")` (docs/robustness.md).
"""

from robustness.pages import (  # noqa: F401 - each module registers its pages in PAGES
    accountability,
    alerts,
    care,
    careers,
    missions,
    people,
    preparation,
    priorities,
    reports,
    scorecard,
    secondments,
    selection,
)
from robustness.pages.not_applicable import NOT_APPLICABLE
from robustness.pages.priorities import PRIORITY_EDITS, PRIORITY_READS
from robustness.pages.registry import PAGES

__all__ = ["NOT_APPLICABLE", "PAGES", "ROLE_GATES"]

# Pages whose answer holds no record of the world, only a role gate (priority data are not personal,
# missions are public registry facts): each user opens one of them per world (see oracle.examine).
ROLE_GATES = [*PRIORITY_READS, *PRIORITY_EDITS, "missions/", "missions/<int:pk>/", "missions/positions/",
              "missions/positions/<int:pk>/", "GET /api/missions", "GET /api/missions/{mission_id}",
              "GET /api/positions", "GET /api/positions/{position_id}", "roster/new/", "roster/import/",
              "roster/import/template.<str:fmt>", "account/password/"]
