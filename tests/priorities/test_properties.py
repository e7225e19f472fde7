"""Property tests: invariants that must hold whatever the data."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.priorities.engine import (
    ColumnTable,
    IndicatorLibrary,
    compute,
    load_model,
    normalise,
    rank_scores,
    round_half_up,
)
from dividend.priorities.engine.model import Normalisation

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
values = st.lists(st.one_of(finite, st.just(float("nan"))), min_size=2, max_size=30)


@given(values)
def test_min_max_in_unit_interval(xs):
    x = np.array(xs)
    v = normalise(x, Normalisation("min_max"), "higher_is_more_relevant", [])
    present = ~np.isnan(x)
    assert (np.isnan(v) == ~present).all()
    assert ((v[present] >= 0) & (v[present] <= 1)).all()
    if present.sum() and np.nanmax(x) > np.nanmin(x):
        assert v[present].min() == 0 and v[present].max() == 1


@given(values)
def test_percentile_in_unit_interval_and_direction_mirrors(xs):
    x = np.array(xs)
    up = normalise(x, Normalisation("percentile"), "higher_is_more_relevant", [])
    down = normalise(x, Normalisation("percentile"), "higher_is_less_relevant", [])
    present = ~np.isnan(x)
    assert ((up[present] >= 0) & (up[present] <= 1)).all()
    np.testing.assert_allclose(up[present] + down[present], 1.0)


@given(st.lists(st.lists(finite, min_size=8, max_size=8), min_size=1, max_size=5))
def test_rank_is_a_permutation(rows):
    scores = np.array(rows)
    ranks = rank_scores(scores)
    assert (np.sort(ranks, axis=1) == np.arange(1, 9)).all()


@given(finite, st.integers(0, 4))
def test_half_up_rounding_error_bounded(x, decimals):
    r = round_half_up(np.array([x]), decimals)[0]
    assert abs(r - x) <= 0.5 * 10.0 ** -decimals * (1 + 1e-6) + 1e-9 * max(1, abs(x))


def library_for(matrix):
    library = IndicatorLibrary()
    codes = tuple(f"C{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(matrix.shape[0]))
    for j in range(matrix.shape[1]):
        library.add_table("h", f"x{j}", ColumnTable(codes, (2020,), matrix[:, j:j + 1]))
    return library, codes


def tree_text(n_cols, weights, aggregation="weighted_arithmetic_mean", normalisation="none"):
    leaves = "\n".join(f"    - {{id: x{j}, dataset: h, column: x{j}, weight: {weights[j]}, "
                       f"normalisation: {normalisation}}}" for j in range(n_cols))
    return ("format_version: 1\nid: p\nname: p\nversion: '1'\n"
            "defaults: {year: 2020, direction: higher_is_more_relevant}\n"
            f"index:\n  id: root\n  aggregation: {aggregation}\n  children:\n{leaves}\n")


positive = st.floats(min_value=0.01, max_value=100, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(finite, min_size=3, max_size=12), st.lists(positive, min_size=3, max_size=3))
def test_weighted_mean_of_equal_children_is_the_child(column, weights):
    matrix = np.repeat(np.array(column)[:, None], 3, axis=1)
    library, _ = library_for(matrix)
    r = compute(load_model(tree_text(3, weights), library), library)
    np.testing.assert_allclose(r.score, column, rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3), min_size=3, max_size=10),
       st.lists(positive, min_size=3, max_size=3), st.integers(0, 9), st.integers(0, 2),
       st.floats(0.001, 50, allow_nan=False))
def test_monotone_in_a_more_relevant_indicator(rows, weights, country, column, increase):
    matrix = np.array(rows)
    country %= len(matrix)
    library, _ = library_for(matrix)
    model = load_model(tree_text(3, weights, normalisation="{method: goalposts, min: 0, max: 200}"), library)
    before = compute(model, library).score[country]
    matrix2 = matrix.copy()
    matrix2[country, column] += increase
    library2, _ = library_for(matrix2)
    after = compute(load_model(tree_text(3, weights, normalisation="{method: goalposts, min: 0, max: 200}"),
                               library2), library2).score[country]
    assert after >= before - 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.floats(0, 100, allow_nan=False), min_size=4, max_size=4), min_size=2, max_size=10),
       st.lists(positive, min_size=4, max_size=4))
def test_contributions_sum_to_score(rows, weights):
    matrix = np.array(rows)
    library, _ = library_for(matrix)
    r = compute(load_model(tree_text(4, weights, normalisation="min_max"), library), library)
    total = sum(r.contributions[f"x{j}"] for j in range(4))
    np.testing.assert_allclose(total, r.score, atol=1e-9)
