"""Normalisation, transforms, rounding, missing data, contributions, reliability, themes, comparison."""

import numpy as np
import pytest

from dividend.priorities.engine import (
    ColumnTable,
    compare_results,
    compute,
    load_model,
    round_half_even,
    round_half_up,
    shipped_model,
    theme_scores,
)

NAN = np.nan


def leaf_values(model_text, library, indicator_yaml):
    text = model_text(f"id: root\nchildren:\n  - {{id: x, dataset: toy, {indicator_yaml}}}\n",
                      "countries: [AAA, BBB, CCC, DDD, EEE]\n")
    return compute(load_model(text, library), library).node_scores["x"]


@pytest.mark.parametrize("spec, expected", [
    ("column: a, normalisation: none", [1, 2, 3, 4, 5]),
    ("column: a, normalisation: none, direction: higher_is_less_relevant", [-1, -2, -3, -4, -5]),
    ("column: a, normalisation: min_max", [0, .25, .5, .75, 1]),
    ("column: a, normalisation: min_max, direction: higher_is_less_relevant", [1, .75, .5, .25, 0]),
    ("column: a, normalisation: {method: min_max, range: [0, 10]}", [0, 2.5, 5, 7.5, 10]),
    ("column: a, normalisation: {method: goalposts, min: 2, max: 4}", [0, 0, .5, 1, 1]),
    ("column: a, normalisation: z_score", (np.arange(1, 6) - 3) / np.sqrt(2)),
    ("column: c, normalisation: percentile", [.125, .125, 1, .5, .75]),
    ("column: c, normalisation: rank, direction: higher_is_less_relevant", [.875, .875, 0, .5, .25]),
    ("column: a, normalisation: {method: distance_to_reference, country: CCC}", [-2, -1, 0, 1, 2]),
    ("column: a, normalisation: {method: distance_to_reference, country: CCC, mode: ratio}",
     np.arange(1, 6) / 3),
    ("column: b, normalisation: min_max", [.5, 0, .25, NAN, 1]),
    ("column: a, transform: log10", np.log10(np.arange(1, 6))),
    ("column: b, transform: log10(x+1)", np.log10(np.array([11, 1, 6, NAN, 21]))),
    ("column: c, transform: sqrt", np.sqrt([2, 2, 8, 4, 6])),
    ("column: a, transform: {clip: {min: 2, max: 4}}", [2, 2, 3, 4, 4]),
    ("column: a, transform: {winsorise: {lower: 25, upper: 75}}", [2, 2, 3, 4, 4]),
    ("column: a, transform: [{clip: {max: 3}}, log10]", np.log10([1, 2, 3, 3, 3])),
])
def test_normalisations_and_transforms(model_text, library, spec, expected):
    np.testing.assert_allclose(leaf_values(model_text, library, spec), expected, atol=1e-12)


def test_rounding_half_up_and_half_even_on_decimal_values():
    np.testing.assert_array_equal(round_half_up(np.array([2.675, 1.005, 3.675, -2.5, 0.125, 2.665]), 2),
                                  [2.68, 1.01, 3.68, -2.5, 0.13, 2.67])
    np.testing.assert_array_equal(round_half_up(np.array([-2.5, 2.5, 0.49999]), 0), [-3, 3, 0])
    np.testing.assert_array_equal(round_half_even(np.array([2.675, 2.665, 0.125, 0.135, 1.2345]), 2),
                                  [2.68, 2.66, 0.12, 0.14, 1.23])
    np.testing.assert_array_equal(round_half_even(np.array([0.5, 1.5, 2.5, -0.5]), 0), [0, 2, 2, -0])


TWO = """\
id: root
{extra}
children:
  - {{id: a, dataset: toy, column: a}}
  - {{id: b, dataset: toy, column: b}}
"""


def run(model_text, library, extra="", top=""):
    model = load_model(model_text(TWO.format(extra=extra), top), library)
    return compute(model, library)


def test_skip_reweights_the_present_children(model_text, library):
    r = run(model_text, library, "aggregation: mean")
    np.testing.assert_allclose(r.score, [5.5, 1, 4, 4, 12.5])
    d = r.country("DDD")
    assert d["missing_count"] == 1 and d["missing_share"] == 0.5 and d["reliability"] == 0.5


@pytest.mark.parametrize("missing, ddd", [
    ("{policy: impute_value, value: 0}", 2.0),
    ("{policy: impute_mean}", (4 + 8.75) / 2),
    ("{policy: impute_median}", (4 + 7.5) / 2),
])
def test_imputation(model_text, library, missing, ddd):
    r = run(model_text, library, f"missing: {missing}")
    assert r.score[r.index_of("DDD")] == pytest.approx(ddd)
    assert r.country("DDD")["missing_share"] == 0.5  # imputed values count as missing
    assert r.country("AAA")["missing_share"] == 0.0


def test_group_imputation_uses_the_region(model_text):
    from dividend.priorities.engine import IndicatorLibrary
    library = IndicatorLibrary()
    codes = ("BEL", "DEU", "NLD", "NGA", "GHA")
    library.add_table("toy", "a", ColumnTable(codes, (2020,), np.array([[1.0], [3.0], [NAN], [10.0], [20.0]])))
    library.add_table("toy", "b", ColumnTable(codes, (2020,), np.ones((5, 1))))
    text = model_text("""\
        id: root
        aggregation: formula
        formula: a
        missing: {policy: impute_mean, group: unsd_region}
        children:
          - {id: a, dataset: toy, column: a}
          - {id: b, dataset: toy, column: b}
        """)
    r = compute(load_model(text, library), library)
    assert r.country("NLD")["score"] == 2.0  # mean of Europe, not of all countries (8.5)


def test_node_missing_when_too_many_children_missing(model_text, library):
    r = run(model_text, library, "missing: {policy: skip, max_missing_share: 0.4}")
    d = r.country("DDD")
    assert d["score"] is None and d["rank"] is None
    assert d["missing_share"] == 1.0  # the present value is not behind any score either
    assert sorted(r.rank[r.rank > 0]) == [1, 2, 3, 4]
    assert [row["iso3"] for row in r.ranking()] == ["EEE", "AAA", "CCC", "BBB"]


def test_aggregations(model_text, library):
    c = {}
    for agg in ("geometric_mean", "harmonic_mean", "minimum", "maximum", "weighted_arithmetic_mean"):
        c[agg] = run(model_text, library, f"aggregation: {agg}").score
    np.testing.assert_allclose(c["geometric_mean"], [np.sqrt(10), 0, np.sqrt(15), 4, 10])
    np.testing.assert_allclose(c["harmonic_mean"], [2 / (1 + 1 / 10), 0, 2 / (1 / 3 + 1 / 5), 4, 2 / (1 / 5 + 1 / 20)])
    np.testing.assert_allclose(c["minimum"], [1, 0, 3, 4, 5])
    np.testing.assert_allclose(c["maximum"], [10, 2, 5, 4, 20])


def test_weighted_geometric_mean(model_text, library):
    text = model_text("""\
        id: root
        aggregation: weighted_geometric_mean
        children:
          - {id: a, dataset: toy, column: a, weight: 3}
          - {id: c, dataset: toy, column: c, weight: 1}
        """)
    r = compute(load_model(text, library), library)
    np.testing.assert_allclose(r.score, np.arange(1, 6) ** .75 * np.array([2, 2, 8, 4, 6]) ** .25)


def test_formula_node_and_missing_input(model_text, library):
    text = model_text("""\
        id: root
        formula: "10 - sqrt((10 - a) * (20 - b)) + max(a, 0) ^ 2 / 10"
        children:
          - {id: a, dataset: toy, column: a}
          - {id: b, dataset: toy, column: b}
          - {id: c, dataset: toy, column: c}
        """)
    r = compute(load_model(text, library), library)
    a, b = np.arange(1, 6.0), np.array([10, 0, 5, NAN, 20.0])
    expected = 10 - np.sqrt((10 - a) * (20 - b)) + a ** 2 / 10
    np.testing.assert_allclose(r.score, expected)  # DDD: b missing → no score
    assert r.country("DDD")["score"] is None
    # c is not read by the formula, so it is not "behind the score" for reliability
    assert r.plan.behind_score.tolist() == [True, True, False]


def test_formula_without_finite_value_is_an_error(model_text, library):
    from dividend.priorities.engine import ComputeError
    text = model_text("""\
        id: root
        formula: a / (c - 2)
        children:
          - {id: a, dataset: toy, column: a}
          - {id: c, dataset: toy, column: c}
        """)
    with pytest.raises(ComputeError) as exc:
        compute(load_model(text, library), library)
    assert exc.value.messages == ["index: formula gives no finite value (division by 0, sqrt or log10 of a "
                                  "negative number?); not so for AAA, BBB"]


def test_latest_available_year(model_text):
    from dividend.priorities.engine import IndicatorLibrary
    library = IndicatorLibrary()
    values = np.array([[1.0, NAN, 3.0], [NAN, 2.0, NAN], [NAN, NAN, NAN]])
    library.add_table("toy", "v", ColumnTable(("AAA", "BBB", "CCC"), (2018, 2019, 2020), values))
    text = model_text("""\
        id: root
        children:
          - {id: exact, dataset: toy, column: v, year: 2019}
          - {id: latest, dataset: toy, column: v, year: {latest_up_to: 2019}}
        """, "countries: [AAA, BBB, CCC]\n")
    r = compute(load_model(text, library), library)
    np.testing.assert_array_equal(r.raw_values["exact"], [NAN, 2, NAN])
    np.testing.assert_array_equal(r.raw_values["latest"], [1, 2, NAN])
    np.testing.assert_array_equal(r.value_years["latest"], [2018, 2019, 0])
    assert r.country("CCC")["score"] is None


def test_contributions_add_up_for_linear_trees(model_text, library):
    text = model_text("""\
        id: root
        children:
          - id: g
            weight: 3
            children:
              - {id: a, dataset: toy, column: a, normalisation: min_max, weight: 2}
              - {id: b, dataset: toy, column: b, normalisation: min_max}
          - {id: c, dataset: toy, column: c, normalisation: z_score}
        """)
    r = compute(load_model(text, library), library)
    leaves = r.contributions["a"] + r.contributions["b"] + r.contributions["c"]
    np.testing.assert_allclose(leaves, r.score, atol=1e-12)
    np.testing.assert_allclose(r.contributions["g"] + r.contributions["c"], r.score, atol=1e-12)
    # exact shares: g contributes 3/4 of its value
    np.testing.assert_allclose(r.contributions["g"], 0.75 * r.node_scores["g"])
    # DDD has no b: a takes the whole of g
    i = r.index_of("DDD")
    assert r.contributions["b"][i] == 0 and r.contributions["a"][i] == pytest.approx(0.75 * 0.75)


def test_contributions_add_up_for_non_linear_nodes(model_text, library):
    r = run(model_text, library, "aggregation: geometric_mean")
    np.testing.assert_allclose(r.contributions["a"] + r.contributions["b"], r.score, atol=1e-12)


def test_rank_ties_broken_by_iso3(model_text, library):
    text = model_text("id: root\nchildren:\n  - {id: c, dataset: toy, column: c}\n")
    r = compute(load_model(text, library), library)
    assert r.rank.tolist() == [4, 5, 1, 3, 2]  # AAA and BBB tie on 2: AAA first


def test_compare_results(model_text, library):
    before = run(model_text, library)
    after = compute(load_model(model_text("id: root\nchildren:\n  - {id: a, dataset: toy, column: a}\n"),
                               library), library)
    shifts = {s.iso3: s for s in compare_results(before, after)}
    assert before.rank.tolist() == [2, 5, 3, 4, 1]  # CCC and DDD tie on 4: CCC first
    assert after.rank.tolist() == [5, 4, 3, 2, 1]
    assert shifts["AAA"].shift == -3 and shifts["DDD"].shift == 2 and shifts["EEE"].shift == 0
    assert compare_results(before, after)[0].iso3 == "AAA"


def test_home_country_excluded_and_explicit_countries(model_text, library):
    text = model_text("id: root\nchildren:\n  - {id: a, dataset: toy, column: a}\n",
                      "home_country: BBB\ncountries: [AAA, BBB, CCC, ZZZ]\n")
    r = compute(load_model(text, library), library)
    assert r.countries == ["AAA", "CCC", "ZZZ"]
    assert r.country("ZZZ")["score"] is None and r.country("ZZZ")["missing_count"] == 1


def test_themes(model_text, library):
    text = model_text(TWO.format(extra=""), "") + (
        "themes:\n  weights: {drugs: 3, cybercrime: 1}\n"
        "  indicators:\n    drugs: [a, {indicator: b, weight: 3}]\n    cybercrime: [root]\n")
    r = compute(load_model(text, library), library)
    t = theme_scores(r)
    assert t.themes == ["drugs", "cybercrime"]
    np.testing.assert_allclose(t.scores[:, 0], [(1 + 30) / 4, 2 / 4, (3 + 15) / 4, 4, (5 + 60) / 4])
    np.testing.assert_allclose(t.scores[:, 1], r.score)
    np.testing.assert_allclose(t.total, 0.75 * t.scores[:, 0] + 0.25 * t.scores[:, 1])
    assert theme_scores(r, {"cybercrime": 1}).for_country("AAA")["total"] == 5.5


def test_default_model():
    model = shipped_model("internal_security_default")
    assert 40 <= len(model.indicators()) <= 70
    dimensions = {c.id for c in model.root.children}
    assert dimensions == {"criminal_markets", "criminal_actors", "state_resilience", "fragility", "governance",
                          "home_linkage"}
    r = compute(model, home_country="NLD")
    assert "NLD" not in r.countries and "BEL" in r.countries
    assert len(r.countries) == 192
    assert set(r.rank[r.rank > 0]) == set(range(1, int((r.rank > 0).sum()) + 1))
    assert ((r.reliability >= 0) & (r.reliability <= 1)).all()
    leaves = sum(r.contributions[i.id] for i in model.indicators())
    np.testing.assert_allclose(leaves, np.nan_to_num(r.node_scores["internal_security"]), atol=1e-3)
    t = theme_scores(r)
    assert len(t.themes) == 9 and np.isfinite(t.total).all()
    top10 = [row["iso3"] for row in r.ranking()[:10]]
    assert "SYR" in top10 and "AFG" in top10


def test_inform_style_model_runs():
    model = shipped_model("inform_style")
    assert model.root.aggregation == "weighted_geometric_mean"
    r = compute(model)
    assert len(r.countries) == 179
    i = r.index_of("SSD")
    dims = [r.node_scores[d][i] for d in ("hazard_exposure", "vulnerability", "lack_of_coping_capacity")]
    assert r.score[i] == pytest.approx(round(float(np.prod(dims) ** (1 / 3)), 1))
    assert r.ranking()[0]["score"] <= 10 and r.ranking()[-1]["score"] >= 0
