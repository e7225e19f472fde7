"""Benchmark of the duty-of-care board at 100,000 officers and 30,000 secondments (issue 11 §9).

Run: .venv/bin/python bench/care.py [--officers 100000] [--secondments 30000] [--engines sqlite,postgresql]
[--repeat 30] [--reuse] [--json FILE]

For each engine, a child process (Django settings are fixed per process):

1. builds a fresh database (the SQLite file `--sqlite-path`, or the PostgreSQL database
   `--postgres-db` on `--postgres-url` / `$BENCH_POSTGRES_URL`): `migrate`, then synthetic data
   bulk-inserted (`build`: 16 pools, `--officers` officers, `--secondments` secondments of which a
   quarter are deployed now, a care file per deployed secondment with a desk officer among twelve
   pool coordinators and a last contact 0–20 days ago: about half of them overdue), and refreshes
   the planner's statistics (`ANALYZE`; `VACUUM (ANALYZE)` on PostgreSQL). (Built apart from the
   demo generator, whose lifecycle step failed at 100,000 officers when this was written.)
2. times the board page, the whole request `GET /care/` through django.test.Client (form,
   queries, the audit entry of the list, template), `--repeat` times after one warm-up, for: a
   national coordinator (every pool), the same filtered to one pool, and a pool coordinator; and
   the board's API answer `GET /api/care/board` for the national coordinator;
   also the board's data alone ("query": each section's first 50 rows and its count, no HTTP,
   no template), as bench/roster.py separates them;
3. prints p50 and p95 (nearest rank) in milliseconds per case. Target: p95 of the whole request
   under 100 ms on both engines.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from roster import engine_env  # bench/ is the script's folder, first on the path

REPO = Path(__file__).resolve().parents[1]
TARGET_MS = 100


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def build(args):
    """Synthetic data, bulk-inserted: 16 pools, `--officers` officers, 200 missions of 5 positions,
    `--secondments` secondments (a quarter deployed now, the others returned), a national
    coordinator and twelve pool coordinators (desk officers), a care file per deployed secondment
    (last contact 0-20 days ago: about half of them overdue) and its contact."""
    import datetime as dt
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dividend.care.models import CareFile, Contact
    from dividend.common.database import refresh_planner_statistics
    from dividend.missions.models import Mission, Position
    from dividend.pools.models import Pool, Role, RoleAssignment, Scope
    from dividend.reference.loading import load_reference_data
    from dividend.reference.models import Rank
    from dividend.roster.models import Officer
    from dividend.secondments.models import Secondment

    rng = random.Random(7)  # noqa: S311 - benchmark data, not security
    load_reference_data()
    today, now = timezone.localdate(), timezone.now()
    pools = Pool.objects.bulk_create([Pool(code=f"p{i:02d}", name=f"Pool {i:02d}", kind="state_police",
                                           headcount=10_000) for i in range(16)])
    ranks = list(Rank.objects.all())
    for begin in range(0, args.officers, 5000):
        Officer.objects.bulk_create([
            Officer(pool=pools[n % 16], service_number=f"B{n:07d}", first_name=f"First{n}", last_name=f"Last{n:06d}",
                    rank=ranks[n % len(ranks)], gender="female" if n % 3 == 0 else "male",
                    date_of_birth=dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
            for n in range(begin, min(begin + 5000, args.officers))])
        print(f"[{args.engine}] officers {min(begin + 5000, args.officers):,}", flush=True)
    missions = Mission.objects.bulk_create([Mission(acronym=f"MIS{i:03d}", name=f"Mission {i}", organisation="eu_csdp")
                                            for i in range(200)])
    positions = Position.objects.bulk_create([Position(mission=m, title=f"Adviser {k}") for m in missions
                                              for k in range(5)])
    officer_ids = list(Officer.objects.values_list("pk", "pool_id"))
    rng.shuffle(officer_ids)
    chosen = officer_ids[:args.secondments]
    deployed_count = args.secondments // 4
    rows = []
    for index, (officer_id, _pool) in enumerate(chosen):
        if index < deployed_count:
            start, end, status = (today - dt.timedelta(days=rng.randint(20, 300)),
                                  today + dt.timedelta(days=rng.randint(1, 400)), Secondment.Status.DEPLOYED)
        else:
            start = today - dt.timedelta(days=rng.randint(800, 3000))
            end, status = start + dt.timedelta(days=365), Secondment.Status.RETURNED
        rows.append(Secondment(officer_id=officer_id, position=rng.choice(positions), start_date=start, end_date=end,
                               status=status, status_changed_at=now))
    Secondment.objects.bulk_create(rows, batch_size=5000)
    User = get_user_model()  # noqa: N806
    national = User.objects.create_user(username="coordinator_national", password="x")
    RoleAssignment.objects.create(user=national, role=Role.COORDINATOR, scope=Scope.NATIONAL)
    desks = {}
    for i in range(12):
        user = User.objects.create_user(username=f"bench_desk_{i}", password="x", email=f"d{i}@example.org")
        assignment = RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, scope=Scope.POOLS)
        assignment.pools.set([pools[i]])
        desks[pools[i].pk] = user
    files, contacts = [], []
    for pk, pool_id in Secondment.objects.deployed().values_list("pk", "officer__pool_id"):
        last = today - dt.timedelta(days=rng.randint(0, 20))
        files.append(CareFile(secondment_id=pk, desk_officer=desks.get(pool_id), last_contact_on=last))
        contacts.append(Contact(secondment_id=pk, contact_on=last, channel="phone", wellbeing="well", notes="bench",
                                recorded_at=now))
    CareFile.objects.bulk_create(files, batch_size=5000)
    Contact.objects.bulk_create(contacts, batch_size=5000)
    refresh_planner_statistics(vacuum=connection.vendor == "postgresql")


def worker(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from dividend.pools.models import RoleAssignment
    from dividend.roster.models import Officer
    from dividend.secondments.models import Secondment

    result = {"engine": args.engine}
    started = time.monotonic()
    call_command("migrate", verbosity=0)  # a reused database gets the migrations added since
    if not (args.reuse and Officer.objects.count() == args.officers):
        build(args)
    result["build_seconds"] = round(time.monotonic() - started, 1)
    result["counts"] = {"officers": Officer.objects.count(), "secondments": Secondment.objects.count(),
                        "deployed": Secondment.objects.deployed().count()}
    print(f"[{args.engine}] {result['counts']}", flush=True)

    def client_for(user):
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client.post("/account/second-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
        return client

    national = get_user_model().objects.get(username="coordinator_national")
    desk = get_user_model().objects.get(username="bench_desk_0")
    desk_pool = RoleAssignment.objects.filter(user=desk).first().pools.first().pk
    clients = {national.pk: client_for(national), desk.pk: client_for(desk)}  # a TOTP code verifies once

    def board_data(user, pool_id=None):
        """What the board reads from the database: each section's first 50 rows and its count."""
        from dividend.care.board import board_secondments, board_sections

        board_sections(board_secondments(user, pool_id=pool_id), timezone.localdate(), 50)

    def timed(run):
        run()
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            run()
            times.append((time.perf_counter() - began) * 1000)
        return round(percentile(times, 0.5), 1), round(percentile(times, 0.95), 1)

    cases = [("board, national coordinator", national, "/care/", None),
             ("board, national, one pool", national, f"/care/?pool={desk_pool}", desk_pool),
             ("board, pool coordinator", desk, "/care/", None),
             ("API board, national", national, "/api/care/board", None)]
    rows = []
    for label, user, url, pool_id in cases:
        client = clients[user.pk]
        status = client.get(url).status_code
        row = {"case": label, "status": status}
        row["query_p50"], row["query_p95"] = timed(lambda user=user, pool_id=pool_id: board_data(user, pool_id))
        if status == 200:
            row["p50"], row["p95"] = timed(lambda client=client, url=url: client.get(url))
        rows.append(row)
        print(f"[{args.engine}] {row}", flush=True)
    result["rows"] = rows
    Path(args.result_file).write_text(json.dumps(result))


def run_engine(engine: str, args) -> dict:
    env = engine_env(engine, args)
    result_file = Path(args.work_dir) / f"bench_care_{engine}.json"
    command = [sys.executable, __file__, "--worker", engine, "--officers", str(args.officers),
               "--secondments", str(args.secondments), "--repeat", str(args.repeat), "--result-file", str(result_file)]
    command += ["--reuse"] if args.reuse else []
    subprocess.run(command, env=env, check=True, cwd=REPO)  # noqa: S603 - our own script
    return json.loads(result_file.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--secondments", type=int, default=30_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_care.sqlite3")  # noqa: S108 - a scratch file
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_care")
    parser.add_argument("--work-dir", default="/tmp")  # noqa: S108 - result files
    parser.add_argument("--json")
    parser.add_argument("--worker")
    parser.add_argument("--result-file")
    args = parser.parse_args()
    if args.worker:
        args.engine = args.worker
        worker(args)
        return
    results = [run_engine(engine.strip(), args) for engine in args.engines.split(",") if engine.strip()]
    print()
    print(f"Duty-of-care board, p50 / p95 in ms over {args.repeat} requests (target: p95 < {TARGET_MS} ms)")
    print(f"{'engine':<11}{'officers':>9}{'second.':>8}{'deployed':>9}  {'case':<29}{'query p50':>10}{'p95':>7}"
          f"{'view p50':>10}{'p95':>7}  verdict (view p95)")
    for result in results:
        c = result["counts"]
        for row in result["rows"]:
            head = (f"{result['engine']:<11}{c['officers']:>9,}{c['secondments']:>8,}{c['deployed']:>9,}  "
                    f"{row['case']:<29}{row['query_p50']:>10.1f}{row['query_p95']:>7.1f}")
            if "p95" not in row:
                print(f"{head}{'n/a':>10}{'n/a':>7}  answered {row['status']}")
                continue
            verdict = "meets" if row["p95"] < TARGET_MS else "MISSES"
            print(f"{head}{row['p50']:>10.1f}{row['p95']:>7.1f}  {verdict}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
