"""Page timings of the priorities app, run by bench/priorities.py after the engine (or alone:
.venv/bin/python bench/priorities_pages.py [--repeat 15]).

A fresh SQLite database (``--sqlite-path``, default /tmp/dividend_bench_priorities.sqlite3) gets ten
uploaded datasets of 20 years for every country an upload accepts (234: the issue's "250 countries"
is more than there are codes) and one run of the default model (the data's ~190
countries, 1,000 Monte Carlo draws). Then each repetition requests, in turn (interleaved, so drift on a
shared machine spreads over every row), as a policy officer through django.test.Client:

- the model page (warm: what a user opening it gets), and once per repetition with the process's
  caches emptied (cold: the first opening after a dataset upload or a restart);
- the ranking page, and its template alone (rendered from a prepared context);
- the ranking PDF, and the same table through the general WeasyPrint renderer (what it took before).

Targets (issue 13): model page < 200 ms, ranking page template < 30 ms, ranking PDF < 1 s. Medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
N_DATASETS, N_YEARS = 10, 20


def setup(sqlite_path: str):
    os.environ["DIVIDEND_SQLITE_PATH"] = sqlite_path
    os.environ.pop("DATABASE_URL", None)
    os.environ["DIVIDEND_REQUIRE_OTP"] = "0"  # the bench signs in with force_login
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    if os.path.exists(sqlite_path):
        os.remove(sqlite_path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)


def build():
    """Ten datasets, the default model and a run; returns (client, model name, run)."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dividend.pools.models import Role, RoleAssignment, Scope
    from dividend.priorities import services
    from dividend.priorities.engine import known_countries

    user = get_user_model().objects.create_user(username="bench_policy", password="pw-Bench-123")
    RoleAssignment.objects.create(user=user, role=Role.POLICY_OFFICER, scope=Scope.NATIONAL)
    rng = np.random.default_rng(3)
    codes = sorted(known_countries())
    for d in range(N_DATASETS):
        rows = [[c, 2005 + y, round(float(rng.lognormal(1, 0.7)), 4)] for c in codes for y in range(N_YEARS)]
        services.upload_dataset(actor=user, name=f"bench_{d}", rows=rows, description=f"Benchmark dataset {d}")
    model = services.ensure_default_model()
    run, _ = services.start_run(actor=user, version=model.current_version, draws=1000, seed=1, label="bench")
    client = Client()
    client.force_login(user)
    return client, model.name, run, len(codes)


def measure(repeat: int, before_repeat: int = 3) -> list[tuple[str, float, str]]:
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from dividend.common.exports import pdf_bytes
    from dividend.priorities import results, services, views

    client, name, run, n_codes = build()
    countries = run.country_count
    request = RequestFactory().get(f"/priorities/runs/{run.pk}/")
    request.user = get_user_model().objects.get(username="bench_policy")
    request._messages = []

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def model_cold():
        services._DATASET_TABLES.clear()
        services._CHECKED.clear()
        get(f"/priorities/models/{name}/")

    def template_only():
        render_to_string("priorities/run_detail.html", context, request=request)

    def weasyprint():
        pdf_bytes(table, subtitle=run.title)

    context = views._run_page_context(request, run)
    table = results.ranking_table(run, list(results.ranked_rows(run)))
    cases = [
        (f"model page, {N_DATASETS} datasets of {n_codes} countries × {N_YEARS} years (warm)", lambda: get(f"/priorities/models/{name}/"),
         0.2),
        ("model page, caches emptied (cold)", model_cold, None),
        (f"ranking page, {countries} countries (request)", lambda: get(f"/priorities/runs/{run.pk}/"), None),
        ("ranking page template alone", template_only, 0.03),
        (f"ranking PDF, {countries} countries (request)", lambda: get(f"/priorities/runs/{run.pk}/ranking.pdf"), 1.0),
        ("the same table through WeasyPrint (before)", weasyprint, None),
    ]
    get(f"/priorities/models/{name}/")  # warm up: the data files, templates, caches
    get(f"/priorities/runs/{run.pk}/")
    timings: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for n in range(repeat):
        for label, action, _ in cases:
            if action is weasyprint and n >= before_repeat:
                continue  # seconds each: a few repetitions say enough
            started = time.perf_counter()
            action()
            timings[label].append(time.perf_counter() - started)
    out = []
    for label, _, target in cases:
        median = statistics.median(timings[label])
        verdict = "" if target is None else ("OK" if median < target else "TOO SLOW") + f" (< {target * 1000:.0f} ms)"
        out.append((label, median, verdict))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--before-repeat", type=int, default=3, help="repetitions of the WeasyPrint row")
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_priorities.sqlite3")
    args = parser.parse_args(argv)
    setup(args.sqlite_path)
    rows = measure(args.repeat, args.before_repeat)
    print(f"\npriorities pages: median of {args.repeat} interleaved repetitions (SQLite)")
    print(f"{'page':<58}{'ms':>10}")
    print("-" * 68)
    for label, seconds, verdict in rows:
        print(f"{label:<58}{seconds * 1000:>10.1f}   {verdict}")


if __name__ == "__main__":
    main()
