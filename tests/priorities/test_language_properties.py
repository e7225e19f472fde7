"""Property tests: the operations of the model language agree with plain numpy, missing values included."""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dividend.priorities.engine import (
    ColumnTable,
    IndicatorLibrary,
    compute,
    load_model,
    normalise,
    parse_formula,
)
from dividend.priorities.engine.model import Normalisation, Piece

NAN = float("nan")
finite = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
cell = st.one_of(finite, st.just(NAN))
columns = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(*(st.lists(cell, min_size=n, max_size=n) for _ in range(3))))


def run(text, **values):
    formula = parse_formula(text, set(values))
    value, bad = formula.evaluate_checked({k: np.array(v, float) for k, v in values.items()})
    assert bad is None or not bad.any()
    return np.broadcast_to(value, np.shape(next(iter(values.values()))))


def same(got, expected):
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(np.where(np.isnan(got), 0, got), np.where(np.isnan(expected), 0, expected),
                               rtol=1e-12, atol=1e-12)


@given(columns)
def test_conditions_and_if_agree_with_numpy(abc):
    a, b, c = (np.array(x) for x in abc)
    present = ~np.isnan(a) & ~np.isnan(b)
    same(run("if(is_missing(a), b, a)", a=a, b=b), np.where(np.isnan(a), b, a))
    same(run("if(not is_missing(a) and not is_missing(b) and a >= b, 1, 0)", a=a, b=b),
         (present & (a >= b)).astype(float))
    same(run("if(is_missing(a) or a < 0 or a == 3, missing, a * 2)", a=a),
         np.where(np.isnan(a) | (a < 0) | (a == 3), np.nan, a * 2))
    same(run("if(is_missing(c) or not (c != 1), 0, c)", c=c), np.where(np.isnan(c) | (c == 1), 0, c))


@given(columns)
def test_functions_agree_with_numpy(abc):
    a, b, c = (np.array(x) for x in abc)
    same(run("min(a, b, c)", a=a, b=b, c=c), np.minimum(np.minimum(a, b), c))
    same(run("max(a, b, c, 0)", a=a, b=b, c=c), np.maximum(np.maximum(np.maximum(a, b), c), 0))
    same(run("abs(a) + exp(b / 10)", a=a, b=b), np.abs(a) + np.exp(b / 10))
    same(run("ln(abs(a) + 1)", a=a), np.log(np.abs(a) + 1))
    same(run("pow(abs(a), 0.5) + abs(b) ^ 2", a=a, b=b), np.sqrt(np.abs(a)) + np.abs(b) ** 2)
    # missing stays missing, also for nan ** 0
    same(run("pow(a, 0)", a=a), np.where(np.isnan(a), np.nan, 1.0))


@given(columns)
def test_invalid_values_count_only_in_the_branch_taken(abc):
    a = np.array(abc[0])
    same(run("if(not is_missing(a) and a > 0, ln(a), 0)", a=a),
         np.where(np.isnan(a), 0, np.where(a > 0, np.log(np.where(a > 0, a, 1)), 0)))
    formula = parse_formula("ln(a)", {"a"})
    _, bad = formula.evaluate_checked({"a": a})
    expected = ~np.isnan(a) & (a <= 0)
    np.testing.assert_array_equal(np.zeros_like(expected) if bad is None else bad, expected)


@given(columns)
def test_piecewise_normalisation_agrees_with_numpy(abc):
    x = np.array(abc[0])
    norm = Normalisation("piecewise", min=-10.0, max=20.0, range=(0.0, 10.0), below=Piece(value=0.1),
                         between=Piece(formula=parse_formula("(x + 10) / 3", {"x"}, present={"x"})))
    v = normalise(x, norm, "higher_is_more_relevant", [])
    expected = np.select([np.isnan(x), x <= -10, x >= 20], [np.nan, 0.1, 10.0], (x + 10) / 3)
    same(v, expected)
    same(normalise(x, norm, "higher_is_less_relevant", []), 10 - expected)


@settings(max_examples=40, deadline=None)
@given(columns)
def test_named_aggregation_over_present_children_agrees_with_numpy(abc):
    # Three indicators on 0-10 (goalposts 0-10 of clipped data), reverse geometric mean over the present ones.
    data = np.clip(np.array(abc, dtype=float).T, 0, 10)  # (countries, 3)
    n = data.shape[0]
    codes = tuple("A" + chr(65 + i // 26) + chr(65 + i % 26) for i in range(n))
    library = IndicatorLibrary()
    for j in range(3):
        library.add_table("t", f"x{j}", ColumnTable(codes, (2020,), data[:, j:j + 1]))
    children = "\n".join(f"    - {{id: x{j}, dataset: t, column: x{j}}}" for j in range(3))
    text = f"""\
format_version: 1
id: p
name: P
version: "1"
countries: [{', '.join(codes)}]
defaults: {{year: 2020, direction: higher_is_more_relevant}}
aggregations:
  reverse_geometric_mean: {{each: "(10 - x) / 10 * 9 + 1", combine: geometric_mean, result: "(10 - x) / 9 * 10"}}
index:
  id: root
  aggregation: reverse_geometric_mean
  children:
{children}
"""
    if np.isnan(data).all(axis=0).any():
        return  # a column without any data is refused by the engine (tested elsewhere)
    result = compute(load_model(text, library), library)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # countries without any data: NaN, as expected
        inner = (10 - data) / 10 * 9 + 1
        geo = np.exp(np.nanmean(np.log(inner), axis=1))
        expected = (10 - geo) / 9 * 10
    same(result.score, expected)
