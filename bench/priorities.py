"""Benchmark of the priorities engine: 250 countries × 70 indicators × 10,000 Monte Carlo draws.

Two models of the shape of the default model (5 dimensions, 14 categories, 70 indicators, about 5 %
missing values): "plain" (weighted arithmetic means, min-max), and "every operation" (the model language
of docs/priorities.md 2.5-2.12: a named reverse geometric mean, formulas with if/is_missing/comparisons/
ln/exp/pow/min/max, missing_when and fill on indicators and nodes, indicator rounding, scale/offset/
power/ln transforms, a ratio to another column, piecewise normalisation and a reference).
Run: .venv/bin/python bench/priorities.py [--engine-only] [--repeat 15]. Target: each model under 2 s
in total. Then the page timings of bench/priorities_pages.py.
"""

from __future__ import annotations

import string
import sys
import time
from itertools import product
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dividend.priorities.engine import (  # noqa: E402
    ColumnTable,
    IndicatorLibrary,
    MonteCarloOptions,
    build_plan,
    evaluate,
    load_model,
    prepare,
    simulate,
)

N_COUNTRIES, N_INDICATORS, N_DRAWS = 250, 70, 10_000
CATEGORIES_PER_DIMENSION = (3, 3, 3, 3, 2)  # 14 categories of 5 indicators


def synthetic_library(rng: np.random.Generator) -> tuple[IndicatorLibrary, list[str]]:
    codes = ["".join(t) for t in product(string.ascii_uppercase, repeat=3)][:N_COUNTRIES]
    library = IndicatorLibrary()
    for j in range(N_INDICATORS):
        values = rng.lognormal(1.0, 0.8, size=(N_COUNTRIES, 1))
        values[rng.random(N_COUNTRIES) < 0.05] = np.nan
        library.add_table("synthetic", f"x{j:02d}", ColumnTable(tuple(codes), (2024,), values))
    area = rng.uniform(1.0, 100.0, size=(N_COUNTRIES, 1))
    library.add_table("synthetic", "area", ColumnTable(tuple(codes), (2024,), area))
    return library, codes


def synthetic_model(codes: list[str], rng: np.random.Generator) -> str:
    lines = ["format_version: 1", "id: bench", "name: Benchmark model", "version: '1'",
             f"countries: [{', '.join(codes)}]",
             "defaults: {year: 2024, normalisation: min_max, aggregation: weighted_arithmetic_mean}",
             "index:", "  id: bench", "  children:"]
    j = 0
    for d, n_cat in enumerate(CATEGORIES_PER_DIMENSION):
        lines += [f"    - id: dim{d}", f"      weight: {rng.integers(1, 5)}", "      children:"]
        for c in range(n_cat):
            lines += [f"        - id: dim{d}_cat{c}", f"          weight: {rng.integers(1, 5)}",
                      "          children:"]
            for _ in range(5):
                direction = "higher_is_more_relevant" if j % 3 else "higher_is_less_relevant"
                transform = ", transform: log10" if j % 4 == 0 else ""
                lines.append(f"            - {{id: ind{j:02d}, dataset: synthetic, column: x{j:02d}, "
                             f"weight: {rng.integers(1, 4)}, direction: {direction}{transform}}}")
                j += 1
    assert j == N_INDICATORS
    return "\n".join(lines) + "\n"


def every_operation_model(codes: list[str], rng: np.random.Generator) -> str:
    """The same tree shape, using every operation of the model language."""
    lines = ["format_version: 1", "id: bench_language", "name: Benchmark model, every operation", "version: '1'",
             f"countries: [{', '.join(codes)}]",
             "defaults: {year: 2024, normalisation: {method: min_max, range: [0, 10]}, "
             "aggregation: weighted_arithmetic_mean}",
             "aggregations:",
             "  reverse_geometric_mean: {each: '(10 - x) / 10 * 9 + 1', combine: geometric_mean, "
             "result: '(10 - x) / 9 * 10'}",
             "index:", "  id: bench", "  children:", "    - {id: again, ref: dim0_cat0, weight: 1}"]
    j = 0
    for d, n_cat in enumerate(CATEGORIES_PER_DIMENSION):
        lines += [f"    - id: dim{d}", f"      weight: {rng.integers(1, 5)}",
                  f"      missing_when: 'dim{d} < 0.01'", f"      fill: 'if(is_missing(ind{j:02d}), 0, ind{j:02d})'",
                  "      children:"]
        for c in range(n_cat):
            ids = [f"ind{j + k:02d}" for k in range(5)]
            if c % 3 == 0:
                how = "          aggregation: reverse_geometric_mean"
            elif c % 3 == 1:
                a, b, cc, dd, e = ids
                how = (f"          formula: 'if(is_missing({a}) or {a} < 2, mean({b}, {cc}), max(min({a}, {b}, {cc}), "
                       f"pow(abs({dd} - {e}), 0.5), exp(-ln(1 + {e}))))'")
            else:
                how = "          aggregation: weighted_geometric_mean"
            lines += [f"        - id: dim{d}_cat{c}", f"          weight: {rng.integers(1, 5)}", how,
                      "          children:"]
            for _ in range(5):
                direction = "higher_is_more_relevant" if j % 3 else "higher_is_less_relevant"
                extra = {0: ", per: {dataset: synthetic, column: area}",
                         1: ", transform: [{scale: 2}, {offset: 1}, ln]",
                         2: ", transform: {power: 0.5}",
                         3: ", normalisation: {method: piecewise, min: 0.5, max: 20, range: [0, 10], below: 0.1, "
                            "above: 10, between: 'sqrt(x - 0.5) / sqrt(19.5) * 10'}",
                         4: f", missing_when: 'ind{j:02d} > 50', fill: 'ind{j - 1:02d} * 0.9'"}[j % 5]
                lines.append(f"            - {{id: ind{j:02d}, dataset: synthetic, column: x{j:02d}, "
                             f"weight: {rng.integers(1, 4)}, direction: {direction}, "
                             f"rounding: {{decimals: 2}}{extra}}}")
                j += 1
    assert j == N_INDICATORS
    return "\n".join(lines) + "\n"


def main() -> float:
    rng = np.random.default_rng(1)
    library, codes = synthetic_library(rng)
    total = bench("plain", synthetic_model(codes, rng), library)
    print()
    return max(total, bench("every operation", every_operation_model(codes, rng), library))


def bench(title: str, text: str, library: IndicatorLibrary) -> float:
    timings: list[tuple[str, float]] = []

    t = time.perf_counter()
    model = load_model(text, library)
    timings.append(("load and validate model file", time.perf_counter() - t))

    t = time.perf_counter()
    prepared = prepare(model, library)
    plan = build_plan(model, prepared.countries)
    timings.append(("look up, transform, normalise", time.perf_counter() - t))

    t = time.perf_counter()
    nominal = evaluate(plan, prepared.normalised)
    timings.append(("aggregate nominal", time.perf_counter() - t))

    options = MonteCarloOptions(draws=N_DRAWS, seed=7, weights="dirichlet", concentration=20)
    mc = simulate(model, prepared, plan, options)
    timings.append(("Monte Carlo: sample weights", mc.timings["sample"]))
    timings.append((f"Monte Carlo: {N_DRAWS:,} draws", mc.timings["simulate"]))
    timings.append(("summary (median, 5-95 %, shift)", mc.timings["summary"]))

    total = sum(s for _, s in timings)
    scored = int((~np.isnan(nominal.values[plan.root_slot][0])).sum())
    print(f"{title} model: {N_COUNTRIES} countries × {len(prepared.indicators)} indicators "
          f"({len(plan.steps)} nodes) × {N_DRAWS:,} draws; {scored} countries scored")
    print(f"{'stage':<36}{'seconds':>10}")
    print("-" * 46)
    for name, seconds in timings:
        print(f"{name:<36}{seconds:>10.3f}")
    print("-" * 46)
    print(f"{'total':<36}{total:>10.3f}   (target < 2 s: {'OK' if total < 2 else 'TOO SLOW'})")
    return total


if __name__ == "__main__":
    main()
    if "--engine-only" not in sys.argv:
        from priorities_pages import main as pages  # the pages: model page, ranking page, ranking PDF

        pages([a for a in sys.argv[1:] if a != "--engine-only"])
