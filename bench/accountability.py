"""Accountability benchmark: the report to parliament (PDF, XLSX) and the dashboard at 100,000 officers
with five years of secondments, on SQLite and PostgreSQL.

    .venv/bin/python bench/accountability.py [--officers 100000] [--secondments 40000] [--engines sqlite,postgresql]
                                             [--repeat 5] [--reuse]

For each engine a child process (Django settings are per process) builds a database with `migrate` +
the demo generator (`dividend.site.demo.generate_demo_data`; `--reuse` keeps one that already has
`--officers` officers), then tops the secondments up to `--secondments` with bulk-created ones over
five years (2022-01 to 2026-11, 3 to 18 months each, on the demo missions' positions; a fifth still
deployed), and refreshes the planner's statistics. It then times each artefact `--repeat` times after
a warm-up, the artefacts interleaved (one round = every artefact once), as a national policy officer:

- the report to parliament for a year (2026) and a quarter (2026Q3): figures (`parliament.compute`),
  the PDF (`parliament.pdf`, WeasyPrint, charts included) and the XLSX, each end to end through the
  page's download view (`GET /accountability/parliament/report.<fmt>?period=...`);
- the dashboard: `GET /accountability/` over the last twelve months and over five years, and the API's
  `GET /api/accountability/dashboard`;
- the dividend scorecard: `GET /accountability/scorecard/` (every secondment's card, grouped per mission
  and per year) and the API's `GET /api/accountability/scorecard`.

Prints a table of medians (and the slowest run) per artefact. Target: under 10 s per report at
100,000 officers. See bench/README.md ("Accountability").
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from roster import engine_env  # bench/ is the script's folder, first on the path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 10.0
FIVE_YEARS = (dt.date(2022, 1, 1), dt.date(2026, 11, 30))

ARTEFACTS = [
    ("report 2026: figures", "figures", "2026"),
    ("report 2026: PDF", "/accountability/parliament/report.pdf?period=2026", None),
    ("report 2026: XLSX", "/accountability/parliament/report.xlsx?period=2026", None),
    ("report 2026Q3: PDF", "/accountability/parliament/report.pdf?period=2026Q3", None),
    ("report 2026Q3: XLSX", "/accountability/parliament/report.xlsx?period=2026Q3", None),
    ("dashboard: 12 months", "/accountability/?start=2025-12-01&end=2026-11-30", None),
    ("dashboard: five years", "/accountability/?start=2022-01-01&end=2026-11-30", None),
    ("dashboard API: 12 months", "/api/accountability/dashboard?start=2025-12-01&end=2026-11-30", None),
    ("scorecard: per mission and year", "/accountability/scorecard/", None),
    ("scorecard API", "/api/accountability/scorecard", None),
]


def worker(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dividend.accountability import parliament
    from dividend.accountability.periods import Period
    from dividend.common.database import refresh_planner_statistics
    from dividend.missions.models import Position
    from dividend.roster.models import Officer
    from dividend.secondments.models import Secondment
    from dividend.site.demo import generate_demo_data

    result = {"engine": args.engine, "officers": args.officers}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if not (args.reuse and Officer.objects.count() == args.officers):
        demo = generate_demo_data(officers=args.officers, seed=args.seed, reset=True,
                                  log=lambda m: print(f"[{args.engine}] {m}", flush=True))
        result["demo_seconds"] = round(demo.seconds, 1)
    # Top up to --secondments with secondments of the five years, for officers who have none (no overlap).
    rng = random.Random(args.seed)
    missing = max(0, args.secondments - Secondment.objects.count())
    if missing:
        free = list(Officer.objects.exclude(secondments__isnull=False).order_by("id").values_list("id", flat=True))
        positions = list(Position.objects.values_list("id", flat=True))
        now = timezone.now()
        span = (FIVE_YEARS[1] - FIVE_YEARS[0]).days
        rows = []
        for officer_id in rng.sample(free, min(missing, len(free))):
            start = FIVE_YEARS[0] + dt.timedelta(days=rng.randrange(0, span))
            end = start + dt.timedelta(days=rng.randrange(90, 540))
            if end > FIVE_YEARS[1] or rng.random() < 0.2:
                status, end = Secondment.Status.DEPLOYED, (None if end > FIVE_YEARS[1] else end)
            else:
                status = Secondment.Status.REINTEGRATED if rng.random() < 0.3 else Secondment.Status.RETURNED
            rows.append(Secondment(officer_id=officer_id, position_id=rng.choice(positions), start_date=start,
                                   end_date=end, status=status, status_changed_at=now))
        with transaction.atomic():
            Secondment.objects.bulk_create(rows, batch_size=2000)
        refresh_planner_statistics(vacuum=connection.vendor == "postgresql")
    result["build_seconds"] = round(time.monotonic() - started, 1)
    result["counts"] = {"officers": Officer.objects.count(), "secondments": Secondment.objects.count(),
                        "in five years": Secondment.objects.filter(status__in=Secondment.TOOK_PLACE).overlapping(
                            *FIVE_YEARS).count()}
    print(f"[{args.engine}] {result['counts']}", flush=True)
    settings.ALLOWED_HOSTS = ["testserver"]

    user = get_user_model().objects.get(username="policy")
    client = Client()
    client.force_login(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client.post("/account/second-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})

    def run(target, period):
        if target == "figures":
            report = parliament.compute(Period.parse(period), today=dt.date(2026, 12, 1))
            return report.totals.people
        response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)
        return len(response.content)

    times = {name: [] for name, _t, _p in ARTEFACTS}
    sizes = {}
    for round_number in range(args.repeat + 1):  # round 0 warms up
        for name, target, period in ARTEFACTS:
            t0 = time.perf_counter()
            sizes[name] = run(target, period)
            if round_number:
                times[name].append(time.perf_counter() - t0)
        print(f"[{args.engine}] round {round_number} done", flush=True)
    result["artefacts"] = [{"name": name, "median": statistics.median(times[name]), "max": max(times[name]),
                            "size": sizes[name]} for name, _t, _p in ARTEFACTS]
    Path(args.result_file).write_text(json.dumps(result))


def run_engine(engine: str, args) -> dict:
    env = engine_env(engine, args)
    result_file = Path(args.work_dir) / f"bench_accountability_{engine}.json"
    subprocess.run([sys.executable, __file__, "--worker", engine, "--officers", str(args.officers),
                    "--secondments", str(args.secondments), "--repeat", str(args.repeat), "--seed", str(args.seed),
                    "--result-file", str(result_file)] + (["--reuse"] if args.reuse else []),
                   env=env, check=True, cwd=REPO)
    return json.loads(result_file.read_text())


def report(results: list[dict]):
    print()
    for result in results:
        c = result["counts"]
        print(f"## {result['engine']}: {c['officers']:,} officers, {c['secondments']:,} secondments "
              f"({c['in five years']:,} took place in the five years), built or reused in {result['build_seconds']} s")
        print()
        print("| artefact | median (s) | slowest (s) | size |")
        print("|---|---|---|---|")
        for r in result["artefacts"]:
            size = f"{r['size']:,} bytes" if r["name"] != "report 2026: figures" else f"{r['size']:,} officers"
            print(f"| {r['name']} | {r['median']:.2f} | {r['max']:.2f} | {size} |")
        worst = max(r["max"] for r in result["artefacts"] if r["name"].startswith("report"))
        print(f"\nslowest report: {worst:.2f} s → " + ("meets" if worst < TARGET_S else "MISSES")
              + f" the {TARGET_S:.0f} s target\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--secondments", type=int, default=40_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_accountability.sqlite3")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_accountability")
    parser.add_argument("--reuse", action="store_true",
                        help="Keep a benchmark database that already has --officers officers (no demo rebuild).")
    parser.add_argument("--json", help="Also write all results to this file.")
    parser.add_argument("--work-dir", default="/tmp")
    parser.add_argument("--worker", dest="engine", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        worker(args)
        return
    results = [run_engine(engine.strip(), args) for engine in args.engines.split(",") if engine.strip()]
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
