"""The model language, second edition: an INFORM-style model that uses every capability, checked against
values computed by hand, and the typed errors of bad formulas."""

import math

import numpy as np
import pytest

from dividend.priorities.engine import ColumnTable, IndicatorLibrary, ModelFileError, compute, load_model

from .conftest import toy_yaml

# The toy data (conftest.py), AAA..EEE: a = 1 2 3 4 5; b = 10 0 5 - 20; c = 2 2 8 4 6.
INFORM_STYLE = """\
    id: risk
    aggregation: geometric_mean
    children:
      - id: hazard
        aggregation: reverse_geometric_mean
        rounding: {decimals: 1}
        children:
          - id: flood
            dataset: toy
            column: a
            normalisation: {method: piecewise, min: 1, max: 5, range: [0, 10], between: "ln(x) / ln(5) * 10"}
            rounding: {decimals: 1}
          - id: drought
            dataset: toy
            column: b
            missing_when: "drought == 0 or (not is_missing(density) and density < 3)"
            normalisation: {method: goalposts, min: 0, max: 20, range: [0, 10]}
      - id: vulnerability
        aggregation: arithmetic_mean
        children:
          - id: poverty
            dataset: toy
            column: b
            missing_when: "poverty == 0"
            fill: "flood * 3"
            transform: [{scale: 0.5}, {offset: 1}]
            normalisation: {method: goalposts, min: 1, max: 11, range: [0, 10]}
          - id: density
            dataset: toy
            column: c
            per: {dataset: toy, column: a}
            transform: {power: 2}
            normalisation: {method: goalposts, min: 0, max: 8, range: [0, 10]}
            rounding: {decimals: 1, method: half_up}
      - id: coping
        formula: "if(is_missing(institutions), 10 - capacity, max(10 - capacity, institutions, 1))"
        children:
          - {id: institutions, dataset: toy, column: b, normalisation: {method: goalposts, min: 0, max: 20, range: [0, 10]}}
          - {id: capacity, ref: hazard}
    """
AGGREGATIONS = """\
    aggregations:
      reverse_geometric_mean:
        each: "(10 - x) / 10 * 9 + 1"
        combine: geometric_mean
        result: "(10 - x) / 9 * 10"
    """


def inform_result(library):
    return compute(load_model(toy_yaml(INFORM_STYLE, AGGREGATIONS), library), library)


def values(result, node_id):
    return [None if np.isnan(v) else pytest.approx(float(v), abs=1e-9) for v in result.node_scores[node_id]]


def test_indicators_rules_transforms_ratio_piecewise_and_rounding(library):
    r = inform_result(library)
    # flood: x <= 1 -> 0 (the low end), x >= 5 -> 10, between: ln(x)/ln(5)*10; rounded to 1 decimal.
    assert values(r, "flood") == [0.0, 4.3, 6.8, 8.6, 10.0]
    # drought: missing where b == 0 (BBB) or c < 3 (AAA); DDD has no data; goalposts 0-20 on 0-10.
    assert values(r, "drought") == [None, None, 2.5, None, 10.0]
    # poverty: 0 means no data (BBB), filled with 3 × flood's raw value (BBB 6, DDD 12);
    # ×0.5 + 1 -> 6 4 3.5 7 11; goalposts 1-11 on 0-10.
    assert values(r, "poverty") == [5.0, 3.0, 2.5, 6.0, 10.0]
    assert [float(x) for x in r.raw_values["poverty"]] == [10.0, 6.0, 5.0, 12.0, 20.0]
    # density: c / a = 2 1 2.667 1 1.2, squared, goalposts 0-8 on 0-10, rounded half up (1.25 -> 1.3).
    assert values(r, "density") == [5.0, 1.3, 8.9, 1.3, 1.8]


def test_named_aggregation_formula_reference_and_root(library):
    r = inform_result(library)
    # reverse geometric mean over the present children only, rounded to 1 decimal:
    # CCC (10 - sqrt(3.88 × 7.75)) / 9 × 10 = 5.018 -> 5.0.
    assert (10 - math.sqrt(3.88 * 7.75)) / 9 * 10 == pytest.approx(5.0182, abs=1e-4)
    cc = 5.0
    assert values(r, "hazard") == [0.0, 4.3, cc, 8.6, 10.0]
    assert values(r, "vulnerability") == [5.0, 2.15, 5.7, 3.65, 5.9]
    # coping reads hazard through a reference, and institutions (missing for DDD).
    assert values(r, "capacity") == values(r, "hazard")
    assert values(r, "coping") == [10.0, 5.7, pytest.approx(10 - cc), 1.4, 10.0]
    expected = [0.0, (4.3 * 2.15 * 5.7) ** (1 / 3), (cc * 5.7 * (10 - cc)) ** (1 / 3), (8.6 * 3.65 * 1.4) ** (1 / 3),
                (10 * 5.9 * 10) ** (1 / 3)]
    np.testing.assert_allclose(r.score, expected, rtol=1e-12)
    assert list(r.rank) == [5, 3, 2, 4, 1]
    # The reference's contribution counts towards hazard as well: hazard's own plus coping's share.
    assert r.contributions["capacity"].shape == (5,)


def test_the_model_is_valid_against_the_published_schema():
    import json

    import jsonschema
    import yaml

    from dividend.priorities.engine import SCHEMA_PATH
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    assert list(validator.iter_errors(yaml.safe_load(toy_yaml(INFORM_STYLE, AGGREGATIONS)))) == []


def test_a_node_missing_rule_and_fill(library, model_text):
    text = model_text("""\
        id: root
        aggregation: arithmetic_mean
        children:
          - id: crime
            aggregation: arithmetic_mean
            missing_when: "crime > 4.5"
            fill: "if(is_missing(b), 0, b / 10)"
            children:
              - {id: a, dataset: toy, column: a}
          - {id: b, dataset: toy, column: b}
        """)
    r = compute(load_model(text, library), library)
    assert values(r, "crime") == [1.0, 2.0, 3.0, 4.0, 2.0]


def test_ratio_takes_the_denominator_in_the_year_of_each_value():
    library = IndicatorLibrary()
    nan = np.nan
    # AAA's latest value is 2019, BBB's 2020: each is divided by the population of its own year.
    library.add_table("d", "deaths", ColumnTable(("AAA", "BBB"), (2019, 2020), np.array([[10.0, nan], [5.0, 30.0]])))
    library.add_table("d", "population", ColumnTable(("AAA", "BBB"), (2019, 2020), np.array([[100.0, 200.0],
                                                                                               [50.0, 60.0]])))
    text = toy_yaml("""\
        id: root
        children:
          - {id: rate, dataset: d, column: deaths, year: latest, per: {dataset: d, column: population},
             transform: {scale: 100000}}
        """)
    r = compute(load_model(text, library), library)
    assert list(r.node_scores["rate"]) == [10 / 100 * 100000, 30 / 60 * 100000]
    assert list(r.value_years["rate"]) == [2019, 2020]


def test_ln_and_power_transforms_and_fixed_pieces(library, model_text):
    text = model_text("""\
        id: root
        children:
          - id: x
            dataset: toy
            column: a
            transform: [ln]
            normalisation: {method: piecewise, min: 0.5, max: 1.5, range: [0, 10], below: 0.1, above: 10,
                            between: "pow(x, 2) * 4"}
        """)
    r = compute(load_model(text, library), library)
    ln = [math.log(v) for v in (1, 2, 3, 4, 5)]
    assert list(r.node_scores["x"]) == pytest.approx([0.1, ln[1] ** 2 * 4, ln[2] ** 2 * 4, ln[3] ** 2 * 4, 10])


# ----------------------------------------------------------------------------------------------------
# Bad input: every problem with its path and line, nothing computed
# ----------------------------------------------------------------------------------------------------

def errors_of(text, library):
    with pytest.raises(ModelFileError) as exc:
        load_model(text, library)
    return [(e.path, e.line, e.message) for e in exc.value.errors]


def test_type_errors_in_formulas(library, model_text):
    text = model_text("""\
        id: root
        formula: "if(a > 2, a)"
        children:
          - {id: a, dataset: toy, column: a}
          - id: b
            dataset: toy
            column: b
            missing_when: "c > 3"
          - {id: c, dataset: toy, column: c, fill: "is_missing(a)"}
        """)
    assert errors_of(text, library) == [
        ("index", 8, "formula error: comparison '>' with a value that may be missing (a); test it first, e.g. "
                     "not is_missing(a) and ... at position 6"),
        ("index/b", 14, "missing_when error: comparison '>' with a value that may be missing (c); test it first, "
                        "e.g. not is_missing(c) and ... at position 3"),
        ("index/c", 15, "fill error: the formula must give a number, not a condition (true or false) at position 1"),
    ]


def test_if_without_else(library, model_text):
    text = model_text("""\
        id: root
        formula: "if(is_missing(a), 0)"
        children:
          - {id: a, dataset: toy, column: a}
        """)
    assert errors_of(text, library) == [
        ("index", 8, "formula error: if() needs a condition, a value and an else value: if(condition, then, else); "
                     "got 2 argument(s) at position 1")]


def test_reference_cycle_unknown_reference_and_unknown_ratio_column(library, model_text):
    text = model_text("""\
        id: root
        children:
          - id: left
            children:
              - {id: a, dataset: toy, column: a, per: {dataset: toy, column: area}}
              - {id: loop, ref: right}
          - id: right
            children:
              - {id: back, ref: left}
              - {id: lost, ref: nowhere}
        """)
    assert errors_of(text, library) == [
        ("index/left/a", 11, "unknown column 'area' in dataset 'toy'"),
        ("index/right/lost", 16, "ref 'nowhere': unknown node or indicator id"),
        ("index/left/loop", 12, "reference cycle: left → loop → right → back → left (a value cannot depend on "
                                "itself)"),
    ]


def test_named_aggregation_errors(library, model_text):
    text = model_text("""\
        id: root
        aggregation: my_mean
        children:
          - {id: a, dataset: toy, column: a}
        """, """\
        aggregations:
          my_mean: {each: "y + 1", combine: median}
          mean: {combine: minimum}
        """)
    errors = errors_of(text, library)
    assert errors[:3] == [
        ("aggregations/my_mean", 7, "unknown combine 'median'; allowed: arithmetic_mean, weighted_arithmetic_mean, "
                                    "geometric_mean, weighted_geometric_mean, harmonic_mean, weighted_harmonic_mean, "
                                    "minimum, maximum, sum, weighted_sum"),
        ("aggregations/my_mean", 7, "each error: unknown name 'y' (names: x) at position 1"),
        ("aggregations/mean", 8, "'mean' is a built-in aggregation; give yours another name"),
    ]


def test_a_reference_to_an_indicator_weighs_in_its_parent(library, model_text):
    text = model_text("""\
        id: root
        children:
          - {id: a, dataset: toy, column: a}
          - id: group
            aggregation: weighted_mean
            children:
              - {id: c, dataset: toy, column: c}
              - {id: a_again, ref: a, weight: 3}
        """)
    r = compute(load_model(text, library), library)
    a, c = np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 2, 8, 4, 6])
    np.testing.assert_allclose(r.node_scores["group"], (c + 3 * a) / 4)
    np.testing.assert_allclose(r.score, (a + (c + 3 * a) / 4) / 2)
    # a contributes directly and through the reference: the indicators' contributions add up to the score.
    np.testing.assert_allclose(r.contributions["a"], a / 2 + 3 * a / 8)
    np.testing.assert_allclose(r.contributions["a"] + r.contributions["c"], r.score)


def test_a_node_cannot_refer_to_itself(library, model_text):
    text = model_text("""\
        id: root
        children:
          - {id: a, dataset: toy, column: a}
          - {id: me, ref: me}
        """)
    assert errors_of(text, library) == [("index/me", 10, "reference cycle: me → me (a value cannot depend on itself)")]
