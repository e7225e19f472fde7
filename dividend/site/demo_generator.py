"""The demo roster generator: pools, positions, officers with everything attached, mission history
and demo users, from one seeded random source (see `dividend.site.demo` for the entry point).

No audit entries are written here on purpose: generating demo data is seeding, like loading
reference data, not a change a user made.
"""

import base64
import datetime as dt
import random
import time
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.accounts.access import roles_need_second_factor
from dividend.common.database import BulkRowWriter
from dividend.missions.models import (
    JobDescription,
    Mission,
    Position,
    PositionLanguage,
    PositionSkill,
)
from dividend.pools.models import Pool, RoleAssignment, Scope
from dividend.reference.models import Country, Language, QualificationType, Rank, Skill, ThematicArea
from dividend.roles.services import grant_role, withdraw_role
from dividend.roster.facts import facts_line
from dividend.roster.models import (
    Officer,
    OfficerLanguage,
    OfficerSkill,
    Qualification,
    UnavailablePeriod,
    add_months,
    search_document,
)
from dividend.secondments.models import Secondment
from dividend.site.demo_catalogue import (
    CLEARANCE_LEVELS,
    DEMO_USERS,
    EXPERTISE_ISO3,
    FRANCOPHONE_ISO3,
    GENERIC_POSITIONS,
    GENERIC_TAGS,
    HOME_LANGUAGE,
    HOME_POOL,
    NAMES,
    NATIVE_LANGUAGE,
    ORIGIN_WEIGHTS,
    ORIGINS,
    OTHER_LANGUAGES,
    POOLS,
    RANK_MIN_AGE,
    RANK_WEIGHTS,
    SKILL_COUNT_WEIGHTS,
    SKILL_LEVEL_WEIGHTS,
    SKILL_THEME,
    SKILL_WEIGHTS,
    UNAVAILABLE_REASONS,
    demo_burden,
)

DEMO_PASSWORD = "dividend-demo"  # noqa: S105 - the demo users' documented password, demo data only # nosec B105
# The demo users whose roles need a second factor share this authenticator key (base32), printed by
# `python3 dev.py run`; `python3 dev.py code` prints its current code. Demo data only, like the password.
DEMO_TOTP_KEY = "MRUXM2LEMVXGILLEMVWW6LLUN52HAIJB"
# Why a demo secondment came home early (cut short).
CUT_SHORT_REASONS = ("Medical repatriation", "Family emergency at home", "Mission drawdown", "Security situation")
CHUNK = 5000  # officers generated and written per round: bounds memory at any N
BATCH = 2000  # bulk_create batch size (Django lowers it to SQLite's parameter limit)


@dataclass
class _Post:
    """A position officers can be seconded to, with its mission's dates (for plausible history)."""

    id: int
    active: bool
    mission_start: dt.date
    mission_end: dt.date | None
    host_ids: list[int]
    theme_ids: list[int]
    duration: int


_SPELLED_OUT = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "đ": "d"})


def _ascii(text: str) -> str:
    """E-mail-safe form of a name: Weiß → weiss, Öztürk → ozturk, van den Berg → vandenberg."""
    folded = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


class DemoGenerator:
    def __init__(self, *, officers: int, seed: int, today: dt.date | None = None, log=None):
        self.n = officers
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - seeded for reproducible demo data, not for security # nosec B311
        self.today = today or dt.date.today()
        self.log = log or (lambda message: None)
        self.started = time.monotonic()

    # -- helpers -----------------------------------------------------------------------------
    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _weighted_sample(self, items, weights, k):
        """k distinct items, drawn by weight (deterministic for a given rng state)."""
        chosen, pool, w = [], list(items), list(weights)
        for _ in range(min(k, len(pool))):
            i = self.rng.choices(range(len(pool)), weights=w)[0]
            chosen.append(pool.pop(i))
            w.pop(i)
        return chosen

    # -- steps -------------------------------------------------------------------------------
    def load_reference(self):
        self.skills = {s.code: s for s in Skill.objects.order_by("code")}
        self.languages = {lang.code: lang for lang in Language.objects.order_by("code")}
        self.qtypes = {q.code: q for q in QualificationType.objects.order_by("code")}
        self.ranks = list(Rank.objects.order_by("order"))
        self.themes = {t.code: t for t in ThematicArea.objects.order_by("code")}
        self.skill_codes = [code for code in SKILL_WEIGHTS if code in self.skills]
        self.skill_weights = [SKILL_WEIGHTS[code] for code in self.skill_codes]
        self.missions = list(Mission.objects.order_by("organisation", "acronym").prefetch_related(
            "host_countries", "thematic_areas"))
        self.country_regions = {cid: (cid, region, subregion) for cid, region, subregion in
                                Country.objects.values_list("id", "region", "subregion")}
        host_ids = {c.id for m in self.missions for c in m.host_countries.all()}
        self.country_iso3 = {c.id: c.iso3 for m in self.missions for c in m.host_countries.all()}
        extra = list(Country.objects.filter(iso3__in=EXPERTISE_ISO3).order_by("iso3").values_list("id", flat=True))
        self.expertise_country_ids = sorted(host_ids | set(extra))
        # Names for the search document (roster.models.search_document).
        self.country_names = dict(Country.objects.filter(id__in=self.expertise_country_ids).values_list("id", "name"))
        self.theme_names = dict(ThematicArea.objects.values_list("id", "name"))
        self.theme_ids = [t.id for t in self.themes.values()]

    def make_pools(self):
        pools = []
        for code, name, kind, headcount, _domain, _prefix in POOLS:
            pool, _ = Pool.objects.update_or_create(code=code, defaults={"name": name, "kind": kind,
                                                                         "headcount": headcount})
            pools.append(pool)
        self.pools = pools
        self.pool_meta = {row[0]: row for row in POOLS}
        return pools

    def allocate(self) -> list[int]:
        """Officers per pool, proportional to headcount (largest remainder)."""
        total = sum(p.headcount for p in self.pools)
        exact = [self.n * p.headcount / total for p in self.pools]
        counts = [int(x) for x in exact]
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
        for i in order[: self.n - sum(counts)]:
            counts[i] += 1
        return counts

    def make_positions(self):
        """2–6 posts per active mission (some from job descriptions) and 1–2 past posts per closed one."""
        rng = self.rng
        jobs = list(JobDescription.objects.order_by("code").prefetch_related(
            "required_skills", "required_languages", "required_qualifications", "thematic_tags"))
        themes = {t.code: t.id for t in ThematicArea.objects.all()}
        tags = []  # per position: its thematic tags (a catalogue job's, or the generic title's)
        q = self.qtypes
        en, fr = self.languages.get("en"), self.languages.get("fr")
        horizon = self.today - dt.timedelta(days=365 * 20)
        posts, specs = [], []  # specs: (Position, skills [(id, lvl)], langs [(id, lvl)], qual ids)
        for mission in self.missions:
            start = mission.start_date or horizon
            if mission.status == Mission.Status.ACTIVE:
                count, status = rng.randint(2, 6), Position.Status.OPEN
            elif mission.status == Mission.Status.CLOSED and mission.end_date and mission.end_date > horizon:
                count, status = rng.randint(1, 2), Position.Status.CLOSED
            else:
                continue
            hosts = list(mission.host_countries.all())
            francophone = any(c.iso3 in FRANCOPHONE_ISO3 for c in hosts)
            station = mission.location or (hosts[0].name if hosts else "")
            for index in range(count):
                # A job that asks for the UN assessment (AMS/SAAT) is a UN post: never on an EU or OSCE mission.
                fitting = [j for j in jobs if mission.organisation == "un"
                           or not any(qt.code == "un_saat" for qt in j.required_qualifications.all())]
                if fitting and rng.random() < 0.4:
                    job = rng.choice(fitting)
                    position = Position(mission=mission, job_description=job, title=job.title,
                                        minimum_rank_id=job.minimum_rank_id, duration_months=job.duration_months,
                                        armed=job.armed)
                    skills = [(s.skill_id, s.min_level) for s in job.required_skills.all()]
                    langs = [(lang.language_id, lang.min_level) for lang in job.required_languages.all()]
                    quals = [qt.id for qt in job.required_qualifications.all()]
                    tags.append([t.id for t in job.thematic_tags.all()])
                else:
                    title, skill_reqs, min_rank, armed = rng.choice(GENERIC_POSITIONS)
                    position = Position(mission=mission, title=title, minimum_rank_id=self.ranks[min_rank - 1].id,
                                        duration_months=rng.choice([12, 12, 12, 6, 24]),
                                        armed=armed and mission.mandate_executive)
                    skills = [(self.skills[code].id, level) for code, level in skill_reqs if code in self.skills]
                    langs = [(en.id, rng.choice([4, 4, 5]))] if en else []
                    if francophone and fr:
                        langs.append((fr.id, 4))
                    codes = ["passport", "medical_fitness"]
                    codes.append("un_saat" if mission.organisation == "un" else "pre_deployment_course")
                    if rng.random() < 0.5:
                        codes.append("heat")
                    if mission.organisation == "eu_csdp" and rng.random() < 0.3:
                        codes.append("security_clearance")
                    quals = [q[c].id for c in codes if c in q]
                    tags.append([themes[c] for c in GENERIC_TAGS.get(title, ()) if c in themes])
                position.burden = demo_burden(mission, hosts)
                position.reference = f"{mission.acronym}-{index + 1:03d}"
                position.duty_station = station[:100]
                position.status = status
                position.description = (f"{position.title} with {mission.acronym} ({mission.name})."
                                        )[:500]
                specs.append((position, skills, langs, quals))
                posts.append((mission, start, status == Position.Status.OPEN,
                              [c.id for c in hosts], position.duration_months))
        created = Position.objects.bulk_create([s[0] for s in specs], batch_size=BATCH)
        PositionSkill.objects.bulk_create(
            [PositionSkill(position=p, skill_id=sid, min_level=lvl) for p, (_, sk, _, _) in zip(created, specs, strict=True)
             for sid, lvl in dict(sk).items()], batch_size=BATCH)
        PositionLanguage.objects.bulk_create(
            [PositionLanguage(position=p, language_id=lid, min_level=lvl)
             for p, (_, _, lg, _) in zip(created, specs, strict=True) for lid, lvl in dict(lg).items()], batch_size=BATCH)
        through = Position.required_qualifications.through
        through.objects.bulk_create(
            [through(position_id=p.id, qualificationtype_id=qid) for p, (_, _, _, qs) in zip(created, specs, strict=True)
             for qid in dict.fromkeys(qs)], batch_size=BATCH)
        tagged = Position.thematic_tags.through
        tagged.objects.bulk_create(
            [tagged(position_id=p.id, thematicarea_id=tid) for p, ids in zip(created, tags, strict=True)
             for tid in dict.fromkeys(ids)], batch_size=BATCH)
        self.posts = [_Post(id=p.id, active=active, mission_start=start, mission_end=mission.end_date,
                            host_ids=hosts, theme_ids=[t.id for t in mission.thematic_areas.all()], duration=duration)
                      for p, (mission, start, active, hosts, duration) in zip(created, posts, strict=True)]
        self.active_posts = [p for p in self.posts if p.active]
        return created

    def _pick_post(self, start: dt.date, end: dt.date) -> _Post | None:
        if not self.posts:
            return None
        for _ in range(25):
            post = self.rng.choice(self.posts)
            if post.mission_start <= start and (post.mission_end is None or post.mission_end >= end):
                return post
        return None

    # -- one officer -------------------------------------------------------------------------
    def officer_spec(self, pool, service_number: str) -> dict:
        rng, today = self.rng, self.today
        origin = rng.choices(ORIGINS, weights=ORIGIN_WEIGHTS)[0]
        female_names, male_names, last_names = NAMES[origin]
        gender = rng.choices(["female", "male", "other", "undisclosed"], weights=[30, 69, 0.3, 0.7])[0]
        first_pool = female_names if gender == "female" else male_names
        if gender in ("other", "undisclosed"):
            first_pool = rng.choice([female_names, male_names])
        first = rng.choice(first_pool.split())
        last = rng.choice(last_names.split(","))
        age = int(rng.triangular(25, 62.99, 40))
        rank_index = rng.choices(range(len(self.ranks)), weights=RANK_WEIGHTS)[0]
        while rank_index and age < RANK_MIN_AGE[rank_index]:
            rank_index -= 1
        rank = self.ranks[rank_index]
        latest_birthday = add_months(today, -12 * age)  # exactly `age` years old today
        birthday = latest_birthday - dt.timedelta(days=rng.randint(0, 364))
        domain = self.pool_meta[pool.code][4]
        spec = {
            "first_name": first, "last_name": last, "gender": gender, "rank": rank, "date_of_birth": birthday,
            "service_number": service_number,
            "email": f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{domain}",
            "phone": f"+49 {rng.choice(['151', '160', '162', '170', '171', '175', '176'])} {rng.randint(1000000, 9999999)}",
        }
        if rng.random() < 0.85:
            spec["emergency_contact_name"] = (f"{rng.choice(rng.choice([female_names, male_names]).split())} "
                                              f"{last if rng.random() < 0.7 else rng.choice(last_names.split(','))}")
            spec["emergency_contact_phone"] = f"+49 {rng.randint(30, 991)} {rng.randint(100000, 9999999)}"

        # Skills.
        k = rng.choices(list(SKILL_COUNT_WEIGHTS), weights=list(SKILL_COUNT_WEIGHTS.values()))[0]
        skill_codes = self._weighted_sample(self.skill_codes, self.skill_weights, k)
        skills = [(self.skills[c], rng.choices([1, 2, 3, 4], weights=SKILL_LEVEL_WEIGHTS)[0]) for c in skill_codes]
        # Stored in id order: build_search_document reads officer.skills.all() without an ORDER BY, so
        # rows come in insertion order or in (officer, skill) index order; id order is both.
        skills.sort(key=lambda pair: pair[0].id)

        # Languages: native, German (working language), English, sometimes French and another.
        langs: dict[str, tuple[int, int, int]] = {}

        def learned(low, high):
            base = rng.randint(low, high)
            return (base, min(6, base + rng.choice([0, 0, 1])), max(1, base - rng.choice([0, 0, 1])))

        langs[NATIVE_LANGUAGE[origin]] = (6, 6, 6)
        if HOME_LANGUAGE not in langs:
            langs[HOME_LANGUAGE] = learned(5, 6)
        if rng.random() < 0.95:
            langs["en"] = learned(*rng.choice([(3, 4), (4, 5), (4, 6), (5, 6)]))
        if "fr" not in langs and rng.random() < 0.22:
            langs["fr"] = learned(2, 5)
        if origin == "diaspora" and rng.random() < 0.7:
            langs[rng.choice(["tr", "ar"])] = learned(4, 6)
        if rng.random() < 0.15:
            other = rng.choice(OTHER_LANGUAGES)
            langs.setdefault(other, learned(2, 5))
        languages = sorted(((self.languages[code], levels) for code, levels in langs.items()
                            if code in self.languages), key=lambda pair: pair[0].id)

        # Mission history: older officers more often; a few deployed now or planned.
        secondments = []
        fate = rng.random()
        history_p = 0.05 + 0.011 * (age - 25)
        cursor = today - dt.timedelta(days=rng.randint(60, 1500))
        deployed_until = None
        if fate < 0.015 and self.active_posts:
            post = rng.choice(self.active_posts)
            start = today - dt.timedelta(days=rng.randint(15, 330))
            end = max(add_months(start, post.duration), today + dt.timedelta(days=30))
            secondments.append((post, start, end, Secondment.Status.DEPLOYED, start, ""))
            cursor, deployed_until = start - dt.timedelta(days=rng.randint(120, 900)), end
        elif fate < 0.025 and self.active_posts:
            post = rng.choice(self.active_posts)
            start = today + dt.timedelta(days=rng.randint(30, 150))
            # Departure within two months: the pre-deployment checklist has started.
            status = Secondment.Status.PREPARING if start <= today + dt.timedelta(days=60) else Secondment.Status.SELECTED
            secondments.append((post, start, add_months(start, post.duration), status, today, ""))
        if rng.random() < history_p:
            for _ in range(rng.choices([1, 2, 3], weights=[70, 22, 8])[0]):
                end = cursor
                start = add_months(end, -rng.choice([6, 9, 12, 12, 12, 18, 24]))
                post = self._pick_post(start, end)
                if post is None:
                    break
                # Back more than a year: placed in a post at home; recently back: still returned.
                status = Secondment.Status.REINTEGRATED if end < today - dt.timedelta(days=365) else Secondment.Status.RETURNED
                cut = ""
                if rng.random() < 0.04:
                    end, cut = start + (end - start) // 2, rng.choice(CUT_SHORT_REASONS)
                secondments.append((post, start, end, status, end, cut))
                cursor = start - dt.timedelta(days=rng.randint(180, 1400))
        has_history = any(s[3] in Secondment.TOOK_PLACE for s in secondments)

        # Qualifications: (type code, issued, expires, level, reference, status).
        quals = []

        def qualify(code, probability, back_months):
            qt = self.qtypes.get(code)
            if qt is None or rng.random() >= probability:
                return
            issued = self._date_between(add_months(today, -back_months), today - dt.timedelta(days=3))
            expires = add_months(issued, qt.validity_months) if qt.validity_months else None
            level = rng.choices(CLEARANCE_LEVELS, weights=[40, 40, 20])[0] if qt.has_level else ""
            reference = f"{code[:3].upper()}-{rng.randint(100000, 999999)}"
            if qt.restricted:  # medical and clearance keep no document number (drawn all the same: same stream)
                reference = ""
            quals.append([qt, issued, expires, level, reference, Qualification.Status.CONFIRMED])

        qualify("passport", 0.97 if has_history else 0.85, 119)
        qualify("un_saat", 0.6 if has_history else 0.18, 48)
        qualify("pre_deployment_course", 0.95 if has_history else 0.3, 120)
        qualify("heat", 0.7 if has_history else 0.2, 60)
        qualify("medical_fitness", 0.7 if has_history else 0.35, 18)
        qualify("security_clearance", 0.45, 72)
        qualify("driving_licence", 0.35, 240)
        qualify("firearms", 0.6, 14)
        expiring = [q for q in quals if q[2] is not None]
        if expiring and rng.random() < 0.03:  # about to expire: within 60 days
            q = rng.choice(expiring)
            q[2] = today + dt.timedelta(days=rng.randint(1, 60))
            q[1] = max(add_months(q[2], -q[0].validity_months), today - dt.timedelta(days=3650))
        if rng.random() < 0.02:  # a secondee's own entry waiting for a coordinator
            code = rng.choice(["medical_fitness", "un_saat", "heat", "passport"])
            qt = self.qtypes.get(code)
            if qt is not None:
                issued = today - dt.timedelta(days=rng.randint(1, 30))
                expires = add_months(issued, qt.validity_months) if qt.validity_months else None
                reference = f"{code[:3].upper()}-{rng.randint(100000, 999999)}"
                quals.append([qt, issued, expires, "", "" if qt.restricted else reference,
                              Qualification.Status.PENDING])

        # Availability.
        available_from, max_months = None, None
        if deployed_until is not None:
            if rng.random() < 0.6:
                available_from = deployed_until + dt.timedelta(days=rng.randint(30, 180))
        elif rng.random() < 0.6:
            if rng.random() < 0.4:
                available_from = today - dt.timedelta(days=rng.randint(1, 720))
            else:
                available_from = today + dt.timedelta(days=rng.randint(1, 540))
        if available_from is not None:
            max_months = rng.choices([6, 12, 24], weights=[30, 50, 20])[0]
        periods = []
        if rng.random() < 0.1:
            for _ in range(rng.choices([1, 2], weights=[80, 20])[0]):
                start = today + dt.timedelta(days=rng.randint(-60, 540))
                periods.append((start, start + dt.timedelta(days=rng.randint(14, 270)),
                                rng.choice(UNAVAILABLE_REASONS)))

        # Declared expertise.
        countries: list[int] = []
        if has_history and rng.random() < 0.5:
            for s in secondments:
                countries.extend(s[0].host_ids[:1])
        if rng.random() < 0.15 and self.expertise_country_ids:
            countries.extend(rng.sample(self.expertise_country_ids, rng.randint(1, 2)))
        countries = [c for c in dict.fromkeys(countries) if c in self.country_names]
        themes: list[int] = []
        if rng.random() < 0.25 and self.theme_ids:
            hinted = [self.themes[SKILL_THEME[c]].id for c in skill_codes
                      if c in SKILL_THEME and SKILL_THEME[c] in self.themes]
            themes = list(dict.fromkeys(hinted[:2] + rng.sample(self.theme_ids, rng.randint(0, 2))))[:3]
            if not themes:
                themes = [rng.choice(self.theme_ids)]

        # Selection facts, from a stream of their own (the main stream, and so every other drawn
        # value, stays as it was): police service since the early twenties; a human-rights screening
        # certificate for most with mission history (the UN asks for one); rarely, a substantiated
        # misconduct finding from an earlier mission.
        extra = random.Random(f"{self.seed}:{service_number}:selection")  # noqa: S311 - demo data, not secrets # nosec B311
        service_age = extra.choices([18, 19, 20, 21, 22, 24, 27, 30], weights=[8, 14, 18, 18, 14, 12, 10, 6])[0]
        service_age = min(service_age, age - 1)
        spec["service_start"] = (add_months(birthday, 12 * service_age)
                                 + dt.timedelta(days=extra.randint(0, 300)))
        spec["service_start"] = min(spec["service_start"], today - dt.timedelta(days=30))
        screening = self.qtypes.get("human_rights_screening")
        if screening is not None and extra.random() < (0.8 if has_history else 0.25):
            issued = today - dt.timedelta(days=extra.randint(3, 1800))
            quals.append([screening, issued, add_months(issued, screening.validity_months)
                          if screening.validity_months else None, "", f"HRS-{extra.randint(100000, 999999)}",
                          Qualification.Status.CONFIRMED])
        spec["misconduct_recorded_on"] = None
        if has_history and extra.random() < 0.01:
            spec["misconduct_recorded_on"] = today - dt.timedelta(days=extra.randint(90, 2500))

        spec.update(available_from=available_from, max_duration_months=max_months, skills=skills,
                    languages=languages, quals=quals, periods=periods, countries=countries, themes=themes,
                    secondments=secondments)
        spec["search_document"] = search_document(
            first_name=first, last_name=last, service_number=service_number, pool_code=pool.code,
            pool_name=pool.name, rank_name=rank.name, skills=[s.name for s, _ in skills],
            languages=[lang.name for lang, _ in languages], countries=[self.country_names[c] for c in countries],
            themes=[self.theme_names[t] for t in themes])
        history = [s[0] for s in secondments if s[3] in Secondment.TOOK_PLACE]
        spec["search_facts"] = facts_line(
            gender=gender, pool_id=pool.id, skills=[(s.id, level) for s, level in skills],
            languages=[(lang.id, *levels) for lang, levels in languages],
            qualification_type_ids={q[0].id for q in quals if q[5] == Qualification.Status.CONFIRMED},
            countries=[self.country_regions[c] for c in countries]
            + [self.country_regions[c] for post in history for c in post.host_ids],
            themes=themes + [t for post in history for t in post.theme_ids])
        return spec

    def make_officers(self):
        rng = self.rng
        counts = self.allocate()
        assignment = [i for i, c in enumerate(counts) for _ in range(c)]
        rng.shuffle(assignment)
        next_number = [rng.randint(100000, 400000) for _ in self.pools]
        filled_posts: set[int] = set()
        skills = BulkRowWriter(OfficerSkill, ["officer", "skill", "level"])
        languages = BulkRowWriter(OfficerLanguage, ["officer", "language", "speaking", "reading", "writing"])
        quals = BulkRowWriter(Qualification, ["officer", "qualification_type", "issued_on", "expires_on", "level",
                                           "reference", "status"])
        periods = BulkRowWriter(UnavailablePeriod, ["officer", "start", "end", "reason"])
        countries = BulkRowWriter(Officer.country_expertise.through, ["officer", "country"])
        themes = BulkRowWriter(Officer.thematic_expertise.through, ["officer", "thematicarea"])
        secondments = BulkRowWriter(Secondment, ["officer", "position", "start_date", "end_date", "status",
                                              "status_changed_at", "cut_short", "cut_short_reason"])
        writers = [skills, languages, quals, periods, countries, themes, secondments]
        adapt_datetime = connection.ops.adapt_datetimefield_value
        for chunk_start in range(0, len(assignment), CHUNK):
            officers, specs = [], []
            for pool_index in assignment[chunk_start:chunk_start + CHUNK]:
                pool = self.pools[pool_index]
                next_number[pool_index] += rng.randint(1, 9)
                number = f"{self.pool_meta[pool.code][5]}-{next_number[pool_index]}"
                spec = self.officer_spec(pool, number)
                specs.append(spec)
                officers.append(Officer(
                    pool=pool, service_number=number, first_name=spec["first_name"], last_name=spec["last_name"],
                    rank=spec["rank"], gender=spec["gender"], date_of_birth=spec["date_of_birth"],
                    service_start=spec["service_start"], misconduct_recorded_on=spec["misconduct_recorded_on"],
                    email=spec["email"], phone=spec["phone"],
                    emergency_contact_name=spec.get("emergency_contact_name", ""),
                    emergency_contact_phone=spec.get("emergency_contact_phone", ""),
                    available_from=spec["available_from"], max_duration_months=spec["max_duration_months"],
                    search_document=spec["search_document"], search_facts=spec["search_facts"]))
            Officer.objects.bulk_create(officers, batch_size=BATCH)
            for officer, spec in zip(officers, specs, strict=True):
                oid = officer.id
                skills.add_many((oid, s.id, lvl) for s, lvl in spec["skills"])
                languages.add_many((oid, lang.id, sp, rd, wr) for lang, (sp, rd, wr) in spec["languages"])
                quals.add_many((oid, qt.id, issued, expires, level, ref, status)
                               for qt, issued, expires, level, ref, status in spec["quals"])
                periods.add_many((oid, s, e, r) for s, e, r in spec["periods"])
                countries.add_many((oid, c) for c in spec["countries"])
                themes.add_many((oid, t) for t in spec["themes"])
                for post, start, end, status, changed, cut in spec["secondments"]:
                    secondments.add((oid, post.id, start, end, status, adapt_datetime(_aware(changed)), bool(cut), cut))
                    if status == Secondment.Status.DEPLOYED:
                        filled_posts.add(post.id)
            for writer in writers:
                writer.flush()
            done = chunk_start + len(officers)
            self.log(f"  officers {done:,}/{len(assignment):,} ({self._elapsed()})")
        Position.objects.filter(id__in=sorted(filled_posts)).update(status=Position.Status.FILLED)

    def make_users(self):
        User = get_user_model()
        home = next(p for p in self.pools if p.code == HOME_POOL)
        in_home = Officer.objects.filter(pool=home, user__isnull=True).order_by("service_number")
        officer = (in_home.filter(secondments__status=Secondment.Status.DEPLOYED).first()
                   or in_home.filter(secondments__status__in=Secondment.ENDED).first()
                   or in_home.first())
        # One hash for every demo account (the same published password): PBKDF2 costs 0.6 s a hash here,
        # 5 of the demo's 11 s when each of its nine users was hashed on its own.
        password = make_password(DEMO_PASSWORD)
        for username, role, national, pool_level, first, last, superuser in DEMO_USERS:
            if username == "secondee" and officer is not None:
                first, last = officer.first_name, officer.last_name
            user, _ = User.objects.update_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "email": f"{username}@demo.dividend.invalid",
                "is_staff": superuser, "is_superuser": superuser, "is_active": True})
            # Demo accounts: the password validators are deliberately not applied.
            user.password = password
            user.save(update_fields=["password"])
            self.set_role(user, role, Scope.NATIONAL if national else Scope.POOLS, [home] if pool_level else [])
            if username == "secondee" and officer is not None:
                Officer.objects.filter(user=user).exclude(pk=officer.pk).update(user=None)
                officer.user = user
                officer.save(update_fields=["user"])
            self.set_authenticator(User.objects.get(pk=user.pk))

    @staticmethod
    def set_authenticator(user):
        """The published demo authenticator for a demo user whose roles need a second factor."""
        TOTPDevice.objects.filter(user=user).delete()
        if roles_need_second_factor(user):
            TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True,
                                      key=base64.b32decode(DEMO_TOTP_KEY).hex())

    @staticmethod
    def set_role(user, role, scope, pools):
        """The demo user holds exactly this role, through the audited workflows (as the system)."""
        wanted = (role, scope, frozenset(p.pk for p in pools))
        held = False
        for assignment in RoleAssignment.objects.of(user).select_related("user"):
            if (assignment.role, assignment.scope, frozenset(p.pk for p in assignment.pools.all())) == wanted:
                held = True
            else:
                withdraw_role(actor=None, assignment=assignment)
        if not held:
            grant_role(actor=None, user=user, role=role, scope=scope, pools=pools)
