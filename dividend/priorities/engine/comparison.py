"""Comparing two results (rank shifts) and scoring countries on the thematic priorities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compute import IndexResult

# ----------------------------------------------------------------------------------------------------
# Comparing results and thematic priorities
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RankShift:
    iso3: str
    rank_before: int | None
    rank_after: int | None
    shift: int | None  # positive = moved up (more relevant) in ``after``
    score_before: float | None
    score_after: float | None


def compare_results(before: IndexResult, after: IndexResult) -> list[RankShift]:
    """Rank shifts per country between two results (countries in either), biggest moves first."""
    def lookup(res: IndexResult, code: str) -> tuple[int | None, float | None]:
        if code not in res.countries:
            return None, None
        i = res.index_of(code)
        r = int(res.rank[i]) or None
        return r, (None if np.isnan(res.score[i]) else float(res.score[i]))

    shifts = []
    for code in sorted(set(before.countries) | set(after.countries)):
        rb, sb = lookup(before, code)
        ra, sa = lookup(after, code)
        shift = rb - ra if rb is not None and ra is not None else None
        shifts.append(RankShift(code, rb, ra, shift, sb, sa))
    return sorted(shifts, key=lambda s: (s.shift is None, -abs(s.shift or 0), s.iso3))


@dataclass
class ThemeScores:
    """Per-country score of each thematic priority and their weighted combination.

    A theme's score is the weighted mean of the (normalised, oriented) values of the indicators or nodes
    it is mapped to, skipping missing ones; ``total`` is the theme-weighted mean of the theme scores.
    """

    countries: list[str]
    themes: list[str]
    weights: np.ndarray  # (themes,) normalised to sum 1
    scores: np.ndarray  # (countries, themes)
    total: np.ndarray  # (countries,)

    def for_country(self, iso3: str) -> dict[str, float | None]:
        i = self.countries.index(iso3)
        out = {t: (None if np.isnan(v) else float(v)) for t, v in zip(self.themes, self.scores[i], strict=True)}
        out["total"] = None if np.isnan(self.total[i]) else float(self.total[i])
        return out


def theme_scores(result: IndexResult, weights: dict[str, float] | None = None) -> ThemeScores:
    """Theme scores from a result; ``weights`` overrides the model's theme weights (e.g. a policy officer's)."""
    model = result.model
    weights = dict(model.theme_weights if weights is None else weights)
    themes = [t for t in model.theme_links if model.theme_links[t]]
    n = len(result.countries)
    scores = np.full((n, len(themes)), np.nan)
    for j, theme in enumerate(themes):
        links = model.theme_links[theme]
        X = np.stack([result.node_scores[link.target] for link in links], axis=1)
        w = np.array([link.weight for link in links])[None, :] * ~np.isnan(X)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[:, j] = np.where(w.sum(1) > 0, (np.nan_to_num(X) * w).sum(1) / w.sum(1), np.nan)
    tw = np.array([weights.get(t, 0.0) for t in themes], dtype=float)
    tw = tw / tw.sum() if tw.sum() > 0 else tw
    present = ~np.isnan(scores)
    ww = tw[None, :] * present
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(ww.sum(1) > 0, (np.nan_to_num(scores) * ww).sum(1) / ww.sum(1), np.nan)
    return ThemeScores(result.countries, themes, tw, scores, total)
