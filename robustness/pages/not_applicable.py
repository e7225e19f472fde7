"""Routes that reveal no record of the oracle's worlds, each with the reason (robustness/access_pages.py)."""

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
    # Field reports (issue 12): the reports, their search, triage, comments, near-duplicates and
    # suggestions are in robustness/pages/reports.py. These show no report of the worlds or act on
    # records the worlds do not hold; each has its row in tests/test_visibility.py.
    "reports/new/": "the filing form: the secondee's own missions and requirements, no report",
    "POST /api/reports": "files a report (the offline drafts' sync): no existing record is revealed",
    "reports/requirements/": "information requirements (mission facts, not personal)",
    "GET /api/reports/requirements": "as above",
    "POST /api/reports/requirements": "as above",
    "reports/manifest.webmanifest": "the reporting app's manifest: static addresses, no record",
    "reports/sw.js": "the reporting form's service worker: static addresses, no record",
    # Intelligence products: read in robustness/pages/reports.py; these compose and move them.
    "reports/products/new/": "the form composing a product: no record",
    "reports/products/<int:pk>/sections/": "adds a section (POST): changes the world",
    "reports/products/<int:pk>/audiences/": "as above",
    "reports/products/<int:pk>/marking/": "as above",
    "reports/products/<int:pk>/move/": "as above",
    "POST /api/reports/products": "as above",
    "POST /api/reports/products/{product_id}/sections": "as above",
    "POST /api/reports/products/{product_id}/audiences": "as above",
    "POST /api/reports/products/{product_id}/move": "as above",
    "reports/audiences/": "distribution lists (users, no officer): role gate in tests/test_visibility.py",
    "GET /api/reports/audiences": "as above",
    "POST /api/reports/audiences": "as above",
    "reports/funnel/": "counts by month and status (no report named): role gate in tests/test_visibility.py",
    "GET /api/reports/funnel": "as above",
    "reports/triage/bulk/": "a bulk change of the triage queue (POST): no record shown",
    "POST /api/reports/triage/bulk": "as above",
    "reports/suggest/": "suggestions for a submitted text (POST): reveals no record",
    "POST /api/reports/suggestions/draft": "suggestions for a submitted text: reveals no record",
    "reports/themes/": "the theme vocabulary (reference data, not personal): role gate in test_visibility",
    "reports/themes/misp.json": "as above",
    # Monthly mission reports and intelligence debriefings (issue 12 §7–8): each with its row in
    # tests/test_visibility.py.
    "reports/monthly/new/": "the form drafting a monthly report: missions, no record",
    "reports/monthly/<int:pk>/move/": "submits, approves or returns a monthly report (POST): changes the world",
    "reports/debriefings/new/": "the form recording a debriefing: the user's named groups, no record",
    "POST /api/reports/monthly": "drafts a monthly report: changes the world",
    "PUT /api/reports/monthly/{report_id}": "edits a monthly report: changes the world",
    "POST /api/reports/monthly/{report_id}/move": "as above",
    "POST /api/reports/debriefings": "records a debriefing: changes the world",
    # Duty of care, preparation (issue 11 §2-3): the pages are in robustness/pages/care.py and
    # preparation.py. These act on records the worlds do not hold (backfill roster entries) or on a
    # pool's or mission's set-up (users, no officer); their role gates are in tests/test_visibility.py.
    "care/officers/<int:pk>/": "names a pool's duty officer and head of unit (POST): users, no officer",
    "care/contingents/<int:mission_id>/leader/": "appoints a contingent leader (POST): no record shown",
    "preparation/backfill/roster/<int:pk>/remove/": "removes a backfill roster entry (POST): the worlds hold none",
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
    # Careers (issue 11 §2, §5-7): the pages are in robustness/pages/careers.py (a vacancy per pool);
    # these change the world (role gates in tests/test_visibility.py).
    "careers/vacancies/<int:pk>/place/": "places a returnee (POST only): changes the world",
    "POST /api/careers/vacancies": "creates a vacancy: no record shown",
    "POST /api/careers/vacancies/{vacancy_id}/placements": "places a returnee: changes the world",
    "GET /api/accountability/scorecard": "consolidated scorecards per mission and year: no officer",
    "GET /api/accountability/scorecard/secondments/{secondment_id}": "as accountability/scorecard/secondments/<int:pk>/",
    # Commitments (issue 14 section 2): documents, assignments, the forum and budget lines name no officer
    # (role gates and a no-name check in tests/test_visibility.py); the costs' list names the officers of
    # the secondments charged, filtered by the roster's rule (Secondment.objects.visible_to), which the
    # oracle already checks on the secondment pages; the same check runs in tests/test_visibility.py.
    "commitments/": "commitment documents: authorities and dates, no officer",
    "commitments/documents/new/": "a form (role gate): no record",
    "commitments/documents/<int:pk>/": "a document and its assignments: no officer",
    "commitments/documents/<int:pk>/edit/": "as above",
    "commitments/documents/<int:pk>/assignments/new/": "a form (role gate): no record",
    "commitments/assignments/<int:pk>/edit/": "an assignment: an authority and a date, no officer",
    "commitments/assignments/<int:pk>/move/": "moves a status (POST): changes the world",
    "commitments/assignments.<str:fmt>": "as commitments/",
    "commitments/forums/": "the forum: bodies and decisions, no officer",
    "commitments/forums/new/": "a form (role gate): no record",
    "commitments/forums/<int:pk>/": "as commitments/forums/",
    "commitments/forums/<int:pk>/meetings/new/": "a form (role gate): no record",
    "commitments/meetings/<int:pk>/": "a meeting's decisions and follow-up: no officer",
    "commitments/meetings/<int:pk>/edit/": "as above",
    "commitments/meetings/<int:pk>/decisions/new/": "a form (role gate): no record",
    "commitments/decisions/<int:pk>/follow-ups/new/": "a form (role gate): no record",
    "commitments/follow-ups/<int:pk>/move/": "moves a status (POST): changes the world",
    "commitments/budget/": "budget lines and sums: no officer",
    "commitments/budget.<str:fmt>": "as above",
    "commitments/budget/lines/new/": "a form (role gate): no record",
    "commitments/budget/lines/<int:pk>/edit/": "a budget line: an amount, no officer",
    "commitments/budget/costs/": "costs of the secondments the reader sees (the roster's rule, checked in "
                                 "tests/test_visibility.py with officers_listed)",
    "commitments/budget/costs/new/": "a form (role gate): no record",
    "commitments/budget/costs/<int:pk>/edit/": "a cost naming a secondment: the costs list's rule (tests/test_visibility.py)",
    "GET /api/commitments/documents": "as commitments/",
    "GET /api/commitments/documents/{document_id}": "as commitments/documents/<int:pk>/",
    "POST /api/commitments/documents/{document_id}/assignments": "creates an assignment: changes the world",
    "POST /api/commitments/assignments/{assignment_id}/move": "moves a status: changes the world",
    "GET /api/commitments/meetings": "as commitments/meetings/<int:pk>/",
    "GET /api/commitments/budget": "as commitments/budget/",
    "POST /api/commitments/costs": "charges a cost: changes the world",
    # Targets (issue 14 section 1): consolidated figures (targets, monthly snapshots: counts per pool and
    # nationally), never a record of an officer; role gates and a no-name check in tests/test_visibility.py.
    "targets/": "targets and their actuals: consolidated figures, no officer",
    "targets/export.<str:fmt>": "as above",
    "targets/new/": "a form (role gate): no record",
    "targets/<int:pk>/edit/": "a target's form: a figure, no officer",
    "targets/snapshots/": "monthly snapshots: counts, no officer",
    "targets/snapshots/<int:pk>/recompute/": "recomputes a snapshot (POST): counts, no officer",
    "GET /api/targets/targets": "as targets/",
    "POST /api/targets/targets": "creates a target: no record shown",
    "PUT /api/targets/targets/{target_id}": "changes a target: a figure, no officer",
    "GET /api/targets/snapshots": "as targets/snapshots/",
    "POST /api/targets/snapshots/{snapshot_id}/recompute": "as targets/snapshots/<int:pk>/recompute/",
    # Mission performance (issue 14 §7): the worlds hold no indicators, contributions or border
    # assessments. Indicators, values and assessments are mission facts (not personal data); a
    # contribution names its officer only to those who see the officer's secondment, which
    # tests/test_visibility.py checks row by row (officers listed, the Ministry liaison seeing none)
    # with the role gates, and tests/performance/ the liaison's counts without names.
    "performance/": "mission performance: the worlds hold no performance records (tests/test_visibility.py)",
    "performance/missions/<int:pk>/": "as above",
    "performance/missions/<int:pk>/indicators/new/": "as above",
    "performance/missions/<int:pk>/values.<str:fmt>": "as above",
    "performance/missions/<int:pk>/border/": "as above",
    "performance/missions/<int:pk>/border/new/": "as above",
    "performance/indicators/<int:pk>/edit/": "as above",
    "performance/indicators/<int:pk>/status/": "as above",
    "performance/indicators/<int:pk>/values/": "as above",
    "performance/indicators/<int:pk>/contributions/new/": "as above",
    "performance/values/<int:pk>/edit/": "as above",
    "performance/contributions/<int:pk>/remove/": "as above",
    "performance/assessments/<int:pk>/edit/": "as above",
    "GET /api/performance/missions": "as above",
    "GET /api/performance/missions/{mission_id}": "as above",
    "POST /api/performance/missions/{mission_id}/indicators": "as above",
    "POST /api/performance/indicators/{indicator_id}/values": "as above",
    "POST /api/performance/indicators/{indicator_id}/contributions": "as above",
    "GET /api/performance/missions/{mission_id}/border": "as above",
    "POST /api/performance/missions/{mission_id}/assessments": "as above",
    # Accountability (docs/accountability.md): weights and portfolio runs are not personal data (no
    # officer: positions, counts, weights); role gates in tests/test_visibility.py.
    "accountability/scorecard/model/": "the scorecard's weights and versions: no officer",
    "accountability/portfolio/": "the portfolio form and runs: positions and counts, no officer",
    "accountability/portfolio/runs/<int:pk>/": "a portfolio run: positions and counts, no officer",
}
