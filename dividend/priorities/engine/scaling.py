"""Rounding, transforms and normalisation of indicator values (used by compute.py and montecarlo.py)."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from .errors import Text, gettext_noop
from .model import BOUNDED_NORMALISATIONS, Indicator, Normalisation, Piece

# ----------------------------------------------------------------------------------------------------
# Rounding
# ----------------------------------------------------------------------------------------------------


def _tolerance(scaled: np.ndarray) -> np.ndarray:
    # Decimal values such as 2.675 are stored as 2.67499999...; treat anything within a few ulps of a
    # tie as a tie, so rounding behaves as it would on the decimal number people see.
    return 1e-9 * np.maximum(1.0, np.abs(scaled))


def round_half_up(x: np.ndarray, decimals: int) -> np.ndarray:
    """Round half away from zero (like Excel ROUND and decimal.ROUND_HALF_UP): 2.675 → 2.68, -2.5 → -3."""
    factor = 10.0 ** decimals
    s = np.asarray(x, dtype=float) * factor
    return np.sign(s) * np.floor(np.abs(s) + 0.5 + _tolerance(s)) / factor


def round_half_even(x: np.ndarray, decimals: int) -> np.ndarray:
    """Round half to even (banker's rounding) on the decimal value: 2.675 → 2.68, 2.665 → 2.66, 0.5 → 0."""
    factor = 10.0 ** decimals
    s = np.asarray(x, dtype=float) * factor
    floor = np.floor(s)
    tie = np.abs(s - floor - 0.5) <= _tolerance(s)
    even = np.where(np.mod(floor, 2) == 0, floor, floor + 1)
    return np.where(tie, even, np.round(s)) / factor


def apply_rounding(x: np.ndarray, decimals: int, method: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return round_half_up(x, decimals) if method == "half_up" else round_half_even(x, decimals)


# ----------------------------------------------------------------------------------------------------
# Preparation: countries, lookup, transform, normalise
# ----------------------------------------------------------------------------------------------------

def few_codes(codes: list[str], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    if len(codes) > limit:
        return Text(gettext_noop("%(shown)s and %(count)s more"), shown=shown, count=len(codes) - limit)
    return shown


def nan_mean(a: np.ndarray, axis: int) -> np.ndarray:
    present = ~np.isnan(a)
    n = present.sum(axis=axis, keepdims=True)
    s = np.where(present, a, 0.0).sum(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def transform_values(x: np.ndarray, indicator: Indicator, countries: list[str]) -> tuple[np.ndarray, list[str]]:
    """Apply the indicator's transforms in order; returns values and problems (messages)."""
    problems = []
    for t in indicator.transforms:
        present = ~np.isnan(x)
        if t.kind in ("log10", "log10_plus_1", "sqrt", "ln"):
            shifted = x + 1.0 if t.kind == "log10_plus_1" else x
            bad = present & ((shifted <= 0) if t.kind != "sqrt" else (shifted < 0))
            if bad.any():
                need = {"log10": "> 0", "log10_plus_1": "> -1", "sqrt": ">= 0", "ln": "> 0"}[t.kind]
                codes = [countries[i] for i in np.nonzero(bad)[0]]
                problems.append(Text(gettext_noop("transform %(kind)s needs values %(bound)s; not so for %(countries)s"),
                                     kind=t.kind, bound=need, countries=few_codes(codes)))
                return x, problems
            with np.errstate(invalid="ignore", divide="ignore"):
                x = {"sqrt": np.sqrt, "ln": np.log}.get(t.kind, np.log10)(shifted)
        elif t.kind in ("scale", "offset", "power"):
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                new = x * t.value if t.kind == "scale" else (x + t.value if t.kind == "offset" else x ** t.value)
            bad = present & ~np.isfinite(new)
            if bad.any():
                codes = [countries[i] for i in np.nonzero(bad)[0]]
                problems.append(Text(gettext_noop("transform %(kind)s %(value)s gives no finite value for "
                                                  "%(countries)s"), kind=t.kind, value=f"{t.value:g}",
                                     countries=few_codes(codes)))
                return x, problems
            x = new
        elif t.kind == "clip":
            x = np.clip(x, -np.inf if t.lower is None else t.lower, np.inf if t.upper is None else t.upper)
        elif t.kind == "winsorise" and present.any():
            lo, hi = np.percentile(x[present], [t.lower, t.upper])
            x = np.clip(x, lo, hi)
    return x, problems


def normalise(x: np.ndarray, norm: Normalisation, direction: str, countries: list[str]) -> np.ndarray:
    """Normalise over the countries of the computation, then orient so that higher = more relevant.

    Bounded methods (min_max, goalposts, percentile) are mirrored inside their range for
    ``higher_is_less_relevant``; unbounded ones (none, z_score, distance_to_reference) are negated.
    """
    present = ~np.isnan(x)
    r0, r1 = norm.range
    method = norm.method
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "none":
            v = x.copy()
        elif method == "min_max":
            lo, hi = (np.nanmin(x), np.nanmax(x)) if present.any() else (0.0, 0.0)
            unit = (x - lo) / (hi - lo) if hi > lo else np.where(present, 0.5, np.nan)
            v = r0 + unit * (r1 - r0)
        elif method == "goalposts":
            unit = np.clip((x - norm.min) / (norm.max - norm.min), 0.0, 1.0)
            v = r0 + unit * (r1 - r0)
        elif method == "z_score":
            if present.any():
                mean, sd = x[present].mean(), x[present].std()
                v = (x - mean) / sd if sd > 0 else np.where(present, 0.0, np.nan)
            else:
                v = x.copy()
        elif method == "piecewise":
            v = _piecewise(x, norm)
        elif method == "percentile":
            v = np.full_like(x, np.nan)
            n = int(present.sum())
            if n == 1:
                v[present] = 0.5
            elif n > 1:
                v[present] = (rankdata(x[present], method="average") - 1) / (n - 1)
            v = r0 + v * (r1 - r0)
        elif method == "distance_to_reference":
            ref = x[countries.index(norm.country)] if norm.country in countries else np.nan
            if np.isnan(ref):
                raise ValueError(Text(gettext_noop("reference country %(country)s has no value"), country=norm.country))
            if norm.mode == "ratio":
                if ref == 0:
                    raise ValueError(Text(gettext_noop("reference country %(country)s has value 0; ratio is undefined"),
                                          country=norm.country))
                v = x / ref
            else:
                v = x - ref
        else:  # pragma: no cover - validated in modelfile.py
            raise ValueError(f"unknown normalisation {method}")
    if direction == "higher_is_less_relevant":
        v = (r0 + r1 - v) if method in BOUNDED_NORMALISATIONS else -v
    return v


def _piece(piece: Piece | None, x: np.ndarray, default: np.ndarray, zone: np.ndarray) -> np.ndarray:
    if piece is None:
        return default
    if piece.formula is None:
        return np.full_like(x, piece.value)
    value, bad = piece.formula.evaluate_checked({"x": x})
    if bad is not None and (bad & zone).any():
        raise ValueError(Text(gettext_noop("piecewise normalisation: %(formula)s gives no finite value (division by "
                                           "0, ln of 0?) for x = %(values)s"), formula=repr(piece.formula.text),
                              values=", ".join(f"{v:g}" for v in np.unique(x[bad & zone])[:5])))
    return np.broadcast_to(value, x.shape)


def _piecewise(x: np.ndarray, norm: Normalisation) -> np.ndarray:
    """Separate rules at or below ``min``, between, and at or above ``max`` (default: goalposts)."""
    r0, r1 = norm.range
    lo, hi = norm.min, norm.max
    below, above = x <= lo, x >= hi
    between = ~below & ~above & ~np.isnan(x)
    linear = r0 + np.clip((x - lo) / (hi - lo), 0.0, 1.0) * (r1 - r0)
    v = np.where(below, _piece(norm.below, x, np.full_like(x, r0), below),
                 np.where(above, _piece(norm.above, x, np.full_like(x, r1), above),
                          _piece(norm.between, x, linear, between)))
    return np.where(np.isnan(x), np.nan, v)


def leaf_values(x: np.ndarray, indicator: Indicator, countries: list[str], norm: Normalisation | None = None
                ) -> np.ndarray:
    """An indicator's value as its parent sees it: normalised, oriented, rounded if the indicator rounds."""
    v = normalise(x, norm or indicator.normalisation, indicator.direction, countries)
    if indicator.rounding is not None:
        v = apply_rounding(v, indicator.rounding.decimals, indicator.rounding.method)
    return v


