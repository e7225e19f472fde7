"""Ranking one position's candidates: eligibility and score together, explained."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from .eligibility import Evaluation, evaluate
from .facts import Candidate, Position
from .rules import RuleSet
from .scoring import Score, Weights, score


@dataclass(frozen=True)
class RankedCandidate:
    candidate_id: Hashable
    rank: int | None  # 1, 2, … among the eligible; None: not eligible
    evaluation: Evaluation
    score: Score

    @property
    def eligible(self) -> bool:
        return self.evaluation.eligible


def rank_candidates(rule_set: RuleSet, weights: Weights, candidates: Sequence[Candidate], position: Position,
                    regions_of: Mapping[str, str] | None = None) -> list[RankedCandidate]:
    """Every candidate for one position: the eligible first by score (highest first), then the others
    by score; ties keep the order of ``candidates``. Each with its rule outcomes and score parts."""
    rows = [(evaluate(rule_set, c, position), score(c, position, weights, regions_of), k, c)
            for k, c in enumerate(candidates)]
    rows.sort(key=lambda row: (not row[0].eligible, -row[1].total, row[2]))
    ranked, rank = [], 0
    for evaluation, explained, _, c in rows:
        rank += evaluation.eligible
        ranked.append(RankedCandidate(c.id, rank if evaluation.eligible else None, evaluation, explained))
    return ranked
