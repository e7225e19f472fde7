import numpy as np
import pytest

from dividend.priorities.engine import FormulaError, parse_formula


def ev(text, **values):
    return parse_formula(text, set(values)).evaluate({k: np.asarray(v, float) for k, v in values.items()})


def test_precedence_and_associativity():
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("2 ^ 3 ^ 2") == 512
    assert ev("-2 ^ 2") == -4
    assert ev("10 - 4 - 3") == 3
    assert ev("8 / 4 / 2") == 1
    assert ev("--3") == 3


def test_children_and_functions_are_vectorised():
    out = ev("max(a, b) + mean(a, b, 1) - abs(-a) + sqrt(b) * log10(100)", a=[1, 4], b=[4, 9])
    np.testing.assert_allclose(out, [4 + 2 - 1 + 4, 9 + 14 / 3 - 4 + 6])
    assert parse_formula("a * b + a", {"a", "b"}).names == {"a", "b"}


def test_numbers():
    assert ev("1.5e1 + .5") == 15.5


@pytest.mark.parametrize("text, message", [
    ("a +", "unexpected end of formula at position 4"),
    ("a + * b", "unexpected '*' at position 5"),
    ("(a + b", "expected ')' but found end of formula at position 7"),
    ("a b", "unexpected 'b' at position 3"),
    ("a $ b", "unexpected character '$' at position 3"),
    ("c + a", "unknown child id 'c' (children: a, b) at position 1"),
    ("sqrt(a, b)", "sqrt() takes 1 argument(s), got 2 at position 1"),
    ("expo(a)", "unknown function 'expo' (functions: abs, exp, if, is_missing, ln, log10, max, mean, min, pow, "
                "sqrt) at position 1"),
    ("__import__('os')", "unexpected character \"'\" at position 12"),
    ("__import__(a)", "unknown function '__import__' (functions: abs, exp, if, is_missing, ln, log10, max, mean, "
                      "min, pow, sqrt) at position 1"),
    ("a.b", "unexpected character '.' at position 2"),
    ("max", "function 'max' needs arguments in parentheses at position 1"),
    ("", "empty formula at position 1"),
])
def test_errors_name_the_position(text, message):
    with pytest.raises(FormulaError) as exc:
        parse_formula(text, {"a", "b"})
    assert str(exc.value) == message


def test_a_long_chain_is_evaluated_in_a_loop():
    # 660 terms, just under the length bound: nested closures would nest 660 calls deep.
    text = "+".join(["a"] * 330 + ["b"] * 330)
    assert len(text) < 2000
    assert ev(text, a=[1.0], b=[2.0]) == pytest.approx([990.0])
    assert ev("a - b * a / b - a", a=[6.0], b=[3.0]) == pytest.approx([-6.0])


@pytest.mark.parametrize("text, message", [
    ("a+" * 1000 + "a", "the formula has 2,001 characters; the limit is 2,000"),
    ("(" * 33 + "a" + ")" * 33, "the formula nests deeper than 32 levels (parentheses, functions, signs, powers; "
                                "the limit) at position 33"),
    ("-" * 33 + "a", "the formula nests deeper than 32 levels (parentheses, functions, signs, powers; "
                     "the limit) at position 33"),
    ("^".join(["a"] * 34), "the formula nests deeper than 32 levels (parentheses, functions, signs, powers; "
                           "the limit) at position 65"),
])
def test_formulas_beyond_the_bounds_are_refused(text, message):
    with pytest.raises(FormulaError) as exc:
        parse_formula(text, {"a", "b"})
    assert str(exc.value) == message


def test_a_formula_at_the_depth_bound_is_read():
    assert ev("(" * 31 + "a" + ")" * 31, a=[2.0]) == pytest.approx([2.0])


@pytest.mark.parametrize("text", [
    "if(is_missing(if(b > 0, a, 0)), 1 > 0, a > 1)",  # a composite being present says nothing of a
    "is_missing(a) and a > 1",
    "not is_missing(a) or a > 1",
    "if(is_missing(a), a > 1, 0 > 1)",
])
def test_only_a_test_that_proves_presence_allows_a_comparison(text):
    with pytest.raises(FormulaError, match="may be missing"):
        parse_formula(text, {"a", "b"}, kind="condition", present={"b"})


@pytest.mark.parametrize("text, expected", [
    ("if(is_missing(a), 0, if(a > 1, a, 1))", [0.0, 1.0, 2.0]),
    ("if(not is_missing(a) and a >= 2, 1, 0) + if(is_missing(a) or a < 2, 10, 0)", [10.0, 10.0, 1.0]),
    ("if(not (is_missing(a) or a != 2), missing, 5)", [5.0, 5.0, np.nan]),
])
def test_tests_narrow_through_and_or_not_if(text, expected):
    np.testing.assert_array_equal(ev(text, a=[np.nan, 1.0, 2.0]), expected)


@pytest.mark.parametrize("text, message", [
    ("a + (2 > 1)", "'+' needs numbers, not a condition (true or false) at position 3"),
    ("if(a, 1, 2)", "the first argument of if() needs a condition (a comparison, is_missing(...)), not a number "
                    "at position 1"),
    ("a and b", "'and' needs a condition (a comparison, is_missing(...)), not a number at position 3"),
    ("if(is_missing(a), 1, is_missing(b))", "if(): the then and else values must both be numbers or both be "
                                            "conditions at position 1"),
    ("is_missing(a)", "the formula must give a number, not a condition (true or false) at position 1"),
    ("a = 1", "unexpected character '=' (use == to compare) at position 3"),
    ("a == missing", "comparison '==' with a value that may be missing (a, missing); test it first, e.g. not "
                     "is_missing(a) and ... at position 3"),
])
def test_type_errors_name_the_position(text, message):
    with pytest.raises(FormulaError) as exc:
        parse_formula(text, {"a", "b"})
    assert str(exc.value) == message


def test_not_nests_within_the_depth_bound():
    with pytest.raises(FormulaError, match="nests deeper than 32 levels"):
        parse_formula("not " * 40 + "is_missing(a)", {"a"}, kind="condition")
    chain = " and ".join(["not is_missing(a)"] * 90)
    assert parse_formula(chain, {"a"}, kind="condition").evaluate({"a": np.array([1.0, np.nan])}).tolist() == [
        True, False]


def test_invalid_values_division_log_and_overflow():
    formula = parse_formula("if(a > 0, ln(a), 1 / a) + a * 1e300 * 1e300", {"a"}, present={"a"})
    value, bad = formula.evaluate_checked({"a": np.array([0.0, 2.0, -1.0, 0.5e-300])})
    # a = 0: 1/0 (the branch taken); a = 2: overflow; a = -1: overflow to -inf; 0.5e-300: finite.
    assert bad.tolist() == [True, True, True, False]
    assert value[3] == pytest.approx(np.log(0.5e-300) + 0.5e300)
