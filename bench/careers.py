"""Returnee pool benchmark: 100,000 demo officers, 30,000 secondments, SQLite and PostgreSQL.

    .venv/bin/python bench/careers.py [--officers 100000] [--secondments 30000] [--engines sqlite,postgresql]

For each engine a child process (Django settings are per process) builds a fresh database with
`migrate` + the demo generator (`dividend.site.demo.generate_demo_data`), then tops the secondments
up to `--secondments` with finished ones (returned or reintegrated, one per officer who has none,
on the demo missions' positions, 2012–2026), a debriefing with shared network contacts for a third
of them, and refreshes the planner's statistics. It then times each search of the returnee pool
(`SEARCHES`) `--repeat` times after a warm-up: (a) the query, `careers.returnees.search` (a count,
the first page of 50 officers and their last missions) as the user named in the search; (b) the
whole view, `GET /careers/returnees/?<params>`. Target: p95 under 100 ms on both engines.
See bench/README.md ("Returnee pool").
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from roster import engine_env  # bench/ is the script's folder, first on the path

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
CONTACTS = ["IOM Agadez", "EUCAP Sahel liaison", "UNODC Dakar", "INTERPOL NCB Bamako", "Frontex liaison",
            "EUROPOL analysis project", "judicial police Niamey", "OSCE border unit", "UNDP rule of law",
            "EULEX prosecutors"]

# (name, user, params): params with natural keys (country iso3, theme code, language code), resolved at run time.
SEARCHES = [
    ("browse: every returnee", "coordinator_national", {}),
    ("country: Mali", "coordinator_national", {"country": "MLI"}),
    ("region: Sub-Saharan Africa", "policy", {"region": "Sub-Saharan Africa"}),
    ("theme: migrant smuggling", "policy", {"theme": "migrant_smuggling_irregular_migration"}),
    ("language: French", "policy", {"language": "fr"}),
    ("network contacts: IOM", "policy", {"contacts": "IOM"}),
    ("back within 5 years", "policy", {"within_years": 5}),
    ("Sahel on irregular migration, 5 years", "policy", {
        "region": "Sub-Saharan Africa", "theme": "migrant_smuggling_irregular_migration", "within_years": 5}),
    ("country + language + contacts", "coordinator_national", {"country": "NER", "language": "fr",
                                                              "contacts": "police"}),
    ("region + theme + language + 10 years", "coordinator_national", {
        "region": "Europe", "theme": "organised_crime", "language": "en", "within_years": 10}),
    ("pool coordinator: browse", "coordinator", {}),
    ("pool coordinator: region + 5 years", "coordinator", {"region": "Africa", "within_years": 5}),
    ("browse, page 20", "policy", {"page": 20}),
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

    from dividend.careers.models import Debriefing
    from dividend.careers.returnees import ReturneeQuery, search
    from dividend.common.database import refresh_planner_statistics
    from dividend.missions.models import Position
    from dividend.reference.models import Country, Language, ThematicArea
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
    # Top up to --secondments with finished secondments of officers who have none (no overlap).
    rng = random.Random(args.seed)
    have = Secondment.objects.count()
    missing = max(0, args.secondments - have)
    free = list(Officer.objects.exclude(secondments__isnull=False).order_by("id").values_list("id", flat=True))
    positions = list(Position.objects.values_list("id", flat=True))
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for officer_id in rng.sample(free, min(missing, len(free))):
            start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 14 * 365))
            end = min(start + dt.timedelta(days=rng.randrange(180, 400)), dt.date(2026, 11, 30))
            status = Secondment.Status.REINTEGRATED if rng.random() < 0.3 else Secondment.Status.RETURNED
            rows.append(Secondment(officer_id=officer_id, position_id=rng.choice(positions), start_date=start,
                                   end_date=end, status=status, status_changed_at=now))
        Secondment.objects.bulk_create(rows, batch_size=2000)
        # A debriefing with shared contacts for a third of the returnees (the demo's and these).
        returnees = Secondment.objects.filter(status__in=Secondment.ENDED, debriefing__isnull=True).order_by("id")
        debriefings = [Debriefing(secondment_id=pk, mandate_implementation="-", host_country_context="-",
                                  networks_built="-", lessons_learned="-", written_at=now, updated_at=now,
                                  contacts="; ".join(rng.sample(CONTACTS, 2)))
                       for pk in returnees.values_list("id", flat=True) if rng.random() < 1 / 3]
        Debriefing.objects.bulk_create(debriefings, batch_size=2000)
    refresh_planner_statistics(vacuum=connection.vendor == "postgresql")
    result["build_seconds"] = round(time.monotonic() - started, 1)
    result["counts"] = {"officers": Officer.objects.count(), "secondments": Secondment.objects.count(),
                        "returnees": Secondment.objects.filter(status__in=Secondment.ENDED).count(),
                        "debriefings": Debriefing.objects.count()}
    print(f"[{args.engine}] {result['counts']}", flush=True)
    settings.ALLOWED_HOSTS = ["testserver"]

    ids = {"country": dict(Country.objects.values_list("iso3", "id")),
           "theme": dict(ThematicArea.objects.values_list("code", "id")),
           "language": dict(Language.objects.values_list("code", "id"))}
    users, clients = {}, {}
    for username in {user for _n, user, _p in SEARCHES}:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            # A device of the bench's own: a code is accepted once, and another run may have used it.
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            client.post("/account/second-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
        users[username], clients[username] = user, client
    today = dt.date(2026, 12, 1)

    def percentile(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]

    rows = []
    for name, username, params in SEARCHES:
        page = params.get("page", 1)
        query = ReturneeQuery(country_id=ids["country"].get(params.get("country")), region=params.get("region", ""),
                              theme_id=ids["theme"].get(params.get("theme")),
                              language_id=ids["language"].get(params.get("language")),
                              contacts=params.get("contacts", ""), within_years=params.get("within_years"), today=today)
        get = {k: (ids[k][v] if k in ids else v) for k, v in params.items()}
        querystring = urlencode(get or {"contacts": ""})
        user = get_user_model().objects.get(pk=users[username].pk)  # roles read once, as a request does
        query_times, view_times, total = [], [], None
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            total, found = search(user, query, offset=(page - 1) * 50)
            query_times.append((time.perf_counter() - t0) * 1000)
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            response = clients[username].get(f"/careers/returnees/?{querystring}")
            view_times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        query_times, view_times = query_times[1:], view_times[1:]
        rows.append({"name": name, "user": username, "matches": total, "shown": len(found),
                     "query_p50": statistics.median(query_times), "query_p95": percentile(query_times, 95),
                     "view_p50": statistics.median(view_times), "view_p95": percentile(view_times, 95)})
        print(f"[{args.engine}] {name}: {total:,} returnees, query p95 {rows[-1]['query_p95']:.1f} ms, "
              f"view p95 {rows[-1]['view_p95']:.1f} ms", flush=True)
    result["searches"] = rows
    Path(args.result_file).write_text(json.dumps(result))


def run_engine(engine: str, args) -> dict:
    env = engine_env(engine, args)
    result_file = Path(args.work_dir) / f"bench_careers_{engine}.json"
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
              f"({c['returnees']:,} returnees, {c['debriefings']:,} debriefings), built or reused in "
              f"{result['build_seconds']} s")
        print()
        print("| # | search | as | returnees | query p50 | query p95 | view p50 | view p95 |")
        print("|---|---|---|---|---|---|---|---|")
        for i, r in enumerate(result["searches"], 1):
            print(f"| {i} | {r['name']} | {r['user']} | {r['matches']:,} | {r['query_p50']:.1f} | {r['query_p95']:.1f} | "
                  f"{r['view_p50']:.1f} | {r['view_p95']:.1f} |")
        worst = max(r["query_p95"] for r in result["searches"])
        worst_view = max(r["view_p95"] for r in result["searches"])
        over = [str(i) for i, r in enumerate(result["searches"], 1) if r["query_p95"] >= TARGET_MS]
        print(f"\nworst p95: query {worst:.1f} ms, view {worst_view:.1f} ms → "
              + ("meets" if not over else f"MISSES (#{', #'.join(over)})") + f" the {TARGET_MS:.0f} ms query target\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--secondments", type=int, default=30_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_careers.sqlite3")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_careers")
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
