"""Hostile inputs (issue 8, §7.5): every case of tests/test_hostile_inputs.py's table (YAML bombs,
deep nesting, huge formulas, huge numbers, wrong encodings, oversized uploads, zip bombs, ...), each
sent twice by the table's `measure` (timed, then for the memory peak) and shown as a table: it must
answer the expected 4xx within MAX_SECONDS of CPU and allocate under MAX_PEAK_BYTES (Python's
allocations while answering, tracemalloc). A later input adds its case to that table
(tests/test_hostile_inputs.py, CASES): the suite runs it here too.
"""

import logging

from robustness.common import Check


def _check(*, mode, seed, result):
    from dividend.pools.models import ApiToken, Role
    from dividend.priorities import services as priorities
    from tests import test_hostile_inputs as table
    from tests.conftest import SignedInClient
    from tests.factories import make_pool, make_user
    from tests.priorities_app.conftest import SMALL_MODEL

    result.unit = "inputs"
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the expected 4xx lines
    priorities.create_model(actor=None, name="small", text=SMALL_MODEL, home_country="BEL")
    make_pool(code="bpol")
    user = make_user(None, username="hostile", roles=[(Role.ADMINISTRATOR, "national"), (Role.COORDINATOR, "national"),
                                                      (Role.POLICY_OFFICER, "national"), (Role.AUDITOR, "national")])
    key = ApiToken.issue(user=user, name="hostile", access=ApiToken.Access.WRITE)[1]
    client = SignedInClient()  # a complete sign-in, second factor included
    client.force_login(user)
    client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")  # warm-up: imports, the API schema
    client.get("/roster/")
    rows = []
    for case in table.CASES:
        # The table's own measure: CPU time without tracemalloc, then the peak on a second sending,
        # an upload's body built before the clock starts.
        measured = table.measure(case, client, key)
        response, elapsed, peak = measured.response, measured.cpu, measured.peak
        result.count += 1
        faults = []
        if response.status_code != case.status or not 400 <= response.status_code < 500:
            faults.append(f"answered {response.status_code}, expected {case.status}")
        if case.says and case.says not in response.content.decode(errors="replace"):
            faults.append(f"the answer does not say {case.says!r}")
        if elapsed >= table.MAX_SECONDS:
            faults.append(f"took {elapsed:.2f} s of CPU (limit {table.MAX_SECONDS} s)")
        if peak >= table.MAX_PEAK_BYTES:
            faults.append(f"allocated {peak / 1e6:.0f} MB (limit {table.MAX_PEAK_BYTES / 1e6:.0f} MB)")
        result.failures += bool(faults)
        rows.append((case.name, response.status_code, elapsed, peak, "; ".join(faults) or "ok"))
    width = max(len(r[0]) for r in rows)
    result.notes.append(f"{'input'.ljust(width)}  answer  CPU (s)   peak (MB)  verdict")
    for name, status, elapsed, peak, verdict in rows:
        result.notes.append(f"{name.ljust(width)}  {status:<6}  {elapsed:8.3f}  {peak / 1e6:9.1f}  {verdict}")


check = Check("hostile-inputs", _check)
