"""Robustness of the ranking: Monte Carlo over weights, normalisations and aggregations.

Each draw perturbs the weights of every weighted node (Dirichlet around the nominal weights, or a
uniform ±spread then renormalised), and optionally picks one normalisation and one aggregation family
from the given choices. Draws are evaluated together, as (draws, countries) arrays, with the same code
as the nominal computation; draws sharing a normalisation/aggregation choice go through in one batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from .compute import IndexResult, Plan, Prepared, build_plan, evaluate, prepare, rank_scores
from .datasets import IndicatorLibrary, country_name
from .errors import ComputeError, Problem, Text, gettext_noop
from .model import MEAN_FAMILIES, IndexModel, MonteCarloOptions, Normalisation
from .scaling import leaf_values

Progress = Callable[[int, int], None]


@dataclass
class MonteCarloResult:
    """Rank statistics per country (arrays indexed like ``countries``; NaN for countries without a score)."""

    countries: list[str]
    draws: int
    options: MonteCarloOptions
    nominal_rank: np.ndarray
    median_rank: np.ndarray
    p05_rank: np.ndarray
    p95_rank: np.ndarray
    mean_abs_shift: np.ndarray  # mean |rank in draw - nominal rank|
    ranks: np.ndarray | None = field(default=None, repr=False)  # (draws, countries) when keep_ranks
    timings: dict[str, float] = field(default_factory=dict)

    def rows(self) -> list[dict]:
        """One dict per ranked country, nominal rank order: iso3, name, nominal/median/p05/p95 rank, shift."""
        out = []
        for i in np.argsort(np.where(self.nominal_rank > 0, self.nominal_rank, 10**9), kind="stable"):
            if self.nominal_rank[i] <= 0:
                continue
            out.append({"iso3": self.countries[i], "name": country_name(self.countries[i]),
                        "nominal_rank": int(self.nominal_rank[i]), "median_rank": float(self.median_rank[i]),
                        "p05_rank": float(self.p05_rank[i]), "p95_rank": float(self.p95_rank[i]),
                        "mean_abs_shift": float(self.mean_abs_shift[i])})
        return out


def sample_weights(plan: Plan, options: MonteCarloOptions, draws: int, rng: np.random.Generator
                   ) -> dict[int, np.ndarray]:
    """(draws, children) weights for every weighted node; zero nominal weights stay zero."""
    out: dict[int, np.ndarray] = {}
    if options.weights == "none":
        return out
    for step in plan.steps:
        if not step.weighted:
            continue
        w = step.weights
        positive = w > 0
        W = np.zeros((draws, len(w)))
        if options.weights == "dirichlet":
            W[:, positive] = rng.dirichlet(options.concentration * w[positive] / w[positive].sum(), size=draws)
        else:
            W[:, positive] = w[positive] * rng.uniform(1 - options.spread, 1 + options.spread,
                                                        size=(draws, int(positive.sum())))
            W /= W.sum(axis=1, keepdims=True)
        out[step.slot] = W
    return out


def _leaves_for(prepared: Prepared, method: str) -> np.ndarray:
    if method == "as_specified":
        return prepared.normalised
    out = np.empty_like(prepared.normalised)
    for j, ind in enumerate(prepared.indicators):
        out[:, j] = leaf_values(prepared.transformed[:, j], ind, prepared.countries, Normalisation(method))
    return out


def _check_options(model: IndexModel, plan: Plan, options: MonteCarloOptions) -> None:
    norms = options.normalisations or ("as_specified",)
    aggs = options.aggregations or ("as_specified",)
    nonlinear = any(a in ("geometric", "harmonic") for a in aggs) or any(
        MEAN_FAMILIES.get(s.node.custom.combine if s.node.custom else s.node.aggregation) in ("geometric", "harmonic")
        for s in plan.steps)
    if "z_score" in norms and nonlinear:
        raise ComputeError([Problem("monte_carlo", model.lines.get(("monte_carlo",)),
                                    Text(gettext_noop("z_score normalisation gives negative values, which geometric "
                                                      "and harmonic means cannot take; drop one of the two "
                                                      "choices")))])


def run_monte_carlo(source: IndexModel | IndexResult, library: IndicatorLibrary | None = None,
                    home_country: str | None = None, *, options: MonteCarloOptions | None = None,
                    progress: Progress | None = None, keep_ranks: bool = False, chunk_size: int = 256,
                    as_of_year: int | None = None, **overrides) -> MonteCarloResult:
    """Monte Carlo rank robustness for a model (or an already computed result, which saves the data step).

    ``options`` defaults to the model file's ``monte_carlo`` section; keyword ``overrides`` replace single
    fields (draws=, seed=, weights=, concentration=, spread=, normalisations=, aggregations=).
    ``progress(done_draws, total_draws)`` is called after each chunk of draws. Chunks of 256 draws keep
    the small matrix products under OpenBLAS's multi-threading threshold, which on a busy 2-core machine
    makes the run 2-3 times faster than larger chunks. ``as_of_year`` is passed to ``prepare`` when
    ``source`` is a model (a result already carries its year).
    """
    if isinstance(source, IndexResult):
        prepared, plan, model = source.prepared, source.plan, source.model
    else:
        model = source
        prepared = prepare(model, library, home_country, as_of_year)
        plan = build_plan(model, prepared.countries)
    options = replace(options or model.monte_carlo, **overrides)
    return simulate(model, prepared, plan, options, progress, keep_ranks, chunk_size)


def simulate(model: IndexModel, prepared: Prepared, plan: Plan, options: MonteCarloOptions,
             progress: Progress | None = None, keep_ranks: bool = False, chunk_size: int = 256) -> MonteCarloResult:
    _check_options(model, plan, options)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    rng = np.random.default_rng(options.seed)
    draws = options.draws
    norms = options.normalisations or ("as_specified",)
    aggs = options.aggregations or ("as_specified",)
    weights = sample_weights(plan, options, draws, rng)
    norm_pick = rng.integers(len(norms), size=draws)
    agg_pick = rng.integers(len(aggs), size=draws)
    leaves = {i: _leaves_for(prepared, m) for i, m in enumerate(norms) if (norm_pick == i).any()}
    nominal_scores = evaluate(plan, prepared.normalised, keep_all=False).values[plan.root_slot]
    nominal = rank_scores(nominal_scores)[0]
    timings["sample"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    n = len(prepared.countries)
    ranks = np.zeros((draws, n), dtype=np.int32)
    for start in range(0, draws, chunk_size):
        stop = min(start + chunk_size, draws)
        combo = norm_pick[start:stop] * len(aggs) + agg_pick[start:stop]
        for c in np.unique(combo):
            idx = np.nonzero(combo == c)[0] + start
            ni, ai = divmod(int(c), len(aggs))
            family = None if aggs[ai] == "as_specified" else aggs[ai]
            ev = evaluate(plan, leaves[ni], {s: W[idx] for s, W in weights.items()}, family, keep_all=False)
            root = np.broadcast_to(ev.values[plan.root_slot], (len(idx), n))
            ranks[idx] = rank_scores(root)
        if progress:
            progress(stop, draws)
    timings["simulate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    ranked = nominal > 0
    r = ranks[:, ranked].astype(float)
    p05, med, p95 = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    shift = np.full(n, np.nan)
    if r.size:
        p05[ranked], med[ranked], p95[ranked] = np.percentile(r, [5, 50, 95], axis=0)
        shift[ranked] = np.abs(r - nominal[ranked][None, :]).mean(axis=0)
    timings["summary"] = time.perf_counter() - t0
    return MonteCarloResult(prepared.countries, draws, options, nominal, med, p05, p95, shift,
                            ranks if keep_ranks else None, timings)
