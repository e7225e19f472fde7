"""Eligibility rule sets as data: their shape, validation (every problem with its path) and loading.

A rule set is a JSON-like dict::

    {"format": 1, "organisation": "un", "name": "UN police: individual police officers",
     "source": "where the requirements come from",
     "rules": [
        {"id": "assessment", "kind": "qualification", "qualification": "un_saat"},
        {"id": "passport", "kind": "qualification", "qualification": "passport", "months_after": 18},
        {"id": "service", "kind": "service_years", "min_years": 5},
        {"id": "language", "kind": "language", "any_of": ["en", "fr"], "min_level": "B2"},
        {"id": "firearms", "kind": "qualification", "qualification": "firearms", "when": {"armed": true}},
        {"id": "age", "kind": "age", "min": 25, "max": 62},
        {"id": "medical", "kind": "restricted", "qualification": "medical_fitness", "level": "MS3",
         "when": {"armed": true}},
        {"id": "human_rights", "kind": "certificate", "certificate": "human_rights_screening"},
        {"id": "conduct", "kind": "no_misconduct"}]}

Kinds (``KINDS``) and their fields; every rule has ``id`` (unique, lower-case), ``kind``, optional
``when`` (``{"armed": true|false}``: the rule applies only to armed or unarmed positions) and an
optional ``label`` (free text shown beside the rule):

- ``qualification``: ``qualification`` valid on the deployment date plus ``months_after`` (default 0);
  with ``through_end: true`` from the end of the deployment instead.
- ``restricted``: the same for a restricted qualification (medical, clearance) at an optional ``level``,
  read only as the app's yes/no answer.
- ``service_years``: at least ``min_years`` of police service on the deployment date.
- ``language``: one of ``any_of`` at CEFR ``min_level`` ("A1" … "C2") or better.
- ``skill``: ``skill`` at ``min_level`` (1–4) or better.
- ``age``: ``min`` and/or ``max`` whole years of age on the deployment date (inclusive).
- ``certificate``: ``certificate`` present (e.g. human-rights screening).
- ``no_misconduct``: no substantiated misconduct finding on record.
- ``position_requirements``: the position's own minimum skills, languages and qualifications;
  ``check`` lists which (default all three).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, RuleSetError, read_json
from .facts import CEFR, SKILL_LEVEL_MAX

FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "selection"
SHIPPED_RULE_SETS = ("un_police", "eu_csdp", "osce")

KINDS = {
    # kind: (required fields, optional fields)
    "qualification": ({"qualification"}, {"months_after", "through_end"}),
    "restricted": ({"qualification"}, {"level", "months_after", "through_end"}),
    "service_years": ({"min_years"}, set()),
    "language": ({"any_of", "min_level"}, set()),
    "skill": ({"skill", "min_level"}, set()),
    "age": (set(), {"min", "max"}),
    "certificate": ({"certificate"}, set()),
    "no_misconduct": (set(), set()),
    "position_requirements": (set(), {"check"}),
}
COMMON_FIELDS = {"id", "kind", "when", "label"}
REQUIREMENT_CHECKS = ("skills", "languages", "qualifications")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,60}\Z")


@dataclass(frozen=True)
class Vocabulary:
    """The codes a rule set may name (the app passes the reference taxonomy); None: not checked."""

    skills: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    qualifications: frozenset[str] | None = None
    restricted: frozenset[str] = frozenset()
    certificates: frozenset[str] | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    params: Mapping[str, Any]
    armed: bool | None = None  # None: applies to every position
    label: str = ""

    def applies_to(self, armed: bool) -> bool:
        return self.armed is None or self.armed == armed


@dataclass(frozen=True)
class RuleSet:
    organisation: str
    name: str
    source: str
    rules: tuple[Rule, ...]
    data: Mapping[str, Any]  # the validated dict, for storing a version

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_code(value, path: str, known: Iterable[str] | None, what: str, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not _CODE.match(value):
        problems.append(Problem(path, f"must be a {what} code (letters, digits, _ . -)"))
    elif known is not None and value not in known:
        problems.append(Problem(path, f"unknown {what} {value!r}"))


def _check_int(value, path: str, low: int, high: int, problems: list[Problem]) -> None:
    if not _is_int(value) or not low <= value <= high:
        problems.append(Problem(path, f"must be a whole number from {low} to {high}"))


def _check_rule(rule, path: str, vocabulary: Vocabulary, problems: list[Problem]) -> None:
    if not isinstance(rule, Mapping):
        problems.append(Problem(path, "must be an object with id and kind"))
        return
    kind = rule.get("kind")
    if kind not in KINDS:
        problems.append(Problem(f"{path}.kind", f"must be one of {', '.join(sorted(KINDS))}"))
        return
    required, optional = KINDS[kind]
    for name in sorted(required - rule.keys()):
        problems.append(Problem(f"{path}.{name}", f"is required for a {kind} rule"))
    for name in sorted(rule.keys() - required - optional - COMMON_FIELDS):
        problems.append(Problem(f"{path}.{name}", f"is not a field of a {kind} rule"))
    if "when" in rule:
        when = rule["when"]
        if not isinstance(when, Mapping) or set(when) != {"armed"} or not isinstance(when["armed"], bool):
            problems.append(Problem(f"{path}.when", 'must be {"armed": true} or {"armed": false}'))
    if "label" in rule and not isinstance(rule["label"], str):
        problems.append(Problem(f"{path}.label", "must be text"))
    if kind in ("qualification", "restricted") and "qualification" in rule:
        code = rule["qualification"]
        _check_code(code, f"{path}.qualification", vocabulary.qualifications, "qualification type", problems)
        if kind == "qualification" and code in vocabulary.restricted:
            problems.append(Problem(f"{path}.qualification",
                                    f"{code!r} is restricted: use a rule of kind 'restricted'"))
        if kind == "restricted" and vocabulary.qualifications is not None and \
                code in vocabulary.qualifications and code not in vocabulary.restricted:
            problems.append(Problem(f"{path}.qualification",
                                    f"{code!r} is not restricted: use a rule of kind 'qualification'"))
    if "months_after" in rule:
        _check_int(rule["months_after"], f"{path}.months_after", 0, 120, problems)
    if "through_end" in rule and not isinstance(rule["through_end"], bool):
        problems.append(Problem(f"{path}.through_end", "must be true or false"))
    if "level" in rule and (not isinstance(rule["level"], str) or not 0 < len(rule["level"]) <= 40):
        problems.append(Problem(f"{path}.level", "must be a level name of 1 to 40 characters"))
    if kind == "service_years" and "min_years" in rule:
        _check_int(rule["min_years"], f"{path}.min_years", 0, 50, problems)
    if kind == "language":
        if "any_of" in rule:
            codes = rule["any_of"]
            if not isinstance(codes, list) or not codes:
                problems.append(Problem(f"{path}.any_of", "must be a non-empty list of language codes"))
            else:
                for i, code in enumerate(codes):
                    _check_code(code, f"{path}.any_of[{i}]", vocabulary.languages, "language", problems)
                if len(set(map(str, codes))) != len(codes):
                    problems.append(Problem(f"{path}.any_of", "names a language twice"))
        if "min_level" in rule and rule["min_level"] not in CEFR:
            problems.append(Problem(f"{path}.min_level", f"must be a CEFR level: {', '.join(CEFR)}"))
    if kind == "skill":
        if "skill" in rule:
            _check_code(rule["skill"], f"{path}.skill", vocabulary.skills, "skill", problems)
        if "min_level" in rule:
            _check_int(rule["min_level"], f"{path}.min_level", 1, SKILL_LEVEL_MAX, problems)
    if kind == "age":
        low, high = rule.get("min"), rule.get("max")
        if low is None and high is None:
            problems.append(Problem(path, "an age rule needs min, max or both"))
        for name, value in (("min", low), ("max", high)):
            if value is not None:
                _check_int(value, f"{path}.{name}", 16, 80, problems)
        if _is_int(low) and _is_int(high) and low > high:
            problems.append(Problem(f"{path}.max", f"must not be below min ({low})"))
    if kind == "certificate" and "certificate" in rule:
        _check_code(rule["certificate"], f"{path}.certificate", vocabulary.certificates, "certificate", problems)
    if kind == "position_requirements" and "check" in rule:
        check = rule["check"]
        if not isinstance(check, list) or not check or any(c not in REQUIREMENT_CHECKS for c in check) \
                or len(set(check)) != len(check):
            problems.append(Problem(f"{path}.check", f"must list some of {', '.join(REQUIREMENT_CHECKS)}, once each"))


def validate_rule_set(data, vocabulary: Vocabulary | None = None) -> list[Problem]:
    """Every problem of a rule set dict, each with its path; an empty list: valid."""
    vocabulary = vocabulary or Vocabulary()
    if not isinstance(data, Mapping):
        return [Problem("", "a rule set must be an object")]
    problems: list[Problem] = []
    for name in sorted(data.keys() - {"format", "organisation", "name", "source", "rules"}):
        problems.append(Problem(name, "is not a field of a rule set"))
    if data.get("format") != FORMAT_VERSION:
        problems.append(Problem("format", f"must be {FORMAT_VERSION}"))
    for name in ("organisation", "name"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(name, "is required (text)"))
    if "source" in data and not isinstance(data["source"], str):
        problems.append(Problem("source", "must be text"))
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        problems.append(Problem("rules", "must be a non-empty list of rules"))
        return problems
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        path = f"rules[{i}]"
        if isinstance(rule, Mapping):
            rule_id = rule.get("id")
            if not isinstance(rule_id, str) or not _ID.match(rule_id):
                problems.append(Problem(f"{path}.id", "must be lower-case letters, digits and _ (up to 40)"))
            elif rule_id in seen:
                problems.append(Problem(f"{path}.id", f"{rule_id!r} appears twice"))
            else:
                seen.add(rule_id)
        _check_rule(rule, path, vocabulary, problems)
    return problems


def load_rule_set(data, vocabulary: Vocabulary | None = None) -> RuleSet:
    """A :class:`RuleSet` from a dict, JSON text or a path; :class:`RuleSetError` lists every problem."""
    data = read_json(data, RuleSetError)
    problems = validate_rule_set(data, vocabulary)
    if problems:
        raise RuleSetError(problems)
    rules = []
    for rule in data["rules"]:
        params = {k: v for k, v in rule.items() if k not in COMMON_FIELDS}
        if rule["kind"] == "language":
            params["min_level"] = CEFR[params["min_level"]]
            params["any_of"] = tuple(params["any_of"])
        if rule["kind"] == "position_requirements":
            params["check"] = tuple(params.get("check", REQUIREMENT_CHECKS))
        if rule["kind"] in ("qualification", "restricted"):
            params.setdefault("months_after", 0)
            params.setdefault("through_end", False)
        if rule["kind"] == "restricted":
            params.setdefault("level", "")
        rules.append(Rule(rule["id"], rule["kind"], params, (rule.get("when") or {}).get("armed"),
                          rule.get("label", "")))
    return RuleSet(data["organisation"], data["name"], data.get("source", ""), tuple(rules), data)


def shipped_rule_set(name: str, vocabulary: Vocabulary | None = None) -> RuleSet:
    """One of the example rule sets under ``dividend/data/selection/`` (``SHIPPED_RULE_SETS``)."""
    if name not in SHIPPED_RULE_SETS:
        raise KeyError(name)
    return load_rule_set(DATA_DIR / f"{name}.json", vocabulary)
