"""The portfolio engine (pure): a 5-position plan computed by hand, its marginal values, the budget
±10 %, infeasible constraints named, and the MILP against brute force on random small instances."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dividend.accountability.portfolio import Candidate, Constraints, choose, diagnose, plan, solve

# value per post, posts, cost, organisation, available, women available
FIVE = [
    Candidate("A", "A", 90, 1, 100, "un", 3, 1),
    Candidate("B", "B", 70, 1, 60, "eu_csdp", 2, 0),
    Candidate("C", "C", 60, 2, 150, "un", 4, 2),  # 120 for its two posts
    Candidate("D", "D", 40, 1, 50, "osce", 1, 1),
    Candidate("E", "E", 80, 1, 120, "eu_csdp", 0, 0),  # nobody available: never chosen
]
BASE = Constraints(budget=250, min_women=2)


def test_five_positions_optimum_by_hand():
    # Within 250 with two women deployable: A+C 210 (cost 250), A+B+D 200, B+C 190, C+D 160, A+D 130.
    result = plan(FIVE, BASE)
    assert result.plan.status == "optimal"
    assert result.plan.chosen == ("A", "C")
    assert result.plan.objective == 210
    assert (result.plan.posts, result.plan.cost, result.plan.women) == (3, 250, 3)
    assert result.plan.gap == 0


def test_marginal_values_are_the_objective_lost_when_re_solved_without():
    result = plan(FIVE, BASE)
    marginals = {m.key: (m.value, m.without) for m in result.marginals}
    assert marginals == {"A": (20, ("B",)), "C": (10, ("B", "D"))}  # B+C 190; A+B+D 200


def test_budget_minus_and_plus_ten_percent():
    low, high = plan(FIVE, BASE).sensitivity
    assert (low.budget, low.plan.objective, low.added, low.dropped) == (225, 200, ("B", "D"), ("C",))
    assert (high.budget, high.plan.objective, high.added, high.dropped) == (275, 230, ("B", "D"), ("A",))


def test_a_position_without_enough_officers_is_never_chosen():
    assert "E" not in solve(FIVE, Constraints(budget=10_000)).chosen
    assert solve(FIVE, Constraints(budget=10_000)).chosen == ("A", "B", "C", "D")


def test_infeasible_constraints_are_named_with_what_the_others_allow():
    result = plan(FIVE, Constraints(budget=100, min_women=3))
    assert result.plan.status == "infeasible"
    conflicts = {c.key: (c.limit, c.best, c.alone) for c in result.conflicts}
    # Three women need C and A or D: at least 200; within 100 at most one woman (A or D).
    assert conflicts == {"budget": (100, 200, True), "min_women": (3, 1, True)}


def test_independent_conflicts_are_each_named():
    constraints = Constraints(budget=100, min_women=3, min_per_organisation={"osce": 2})
    conflicts = {(c.group, c.key) for c in diagnose(FIVE, constraints)}
    # OSCE: one post at most (D) whatever else holds; then the budget against the women.
    assert conflicts == {(1, "min_org:osce"), (2, "budget"), (2, "min_women")}


def test_a_ceiling_alone_never_conflicts():
    assert diagnose(FIVE, Constraints(budget=0, max_total=0, available_total=0)) == ()


def test_no_candidate_and_a_floor_is_infeasible():
    result = plan([], Constraints(min_women=1))
    assert result.plan.status == "infeasible"
    assert [(c.key, c.best) for c in result.conflicts] == [("min_women", 0.0)]


def test_bad_numbers_are_refused():
    with pytest.raises(ValueError, match="budget"):
        solve(FIVE, Constraints(budget=-1))
    with pytest.raises(ValueError, match="cost"):
        solve([Candidate("X", "X", 1, 1, float("nan"), "un", 1, 0)], Constraints())


candidate = st.builds(
    lambda value, posts, cost, org, available, women: (value, posts, cost, org, available, women),
    st.integers(0, 100), st.integers(1, 3), st.integers(0, 200), st.sampled_from(["un", "eu_csdp", "osce"]),
    st.integers(0, 4), st.integers(0, 3))


@given(rows=st.lists(candidate, min_size=0, max_size=7), budget=st.integers(0, 600),
       max_total=st.none() | st.integers(0, 8), min_women=st.none() | st.integers(0, 5),
       min_un=st.integers(0, 3))
def test_milp_equals_brute_force(rows, budget, max_total, min_women, min_un):
    candidates = [Candidate(f"p{i}", f"p{i}", *row) for i, row in enumerate(rows)]
    constraints = Constraints(budget=budget, max_total=max_total, min_women=min_women,
                              min_per_organisation={"un": min_un})
    best, _subset = choose(candidates, constraints)
    found = solve(candidates, constraints)
    if best is None:
        assert found.status == "infeasible"
        assert diagnose(candidates, constraints)  # and something is named
    else:
        assert found.status == "optimal"
        assert found.objective == pytest.approx(best)


def test_marginal_values_left_for_lack_of_time_are_marked():
    result = plan(FIVE, BASE, marginal_budget=0)
    # The lightest first (A, 90): computed before the budget is looked at again; C not.
    assert [(m.key, m.value, m.computed) for m in result.marginals] == [("A", 20, True), ("C", None, False)]
