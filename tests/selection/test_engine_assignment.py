"""Assignment: optimal on small instances (checked by brute force), greedy never better, infeasibility named."""

import math
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.selection.engine import (
    AssignmentInputError,
    AssignmentProblem,
    assign,
    constraint_costs,
    describe,
    explain_infeasibility,
    greedy_assign,
)
from dividend.selection.engine.assignment import _lsa_cost


def brute_force(problem: AssignmentProblem):
    """The best objective over every assignment meeting every constraint (None: none does)."""
    n, m = problem.scores.shape
    eligible = np.ones((n, m), bool) if problem.eligible is None else problem.eligible
    best = None
    choices = [None, *range(n)]
    for combo in _assignments(n, m, choices):
        pairs = [(i, j) for j, i in enumerate(combo) if i is not None]
        if not all(eligible[i, j] for i, j in pairs):
            continue
        if problem.fill_all and len(pairs) < m:
            continue
        if any(sum(problem.pools[i] == pool for i, _ in pairs) > limit for pool, limit in problem.pool_max.items()):
            continue
        prefs = problem.preferences or {}
        if problem.preference_mode == "only" and any(i in prefs and j not in prefs[i] for i, j in pairs):
            continue
        value = sum(problem.scores[i, j] for i, j in pairs)
        if problem.preference_mode == "bonus":
            value += problem.preference_bonus * sum(1 for i, j in pairs if i in prefs and j in prefs[i])
        if problem.min_women_share is not None:
            women = sum(bool(problem.women[i]) for i, _ in pairs)
            missing = max(0, math.ceil(problem.min_women_share * len(pairs) - women - 1e-9))
            if missing and problem.women_mode == "hard":
                continue
            if problem.women_mode == "soft":
                value -= problem.women_penalty * missing
        best = value if best is None else max(best, value)
    return best


def _assignments(n, m, choices):
    """Every way to give each position nobody or a distinct candidate."""
    def extend(j, used):
        if j == m:
            yield ()
            return
        for i in choices:
            if i is None or i not in used:
                for rest in extend(j + 1, used | ({i} if i is not None else set())):
                    yield (i, *rest)
    yield from extend(0, frozenset())


@st.composite
def problems(draw, side=True):
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    scores = np.array(draw(st.lists(st.lists(st.integers(0, 20), min_size=m, max_size=m), min_size=n, max_size=n)),
                      dtype=float)
    eligible = np.array(draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n)))
    pools = [draw(st.sampled_from(["a", "b"])) for _ in range(n)]
    kwargs = {"fill_all": draw(st.booleans())}
    if side and draw(st.booleans()):
        kwargs["pool_max"] = {"a": draw(st.integers(0, 2))}
    if side and draw(st.booleans()):
        kwargs |= {"women": np.array([draw(st.booleans()) for _ in range(n)]),
                   "min_women_share": draw(st.sampled_from([0.25, 0.5, 2 / 3, 1.0])),
                   "women_mode": draw(st.sampled_from(["hard", "soft"])), "women_penalty": draw(st.integers(0, 30))}
    if draw(st.booleans()):
        kwargs |= {"preferences": {i: set(draw(st.lists(st.integers(0, m - 1), max_size=m)))
                                   for i in draw(st.lists(st.integers(0, n - 1), max_size=n, unique=True))},
                   "preference_mode": draw(st.sampled_from(["only", "bonus"])),
                   "preference_bonus": draw(st.integers(0, 5))}
    return AssignmentProblem(scores, eligible, pools=pools, **kwargs)


def _agrees(problem, result):
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        assert result.infeasible_keys
    else:
        assert result.status == "optimal"
        assert result.objective == pytest.approx(best, abs=1e-6)
        assert all(c.met for c in result.checks if not (c.key == "women_min_share" and problem.women_mode == "soft"))


@settings(max_examples=200, deadline=None)
@given(problems())
def test_milp_is_optimal_on_small_instances(problem):
    _agrees(problem, assign(problem, strategy="milp"))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_column_generation_is_optimal_on_small_instances(problem):
    if problem.fill_all:
        problem = problem.without("fill_all")
    _agrees(problem, assign(problem, strategy="columns"))


@settings(max_examples=200, deadline=None)
@given(problems(side=False))
def test_linear_sum_assignment_is_optimal_without_side_constraints(problem):
    result = assign(problem)
    assert result.method == "linear_sum_assignment"
    _agrees(problem, result)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_greedy_is_never_better_than_the_optimum(problem):
    greedy = greedy_assign(problem)
    best = brute_force(problem)
    if greedy.status == "feasible":
        assert best is not None
        assert greedy.objective <= best + 1e-9


def test_unconstrained_matches_a_hand_solved_instance():
    scores = np.array([[10.0, 9.0], [9.0, 1.0]])
    result = assign(AssignmentProblem(scores))
    assert (result.pairs, result.total_score, result.gap) == (((1, 0), (0, 1)), 18.0, 0.0)


def test_ineligible_pairs_are_never_assigned():
    scores = np.array([[10.0, 9.0], [9.0, 1.0]])
    eligible = np.array([[True, False], [True, False]])
    result = assign(AssignmentProblem(scores, eligible))
    assert (result.pairs, result.total_score) == (((0, 0),), 10.0)


def test_pool_maximum_and_its_cost():
    scores = np.array([[10.0, 9.0], [9.0, 8.0], [1.0, 1.0]])
    problem = AssignmentProblem(scores, pools=["a", "a", "b"], pool_max={"a": 1})
    result = assign(problem)
    assert (result.method, result.pairs, result.objective) == ("milp", ((0, 0), (2, 1)), 11.0)
    assert [(c.key, c.met, dict(c.detail)) for c in result.checks][2] == (
        "pool_max:a", True, {"pool": "a", "assigned": 1, "max": 1})
    assert constraint_costs(problem, result) == {"pool_max:a": 7.0}


def test_soft_women_share_pays_a_penalty_per_missing_woman():
    scores = np.array([[10.0, 10.0], [10.0, 10.0], [1.0, 1.0]])
    women = np.array([False, False, True])
    hard = AssignmentProblem(scores, women=women, min_women_share=0.5)
    soft = AssignmentProblem(scores, women=women, min_women_share=0.5, women_mode="soft", women_penalty=4.0)
    assert assign(hard).objective == 11.0
    result = assign(soft)
    assert (result.objective, result.total_score) == (16.0, 20.0)
    assert dict(result.checks[-1].detail) == {
        "women": 0, "assigned": 2, "min_share": 0.5, "share": 0.0, "missing": 1, "mode": "soft"}


def test_preferences_only_and_bonus():
    scores = np.array([[10.0, 9.0]])
    assert assign(AssignmentProblem(scores, preferences={0: {1}})).pairs == ((0, 1),)
    bonus = assign(AssignmentProblem(scores, preferences={0: {1}}, preference_mode="bonus", preference_bonus=2.0))
    assert (bonus.pairs, bonus.objective, bonus.total_score) == (((0, 1),), 11.0, 9.0)


def test_a_position_without_eligible_candidates_makes_fill_all_infeasible():
    problem = AssignmentProblem(np.ones((2, 2)), np.array([[True, False], [True, False]]), fill_all=True)
    result = assign(problem)
    assert (result.status, result.infeasible_keys) == ("infeasible", ("fill_all",))
    assert [describe(r) for r in result.infeasibility] == [
        "These constraints cannot all be met together: every position filled (dropping any one of them makes "
        "the call solvable)",
        "No eligible candidate for positions 1",
        "At most 1 of 2 positions can be filled with eligible candidates"]


def test_the_constraints_that_clash_are_named_and_the_innocent_left_out():
    problem = AssignmentProblem(np.ones((3, 2)), pools=["a", "a", "b"], pool_max={"a": 1, "b": 1},
                                women=np.array([False, False, True]), min_women_share=0.5, fill_all=True)
    assert explain_infeasibility(replace_share(problem, 0.0)) == ([], [])
    keys, reasons = explain_infeasibility(replace_share(problem, 1.0))
    assert keys == ["fill_all", "women_min_share"]
    assert describe(reasons[0]) == (
        "These constraints cannot all be met together: every position filled; a minimum share of women "
        "(dropping any one of them makes the call solvable)")


def test_pool_maximum_with_fill_all_is_named():
    problem = AssignmentProblem(np.ones((3, 2)), pools=["a", "a", "b"], pool_max={"a": 0, "b": 1}, fill_all=True)
    result = assign(problem)
    assert (result.status, result.infeasible_keys) == ("infeasible", ("fill_all", "pool_max:a"))


def replace_share(problem, share):
    from dataclasses import replace
    return replace(problem, min_women_share=share)


def test_greedy_baseline_on_a_trap():
    scores = np.array([[10.0, 9.0], [9.0, 1.0]])
    greedy = greedy_assign(AssignmentProblem(scores))
    assert (greedy.status, greedy.pairs, greedy.objective, greedy.bound) == ("feasible", ((0, 0), (1, 1)), 11.0, None)


def test_greedy_meets_a_hard_share_by_replacing_men():
    scores = np.array([[10.0, 9.0], [9.0, 8.0], [2.0, 1.0]])
    problem = AssignmentProblem(scores, women=np.array([False, False, True]), min_women_share=0.5)
    greedy = greedy_assign(problem)
    assert (greedy.status, greedy.pairs) == ("feasible", ((0, 0), (2, 1)))


def test_bad_input_lists_every_problem():
    problem = AssignmentProblem(np.array([[-1.0, np.nan]]), np.ones((2, 2), bool), pool_max={"a": -1},
                                min_women_share=1.5, women_mode="maybe", preferences={3: {0}, 0: {7}})
    with pytest.raises(AssignmentInputError) as error:
        assign(problem)
    assert error.value.messages == [
        "scores: must be finite and at least 0", "eligible: must have the scores' shape 1 × 2",
        "pools: must give a pool for each of the 1 candidates", "pool_max.a: must be a whole number ≥ 0",
        "min_women_share: must be a share from 0 to 1", "women: must say for each of the 1 candidates whether a woman",
        "women_mode: must be hard or soft", "preferences.3: is not a candidate index (0–0)",
        "preferences.0: names a position outside 0–1"]


def test_larger_instance_column_generation_equals_the_full_milp():
    rng = np.random.default_rng(7)
    scores = rng.uniform(0, 100, (120, 40))
    eligible = rng.random((120, 40)) < 0.3
    problem = AssignmentProblem(scores, eligible, pools=list(rng.choice(["a", "b", "c"], 120)),
                                pool_max={"a": 8, "b": 12}, women=rng.random(120) < 0.3, min_women_share=0.4)
    full, columns = assign(problem, strategy="milp"), assign(problem, strategy="columns")
    assert (full.status, columns.status) == ("optimal", "optimal")
    assert columns.objective == pytest.approx(full.objective, abs=1e-6)


def test_unconstrained_objective_equals_scipy_on_the_same_matrix():
    from scipy.optimize import linear_sum_assignment
    rng = np.random.default_rng(3)
    scores = rng.uniform(0, 100, (60, 25))
    eligible = rng.random((60, 25)) < 0.2
    rows, cols = linear_sum_assignment(np.where(eligible, scores, 0.0), maximize=True)
    assert assign(AssignmentProblem(scores, eligible)).objective == pytest.approx(
        float(np.where(eligible, scores, 0.0)[rows, cols].sum()), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 150), st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.2, 1.0]),
       st.booleans(), st.sampled_from(["C", "F", "scores F, eligible C"]))
def test_unconstrained_pairs_are_scipys_on_the_masked_matrix(n, m, seed, share, ties, layout):
    """assign() hands scipy the masked, negated matrix in the orientation scipy solves in (transposed by
    blocks of 64 candidates when taller than wide, or read as it lies when both matrices are stored
    positions × candidates, as the engine makes them): the very pairs scipy gives on the (candidates ×
    positions) matrix, ties included (small integer scores), over several blocks and a partial one."""
    from scipy.optimize import linear_sum_assignment
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (n, m)).astype(float) if ties else rng.uniform(0, 100, (n, m))
    eligible = rng.random((n, m)) < share
    masked = np.where(eligible, scores, 0.0)
    rows, cols = linear_sum_assignment(masked, maximize=True)
    expected = tuple(sorted(((int(i), int(j)) for i, j in zip(rows, cols, strict=True) if eligible[i, j]),
                            key=lambda ij: ij[1]))
    if layout != "C":
        scores = np.asfortranarray(scores)
        eligible = eligible if layout == "scores F, eligible C" else np.asfortranarray(eligible)
    result = assign(AssignmentProblem(scores, eligible))
    assert (result.pairs, result.objective) == (expected, pytest.approx(float(masked[rows, cols].sum()), abs=1e-9))


def test_cost_matrix_read_as_it_lies_equals_the_transposed_copy():
    """Both ways of making scipy's cost matrix give the same numbers (-0.0 where ineligible)."""
    rng = np.random.default_rng(5)
    scores, eligible = rng.uniform(0, 100, (130, 7)), rng.random((130, 7)) < 0.3
    by_blocks, transposed = _lsa_cost(scores, eligible)
    as_it_lies, transposed_too = _lsa_cost(np.asfortranarray(scores), np.asfortranarray(eligible))
    assert (transposed, transposed_too, as_it_lies.shape, as_it_lies.flags["C_CONTIGUOUS"]) == (True, True, (7, 130), True)
    assert np.array_equal(by_blocks, as_it_lies) and np.array_equal(np.signbit(by_blocks), np.signbit(as_it_lies))


def test_unconstrained_leaves_the_callers_matrices_alone():
    scores, eligible = np.arange(200.0).reshape(100, 2), np.tile([True, False], (100, 1))
    assign(AssignmentProblem(scores, eligible))
    assert (scores.tolist(), eligible.tolist()) == (np.arange(200.0).reshape(100, 2).tolist(),
                                                    np.tile([True, False], (100, 1)).tolist())


def test_brute_force_helper_counts_every_assignment():
    assert len(list(_assignments(2, 2, [None, 0, 1]))) == 7
    assert len(list(permutations(range(2)))) == 2
