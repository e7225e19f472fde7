"""The transparent score: each part's value exactly, the total from the weights, and the matrix agrees."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.selection.engine import (
    PARTS,
    Candidate,
    MissionRecord,
    Position,
    Qualification,
    default_weights,
    describe,
    level_value,
    load_weights,
    score,
    score_matrix,
    score_parts_matrix,
)

WEIGHTS = default_weights()
REGIONS = {"MLI": "Western Africa", "NER": "Western Africa", "UKR": "Eastern Europe"}


def position(**changes):
    return replace(Position("p", date(2027, 1, 1), "un", duration_months=12), **changes)


def part(result, name):
    return next(p for p in result.parts if p.part == name)


@pytest.mark.parametrize(("level", "need", "top", "value"), [
    (0, 2, 4, 0.0), (1, 2, 4, 0.25), (2, 2, 4, 0.5), (3, 2, 4, 0.75), (4, 2, 4, 1.0), (4, 4, 4, 1.0),
    (4, 4, 6, 0.5), (6, 4, 6, 1.0)])
def test_level_value(level, need, top, value):
    assert level_value(level, need, top) == value


def test_skills_part_is_the_mean_over_required_skills():
    result = score(Candidate(1, skills={"forensics": 4, "cybercrime": 1}),
                   position(skills={"forensics": 2, "cybercrime": 2}), WEIGHTS)
    assert (part(result, "skills").value, [describe(r) for r in part(result, "skills").reasons]) == (
        0.625, ["cybercrime at level 1 for level 2: 0.25", "forensics at level 4 for level 2: 1"])


def test_parts_without_requirements_are_neutral():
    result = score(Candidate(1), position(), WEIGHTS, REGIONS)
    assert {p.part: p.value for p in result.parts} == {
        "skills": 0.5, "languages": 0.5, "country_experience": 0.5, "thematic_experience": 0.5,
        "missions": 0.0, "validity_margin": 0.0}


def test_languages_part_on_the_cefr_scale():
    result = score(Candidate(1, languages={"en": 5}), position(languages={"en": 4}), WEIGHTS)
    assert (part(result, "languages").value, describe(part(result, "languages").reasons[0])) == (
        0.75, "en at C1 for B2: 0.75")


def test_country_experience_from_mission_history():
    cand = Candidate(1, missions=(MissionRecord(countries=frozenset({"MLI"})),))
    result = score(cand, position(countries=frozenset({"MLI"})), WEIGHTS, REGIONS)
    assert (part(result, "country_experience").value, describe(part(result, "country_experience").reasons[0])) == (
        1.0, "Experience in MLI (mission history)")


def test_region_experience_counts_half():
    cand = Candidate(1, country_expertise=frozenset({"NER"}))
    pos = position(countries=frozenset({"MLI"}), regions=frozenset({"Western Africa"}))
    result = score(cand, pos, WEIGHTS, REGIONS)
    assert (part(result, "country_experience").value, describe(part(result, "country_experience").reasons[0])) == (
        0.5, "Experience in the region Western Africa (declared)")


def test_no_country_experience_is_zero():
    cand = Candidate(1, country_expertise=frozenset({"UKR"}))
    result = score(cand, position(countries=frozenset({"MLI"}), regions=frozenset({"Western Africa"})),
                   WEIGHTS, REGIONS)
    assert part(result, "country_experience").value == 0.0


def test_thematic_experience_declared_and_from_history():
    cand = Candidate(1, thematic_expertise=frozenset({"drugs"}),
                     missions=(MissionRecord(themes=frozenset({"border_management"})),))
    pos = position(themes=frozenset({"drugs", "border_management", "cybercrime", "rule_of_law"}))
    result = score(cand, pos, WEIGHTS)
    assert (part(result, "thematic_experience").value, describe(part(result, "thematic_experience").reasons[0])) == (
        0.5, "2 of 4 themes: border_management, drugs")


def test_missions_part_is_capped():
    cand = Candidate(1, missions=(MissionRecord(),) * 5)
    assert part(score(cand, position(), WEIGHTS), "missions").value == 1.0
    assert part(score(replace(cand, missions=(MissionRecord(),)), position(), WEIGHTS), "missions").value == 1 / 3


def test_validity_margin_in_months_beyond_the_deployment():
    cand = Candidate(1, qualifications={"passport": Qualification(date(2028, 7, 1))})
    result = score(cand, position(), WEIGHTS)
    margin = part(result, "validity_margin")
    assert (round(margin.value, 6), describe(margin.reasons[0])) == (
        round(182 / (365.25 / 12) / 12, 6), "passport outlasts the deployment by 6 months, full value at 12")


def test_validity_margin_short_is_zero():
    cand = Candidate(1, qualifications={"passport": Qualification(date(2027, 12, 1))})
    margin = part(score(cand, position(), WEIGHTS), "validity_margin")
    assert (margin.value, describe(margin.reasons[0])) == (
        0.0, "passport expires 1 months before the deployment ends")


def test_total_is_the_weighted_share_of_100_and_the_points_add_up():
    weights = load_weights({"format": 1, "weights": {"skills": 1, "languages": 1, "country_experience": 0,
                                                     "thematic_experience": 0, "missions": 2, "validity_margin": 0}})
    result = score(Candidate(1, skills={"forensics": 4}, missions=(MissionRecord(),) * 3),
                   position(skills={"forensics": 2}), weights)
    assert (result.total, [p.points for p in result.parts]) == (
        100 * (1 * 1.0 + 1 * 0.5 + 2 * 1.0) / 4, [25.0, 12.5, 0.0, 0.0, 50.0, 0.0])


COUNTRIES = ["MLI", "NER", "UKR", "COD"]
REGIONS_ALL = {"MLI": "Western Africa", "NER": "Western Africa", "UKR": "Eastern Europe", "COD": "Middle Africa"}
THEMES = ["drugs", "cybercrime", "border_management"]
sets = st.frozensets


@st.composite
def instances(draw):
    def cand(i):
        return Candidate(
            i, skills=draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 4))),
            languages=draw(st.dictionaries(st.sampled_from(["en", "fr"]), st.integers(1, 6))),
            qualifications={code: Qualification(draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2031, 1, 1)))))
                            for code in draw(sets(st.sampled_from(["passport", "heat"])))},
            country_expertise=draw(sets(st.sampled_from(COUNTRIES), max_size=2)),
            thematic_expertise=draw(sets(st.sampled_from(THEMES), max_size=2)),
            missions=tuple(MissionRecord(draw(sets(st.sampled_from(COUNTRIES), max_size=1)),
                                         draw(sets(st.sampled_from(THEMES), max_size=2)))
                           for _ in range(draw(st.integers(0, 4)))))

    def pos(j):
        countries = draw(sets(st.sampled_from(COUNTRIES), max_size=2))
        return Position(j, draw(st.dates(date(2026, 6, 1), date(2028, 6, 1))), duration_months=draw(st.integers(1, 24)),
                        skills=draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 4), max_size=2)),
                        languages=draw(st.dictionaries(st.sampled_from(["en", "fr"]), st.integers(1, 6), max_size=2)),
                        countries=countries, regions=frozenset(REGIONS_ALL[c] for c in countries),
                        themes=draw(sets(st.sampled_from(THEMES))))
    weights = load_weights({"format": 1, "weights": {name: draw(st.integers(0, 5)) for name in PARTS[:-1]}
                            | {"validity_margin": draw(st.integers(1, 5))},
                            "settings": {"margin_qualifications": draw(st.sampled_from(
                                [[], ["passport"], ["passport", "heat"]])),
                                "missions_full_at": draw(st.integers(1, 4))}})
    return ([cand(i) for i in range(draw(st.integers(1, 5)))], [pos(j) for j in range(draw(st.integers(1, 4)))],
            weights)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_matrix_agrees_with_score_pair_by_pair(instance):
    cands, positions, weights = instance
    matrix = score_matrix(cands, positions, weights, REGIONS_ALL)
    expected = np.array([[score(c, p, weights, REGIONS_ALL).total for p in positions] for c in cands])
    np.testing.assert_allclose(matrix, expected, rtol=0, atol=1e-9)
    assert matrix.T.flags["C_CONTIGUOUS"]  # stored positions × candidates, as the eligibility (assignment reads it so)


@settings(max_examples=100, deadline=None)
@given(instances())
def test_parts_matrix_agrees_with_score_part_by_part(instance):
    cands, positions, weights = instance
    parts = score_parts_matrix(cands, positions, weights, REGIONS_ALL)
    for name in PARTS:
        expected = np.array([[part(score(c, p, weights, REGIONS_ALL), name).value for p in positions] for c in cands])
        np.testing.assert_allclose(parts[name], expected, rtol=0, atol=1e-9, err_msg=name)


def test_ranking_puts_the_eligible_first_by_score():
    from dividend.selection.engine import load_rule_set, rank_candidates
    rules = load_rule_set({"format": 1, "organisation": "un", "name": "T",
                           "rules": [{"id": "k", "kind": "skill", "skill": "forensics", "min_level": 2}]})
    pos = position(skills={"forensics": 2})
    cands = [Candidate("low", skills={"forensics": 2}), Candidate("none"), Candidate("high", skills={"forensics": 4}),
             Candidate("short", skills={"forensics": 1})]
    ranked = rank_candidates(rules, WEIGHTS, cands, pos)
    assert [(r.candidate_id, r.rank, r.eligible) for r in ranked] == [
        ("high", 1, True), ("low", 2, True), ("short", None, False), ("none", None, False)]
