"""Eligibility: each rule kind's outcome and reason exactly, and the matrix agrees with the pair by pair verdicts."""

from dataclasses import replace
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.selection.engine import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Candidate,
    CandidateColumns,
    Position,
    Qualification,
    Reason,
    default_weights,
    describe,
    eligibility_by_organisation,
    eligibility_matrix,
    evaluate,
    load_rule_set,
    restricted_questions,
    score_matrix,
    shipped_rule_set,
)

DEPLOY = date(2027, 3, 1)


def rules(*rules):
    return load_rule_set({"format": 1, "organisation": "un", "name": "Test", "rules": list(rules)})


def position(**changes):
    return replace(Position("p1", DEPLOY, "un", False, 12), **changes)


def candidate(**changes):
    return replace(Candidate("c1", date_of_birth=date(1990, 3, 1), service_start=date(2010, 9, 1)), **changes)


def outcome(rule, cand, pos=None):
    result = evaluate(rules(rule), cand, pos or position())
    (only,) = result.outcomes
    return only.status, [describe(r) for r in only.reasons]


QUALIFICATION = {"id": "q", "kind": "qualification", "qualification": "un_saat"}


def test_qualification_valid_on_the_deployment_date_is_met():
    held = candidate(qualifications={"un_saat": Qualification(DEPLOY)})
    assert outcome(QUALIFICATION, held) == (MET, ["un_saat valid until 2027-03-01, needed until 2027-03-01"])


def test_qualification_expiring_the_day_before_is_not_met():
    held = candidate(qualifications={"un_saat": Qualification(date(2027, 2, 28))})
    assert outcome(QUALIFICATION, held) == (NOT_MET, ["un_saat expires on 2027-02-28, needed until 2027-03-01"])


def test_qualification_not_held_is_not_met():
    assert outcome(QUALIFICATION, candidate()) == (NOT_MET, ["un_saat not held, needed until 2027-03-01"])


def test_qualification_without_expiry_is_met():
    held = candidate(qualifications={"un_saat": Qualification(None)})
    assert outcome(QUALIFICATION, held) == (MET, ["un_saat held (does not expire)"])


def test_months_after_moves_the_needed_date_clamped_to_the_month_end():
    rule = QUALIFICATION | {"qualification": "passport", "months_after": 1}
    held = candidate(qualifications={"passport": Qualification(date(2027, 2, 28))})
    assert outcome(rule, held, position(deployment_date=date(2027, 1, 31))) == (
        MET, ["passport valid until 2027-02-28, needed until 2027-02-28"])


def test_through_end_asks_validity_after_the_whole_deployment():
    rule = QUALIFICATION | {"qualification": "passport", "through_end": True, "months_after": 6}
    held = candidate(qualifications={"passport": Qualification(date(2028, 5, 31))})
    assert outcome(rule, held, position(duration_months=9)) == (
        NOT_MET, ["passport expires on 2028-05-31, needed until 2028-06-01"])


SERVICE = {"id": "s", "kind": "service_years", "min_years": 5}


def test_service_counts_the_anniversary_on_its_day():
    assert outcome(SERVICE, candidate(service_start=date(2022, 3, 1))) == (
        MET, ["5 years of police service on 2027-03-01, at least 5 needed"])


def test_service_one_day_short_is_not_met():
    assert outcome(SERVICE, candidate(service_start=date(2022, 3, 2))) == (
        NOT_MET, ["4 years of police service on 2027-03-01, at least 5 needed"])


def test_service_unknown_is_not_met():
    assert outcome(SERVICE, candidate(service_start=None)) == (
        NOT_MET, ["Start of police service not recorded, at least 5 years needed"])


LANGUAGE = {"id": "l", "kind": "language", "any_of": ["en", "fr"], "min_level": "B2"}


def test_language_takes_the_best_of_the_accepted_languages():
    assert outcome(LANGUAGE, candidate(languages={"en": 3, "fr": 5})) == (MET, ["fr at C1, B2 needed"])


def test_language_below_the_level_names_the_best():
    assert outcome(LANGUAGE, candidate(languages={"en": 3, "de": 6})) == (
        NOT_MET, ["None of en, fr at B2 (best: en B1)"])


def test_language_missing():
    assert outcome(LANGUAGE, candidate(languages={"de": 6})) == (NOT_MET, ["None of en, fr recorded, B2 needed"])


SKILL = {"id": "k", "kind": "skill", "skill": "forensics", "min_level": 3}


def test_skill_at_the_level_is_met():
    assert outcome(SKILL, candidate(skills={"forensics": 3})) == (MET, ["forensics at level 3, level 3 needed"])


def test_skill_below_and_missing_are_not_met():
    assert outcome(SKILL, candidate(skills={"forensics": 2})) == (NOT_MET, ["forensics at level 2, level 3 needed"])
    assert outcome(SKILL, candidate()) == (NOT_MET, ["forensics not recorded, level 3 needed"])


AGE = {"id": "a", "kind": "age", "min": 25, "max": 62}


def test_age_on_the_birthday_is_met():
    assert outcome(AGE, candidate(date_of_birth=date(2002, 3, 1))) == (MET, ["Age 25 on 2027-03-01, within the limits"])


def test_age_a_day_too_young():
    assert outcome(AGE, candidate(date_of_birth=date(2002, 3, 2))) == (
        NOT_MET, ["Age 24 on 2027-03-01, at least 25 needed"])


def test_age_too_old():
    assert outcome(AGE, candidate(date_of_birth=date(1964, 3, 1))) == (
        NOT_MET, ["Age 63 on 2027-03-01, at most 62 allowed"])


def test_age_unknown():
    assert outcome(AGE, candidate(date_of_birth=None)) == (NOT_MET, ["Date of birth not recorded"])


MEDICAL = {"id": "m", "kind": "restricted", "qualification": "medical_fitness", "level": "MS3"}


def test_restricted_reads_only_the_yes_no_answer():
    yes = candidate(restricted={("medical_fitness", "MS3", DEPLOY): True})
    no = candidate(restricted={("medical_fitness", "MS3", DEPLOY): False})
    assert outcome(MEDICAL, yes) == (MET, ["medical_fitness at level MS3 valid on 2027-03-01: yes"])
    assert outcome(MEDICAL, no) == (NOT_MET, ["medical_fitness at level MS3 valid on 2027-03-01: no"])
    assert outcome(MEDICAL, candidate()) == (NOT_MET, ["medical_fitness at level MS3 valid on 2027-03-01: not known"])


def test_restricted_reason_holds_no_detail_but_the_question():
    reason = evaluate(rules(MEDICAL), candidate(), position()).outcomes[0].reasons[0]
    assert reason == Reason("restricted_level_unanswered",
                            {"qualification": "medical_fitness", "needed_on": "2027-03-01", "level": "MS3"})


def test_restricted_questions_are_what_the_app_must_answer():
    rule_set = shipped_rule_set("un_police")
    positions = [position(), position(id="p2", armed=True, deployment_date=date(2027, 5, 1))]
    assert restricted_questions(rule_set, positions) == {
        ("medical_fitness", "MS2", DEPLOY), ("medical_fitness", "MS3", date(2027, 5, 1))}


def test_certificate_present_and_missing():
    rule = {"id": "h", "kind": "certificate", "certificate": "human_rights_screening"}
    assert outcome(rule, candidate(certificates=frozenset({"human_rights_screening"}))) == (
        MET, ["human_rights_screening present"])
    assert outcome(rule, candidate()) == (NOT_MET, ["human_rights_screening missing"])


def test_misconduct_on_record_is_not_met():
    rule = {"id": "c", "kind": "no_misconduct"}
    assert outcome(rule, candidate()) == (MET, ["No substantiated misconduct on record"])
    assert outcome(rule, candidate(misconduct=True)) == (NOT_MET, ["A substantiated misconduct finding is on record"])


def test_armed_rule_does_not_apply_to_an_unarmed_position():
    rule = QUALIFICATION | {"qualification": "firearms", "when": {"armed": True}}
    assert outcome(rule, candidate()) == (NOT_APPLICABLE, ["Applies to armed positions only"])
    assert outcome(rule, candidate(), position(armed=True)) == (
        NOT_MET, ["firearms not held, needed until 2027-03-01"])


def test_position_requirements_list_each_item():
    rule = {"id": "p", "kind": "position_requirements"}
    pos = position(skills={"forensics": 2}, languages={"en": 4}, qualifications=frozenset({"heat"}))
    cand = candidate(skills={"forensics": 3}, languages={"en": 3})
    assert outcome(rule, cand, pos) == (NOT_MET, [
        "forensics at level 3, level 2 needed", "en at B1, B2 needed", "heat not held, needed until 2027-03-01"])


def test_position_without_requirements_meets_them():
    assert outcome({"id": "p", "kind": "position_requirements"}, candidate()) == (
        MET, ["The position sets no requirements of its own"])


def test_eligible_only_when_no_rule_fails():
    rule_set = rules(SKILL, AGE)
    ok = candidate(skills={"forensics": 4})
    assert evaluate(rule_set, ok, position()).eligible is True
    failed = evaluate(rule_set, candidate(), position())
    assert (failed.eligible, [o.rule_id for o in failed.failed]) == (False, ["k"])


def test_matrix_by_organisation_uses_each_positions_rule_set():
    un = rules(SKILL)
    eu = load_rule_set({"format": 1, "organisation": "eu", "name": "EU", "rules": [AGE]})
    cands = [candidate(skills={"forensics": 3}, date_of_birth=date(2010, 1, 1)), candidate()]
    positions = [position(), position(id="p2", organisation="eu"), position(id="p3", organisation="osce")]
    matrix = eligibility_by_organisation({"un": un, "eu": eu}, cands, positions)
    assert matrix.tolist() == [[True, False, False], [False, True, False]]


# ---------------------------------------------------------------------------------------------------
# The matrix gives the same verdicts as evaluate, rule by rule

ALL_KINDS = rules(
    QUALIFICATION | {"months_after": 3},
    {"id": "pp", "kind": "qualification", "qualification": "passport", "through_end": True},
    SERVICE, LANGUAGE, SKILL | {"min_level": 2}, AGE,
    MEDICAL | {"when": {"armed": True}},
    {"id": "cl", "kind": "restricted", "qualification": "security_clearance"},
    {"id": "h", "kind": "certificate", "certificate": "hr"}, {"id": "c", "kind": "no_misconduct"},
    {"id": "fa", "kind": "qualification", "qualification": "firearms", "when": {"armed": True}},
    {"id": "pos", "kind": "position_requirements"})

DEPLOYMENTS = [date(2027, 1, 31), date(2027, 3, 1), date(2028, 2, 29)]
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))
qualification = st.one_of(st.none(), st.builds(Qualification, st.one_of(st.none(), days)))


@st.composite
def candidates(draw, index):
    quals = {code: q for code in ("un_saat", "passport", "heat", "firearms")
             if (q := draw(qualification)) is not None}
    questions = [("medical_fitness", "MS3", d) for d in DEPLOYMENTS] + [("security_clearance", "", d)
                                                                        for d in DEPLOYMENTS]
    return Candidate(
        index, draw(st.one_of(st.none(), st.dates(date(1960, 1, 1), date(2005, 12, 31)))),
        draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2026, 12, 31)))),
        skills=draw(st.dictionaries(st.sampled_from(["forensics", "cybercrime"]), st.integers(1, 4))),
        languages=draw(st.dictionaries(st.sampled_from(["en", "fr", "de"]), st.integers(1, 6))),
        qualifications=quals, certificates=draw(st.sampled_from([frozenset(), frozenset({"hr"})])),
        restricted=draw(st.dictionaries(st.sampled_from(questions), st.booleans())),
        misconduct=draw(st.booleans()))


@st.composite
def positions(draw, index):
    return Position(
        index, draw(st.sampled_from(DEPLOYMENTS)), "un", draw(st.booleans()), draw(st.integers(1, 24)),
        skills=draw(st.dictionaries(st.sampled_from(["forensics", "cybercrime"]), st.integers(1, 4), max_size=2)),
        languages=draw(st.dictionaries(st.sampled_from(["en", "de"]), st.integers(1, 6), max_size=1)),
        qualifications=draw(st.sampled_from([frozenset(), frozenset({"heat"})])))


@st.composite
def instances(draw):
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return [draw(candidates(i)) for i in range(n)], [draw(positions(j)) for j in range(m)]


@settings(max_examples=150, deadline=None)
@given(instances())
def test_matrix_agrees_with_evaluate_rule_by_rule(instance):
    cands, positions_ = instance
    matrix = eligibility_matrix(ALL_KINDS, cands, positions_, per_rule=True)
    for i, c in enumerate(cands):
        for j, p in enumerate(positions_):
            verdict = evaluate(ALL_KINDS, c, p)
            assert bool(matrix.eligible[i, j]) == verdict.eligible
            for o in verdict.outcomes:
                assert bool(matrix.not_met[o.rule_id][i, j]) == (o.status == NOT_MET), o.rule_id


# A second rule set: two position_requirements rules (one checking skills only, one unarmed only),
# a passport through the deployment's end plus 2 months, a language of two, a restricted answer
# without level for armed positions only, an age maximum.
EU_TEST = load_rule_set({"format": 1, "organisation": "eu", "name": "EU test", "rules": [
    {"id": "sk", "kind": "position_requirements", "check": ["skills"]},
    {"id": "all", "kind": "position_requirements", "when": {"armed": False}},
    {"id": "pp", "kind": "qualification", "qualification": "passport", "through_end": True, "months_after": 2},
    {"id": "lang", "kind": "language", "any_of": ["de", "en"], "min_level": "B1"},
    {"id": "cl", "kind": "restricted", "qualification": "security_clearance", "when": {"armed": True}},
    {"id": "age", "kind": "age", "max": 55}]})


@st.composite
def mixed_instances(draw):
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return [draw(candidates(i)) for i in range(n)], [
        replace(draw(positions(j)), organisation=draw(st.sampled_from(["un", "eu", "osce"]))) for j in range(m)]


@settings(max_examples=150, deadline=None)
@given(mixed_instances())
def test_matrix_by_organisation_agrees_with_evaluate_on_shared_columns(instance):
    """The bulk path (positions grouped by rule set, armed, dates; requirements gathered slot by slot;
    facts read once into columns shared by both rule sets and by scoring) gives evaluate's verdict for
    every pair, per rule too; "osce" has no rule set: nobody is eligible there."""
    cands, positions_ = instance
    rule_sets = {"un": ALL_KINDS, "eu": EU_TEST}
    columns = CandidateColumns(cands)
    matrix = eligibility_by_organisation(rule_sets, columns, positions_)
    expected = [[evaluate(rule_sets[p.organisation], c, p).eligible if p.organisation in rule_sets else False
                 for p in positions_] for c in cands]
    assert matrix.tolist() == expected
    assert matrix.T.flags["C_CONTIGUOUS"]  # stored positions × candidates, as the scores (assignment reads it so)
    for rule_set in rule_sets.values():
        per_rule = eligibility_matrix(rule_set, columns, positions_, per_rule=True)
        assert np.array_equal(per_rule.eligible, ~np.any(list(per_rule.not_met.values()), axis=0))
        for i, c in enumerate(cands):
            for j, p in enumerate(positions_):
                for o in evaluate(rule_set, c, p).outcomes:
                    assert bool(per_rule.not_met[o.rule_id][i, j]) == (o.status == NOT_MET), o.rule_id
    assert np.array_equal(eligibility_by_organisation(rule_sets, columns, positions_), matrix)  # from the cache
    weights = default_weights()
    assert np.array_equal(score_matrix(columns, positions_, weights), score_matrix(cands, positions_, weights))


def test_matrix_counts_failures_per_rule():
    matrix = eligibility_matrix(rules(SKILL, AGE), [candidate(), candidate(skills={"forensics": 3})],
                                [position(), position(id="p2")], per_rule=True)
    assert (matrix.failures(), matrix.eligible.tolist()) == ({"k": 2, "a": 0}, [[False, False], [True, True]])


def test_matrix_of_no_candidates_is_empty():
    assert eligibility_matrix(ALL_KINDS, [], [position()]).eligible.shape == (0, 1)
    assert np.array_equal(eligibility_matrix(ALL_KINDS, [candidate()], []).eligible, np.ones((1, 0), bool))
