"""Aggregating a node's children: imputation of missing children, the weighted means and their
families, TOPSIS and formula aggregations, vectorised over draws (arrays of shape (draws, countries)).
Called by `compute.evaluate` for each step of the plan."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from .errors import Text, gettext_noop
from .model import LINEAR_AGGREGATIONS
from .rules import fail, formula_value
from .scaling import nan_mean

if TYPE_CHECKING:  # annotations only: compute imports this module
    from .compute import Step


def _impute(kids: list[np.ndarray], step: Step) -> list[np.ndarray]:
    policy = step.node.missing
    if policy.policy == "skip":
        return kids
    out = []
    for k in kids:
        if not np.isnan(k).any():
            out.append(k)
            continue
        if policy.policy == "impute_value":
            fill = np.float64(policy.value)
        else:
            fill = _centre(k, policy.policy)
            if step.groups:
                fill = np.broadcast_to(fill, k.shape).copy()
                for g in step.groups:
                    gf = _centre(k[:, g], policy.policy)
                    fill[:, g] = np.where(np.isnan(gf), fill[:, g], gf)
        out.append(np.where(np.isnan(k), fill, k))
    return out


def _centre(k: np.ndarray, policy: str) -> np.ndarray:
    if policy == "impute_mean":
        return nan_mean(k, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(k, axis=1, keepdims=True)


def _weighted_sums(kids: list[np.ndarray], W: np.ndarray, transform=None) -> tuple[np.ndarray, np.ndarray]:
    """Σ w·f(x) and Σ w over the present children, per draw and country (NaN children skipped).

    This is the hot loop of the Monte Carlo analysis, hence the in-place arithmetic and the fast paths
    for children without gaps (which countries miss a child is the same in every draw).
    """
    if all(k.shape[0] == 1 for k in kids):
        X = np.stack([k[0] for k in kids], axis=1)  # (countries, children)
        present = ~np.isnan(X)
        if present.all():
            fx = X if transform is None else transform(X)
            return W @ fx.T, W.sum(axis=1, keepdims=True)
        fx = np.where(present, X if transform is None else transform(np.where(present, X, 1.0)), 0.0)
        return W @ fx.T, W @ present.T.astype(float)
    shape = np.broadcast_shapes(W[:, :1].shape, *(k.shape for k in kids))
    num = np.zeros(shape)
    den = np.zeros((shape[0], 1))
    den_by_country = None
    tmp = np.empty(shape)
    for i, k in enumerate(kids):
        w = W[:, i:i + 1]
        nan = np.isnan(k[:1])
        if not nan.any():  # the usual case
            fx = k if transform is None else transform(k)
            np.multiply(w, fx, out=tmp)
            num += tmp
            den += w
            continue
        present = ~nan
        fx = np.where(present, k if transform is None else transform(np.where(present, k, 1.0)), 0.0)
        np.multiply(w, fx, out=tmp)
        num += tmp
        den_by_country = (0.0 if den_by_country is None else den_by_country) + w * present
    if den_by_country is not None:
        den = den + den_by_country
    return num, den


def aggregate(step: Step, kids: list[np.ndarray], W: np.ndarray, countries: list[str],
              aggregation: str | None = None) -> np.ndarray:
    """Aggregate imputed children (each (draws|1, countries)) with weights W (draws|1, children)."""
    custom = step.node.custom
    if aggregation is None and custom is not None:
        return _custom(step, kids, W, countries)
    agg = aggregation or step.node.aggregation
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if agg in ("sum", "weighted_sum"):
            num, den = _weighted_sums(kids, W if agg == "weighted_sum" else np.ones_like(W))
            return np.where(den > 0, num, np.nan)
        if agg in LINEAR_AGGREGATIONS:
            num, den = _weighted_sums(kids, W)
            return np.where(den > 0, num / den, np.nan)
        if agg in ("geometric_mean", "weighted_geometric_mean", "harmonic_mean", "weighted_harmonic_mean"):
            geometric = agg.endswith("geometric_mean")
            for k in kids:
                bad = k < 0
                if bad.any():
                    raise fail(step, countries, bad, Text(gettext_noop(
                        "geometric mean needs values >= 0 (check normalisation)")) if geometric else Text(
                        gettext_noop("harmonic mean needs values >= 0 (check normalisation)")))
            zero_num, _ = _weighted_sums([np.where(np.isnan(k), np.nan, (k == 0).astype(float)) for k in kids],
                                         (W > 0).astype(float))
            if geometric:
                num, den = _weighted_sums(kids, W, lambda x: np.log(np.where(x > 0, x, 1.0)))
                value = np.exp(num / den)
            else:
                num, den = _weighted_sums(kids, W, lambda x: 1.0 / np.where(x > 0, x, 1.0))
                value = den / num
            return np.where(den > 0, np.where(zero_num > 0, 0.0, value), np.nan)
        if agg in ("minimum", "maximum"):
            op = np.fmin if agg == "minimum" else np.fmax
            out = kids[0]
            for k in kids[1:]:
                out = op(out, k)
            return out
        if agg == "formula":
            variables = {c.id: k for c, k in zip(step.node.children, kids, strict=True)}
            return formula_value(step, step.node.formula, variables, countries, "formula")
        if agg == "topsis":
            return _topsis(kids, W, step.node.topsis_normalisation)
    raise ValueError(f"unknown aggregation {agg}")  # pragma: no cover - validated in modelfile.py


def _custom(step: Step, kids: list[np.ndarray], W: np.ndarray, countries: list[str]) -> np.ndarray:
    """A named aggregation: ``each`` on every child (missing stays missing), ``combine``, then ``result``."""
    custom = step.node.custom
    if custom.each is not None:
        each = Text(gettext_noop("aggregation %(name)s (each)"), name=custom.name)
        kids = [formula_value(step, custom.each, {"x": k}, countries, each) for k in kids]
    value = aggregate(step, kids, W, countries, custom.combine)
    if custom.result is not None:
        result = Text(gettext_noop("aggregation %(name)s (result)"), name=custom.name)
        value = formula_value(step, custom.result, {"x": value}, countries, result)
    return value


def _topsis(kids: list[np.ndarray], W: np.ndarray, normalisation: str) -> np.ndarray:
    """TOPSIS closeness to the ideal (Hwang & Yoon), all children treated as benefit criteria.

    Countries with a missing child get no value; the ideal and anti-ideal come from the complete rows.
    """
    complete = np.ones(np.broadcast_shapes(*(k.shape for k in kids)), dtype=bool)
    for k in kids:
        complete = complete & ~np.isnan(k)
    W = W / W.sum(axis=1, keepdims=True)
    d_plus = d_minus = 0.0
    for i, k in enumerate(kids):
        x = np.where(complete, k, np.nan)
        if normalisation == "vector":
            n = x / np.sqrt(np.nansum(x * x, axis=1, keepdims=True))
        else:
            lo, hi = np.nanmin(x, axis=1, keepdims=True), np.nanmax(x, axis=1, keepdims=True)
            n = (x - lo) / (hi - lo)
        v = n * W[:, i:i + 1]
        best, worst = np.nanmax(v, axis=1, keepdims=True), np.nanmin(v, axis=1, keepdims=True)
        d_plus = d_plus + (v - best) ** 2
        d_minus = d_minus + (v - worst) ** 2
    d_plus, d_minus = np.sqrt(d_plus), np.sqrt(d_minus)
    return d_minus / (d_minus + d_plus)
