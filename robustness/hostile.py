"""Hostile inputs (issue 8, §7.5): every case of tests/test_hostile_inputs.py's table (YAML bombs,
deep nesting, huge formulas, huge numbers, wrong encodings, oversized uploads, zip bombs, ...), each
sent twice by the table's `measure` (timed, then for the memory peak) and shown as a table: it must
answer the expected 4xx within MAX_SECONDS of CPU, allocate under MAX_PEAK_BYTES (Python's
allocations while answering, tracemalloc) and change nothing (the row count of every table of the
apps in KEPT_APPS is the same after both sendings). A later input adds its case to that table
(tests/test_hostile_inputs.py, CASES): the suite runs it here too. Then the field report search's
FTS_SYNTAX queries, by the page and the API: each must answer 200 (plain words, nothing found).
"""

import logging
import time

from robustness.common import Check


def _check(*, mode, seed, result):
    from dividend.priorities import services as priorities
    from tests import test_hostile_inputs as table
    from tests.conftest import SignedInClient
    from tests.priorities_app.conftest import SMALL_MODEL

    result.unit = "inputs"
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the expected 4xx lines
    priorities.create_model(actor=None, name="small", text=SMALL_MODEL, home_country="BEL")
    sessions = {}
    for who, (user, key) in table.hostile_world().items():
        client = SignedInClient()  # a complete sign-in, second factor included
        client.force_login(user)
        client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}")  # warm-up: imports, the API schema
        client.get("/")
        sessions[who] = (client, key)
    rows = []
    for case in table.CASES:
        # The table's own measure: CPU time without tracemalloc, then the peak on a second sending,
        # an upload's body built before the clock starts.
        measured = table.measure(case, *sessions[case.who])
        response, elapsed, peak = measured.response, measured.cpu, measured.peak
        result.count += 1
        faults = []
        if response.status_code != case.status or not 400 <= response.status_code < 500:
            faults.append(f"answered {response.status_code}, expected {case.status}")
        if case.says and case.says not in response.content.decode(errors="replace"):
            faults.append(f"the answer does not say {case.says!r}")
        if elapsed >= table.MAX_SECONDS:
            faults.append(f"took {elapsed:.2f} s of CPU (limit {table.MAX_SECONDS} s)")
        if measured.changes:
            faults.append("changed " + ", ".join(measured.changes))
        if peak >= table.MAX_PEAK_BYTES:
            faults.append(f"allocated {peak / 1e6:.0f} MB (limit {table.MAX_PEAK_BYTES / 1e6:.0f} MB)")
        result.failures += bool(faults)
        rows.append((case.name, response.status_code, elapsed, peak, "; ".join(faults) or "ok"))
    # Full-text search syntax is read as words: 200 and nothing found, never a database error.
    client, key = sessions["staff"]
    for q in table.FTS_SYNTAX:
        before = table.row_counts()
        for url in ("/reports/search/", "/api/reports/search"):
            started = time.process_time()
            response = client.get(url, {"q": q}, HTTP_AUTHORIZATION=f"Bearer {key}")
            elapsed = time.process_time() - started
            result.count += 1
            faults = [] if response.status_code == 200 else [f"answered {response.status_code}, expected 200"]
            if elapsed >= table.MAX_SECONDS:
                faults.append(f"took {elapsed:.2f} s of CPU (limit {table.MAX_SECONDS} s)")
            faults += [f"changed {c}" for c in table.changed(before, table.row_counts())]
            result.failures += bool(faults)
            rows.append((f"search {url} q={q!r}", response.status_code, elapsed, 0, "; ".join(faults) or "ok"))
    width = max(len(r[0]) for r in rows)
    result.notes.append(f"{'input'.ljust(width)}  answer  CPU (s)   peak (MB)  verdict")
    for name, status, elapsed, peak, verdict in rows:
        result.notes.append(f"{name.ljust(width)}  {status:<6}  {elapsed:8.3f}  {peak / 1e6:9.1f}  {verdict}")


check = Check("hostile-inputs", _check)
