"""Eligibility: a rule set applied to a candidate × position, one pair explained or many at once.

``evaluate(rule_set, candidate, position)`` gives each rule's outcome with its reasons (codes and
parameters, see :mod:`.messages`); ``eligibility_matrix(rule_set, candidates, positions)`` gives the
same verdicts for every pair as a numpy boolean matrix (tests check they agree pair by pair).
A rule whose ``when`` does not match the position is ``not_applicable``; missing facts (no date of
birth, no answer to a restricted question) make a rule ``not_met``. Eligible: no rule ``not_met``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .facts import CEFR_NAMES, Candidate, Position, RestrictedQuestion, add_months, full_years
from .messages import Reason
from .rules import Rule, RuleSet

MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "not_applicable"


@dataclass(frozen=True)
class Outcome:
    rule_id: str
    kind: str
    status: str  # MET, NOT_MET or NOT_APPLICABLE
    reasons: tuple[Reason, ...]
    label: str = ""


@dataclass(frozen=True)
class Evaluation:
    eligible: bool
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == NOT_MET)


def needed_on(rule: Rule, position: Position) -> date:
    """The date a qualification rule asks validity on: deployment (or its end) plus months_after."""
    start = position.end_date if rule.params.get("through_end") else position.deployment_date
    return add_months(start, rule.params.get("months_after", 0))


def restricted_questions(rule_set: RuleSet, positions: Sequence[Position]) -> set[RestrictedQuestion]:
    """The yes/no questions ``(qualification, level, date)`` the app must answer for each candidate."""
    return {(r.params["qualification"], r.params["level"], needed_on(r, p))
            for r in rule_set.rules if r.kind == "restricted" for p in positions if r.applies_to(p.armed)}


# ---------------------------------------------------------------------------------------------------
# One pair, explained

def _qualification(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    code, on = rule.params["qualification"], needed_on(rule, p)
    held = c.qualifications.get(code)
    if held is None:
        return False, [Reason("qualification_missing", {"qualification": code, "needed_on": on.isoformat()})]
    if held.expires_on is None:
        return True, [Reason("qualification_no_expiry", {"qualification": code})]
    ok = held.expires_on >= on
    return ok, [Reason("qualification_valid" if ok else "qualification_expires",
                       {"qualification": code, "expires_on": held.expires_on.isoformat(), "needed_on": on.isoformat()})]


def _restricted(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    code, level, on = rule.params["qualification"], rule.params["level"], needed_on(rule, p)
    answer = c.restricted.get((code, level, on))
    suffix = "valid" if answer else ("unanswered" if answer is None else "not_valid")
    prefix = "restricted_level_" if level else "restricted_"
    params = {"qualification": code, "needed_on": on.isoformat()} | ({"level": level} if level else {})
    return bool(answer), [Reason(prefix + suffix, params)]


def _service(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    need = rule.params["min_years"]
    if c.service_start is None:
        return False, [Reason("service_unknown", {"min_years": need})]
    years = full_years(c.service_start, p.deployment_date)
    ok = years >= need
    return ok, [Reason("service_met" if ok else "service_short",
                       {"years": years, "min_years": need, "on": p.deployment_date.isoformat()})]


def _language(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    codes, need = rule.params["any_of"], rule.params["min_level"]
    held = [(c.languages[code], code) for code in codes if code in c.languages]
    need_name = CEFR_NAMES[need]
    if not held:
        return False, [Reason("languages_missing", {"languages": list(codes), "min_level": need_name})]
    level, code = max(held, key=lambda lc: (lc[0], -codes.index(lc[1])))
    if level >= need:
        return True, [Reason("language_met", {"language": code, "level": CEFR_NAMES.get(level, level),
                                              "min_level": need_name})]
    return False, [Reason("languages_short", {"languages": list(codes), "min_level": need_name,
                                              "best": f"{code} {CEFR_NAMES.get(level, level)}"})]


def _skill_reason(code: str, level: int | None, need: int) -> tuple[bool, Reason]:
    if level is None:
        return False, Reason("skill_missing", {"skill": code, "min_level": need})
    ok = level >= need
    return ok, Reason("skill_met" if ok else "skill_short", {"skill": code, "level": level, "min_level": need})


def _language_reason(code: str, level: int | None, need: int) -> tuple[bool, Reason]:
    if level is None:
        return False, Reason("language_missing", {"language": code, "min_level": CEFR_NAMES[need]})
    ok = level >= need
    return ok, Reason("language_met" if ok else "language_short",
                      {"language": code, "level": CEFR_NAMES.get(level, level), "min_level": CEFR_NAMES[need]})


def _skill(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    ok, reason = _skill_reason(rule.params["skill"], c.skills.get(rule.params["skill"]), rule.params["min_level"])
    return ok, [reason]


def _age(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    low, high = rule.params.get("min"), rule.params.get("max")
    if c.date_of_birth is None:
        return False, [Reason("age_unknown")]
    age, on = full_years(c.date_of_birth, p.deployment_date), p.deployment_date.isoformat()
    if low is not None and age < low:
        return False, [Reason("age_too_young", {"age": age, "on": on, "min": low})]
    if high is not None and age > high:
        return False, [Reason("age_too_old", {"age": age, "on": on, "max": high})]
    return True, [Reason("age_met", {"age": age, "on": on})]


def _certificate(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    code = rule.params["certificate"]
    ok = code in c.certificates
    return ok, [Reason("certificate_present" if ok else "certificate_missing", {"certificate": code})]


def _misconduct(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    return (False, [Reason("misconduct_on_record")]) if c.misconduct else (True, [Reason("no_misconduct")])


def _position_requirements(rule: Rule, c: Candidate, p: Position) -> tuple[bool, list[Reason]]:
    check, results = rule.params["check"], []
    if "skills" in check:
        results += [_skill_reason(code, c.skills.get(code), need) for code, need in sorted(p.skills.items())]
    if "languages" in check:
        results += [_language_reason(code, c.languages.get(code), need) for code, need in sorted(p.languages.items())]
    if "qualifications" in check:
        for code in sorted(p.qualifications):
            sub = Rule(rule.id, "qualification", {"qualification": code, "months_after": 0})
            ok, reasons = _qualification(sub, c, p)
            results.append((ok, reasons[0]))
    if not results:
        return True, [Reason("requirements_none")]
    return all(ok for ok, _ in results), [reason for _, reason in results]


_CHECKS = {
    "qualification": _qualification, "restricted": _restricted, "service_years": _service,
    "language": _language, "skill": _skill, "age": _age, "certificate": _certificate,
    "no_misconduct": _misconduct, "position_requirements": _position_requirements,
}


def evaluate(rule_set: RuleSet, candidate: Candidate, position: Position) -> Evaluation:
    """Each rule's outcome for one candidate × position, and whether the candidate is eligible."""
    outcomes = []
    for rule in rule_set.rules:
        if not rule.applies_to(position.armed):
            code = "not_applicable_armed" if rule.armed else "not_applicable_unarmed"
            outcomes.append(Outcome(rule.id, rule.kind, NOT_APPLICABLE, (Reason(code),), rule.label))
            continue
        ok, reasons = _CHECKS[rule.kind](rule, candidate, position)
        outcomes.append(Outcome(rule.id, rule.kind, MET if ok else NOT_MET, tuple(reasons), rule.label))
    return Evaluation(all(o.status != NOT_MET for o in outcomes), tuple(outcomes))


# ---------------------------------------------------------------------------------------------------
# Many pairs at once

NO_EXPIRY = np.iinfo(np.int64).max // 2
NOT_HELD = np.iinfo(np.int64).min // 2


class CandidateColumns:
    """Candidates' facts as numpy columns, built lazily per code and cached (reusable across rule sets)."""

    def __init__(self, candidates: Sequence[Candidate]):
        self.candidates = candidates
        self.n = len(candidates)
        self._cache: dict = {}

    def _cached(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def expiry(self, code: str) -> np.ndarray:
        def build():
            out = np.full(self.n, NOT_HELD, dtype=np.int64)
            for i, c in enumerate(self.candidates):
                held = c.qualifications.get(code)
                if held is not None:
                    out[i] = NO_EXPIRY if held.expires_on is None else held.expires_on.toordinal()
            return out
        return self._cached(("expiry", code), build)

    def _levels(self, attribute: str) -> dict[str, np.ndarray]:
        """Every code's levels, built in one pass over the candidates (0: not held)."""
        def build():
            out: dict[str, np.ndarray] = {}
            for i, c in enumerate(self.candidates):
                for code, level in getattr(c, attribute).items():
                    if code not in out:
                        out[code] = np.zeros(self.n, dtype=np.int16)
                    out[code][i] = level
            return out
        return self._cached(("levels", attribute), build)

    def skill(self, code: str) -> np.ndarray:
        return self._levels("skills").get(code, np.zeros(self.n, dtype=np.int16))

    def language(self, code: str) -> np.ndarray:
        return self._levels("languages").get(code, np.zeros(self.n, dtype=np.int16))

    def certificate(self, code: str) -> np.ndarray:
        return self._cached(("certificate", code), lambda: np.array(
            [code in c.certificates for c in self.candidates], dtype=bool).reshape(self.n))

    def misconduct(self) -> np.ndarray:
        return self._cached("misconduct", lambda: np.array(
            [c.misconduct for c in self.candidates], dtype=bool).reshape(self.n))

    def restricted(self, question: RestrictedQuestion) -> np.ndarray:
        """Whose answer to the question is yes (built for every question in one pass)."""
        def build():
            out: dict = {}
            for i, c in enumerate(self.candidates):
                for key, answer in c.restricted.items():
                    if answer is True:
                        if key not in out:
                            out[key] = np.zeros(self.n, dtype=bool)
                        out[key][i] = True
            return out
        return self._cached("restricted", build).get(question, np.zeros(self.n, dtype=bool))

    def anniversary(self, attribute: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(year, month*100+day, known) of a date attribute (date of birth, service start)."""
        def build():
            days = [getattr(c, attribute) for c in self.candidates]
            known = np.array([d is not None for d in days], dtype=bool).reshape(self.n)
            year = np.array([d.year if d else 0 for d in days], dtype=np.int32).reshape(self.n)
            md = np.array([d.month * 100 + d.day if d else 0 for d in days], dtype=np.int32).reshape(self.n)
            return year, md, known
        return self._cached(("anniversary", attribute), build)


def _by_key(keys: Sequence, build) -> np.ndarray:
    """An (n, m) boolean matrix from the positions' distinct keys (few: deployment dates and the like):
    ``build(key)`` gives the n-vector of one key, spread to every position with it."""
    distinct: dict = {}
    index = np.array([distinct.setdefault(key, len(distinct)) for key in keys], dtype=np.intp)
    return np.column_stack([build(key) for key in distinct])[:, index]


def _years_ok(columns: CandidateColumns, attribute: str, on: date, low: int | None, high: int | None):
    year, md, known = columns.anniversary(attribute)
    years = on.year - year - ((on.month * 100 + on.day) < md)
    ok = known.copy()
    if low is not None:
        ok &= years >= low
    if high is not None:
        ok &= years <= high
    return ok


def _rule_matrix(rule: Rule, columns: CandidateColumns, positions: Sequence[Position]) -> np.ndarray:
    """The rule's verdict for every pair: an (n, m) or broadcastable (n, 1) boolean array."""
    kind, params = rule.kind, rule.params
    if kind == "qualification":
        expiry = columns.expiry(params["qualification"])
        return _by_key([needed_on(rule, p) for p in positions], lambda on: expiry >= on.toordinal())
    if kind == "restricted":
        return _by_key([(params["qualification"], params["level"], needed_on(rule, p)) for p in positions],
                       columns.restricted)
    if kind in ("service_years", "age"):
        attribute = "service_start" if kind == "service_years" else "date_of_birth"
        low = params["min_years"] if kind == "service_years" else params.get("min")
        high = None if kind == "service_years" else params.get("max")
        return _by_key([p.deployment_date for p in positions],
                       lambda on: _years_ok(columns, attribute, on, low, high))
    if kind == "language":
        best = np.max(np.stack([columns.language(code) for code in params["any_of"]], axis=1), axis=1)
        return (best >= params["min_level"])[:, None]
    if kind == "skill":
        return (columns.skill(params["skill"]) >= params["min_level"])[:, None]
    if kind == "certificate":
        return columns.certificate(params["certificate"])[:, None]
    if kind == "no_misconduct":
        return ~columns.misconduct()[:, None]
    if kind == "position_requirements":
        # One product: a candidate × requirement "falls short" matrix times requirement × position.
        requirements: dict[tuple[str, str, int], list[int]] = {}
        for j, p in enumerate(positions):
            items = []
            if "skills" in params["check"]:
                items += [("skill", code, need) for code, need in p.skills.items()]
            if "languages" in params["check"]:
                items += [("language", code, need) for code, need in p.languages.items()]
            if "qualifications" in params["check"]:
                items += [("expiry", code, p.deployment_date.toordinal()) for code in p.qualifications]
            for item in items:
                requirements.setdefault(item, []).append(j)
        if not requirements:
            return np.ones((columns.n, 1), dtype=bool)
        short = np.column_stack([getattr(columns, what)(code) < need for what, code, need in requirements])
        needed_by = np.zeros((len(requirements), len(positions)), dtype=np.float32)
        for k, cols in enumerate(requirements.values()):
            needed_by[k, cols] = 1.0
        return (short.astype(np.float32) @ needed_by) < 0.5
    raise ValueError(f"unknown rule kind {kind!r}")  # pragma: no cover - load_rule_set refuses it


@dataclass(frozen=True)
class EligibilityMatrix:
    eligible: np.ndarray  # (candidates, positions) bool
    not_met: Mapping[str, np.ndarray]  # rule id -> (candidates, positions) bool: the rule failed

    def failures(self) -> dict[str, int]:
        """How many pairs each rule makes ineligible."""
        return {rule_id: int(m.sum()) for rule_id, m in self.not_met.items()}


def eligibility_matrix(rule_set: RuleSet, candidates: Sequence[Candidate] | CandidateColumns,
                       positions: Sequence[Position], per_rule: bool = False) -> EligibilityMatrix:
    """Every candidate × position verdict at once (numpy); the same verdicts as :func:`evaluate`.

    ``candidates`` may be a :class:`CandidateColumns` built once and reused across rule sets.
    ``per_rule`` also returns each rule's failures (memory: one boolean matrix per rule).
    """
    columns = candidates if isinstance(candidates, CandidateColumns) else CandidateColumns(candidates)
    shape = (columns.n, len(positions))
    eligible = np.ones(shape, dtype=bool)
    not_met = {}
    if columns.n == 0 or not positions:
        return EligibilityMatrix(eligible, {r.id: np.zeros(shape, dtype=bool) for r in rule_set.rules}
                                 if per_rule else {})
    for rule in rule_set.rules:
        applies = np.array([rule.applies_to(p.armed) for p in positions], dtype=bool)
        if not applies.any():
            if per_rule:
                not_met[rule.id] = np.zeros(shape, dtype=bool)
            continue
        ok = _rule_matrix(rule, columns, positions)
        failed = ~ok & applies[None, :]
        eligible &= ~failed
        if per_rule:
            not_met[rule.id] = np.broadcast_to(failed, shape).copy()
    return EligibilityMatrix(eligible, not_met)


def eligibility_by_organisation(rule_sets: Mapping[str, RuleSet], candidates: Sequence[Candidate] | CandidateColumns,
                                positions: Sequence[Position]) -> np.ndarray:
    """The eligibility matrix of positions of several organisations, each under its own rule set.

    A position whose organisation has no rule set is eligible for nobody (KeyError would hide which).
    ``candidates`` may be a :class:`CandidateColumns` shared with :func:`~.scoring.score_matrix`.
    """
    columns = candidates if isinstance(candidates, CandidateColumns) else CandidateColumns(candidates)
    eligible = np.zeros((columns.n, len(positions)), dtype=bool)
    for organisation, rule_set in rule_sets.items():
        cols = [j for j, p in enumerate(positions) if p.organisation == organisation]
        if cols:
            eligible[:, cols] = eligibility_matrix(rule_set, columns, [positions[j] for j in cols]).eligible
    return eligible
