"""Officer import benchmark: officers/s for files of 1,000, 10,000 and 50,000 rows, SQLite and PostgreSQL.

    .venv/bin/python bench/imports.py [--sizes 1000,10000,50000] [--engines sqlite,postgresql] [--repeat 3]

For each engine a child process (Django settings are per process) builds a fresh database with
`migrate` + the demo generator (`--roster` officers already on the roster, default 2,000), then,
in one process, for each repetition and each size in turn (interleaved, so drift on a shared
machine spreads over all sizes):
(a) create: a file of new officers (every column, random but valid values) imported by
    coordinator_national through dividend.roster.imports.import_officers;
(b) update (files of up to --update-max rows, default 10,000): the same officers again with another
    phone number, availability and English level;
(c) bad last row (largest size only, once per repetition): a file of new officers whose last row has
    an unknown rank; it must change nothing and name that row.
It reports the median wall-clock seconds and officers/s of each, and the importing process's CPU
seconds (on SQLite the database works inside that process; PostgreSQL's work is not in it), and
checks after every import that the search facts are not stale and one audit entry was written per
officer. See bench/README.md.
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
from collections import defaultdict
from pathlib import Path

from roster import fresh_postgres_database  # bench/ is the script's folder, first on the path

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS_10K = 10.0


def make_file(columns, rows) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def worker(args):
    """Runs inside the engine's process: build the database, then time every import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from dividend.audit.models import AuditEntry
    from dividend.pools.models import Pool
    from dividend.reference.models import Country, Language, QualificationType, Rank, Skill, ThematicArea
    from dividend.roster import access
    from dividend.roster.facts import stale_search_facts
    from dividend.roster.imports import COLUMNS, import_officers
    from dividend.roster.models import Officer
    from dividend.site.demo import generate_demo_data

    call_command("migrate", verbosity=0)
    demo = generate_demo_data(officers=args.roster, seed=42, reset=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = get_user_model().objects.get(username="coordinator_national")
    pools = list(Pool.objects.values_list("code", flat=True))
    # Emergency contacts and medical or clearance qualifications only if the user may change them.
    restricted_ok = all(access.can_see_restricted(user, Officer(pool=pool)) for pool in Pool.objects.all())
    columns = [c for c in COLUMNS if restricted_ok or c not in Officer.RESTRICTED_FIELDS]
    ranks = list(Rank.objects.values_list("code", flat=True))
    skills = list(Skill.objects.values_list("code", flat=True))
    languages = [code for code in Language.objects.values_list("code", flat=True) if code != "en"]
    qualification_types = list(QualificationType.objects.filter(
        restricted__in=[False, restricted_ok]).values_list("code", flat=True))
    countries = list(Country.objects.values_list("iso3", flat=True))
    themes = list(ThematicArea.objects.values_list("code", flat=True))
    cefr = ["A1", "A2", "B1", "B2", "C1", "C2"]
    today = dt.date.today()

    def row(number: str, variant: int):
        """One valid officer; `variant` changes phone, availability and English level (an update)."""
        r = random.Random(number)  # the same officer gets the same values in every file
        born = dt.date(1965, 1, 1) + dt.timedelta(days=r.randint(0, 365 * 35))
        issued = today - dt.timedelta(days=r.randint(30, 2000))
        quals = "; ".join(f"{code}:{issued}:{issued + dt.timedelta(days=3650)}"
                          for code in r.sample(qualification_types, r.randint(0, 3)))
        values = dict(zip(COLUMNS, [
            r.choice(pools), number, f"First{number[-5:]}", f"Last{number[-6:]}", r.choice(ranks),
            r.choice(["female", "male"]), born.isoformat(), f"o{number.lower()}@example.org",
            f"+49 30 {variant}{r.randint(100000, 999999)}", "Next Of Kin", "+49 30 111111",
            (today + dt.timedelta(days=30 * variant + r.randint(0, 300))).isoformat(), str(r.choice([6, 12, 24])),
            "; ".join(f"{code}:{r.randint(1, 4)}" for code in r.sample(skills, r.randint(0, 3))),
            "; ".join([f"en:{cefr[(r.randint(2, 5) + variant) % 6]}"]
                      + [f"{code}:{r.choice(cefr)}" for code in r.sample(languages, r.randint(0, 2))]),
            quals,
            "; ".join(r.sample(countries, r.randint(0, 2))),
            "; ".join(r.sample(themes, r.randint(0, 2))),
        ], strict=True))
        return [values[c] for c in columns]

    def server_cpu():
        """CPU seconds of this connection's PostgreSQL backend so far (None: not PostgreSQL, or the
        server is not on this machine). With the process's own CPU it gives the work done, which a
        busy machine stretches less than the wall time."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed_import(name, content):
        server_before = server_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        report = import_officers(actor=user, filename=name, content=content)
        cpu_seconds[name].append(time.process_time() - cpu)
        seconds = time.perf_counter() - started
        if server_before is not None:
            server_seconds[name].append(server_cpu() - server_before)
        return seconds, report

    sizes = args.sizes
    runs = {(kind, size): [] for size in sizes for kind in ("create", "update")
            if kind == "create" or size <= args.update_max}
    cpu_seconds = defaultdict(list)
    server_seconds = defaultdict(list)
    runs.update({("bad last row", max(sizes)): []})
    for repetition in range(args.repeat):
        for size in sizes:
            numbers = [f"B{repetition}-{size}-{i:06d}" for i in range(size)]
            for kind, variant in (("create", 0), ("update", 1)):
                if (kind, size) not in runs:
                    continue
                before = AuditEntry.objects.count()
                seconds, report = timed_import(f"{kind}-{size}.csv",
                                               make_file(columns, [row(n, variant) for n in numbers]))
                expected = (size, 0, 0) if kind == "create" else (0, size, 0)
                if report.errors or (report.created, report.updated, report.unchanged) != expected:
                    raise SystemExit(f"{kind} {size}: unexpected report {report}")
                if AuditEntry.objects.count() - before != size + 1:
                    raise SystemExit(f"{kind} {size}: expected {size + 1} audit entries")
                runs[(kind, size)].append(seconds)
                stale = stale_search_facts()
                if stale:
                    raise SystemExit(f"{kind} {size}: {len(stale)} officers with stale search facts")
                print(f"[{args.engine}] repetition {repetition + 1}: {kind} {size:,} rows in {seconds:.1f} s "
                      f"({size / seconds:,.0f} officers/s)", flush=True)
        size = max(sizes)
        rows = [row(f"X{repetition}-{i:06d}", 0) for i in range(size)]
        rows[-1][columns.index("rank")] = "general"
        officers_before, audit_before = Officer.objects.count(), AuditEntry.objects.count()
        seconds, report = timed_import(f"bad last row-{size}.csv", make_file(columns, rows))
        if report.errors != [(size + 1, report.errors[0][1])] or not report.errors[0][1].startswith("rank: unknown"):
            raise SystemExit(f"bad last row: unexpected errors {report.errors[:3]}")
        if (Officer.objects.count(), AuditEntry.objects.count()) != (officers_before, audit_before):
            raise SystemExit("bad last row: the import changed something")
        runs[("bad last row", size)].append(seconds)
        print(f"[{args.engine}] repetition {repetition + 1}: bad last row {size:,} rows refused in {seconds:.1f} s, "
              f"naming line {report.errors[0][0]:,}: {report.errors[0][1][:40]}…", flush=True)
    result = {"engine": args.engine, "roster": demo.counts.get("officers", args.roster), "repeat": args.repeat,
              "restricted": restricted_ok,
              "runs": [{"kind": kind, "size": size, "seconds": values, "cpu": cpu_seconds[f"{kind}-{size}.csv"],
                        "server_cpu": server_seconds[f"{kind}-{size}.csv"]}
                       for (kind, size), values in runs.items()]}
    Path(args.result_file).write_text(json.dumps(result))


def run_engine(engine: str, args) -> dict:
    env = dict(os.environ, DIVIDEND_DEBUG="0", DJANGO_SETTINGS_MODULE="dividend.settings")
    env.pop("DATABASE_URL", None)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.sqlite_path}{suffix}").unlink(missing_ok=True)
        env["DIVIDEND_SQLITE_PATH"] = str(args.sqlite_path)
    elif engine == "postgresql":
        fresh_postgres_database(args.postgres_url, args.postgres_db)
        env["DATABASE_URL"] = f"{args.postgres_url}/{args.postgres_db}"
    else:
        raise SystemExit(f"unknown engine {engine!r} (sqlite, postgresql)")
    result_file = Path(args.work_dir) / f"bench_imports_{engine}.json"
    command = [sys.executable, __file__, "--worker", engine, "--sizes", ",".join(map(str, args.sizes)),
               "--repeat", str(args.repeat), "--update-max", str(args.update_max), "--roster", str(args.roster), "--seed", str(args.seed),
               "--result-file", str(result_file)]
    subprocess.run(command, env=env, check=True, cwd=REPO)
    return json.loads(result_file.read_text())


def report(results: list[dict]):
    print()
    for result in results:
        print(f"## {result['engine']}: import into a roster of {result['roster']:,} officers, "
              f"median of {result['repeat']} runs"
              + ("" if result["restricted"] else " (without restricted columns: the user may not change them)"))
        print()
        print("| file | rows | median s | officers/s | process CPU s | database server CPU s | runs (s) |")
        print("|---|---|---|---|---|---|---|")
        for run in result["runs"]:
            median = statistics.median(run["seconds"])
            server = f"{statistics.median(run['server_cpu']):.2f}" if run.get("server_cpu") else "in process"
            print(f"| {run['kind']} | {run['size']:,} | {median:.2f} | {run['size'] / median:,.0f} | "
                  f"{statistics.median(run['cpu']):.2f} | {server} | {', '.join(f'{s:.2f}' for s in run['seconds'])} |")
        ten = [statistics.median(r["seconds"]) for r in result["runs"] if r["size"] == 10_000 and r["kind"] == "create"]
        if ten:
            verdict = "meets" if ten[0] < TARGET_SECONDS_10K else "MISSES"
            print(f"\n10,000 new officers: {ten[0]:.1f} s → {verdict} the {TARGET_SECONDS_10K:.0f} s target")
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda text: [int(s) for s in text.split(",")], default=[1000, 10_000, 50_000])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--update-max", type=int, default=10_000, help="Largest file also imported as an update.")
    parser.add_argument("--roster", type=int, default=2000, help="Officers on the roster before the imports.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_imports.sqlite3")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_imports")
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
