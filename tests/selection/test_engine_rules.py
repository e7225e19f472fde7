"""Rule sets and score weights as data: the shipped files are valid, bad ones list every problem with its path."""

import json

import pytest

from dividend.reference import taxonomy
from dividend.selection.engine import (
    DATA_DIR,
    SHIPPED_RULE_SETS,
    RuleSetError,
    Vocabulary,
    WeightsError,
    default_weights,
    load_rule_set,
    load_weights,
    shipped_rule_set,
    validate_rule_set,
    validate_weights,
)

VOCABULARY = Vocabulary(
    skills=frozenset(taxonomy.SKILL_CODES), languages=frozenset(taxonomy.LANGUAGE_CODES),
    qualifications=frozenset(taxonomy.QUALIFICATION_CODES),
    restricted=frozenset(code for code, _, _, _, restricted in taxonomy.QUALIFICATION_TYPES if restricted))


def rule_set(*rules, **top):
    return {"format": 1, "organisation": "un", "name": "Test", "rules": list(rules)} | top


@pytest.mark.parametrize("name", SHIPPED_RULE_SETS)
def test_shipped_rule_sets_are_valid_against_the_reference_taxonomy(name):
    data = json.loads((DATA_DIR / f"{name}.json").read_text())
    assert validate_rule_set(data, VOCABULARY) == []


def test_shipped_rule_sets_cover_their_organisations():
    assert [shipped_rule_set(name).organisation for name in SHIPPED_RULE_SETS] == ["un", "eu", "osce"]


def test_un_rule_set_holds_the_rules_of_the_issue():
    rules = shipped_rule_set("un_police", VOCABULARY)
    assert [(r.id, r.kind, r.armed) for r in rules.rules] == [
        ("assessment", "qualification", None), ("passport", "qualification", None),
        ("service", "service_years", None), ("language", "language", None), ("driving", "qualification", None),
        ("firearms", "qualification", True), ("age", "age", None), ("medical_unarmed", "restricted", False),
        ("medical_armed", "restricted", True), ("human_rights", "certificate", None),
        ("conduct", "no_misconduct", None), ("position", "position_requirements", None)]
    assert rules.rule("passport").params["months_after"] == 18
    assert rules.rule("language").params == {"any_of": ("en", "fr"), "min_level": 4}


def test_a_valid_rule_set_has_no_problems():
    data = rule_set({"id": "age", "kind": "age", "min": 25})
    assert validate_rule_set(data) == []


def test_every_problem_is_listed_with_its_path():
    data = rule_set(
        {"id": "Bad id", "kind": "age"},
        {"id": "lang", "kind": "language", "any_of": ["en", "en"], "min_level": "D1"},
        {"id": "lang", "kind": "skill", "skill": "forensics", "min_level": 5, "colour": "red"},
        {"id": "q", "kind": "qualification", "qualification": "passport", "months_after": -1, "when": {"armed": 1}},
        {"id": "k", "kind": "teleport"},
        format=2, extra=True)
    with pytest.raises(RuleSetError) as error:
        load_rule_set(data)
    assert error.value.messages == [
        "extra: is not a field of a rule set",
        "format: must be 1",
        "rules[0].id: must be lower-case letters, digits and _ (up to 40)",
        "rules[0]: an age rule needs min, max or both",
        "rules[1].any_of: names a language twice",
        "rules[1].min_level: must be a CEFR level: A1, A2, B1, B2, C1, C2",
        "rules[2].id: 'lang' appears twice",
        "rules[2].colour: is not a field of a skill rule",
        "rules[2].min_level: must be a whole number from 1 to 4",
        'rules[3].when: must be {"armed": true} or {"armed": false}',
        "rules[3].months_after: must be a whole number from 0 to 120",
        "rules[4].kind: must be one of age, certificate, language, no_misconduct, position_requirements, "
        "qualification, restricted, service_years, skill",
    ]


def test_missing_required_fields_are_named():
    assert [str(p) for p in validate_rule_set(rule_set({"id": "s", "kind": "skill"}))] == [
        "rules[0].min_level: is required for a skill rule", "rules[0].skill: is required for a skill rule"]


def test_unknown_codes_are_refused_against_a_vocabulary():
    data = rule_set({"id": "s", "kind": "skill", "skill": "juggling", "min_level": 2},
                    {"id": "l", "kind": "language", "any_of": ["xx"], "min_level": "B1"})
    assert [str(p) for p in validate_rule_set(data, VOCABULARY)] == [
        "rules[0].skill: unknown skill 'juggling'", "rules[1].any_of[0]: unknown language 'xx'"]


def test_a_restricted_qualification_needs_a_restricted_rule():
    data = rule_set({"id": "m", "kind": "qualification", "qualification": "medical_fitness"},
                    {"id": "p", "kind": "restricted", "qualification": "passport"})
    assert [str(p) for p in validate_rule_set(data, VOCABULARY)] == [
        "rules[0].qualification: 'medical_fitness' is restricted: use a rule of kind 'restricted'",
        "rules[1].qualification: 'passport' is not restricted: use a rule of kind 'qualification'"]


def test_age_limits_in_the_wrong_order_are_refused():
    assert [str(p) for p in validate_rule_set(rule_set({"id": "a", "kind": "age", "min": 60, "max": 30}))] == [
        "rules[0].max: must not be below min (60)"]


def test_an_empty_rule_list_is_refused():
    assert [str(p) for p in validate_rule_set(rule_set())] == ["rules: must be a non-empty list of rules"]


def test_json_text_that_does_not_parse_is_one_problem():
    with pytest.raises(RuleSetError) as error:
        load_rule_set("{not json")
    assert error.value.messages == ["not valid JSON: Expecting property name enclosed in double quotes (line 1)"]


def test_default_weights_load():
    weights = default_weights()
    assert (weights.total, weights.margin_qualifications, weights.missions_full_at) == (100.0, ("passport",), 3)


def test_weights_problems_are_listed_with_their_paths():
    data = {"format": 1, "weights": {"skills": -1, "languages": "x", "country_experience": 1,
                                     "thematic_experience": 1, "missions": 1, "magic": 2},
            "settings": {"missions_full_at": 0, "margin_qualifications": ["passport", "passport"], "x": 1}}
    with pytest.raises(WeightsError) as error:
        load_weights(data)
    assert error.value.messages == [
        "weights.skills: must be a number from 0 to 1000",
        "weights.languages: must be a number from 0 to 1000",
        "weights.validity_margin: is required (0 leaves the part out)",
        "weights.magic: is not a score part (skills, languages, country_experience, thematic_experience, "
        "missions, validity_margin)",
        "settings.x: is not a setting",
        "settings.missions_full_at: must be a whole number from 1 to 20",
        "settings.margin_qualifications: names a qualification twice",
    ]


def test_all_weights_zero_is_refused():
    data = {"format": 1, "weights": dict.fromkeys(
        ("skills", "languages", "country_experience", "thematic_experience", "missions", "validity_margin"), 0)}
    assert [str(p) for p in validate_weights(data)] == ["weights: at least one weight must be above 0"]


def test_margin_qualifications_are_checked_against_known_codes():
    data = {"format": 1, "weights": default_weights().data["weights"],
            "settings": {"margin_qualifications": ["medical_fitness"]}}
    assert [str(p) for p in validate_weights(data, frozenset({"passport"}))] == [
        "settings.margin_qualifications[0]: unknown or restricted qualification type 'medical_fitness'"]


def test_every_reason_code_the_engine_writes_has_an_english_template():
    import re
    from pathlib import Path

    from dividend.selection.engine import TEMPLATES
    engine = Path(__file__).resolve().parents[2] / "dividend" / "selection" / "engine"
    written = set()
    for path in engine.glob("*.py"):
        written |= set(re.findall(r'Reason\("([a-z_]+)"', path.read_text()))
        written |= {prefix + suffix for prefix in re.findall(r'"(restricted_(?:level_)?)"', path.read_text())
                    for suffix in ("valid", "not_valid", "unanswered")}
        written |= set(re.findall(r'"((?:skill|language|service|qualification)_(?:met|short|valid|expires))"',
                                  path.read_text()))
    assert written - TEMPLATES.keys() == set()
    assert len(written) > 30
