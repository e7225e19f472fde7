"""Weighted sum and TOPSIS agree with pymcdm (test dependency only) on the same decision matrix."""

import numpy as np
import pytest

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods, normalizations  # noqa: E402

from dividend.priorities.engine import ColumnTable, IndicatorLibrary, compute, load_model  # noqa: E402

COLUMNS = ["Human trafficking", "Cocaine trade", "Criminal networks", "Law enforcement", "Anti-money laundering"]
WEIGHTS = [3.0, 2.0, 2.0, 1.0, 1.5]
TYPES = [1, 1, 1, -1, -1]  # resilience: higher = less relevant (a cost criterion)


def model_text(aggregation, normalisation, extra=""):
    leaves = "\n".join(
        f"    - {{id: c{j}, dataset: {{ds}}, column: \"{col}\", weight: {w}, normalisation: {normalisation}, "
        f"direction: {'higher_is_more_relevant' if t > 0 else 'higher_is_less_relevant'}}}"
        for j, (col, w, t) in enumerate(zip(COLUMNS, WEIGHTS, TYPES, strict=True)))
    return (f"format_version: 1\nid: mcdm\nname: MCDM\nversion: '1'\ndefaults: {{year: 2023}}\n"
            f"index:\n  id: root\n  aggregation: {aggregation}\n{extra}  children:\n{leaves}\n")


def goci_matrix(result):
    return np.column_stack([result.raw_values[f"c{j}"] for j in range(len(COLUMNS))])


def ranking(scores, countries):
    """Best first; scores equal to 10 decimals are ties broken by ISO3, as the engine does."""
    return [countries[i] for i in np.lexsort((np.array(countries), -np.round(scores, 10)))]


def test_weighted_sum_matches_pymcdm_wsm():
    text = model_text("weighted_arithmetic_mean", "min_max").replace("{ds}", "goci")
    result = compute(load_model(text))
    matrix = goci_matrix(result)
    w = np.array(WEIGHTS) / sum(WEIGHTS)
    pref = methods.WSM(normalization_function=normalizations.minmax_normalization)(matrix, w, np.array(TYPES))
    np.testing.assert_allclose(result.score, pref, rtol=0, atol=1e-9)
    assert [r["iso3"] for r in result.ranking()] == ranking(pref, result.countries)


def test_topsis_min_max_matches_pymcdm():
    text = model_text("topsis", "none", "  topsis: {normalisation: min_max}\n").replace("{ds}", "goci")
    result = compute(load_model(text))
    matrix = goci_matrix(result)
    w = np.array(WEIGHTS) / sum(WEIGHTS)
    pref = methods.TOPSIS(normalization_function=normalizations.minmax_normalization)(matrix, w, np.array(TYPES))
    np.testing.assert_allclose(result.score, pref, rtol=0, atol=1e-9)
    assert [r["iso3"] for r in result.ranking()] == ranking(pref, result.countries)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_topsis_vector_normalisation_matches_pymcdm_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    countries = tuple(f"C{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60))
    matrix = rng.uniform(0.5, 100, size=(60, 5))
    library = IndicatorLibrary()
    for j, col in enumerate(COLUMNS):
        library.add_table("rand", col, ColumnTable(countries, (2023,), matrix[:, j:j + 1]))
    text = model_text("topsis", "none").replace("{ds}", "rand").replace("higher_is_less_relevant",
                                                                       "higher_is_more_relevant")
    result = compute(load_model(text, library), library)
    w = np.array(WEIGHTS) / sum(WEIGHTS)
    pref = methods.TOPSIS(normalization_function=normalizations.vector_normalization)(matrix, w, np.ones(5))
    np.testing.assert_allclose(result.score, pref, rtol=0, atol=1e-9)
    assert [r["iso3"] for r in result.ranking()] == ranking(pref, list(countries))
    wsm = methods.WSM(normalization_function=normalizations.minmax_normalization)(matrix, w, np.ones(5))
    text = model_text("weighted_arithmetic_mean", "min_max").replace("{ds}", "rand").replace(
        "higher_is_less_relevant", "higher_is_more_relevant")
    np.testing.assert_allclose(compute(load_model(text, library), library).score, wsm, atol=1e-9)
