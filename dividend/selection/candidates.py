"""The selection engine's facts, built from the app's records: derived, read-only data.

Nothing here writes. The engine (`selection/engine/`) sees plain dataclasses; this module builds
them from the roster, the missions' positions and the mission history in a fixed number of queries
whatever the number of officers or positions, and turns the engine's answers (codes with parameters)
into text in the reader's language.

Public interface (the position page, the eligibility overview, the API and the assignment view use
these):

- `candidate_facts(officers, *, viewer, questions)` → `[engine.Candidate]`, one per officer, in order;
- `position_facts(call_positions)` → `[engine.Position]`, one per call position, in order;
- `rule_set_for(organisation)` / `weights_for(call)` → the engine's `RuleSet` / `Weights` that apply;
- `rank_position(call_position, *, viewer)` → `[RankedNomination]`: a position's nominations in the
  running, ranked (eligible first by score), each with its rule outcomes and score parts in words;
- `call_matrices(call, *, viewer)` → `CallMatrices(nominations, call_positions, eligible, scores)`
  for the call's nominees (one row per officer) × its positions.

Restricted qualifications (medical fitness, security clearance) reach the engine only as yes/no
answers to `engine.restricted_questions` ("valid on that date at that level?"), whoever the viewer
is: their dates and levels are read here to answer and go no further, so no page, export or API
answer built on these facts can show them (docs/architecture.md, need-to-know). The misconduct
finding enters as "on record: yes/no" only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from dividend.missions.models import Mission, PositionLanguage, PositionSkill
from dividend.reference import taxonomy
from dividend.reference.models import Country, Language, QualificationType, Skill
from dividend.reference.names import country_name_of, name
from dividend.roster.models import CLEARANCE_LEVELS, Officer, OfficerLanguage, OfficerSkill, Qualification
from dividend.secondments.models import Secondment

from . import engine
from .models import CallCriteria, CallPosition, EligibilityRuleSet, Nomination, criteria_of

# The rule sets' organisation codes for the calls' organisations (the engine's files say "eu").
ENGINE_ORGANISATION = {"eu_csdp": "eu", "un": "un", "osce": "osce"}
SHIPPED_FILES = {"un": "un_police", "eu_csdp": "eu_csdp", "osce": "osce"}

# A rule's outcome, in words.
STATUS_TEXTS = {engine.MET: gettext_lazy("met"), engine.NOT_MET: gettext_lazy("not met"),
                engine.NOT_APPLICABLE: gettext_lazy("not applicable")}
PART_TEXTS = {
    "skills": gettext_lazy("Skills"), "languages": gettext_lazy("Languages"),
    "country_experience": gettext_lazy("Country or region experience"),
    "thematic_experience": gettext_lazy("Thematic experience"), "missions": gettext_lazy("Earlier missions"),
    "validity_margin": gettext_lazy("Qualification validity margin"),
}
KIND_TEXTS = {
    "qualification": gettext_lazy("Qualification"), "restricted": gettext_lazy("Restricted qualification"),
    "service_years": gettext_lazy("Years of police service"), "language": gettext_lazy("Language"),
    "skill": gettext_lazy("Skill"), "age": gettext_lazy("Age"), "certificate": gettext_lazy("Certificate"),
    "no_misconduct": gettext_lazy("No misconduct"), "position_requirements": gettext_lazy("Position's requirements"),
}
# The engine's reason templates (engine.TEMPLATES, same English text) in the reader's language.
REASON_TEXTS = {
    "not_applicable_armed": gettext_lazy("Applies to armed positions only"),
    "not_applicable_unarmed": gettext_lazy("Applies to unarmed positions only"),
    "qualification_valid": gettext_lazy("%(qualification)s valid until %(expires_on)s, needed until %(needed_on)s"),
    "qualification_no_expiry": gettext_lazy("%(qualification)s held (does not expire)"),
    "qualification_expires": gettext_lazy("%(qualification)s expires on %(expires_on)s, needed until %(needed_on)s"),
    "qualification_missing": gettext_lazy("%(qualification)s not held, needed until %(needed_on)s"),
    "restricted_valid": gettext_lazy("%(qualification)s valid on %(needed_on)s: yes"),
    "restricted_not_valid": gettext_lazy("%(qualification)s valid on %(needed_on)s: no"),
    "restricted_unanswered": gettext_lazy("%(qualification)s valid on %(needed_on)s: not known"),
    "restricted_level_valid": gettext_lazy("%(qualification)s at level %(level)s valid on %(needed_on)s: yes"),
    "restricted_level_not_valid": gettext_lazy("%(qualification)s at level %(level)s valid on %(needed_on)s: no"),
    "restricted_level_unanswered": gettext_lazy(
        "%(qualification)s at level %(level)s valid on %(needed_on)s: not known"),
    "service_met": gettext_lazy("%(years)s years of police service on %(on)s, at least %(min_years)s needed"),
    "service_short": gettext_lazy("%(years)s years of police service on %(on)s, at least %(min_years)s needed"),
    "service_unknown": gettext_lazy("Start of police service not recorded, at least %(min_years)s years needed"),
    "language_met": gettext_lazy("%(language)s at %(level)s, %(min_level)s needed"),
    "language_short": gettext_lazy("%(language)s at %(level)s, %(min_level)s needed"),
    "language_missing": gettext_lazy("%(language)s not recorded, %(min_level)s needed"),
    "languages_short": gettext_lazy("None of %(languages)s at %(min_level)s (best: %(best)s)"),
    "languages_missing": gettext_lazy("None of %(languages)s recorded, %(min_level)s needed"),
    "skill_met": gettext_lazy("%(skill)s at level %(level)s, level %(min_level)s needed"),
    "skill_short": gettext_lazy("%(skill)s at level %(level)s, level %(min_level)s needed"),
    "skill_missing": gettext_lazy("%(skill)s not recorded, level %(min_level)s needed"),
    "age_met": gettext_lazy("Age %(age)s on %(on)s, within the limits"),
    "age_too_young": gettext_lazy("Age %(age)s on %(on)s, at least %(min)s needed"),
    "age_too_old": gettext_lazy("Age %(age)s on %(on)s, at most %(max)s allowed"),
    "age_unknown": gettext_lazy("Date of birth not recorded"),
    "certificate_present": gettext_lazy("%(certificate)s present"),
    "certificate_missing": gettext_lazy("%(certificate)s missing"),
    "no_misconduct": gettext_lazy("No substantiated misconduct on record"),
    "misconduct_on_record": gettext_lazy("A substantiated misconduct finding is on record"),
    "requirements_none": gettext_lazy("The position sets no requirements of its own"),
    "nothing_required": gettext_lazy("The position requires none: neutral value"),
    "skill_points": gettext_lazy("%(skill)s at level %(level)s for level %(min_level)s: %(value)s"),
    "language_points": gettext_lazy("%(language)s at %(level)s for %(min_level)s: %(value)s"),
    "country_match": gettext_lazy("Experience in %(country)s (%(source)s)"),
    "region_match": gettext_lazy("Experience in the region %(region)s (%(source)s)"),
    "no_country_match": gettext_lazy("No experience in the host country or its region"),
    "themes_matched": gettext_lazy("%(matched)s of %(total)s themes: %(themes)s"),
    "themes_none_matched": gettext_lazy("None of the %(total)s themes"),
    "missions_count": gettext_lazy("%(count)s earlier missions, full value at %(full_at)s"),
    "margin_months": gettext_lazy(
        "%(qualification)s outlasts the deployment by %(months)s months, full value at %(full_at)s"),
    "margin_short": gettext_lazy("%(qualification)s expires %(months)s months before the deployment ends"),
    "margin_missing": gettext_lazy("%(qualification)s not held"),
    "margin_no_expiry": gettext_lazy("Listed qualifications do not expire"),
    "margin_none_listed": gettext_lazy("No qualification listed for the margin: neutral value"),
    "infeasible_constraints": gettext_lazy("These constraints cannot all be met together: %(constraints)s "
                                           "(dropping any one of them makes the call solvable)"),
    "positions_without_candidates": gettext_lazy("No eligible candidate for positions %(positions)s"),
    "positions_fillable": gettext_lazy(
        "At most %(fillable)s of %(positions)s positions can be filled with eligible candidates"),
}
SOURCE_TEXTS = {"declared": gettext_lazy("declared"), "history": gettext_lazy("mission history")}
# Parameters that hold a country code (shown by the country's name).
COUNTRY_PARAMS = {"country"}


# Which kind of code each reason parameter holds (shown by its name in the reader's language).
PARAM_KINDS = {"skill": "skill", "language": "language", "languages": "language", "qualification": "qualification",
               "certificate": "qualification", "themes": "theme"}


def reference_names() -> dict[str, dict[str, str]]:
    """{kind: {code: name in the reader's language}} for skills, languages, qualification types and
    themes (from the taxonomy, no query)."""
    return {
        "skill": {code: name(english) for code, english, _kind in taxonomy.SKILLS},
        "language": {code: name(english) for code, english in taxonomy.LANGUAGES},
        "qualification": {code: name(english) for code, english, *_rest in taxonomy.QUALIFICATION_TYPES},
        "theme": {code: name(english) for code, english in taxonomy.THEMATIC_AREAS},
    }


def reason_text(reason: engine.Reason, names: dict[str, dict[str, str]] | None = None) -> str:
    """One engine reason as a sentence in the reader's language (engine.describe, translated): codes
    become names, countries their names, regions their translated names."""
    names = reference_names() if names is None else names
    params = {}
    for key, value in reason.params.items():
        known = names.get(PARAM_KINDS.get(key, ""), {})
        if key == "source":
            value = str(SOURCE_TEXTS.get(value, value))
        elif key in COUNTRY_PARAMS:
            value = country_name_of(value)
        elif key == "region":
            value = name(value)
        elif key == "best" and isinstance(value, str) and " " in value:
            code, level = value.split(" ", 1)
            value = f"{names.get('language', {}).get(code, code)} {level}"
        elif key == "constraints" and isinstance(value, (list, tuple)):
            value = "; ".join(engine.describe_constraint(v) for v in value)
        elif isinstance(value, (list, tuple)):
            value = ", ".join(known.get(str(v), str(v)) for v in value)
        elif isinstance(value, str):
            value = known.get(value, value)
        elif isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        params[key] = value
    template = REASON_TEXTS.get(reason.code)
    return str(template) % params if template is not None else engine.describe(reason)


# --------------------------------------------------------------------------- rule sets and weights

def vocabulary() -> engine.Vocabulary:
    """The reference taxonomy's codes a rule set may name (three queries): skills, languages,
    qualification types (which are restricted); any unrestricted type serves as a certificate."""
    types = dict(QualificationType.objects.values_list("code", "restricted"))
    return engine.Vocabulary(
        skills=frozenset(Skill.objects.values_list("code", flat=True)),
        languages=frozenset(Language.objects.values_list("code", flat=True)),
        qualifications=frozenset(types), restricted=frozenset(c for c, r in types.items() if r),
        certificates=frozenset(c for c, r in types.items() if not r))


def rule_set_for(organisation: str, stored: EligibilityRuleSet | None = None) -> engine.RuleSet:
    """The rule set that applies to calls of `organisation`: its latest stored version, or (none
    stored) the shipped example. Stored versions were validated when saved."""
    if stored is None:
        stored = EligibilityRuleSet.objects.filter(organisation=organisation).order_by("-version").first()
    if stored is not None:
        return engine.load_rule_set(stored.data)
    return engine.shipped_rule_set(SHIPPED_FILES[organisation])


def weights_for(call) -> engine.Weights:
    """The call's score weights (its criteria, or the default ones)."""
    return engine.load_weights(criteria_of(call).weights)


# --------------------------------------------------------------------------- positions

def _call_positions_with_facts(call_positions: Sequence[CallPosition]) -> list[CallPosition]:
    """The call positions again, with what their facts need (six queries)."""
    ids = [cp.pk for cp in call_positions]
    rows = {cp.pk: cp for cp in CallPosition.objects.filter(pk__in=ids).select_related(
        "call__criteria", "position__mission").prefetch_related(
        Prefetch("position__required_skills", queryset=PositionSkill.objects.select_related("skill")),
        Prefetch("position__required_languages", queryset=PositionLanguage.objects.select_related("language")),
        "position__required_qualifications", "position__mission__host_countries",
        "position__mission__thematic_areas")}
    return [rows[pk] for pk in ids]


def position_facts(call_positions: Sequence[CallPosition]) -> list[engine.Position]:
    """One engine position per call position (in order), in six queries whatever their number.

    Deployment date: the call's planned deployment date (its criteria), else the organisation's
    deadline plus `CallCriteria.DEFAULT_DEPLOYMENT_DELAY` (60 days). Host countries, their UN M49
    sub-regions and themes come from the mission; minimum skills, languages and required
    qualifications, armed and duration from the position (missions' RequirementsMixin).
    """
    call_positions = list(call_positions)
    return [_position_fact(cp) for cp in _call_positions_with_facts(call_positions)] if call_positions else []


def _position_fact(cp: CallPosition) -> engine.Position:
    position, mission = cp.position, cp.position.mission
    hosts = list(mission.host_countries.all())
    return engine.Position(
        id=cp.pk, deployment_date=criteria_of(cp.call).effective_deployment_date,
        organisation=cp.call.organisation, armed=position.armed, duration_months=position.duration_months,
        skills={r.skill.code: r.min_level for r in position.required_skills.all()},
        languages={r.language.code: r.min_level for r in position.required_languages.all()},
        qualifications=frozenset(q.code for q in position.required_qualifications.all()),
        countries=frozenset(c.iso3 for c in hosts), regions=frozenset(c.subregion for c in hosts if c.subregion),
        themes=frozenset(t.code for t in mission.thematic_areas.all()))


def regions_of() -> dict[str, str]:
    """Every country's UN M49 sub-region by ISO3 code (one query)."""
    return {iso3: sub for iso3, sub in Country.objects.exclude(subregion="").values_list("iso3", "subregion")}


# --------------------------------------------------------------------------- candidates

def clearance_rank(level: str) -> int | None:
    """The place of a clearance level in `roster.models.CLEARANCE_LEVELS` (higher is more), read from
    a level name such as "CONFIDENTIEL UE/EU CONFIDENTIAL" or "secret"; None: not recognised."""
    text = level.lower()
    for words, rank in ((("top secret", "très secret"), 3), (("secret",), 2), (("confidential", "confidentiel"), 1),
                        (("restricted", "restreint"), 0)):
        if any(w in text for w in words):
            return rank
    return None


def _answers(held: list[tuple], questions: Iterable[tuple[str, str, dt.date]],
             has_level: dict[str, bool]) -> dict[tuple[str, str, dt.date], bool]:
    """Yes/no for each restricted question from the officer's confirmed restricted records (code,
    issued_on, expires_on, level). A record answers a question when it was issued by the date and
    does not expire before it; a level is compared for types that keep one (clearance: its rank in
    CLEARANCE_LEVELS), and ignored for those that keep none (medical fitness: the record is the
    outcome "fit for deployment")."""
    answers = {}
    for question in questions:
        code, level, day = question
        need = clearance_rank(level) if level and has_level.get(code) else None
        ok = False
        for held_code, issued_on, expires_on, held_level in held:
            if held_code != code or (issued_on and issued_on > day) or (expires_on and expires_on < day):
                continue
            if level and has_level.get(code):
                rank = CLEARANCE_LEVELS.index(held_level) if held_level in CLEARANCE_LEVELS else None
                if need is None or rank is None or rank < need:
                    continue
            ok = True
            break
        answers[question] = ok
    return answers


def candidate_facts(officers: Iterable[Officer], *, viewer,
                    questions: Iterable[tuple[str, str, dt.date]] = ()) -> list[engine.Candidate]:
    """One engine candidate per officer (in order), in at most seven queries whatever their number.

    `viewer` is who the facts are built for; what they may see does not change the facts, because
    restricted records enter only as the yes/no answers to `questions` (engine.restricted_questions)
    and the misconduct finding only as "on record". Languages count at the lowest of speaking, reading
    and writing; qualifications are the confirmed ones (the latest expiry per type); certificates the
    confirmed unrestricted ones not expired today; missions the secondments that took place.
    """
    del viewer  # the same facts for everyone: nothing restricted enters beyond yes/no
    officers = list(officers)
    ids = [o.pk for o in officers]
    if not ids:
        return []
    questions = sorted(set(questions))
    skills, languages = defaultdict(dict), defaultdict(dict)
    for officer_id, code, level in OfficerSkill.objects.filter(officer_id__in=ids).values_list(
            "officer_id", "skill__code", "level"):
        skills[officer_id][code] = level
    for officer_id, code, *levels in OfficerLanguage.objects.filter(officer_id__in=ids).values_list(
            "officer_id", "language__code", "speaking", "reading", "writing"):
        languages[officer_id][code] = min(levels)
    plain, restricted, has_level = defaultdict(dict), defaultdict(list), {}
    today = dt.date.today()
    certificates = defaultdict(set)
    for officer_id, code, is_restricted, with_level, issued_on, expires_on, level in Qualification.objects.filter(
            officer_id__in=ids, status=Qualification.Status.CONFIRMED).values_list(
            "officer_id", "qualification_type__code", "qualification_type__restricted",
            "qualification_type__has_level", "issued_on", "expires_on", "level"):
        if is_restricted:
            has_level[code] = with_level
            restricted[officer_id].append((code, issued_on, expires_on, level))
            continue
        known = plain[officer_id].get(code)
        if known is None or (known.expires_on is not None and (expires_on is None or expires_on > known.expires_on)):
            plain[officer_id][code] = engine.Qualification(expires_on, level)
        if expires_on is None or expires_on >= today:
            certificates[officer_id].add(code)
    countries, themes = defaultdict(set), defaultdict(set)
    for officer_id, iso3 in Officer.country_expertise.through.objects.filter(officer_id__in=ids).values_list(
            "officer_id", "country__iso3"):
        countries[officer_id].add(iso3)
    for officer_id, code in Officer.thematic_expertise.through.objects.filter(officer_id__in=ids).values_list(
            "officer_id", "thematicarea__code"):
        themes[officer_id].add(code)
    history = list(Secondment.objects.history().filter(officer_id__in=ids).values_list(
        "officer_id", "position__mission_id", "position__mission__organisation", "start_date", "end_date"))
    mission_ids = {row[1] for row in history}
    hosts, mission_themes = defaultdict(set), defaultdict(set)
    if mission_ids:
        for mission_id, iso3, theme in Mission.objects.filter(pk__in=mission_ids).values_list(
                "pk", "host_countries__iso3", "thematic_areas__code"):
            if iso3:
                hosts[mission_id].add(iso3)
            if theme:
                mission_themes[mission_id].add(theme)
    missions = defaultdict(list)
    for officer_id, mission_id, organisation, start, end in history:
        months = max(0, ((end or today) - start).days * 12 // 365) if start else 0
        missions[officer_id].append(engine.MissionRecord(frozenset(hosts[mission_id]),
                                                         frozenset(mission_themes[mission_id]), organisation, months))
    return [engine.Candidate(
        id=o.pk, date_of_birth=o.date_of_birth, service_start=o.service_start, gender=o.gender, pool=o.pool_id,
        skills=skills[o.pk], languages=languages[o.pk], qualifications=plain[o.pk],
        certificates=frozenset(certificates[o.pk]),
        restricted=_answers(restricted[o.pk], questions, has_level), misconduct=o.misconduct_recorded_on is not None,
        country_expertise=frozenset(countries[o.pk]), thematic_expertise=frozenset(themes[o.pk]),
        missions=tuple(missions[o.pk])) for o in officers]


# --------------------------------------------------------------------------- ranking, explained

@dataclass(frozen=True)
class RuleView:
    """One rule's outcome for a candidate, in words."""

    rule_id: str
    kind: str
    kind_text: str
    label: str
    status: str  # engine.MET, NOT_MET, NOT_APPLICABLE
    status_text: str
    reasons: tuple[str, ...]

    @property
    def restricted(self) -> bool:
        return self.kind == "restricted"


@dataclass(frozen=True)
class PartView:
    """One part of a score, in words."""

    part: str
    text: str
    weight: float
    value: float
    points: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RankedNomination:
    nomination: Nomination
    eligible: bool
    rank: int | None  # 1, 2, ... among the eligible; None: not eligible
    rules: tuple[RuleView, ...]
    total: float
    parts: tuple[PartView, ...]

    @property
    def failed(self) -> tuple[RuleView, ...]:
        return tuple(r for r in self.rules if r.status == engine.NOT_MET)


def rule_views(evaluation: engine.Evaluation, names: dict) -> tuple[RuleView, ...]:
    return tuple(RuleView(o.rule_id, o.kind, str(KIND_TEXTS.get(o.kind, o.kind)), o.label, o.status,
                          str(STATUS_TEXTS[o.status]), tuple(reason_text(r, names) for r in o.reasons))
                 for o in evaluation.outcomes)


def part_views(explained: engine.Score, names: dict) -> tuple[PartView, ...]:
    return tuple(PartView(p.part, str(PART_TEXTS.get(p.part, p.part)), p.weight, p.value, p.points,
                          tuple(reason_text(r, names) for r in p.reasons)) for p in explained.parts)


# Nominations that are ranked: those still in the running, and those decided (to show why).
RANKED_STATUSES = tuple(Nomination.LIVE | {Nomination.Status.NOT_SELECTED})


def ranked_nominations(viewer, call_positions):
    """The nominations of these call positions the viewer sees, in the running or decided."""
    return (Nomination.objects.visible_to(viewer).filter(call_position__in=call_positions,
                                                         status__in=RANKED_STATUSES)
            .select_related("officer", "officer__pool").order_by("officer__last_name", "officer__first_name", "id"))


@dataclass(frozen=True)
class PositionRanking:
    """A position's ranking with what it was computed from."""

    call_position: CallPosition
    position: engine.Position  # its facts (deployment date, requirements)
    rule_set: engine.RuleSet
    criteria: CallCriteria
    ranked: list[RankedNomination]


def position_ranking(call_position: CallPosition, *, viewer) -> PositionRanking:
    """`rank_position` with the facts it used (the position page shows them), in a fixed number of
    queries whatever the number of candidates."""
    nominations = list(ranked_nominations(viewer, [call_position]))
    cp = _call_positions_with_facts([call_position])[0]
    position = _position_fact(cp)
    crit = criteria_of(cp.call)
    rules = rule_set_for(cp.call.organisation)
    weights = engine.load_weights(crit.weights)
    candidates = candidate_facts([n.officer for n in nominations], viewer=viewer,
                                 questions=engine.restricted_questions(rules, [position]))
    ranked = engine.rank_candidates(rules, weights, candidates, position, regions_of())
    by_officer = {n.officer_id: n for n in nominations}
    names = reference_names()
    return PositionRanking(cp, position, rules, crit, [
        RankedNomination(by_officer[r.candidate_id], r.eligible, r.rank, rule_views(r.evaluation, names),
                         r.score.total, part_views(r.score, names)) for r in ranked])


def rank_position(call_position: CallPosition, *, viewer) -> list[RankedNomination]:
    """The position's nominations the viewer sees, ranked: eligible first by score (rank 1, 2, ...),
    then the others by score; each with every rule's outcome and reasons and every part of its score,
    in the reader's language. Restricted rules say only "valid on <date>: yes/no"."""
    return position_ranking(call_position, viewer=viewer).ranked


@dataclass(frozen=True)
class CallMatrices:
    """A call's nominees × its positions. Rows: one per officer nominated to the call (their first
    nomination in the call stands for them: `.officer`); columns: the call's positions."""

    nominations: list[Nomination]
    call_positions: list[CallPosition]
    eligible: np.ndarray  # bool (officers, positions)
    scores: np.ndarray  # float (officers, positions), 0-100
    not_met: dict[str, np.ndarray]  # rule id -> bool (officers, positions): the rule failed
    rule_set: engine.RuleSet


def call_matrices(call, *, viewer) -> CallMatrices:
    """Eligibility and scores of every nominee (visible to the viewer, in the running or decided) for
    every position of the call, under the call organisation's rule set and the call's weights."""
    call_positions = list(call.positions.with_related())
    nominations, seen = [], set()
    for n in ranked_nominations(viewer, call_positions):
        if n.officer_id not in seen:
            seen.add(n.officer_id)
            nominations.append(n)
    positions = [_position_fact(cp) for cp in _call_positions_with_facts(call_positions)] if call_positions else []
    rules = rule_set_for(call.organisation)
    candidates = candidate_facts([n.officer for n in nominations], viewer=viewer,
                                 questions=engine.restricted_questions(rules, positions))
    matrix = engine.eligibility_matrix(rules, candidates, positions, per_rule=True)
    scores = (engine.score_matrix(candidates, positions, weights_for(call), regions_of())
              if candidates and positions else np.zeros((len(candidates), len(positions))))
    return CallMatrices(nominations, call_positions, matrix.eligible, np.asarray(scores, dtype=float),
                        dict(matrix.not_met), rules)


def describe_failures(matrices: CallMatrices, i: int, j: int) -> list[str]:
    """The ids of the rules nominee `i` fails for position `j` (empty: eligible)."""
    return [rule_id for rule_id, failed in matrices.not_met.items() if failed[i, j]]


def rule_labels(rule_set: engine.RuleSet) -> dict[str, str]:
    """Each rule's label, or its kind in words when it has none."""
    return {r.id: r.label or str(KIND_TEXTS.get(r.kind, r.kind)) for r in rule_set.rules}

