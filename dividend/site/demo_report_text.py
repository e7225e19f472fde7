"""Synthetic field reports: templated text with real variation over a mission's host countries and
the cities of those countries (the gazetteer), for the demo data (`dividend.site.demo_reports`) and
the reports benchmark (bench/reports.py), which share this one generator.

The text is made of sentence templates per theme (actors, places, times, numbers, roads and
checkpoints filled in at random) and general sentences on the security situation; a near-duplicate
is another report of the same event (sentences reordered or dropped, words replaced, another
title). Everything random comes from one `random.Random(seed)`: the same seed and the same calls
give the same drafts. Plain Python (no Django): the caller passes the missions, themes and cities.
"""

import datetime as dt
import random

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
        "The new police academy in {city} trained {n}0 recruits, {n} of them women.",
        "Community police stations opened {place}; {actor} welcomed them.",
        "Salaries of police officers were paid {n} days late again.",
    ],
    "community_policing": [
        "A meeting between {actor} and the police took place {place} {time}.",
        "Neighbourhood watch groups in {city} now report to the police station.",
    ],
    "maritime_security": [
        "{actor} stopped a fishing boat carrying {n} people off {city} {time}.",
        "Piracy near the port of {city} has not been reported for {n} weeks.",
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


def _sentence(text: str) -> str:
    """A template starts with an actor ("the local police reported..."): a sentence starts with a capital."""
    return text[:1].upper() + text[1:]


class ReportGenerator:
    """Drafts for `reports.ingest.file_reports_batch`: realistic text, the mission's places, planted
    near-duplicates. `missions`: mission pk -> (mission, [host countries], [theme codes of
    THEME_SENTENCES]); `themes`: code -> ThematicArea; `cities`: ISO2 -> [city names]. Draft keys
    are `<prefix>-<officer key>-<counter>`."""

    def __init__(self, *, seed, missions, themes, cities, today, prefix: str = "bench"):
        self.rng = random.Random(seed)  # noqa: S311 - seeded for reproducible synthetic text # nosec B311
        self.missions = missions     # mission pk -> (mission, [countries], [theme codes])
        self.themes = themes         # code -> ThematicArea
        self.cities = cities         # iso2 -> [city names]
        self.today = today
        self.prefix = prefix
        self.counter = 0

    def _fill(self, template, cities):
        rng = self.rng
        return _sentence(template.format(
            actor=rng.choice(ACTORS), actor2=rng.choice(ACTORS), place=rng.choice(PLACES_NEAR),
            time=rng.choice(TIMES), n=rng.randint(2, 60), city=rng.choice(cities), city2=rng.choice(cities),
            mood=rng.choice(MOODS), mood2=rng.choice(MOODS2), road=rng.choice(ROADS)))

    def _sentences(self, mission_pk: int):
        """The mission, its countries and cities, the themes drawn and the report's sentences."""
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
        return mission, countries, cities, theme_codes, sentences

    def _draft(self, officer_key, mission, countries, cities, theme_codes, sentences, kind, start, end) -> dict:
        rng = self.rng
        topic = TOPICS.get(theme_codes[0], "the security situation") if theme_codes else "the security situation"
        city = rng.choice(cities)
        title = rng.choice(TITLES).format(week=end.isocalendar()[1], topic=topic, city=city, month=end.strftime("%B"),
                                          kind=kind.replace("_", " ").capitalize())
        places = "; ".join(dict.fromkeys([city, *rng.sample(cities, k=min(len(cities), rng.randint(0, 2)))]))
        self.counter += 1
        paragraphs, size = [], rng.randint(2, 4)
        for i in range(0, len(sentences), size):
            paragraphs.append(" ".join(sentences[i:i + size]))
        return {"draft_key": f"{self.prefix}-{officer_key}-{self.counter:08d}", "mission": mission,
                "period_start": start, "period_end": end, "kind": kind, "title": _sentence(title[:200]),
                "body": "\n\n".join(paragraphs), "places": places[:500],
                "marking": rng.choices(["clear", "green", "amber", "amber_strict", "red"], weights=[10, 50, 30, 7, 3])[0],
                "credibility": rng.randint(1, 6), "reliability": rng.choice("ABCDEF"),
                "themes": [self.themes[c] for c in theme_codes], "countries": list(countries), "requirements": []}

    def draft(self, officer_key: str, mission_pk: int) -> dict:
        """A report of a random type (weekly 70 %, monthly 10 %, ad hoc 20 %) on a period ending in the
        last two years."""
        rng = self.rng
        parts = self._sentences(mission_pk)
        kind = rng.choices(["weekly", "monthly", "ad_hoc"], weights=[70, 10, 20])[0]
        end = self.today - dt.timedelta(days=rng.randint(0, 720))
        start = end - dt.timedelta(days={"weekly": 6, "monthly": 29, "ad_hoc": rng.randint(0, 2)}[kind])
        return self._draft(officer_key, *parts, kind, start, end)

    def write(self, officer_key: str, mission_pk: int, *, kind: str, start: dt.date, end: dt.date) -> dict:
        """A report of the given type on the given period (the demo's reporting calendar); only a
        weekly report's title names its week."""
        draft = self._draft(officer_key, *self._sentences(mission_pk), kind, start, end)
        if kind != "weekly" and draft["title"].startswith("Week "):
            draft["title"] = _sentence(draft["title"].split(": ", 1)[1])
        return draft

    def corroboration(self, original: dict, officer_key: str, witness: str) -> dict:
        """Another secondee's report of the same event, as the demo shows one: the original's text
        and a sentence of their own, another title; a new draft key. Close enough for the
        near-duplicate suggestions to pair the two, whatever the original's length."""
        self.counter += 1
        return original | {"draft_key": f"{self.prefix}-{officer_key}-{self.counter:08d}",
                           "body": original["body"] + "\n\n" + _sentence(f"{witness} confirmed this to the mission."),
                           "title": ("Re: " + original["title"])[:200]}

    def near_duplicate(self, original: dict, officer_key: str) -> dict:
        """Another report of the same event: the original's sentences, some reordered, one dropped
        or added, a few words replaced, another title and period; a new draft key."""
        rng = self.rng
        sentences = [s.rstrip(".") for p in original["body"].split("\n\n") for s in p.split(". ") if s]
        if len(sentences) > 3 and rng.random() < 0.5:
            sentences.pop(rng.randrange(len(sentences)))
        if rng.random() < 0.5:
            i = rng.randrange(len(sentences))
            j = min(len(sentences) - 1, i + 1)
            sentences[i], sentences[j] = sentences[j], sentences[i]
        words = (". ".join(sentences) + ".").split(" ")
        for i, word in enumerate(words):
            if word in SYNONYMS and rng.random() < 0.5:
                words[i] = SYNONYMS[word]
        self.counter += 1
        shift = dt.timedelta(days=rng.randint(0, 2))
        return original | {"draft_key": f"{self.prefix}-{officer_key}-{self.counter:08d}", "body": " ".join(words),
                           "title": ("Re: " + original["title"])[:200] if rng.random() < 0.5 else original["title"],
                           "period_end": original["period_end"] + shift, "period_start": original["period_start"] + shift}
