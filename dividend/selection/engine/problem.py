"""An assignment problem and its result: the input (scores, eligibility, constraints), its
validation, and how a set of pairs scores and meets each constraint. The solvers are in
`assignment.py`, which describes the constraints."""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .errors import AssignmentInputError, Problem
from .messages import Reason

TOLERANCE = 1e-6


@dataclass(frozen=True)
class AssignmentProblem:
    scores: np.ndarray  # (candidates, positions), finite, >= 0
    eligible: np.ndarray | None = None  # bool, same shape; None: every pair
    pools: Sequence[Hashable] | None = None  # each candidate's pool
    pool_max: Mapping[Hashable, int] = field(default_factory=dict)
    women: np.ndarray | None = None  # bool per candidate
    min_women_share: float | None = None  # 0..1
    women_mode: str = "hard"  # "hard" or "soft"
    women_penalty: float = 0.0  # per missing woman, soft mode
    preferences: Mapping[int, Collection[int]] | None = None  # candidate -> accepted positions
    preference_mode: str = "only"  # "only" or "bonus"
    preference_bonus: float = 0.0
    fill_all: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape

    def constraint_keys(self) -> list[str]:
        """The keys of the constraints this problem sets, in a fixed order."""
        keys = ["fill_all"] if self.fill_all else []
        keys += [f"pool_max:{pool}" for pool in self.pool_max]
        if self.min_women_share is not None:
            keys.append("women_min_share")
        if self.preferences:
            keys.append("preferences")
        return keys

    def without(self, key: str) -> AssignmentProblem:
        """The same problem without one constraint."""
        if key == "fill_all":
            return replace(self, fill_all=False)
        if key == "women_min_share":
            return replace(self, min_women_share=None)
        if key == "preferences":
            return replace(self, preferences=None)
        pool = next(p for p in self.pool_max if f"pool_max:{p}" == key)
        return replace(self, pool_max={p: v for p, v in self.pool_max.items() if p != pool})

    def keeping(self, keys: Collection[str]) -> AssignmentProblem:
        problem = self
        for key in self.constraint_keys():
            if key not in keys:
                problem = problem.without(key)
        return problem


@dataclass(frozen=True)
class ConstraintCheck:
    key: str
    met: bool
    detail: Mapping[str, object]


@dataclass(frozen=True)
class AssignmentResult:
    status: str  # "optimal", "feasible" (stopped with a gap), "infeasible", "no_solution"
    method: str  # "linear_sum_assignment", "milp", "milp_columns", "greedy"
    pairs: tuple[tuple[int, int], ...]  # (candidate index, position index), by position
    total_score: float  # sum of the assigned pairs' scores
    objective: float  # what was maximised: total score + preference bonuses - women penalty
    bound: float | None  # proven upper bound of the objective (None: greedy or infeasible)
    gap: float | None  # (bound - objective) / max(|objective|, 1e-9)
    checks: tuple[ConstraintCheck, ...]
    message: str  # the solver's own status text
    seconds: float
    infeasibility: tuple[Reason, ...] = ()
    infeasible_keys: tuple[str, ...] = ()

    @property
    def constraints_met(self) -> bool:
        return all(check.met for check in self.checks)


def validate_problem(problem: AssignmentProblem) -> list[Problem]:
    """Every problem of the input, each with its path; an empty list: valid."""
    out: list[Problem] = []
    scores = problem.scores
    if not isinstance(scores, np.ndarray) or scores.ndim != 2:
        return [Problem("scores", "must be a 2-D array (candidates × positions)")]
    n, m = scores.shape
    # min and max (NaN fails both comparisons) instead of isfinite: no temporary of the scores' size,
    # 3 ms instead of 17 ms for 5,000 × 1,000 (bench/selection.py).
    if scores.size and not (scores.min() >= 0 and scores.max() < math.inf):
        out.append(Problem("scores", "must be finite and at least 0"))
    if problem.eligible is not None and (np.shape(problem.eligible) != (n, m)):
        out.append(Problem("eligible", f"must have the scores' shape {n} × {m}"))
    if problem.pool_max:
        if problem.pools is None or len(problem.pools) != n:
            out.append(Problem("pools", f"must give a pool for each of the {n} candidates"))
        for pool, limit in problem.pool_max.items():
            if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 0:
                out.append(Problem(f"pool_max.{pool}", "must be a whole number ≥ 0"))
    if problem.min_women_share is not None:
        share = problem.min_women_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            out.append(Problem("min_women_share", "must be a share from 0 to 1"))
        if problem.women is None or np.shape(problem.women) != (n,):
            out.append(Problem("women", f"must say for each of the {n} candidates whether a woman"))
        if problem.women_mode not in ("hard", "soft"):
            out.append(Problem("women_mode", "must be hard or soft"))
        if not (isinstance(problem.women_penalty, (int, float)) and 0 <= problem.women_penalty < math.inf):
            out.append(Problem("women_penalty", "must be a number ≥ 0"))
    if problem.preferences:
        if problem.preference_mode not in ("only", "bonus"):
            out.append(Problem("preference_mode", "must be only or bonus"))
        if not (isinstance(problem.preference_bonus, (int, float)) and 0 <= problem.preference_bonus < math.inf):
            out.append(Problem("preference_bonus", "must be a number ≥ 0"))
        for i, accepted in problem.preferences.items():
            if not (isinstance(i, (int, np.integer)) and 0 <= i < n):
                out.append(Problem(f"preferences.{i}", f"is not a candidate index (0–{n - 1})"))
            elif any(not (isinstance(j, (int, np.integer)) and 0 <= j < m) for j in accepted):
                out.append(Problem(f"preferences.{i}", f"names a position outside 0–{m - 1}"))
    return out


def _check(problem: AssignmentProblem) -> None:
    errors = validate_problem(problem)
    if errors:
        raise AssignmentInputError(errors)


# ---------------------------------------------------------------------------------------------------
# Pairs, values, checks

def _allowed(problem: AssignmentProblem) -> np.ndarray:
    n, m = problem.shape
    allowed = np.ones((n, m), dtype=bool) if problem.eligible is None else np.asarray(problem.eligible, bool)
    if problem.preferences and problem.preference_mode == "only":
        allowed = allowed.copy()  # never change the caller's matrix
        for i, accepted in problem.preferences.items():
            row = np.zeros(m, dtype=bool)
            row[list(accepted)] = True
            allowed[i] &= row
    return allowed


def _values(problem: AssignmentProblem) -> np.ndarray:
    values = np.asarray(problem.scores, dtype=float)
    if problem.preferences and problem.preference_mode == "bonus" and problem.preference_bonus:
        values = values.copy()
        for i, accepted in problem.preferences.items():
            values[i, list(accepted)] += problem.preference_bonus
    return values


def _women_missing(problem: AssignmentProblem, pairs) -> int:
    if problem.min_women_share is None:
        return 0
    women = sum(bool(problem.women[i]) for i, _ in pairs)
    return max(0, math.ceil(problem.min_women_share * len(pairs) - women - 1e-9))


def objective_of(problem: AssignmentProblem, pairs) -> float:
    """The objective of an assignment: scores, plus bonuses, minus the soft women penalty."""
    values = _values(problem)
    total = float(sum(values[i, j] for i, j in pairs))
    if problem.min_women_share is not None and problem.women_mode == "soft":
        total -= problem.women_penalty * _women_missing(problem, pairs)
    return total


def check_constraints(problem: AssignmentProblem, pairs) -> tuple[ConstraintCheck, ...]:
    """Whether an assignment meets each constraint, with the numbers that show it."""
    n, m = problem.shape
    allowed = _allowed(replace(problem, preferences=None))
    checks = [ConstraintCheck("eligibility", all(allowed[i, j] for i, j in pairs),
                              {"ineligible_pairs": sum(not allowed[i, j] for i, j in pairs)})]
    candidates = [i for i, _ in pairs]
    checks.append(ConstraintCheck("one_each", len(set(candidates)) == len(pairs) == len({j for _, j in pairs}),
                                  {"pairs": len(pairs)}))
    if problem.fill_all:
        checks.append(ConstraintCheck("fill_all", len({j for _, j in pairs}) == m,
                                      {"filled": len({j for _, j in pairs}), "positions": m}))
    for pool, limit in problem.pool_max.items():
        count = sum(problem.pools[i] == pool for i in candidates)
        checks.append(ConstraintCheck(f"pool_max:{pool}", count <= limit,
                                      {"pool": pool, "assigned": count, "max": int(limit)}))
    if problem.min_women_share is not None:
        women = sum(bool(problem.women[i]) for i in candidates)
        missing = _women_missing(problem, pairs)
        checks.append(ConstraintCheck("women_min_share", missing == 0, {
            "women": women, "assigned": len(pairs), "min_share": problem.min_women_share,
            "share": women / len(pairs) if pairs else None, "missing": missing, "mode": problem.women_mode}))
    if problem.preferences:
        accepted = [problem.preferences.get(i) is None or j in problem.preferences[i] for i, j in pairs]
        met = all(accepted) if problem.preference_mode == "only" else True
        checks.append(ConstraintCheck("preferences", met, {
            "mode": problem.preference_mode, "preferred": sum(1 for i, j in pairs if problem.preferences.get(i)
                                                              and j in problem.preferences[i]),
            "outside": len(accepted) - sum(accepted)}))
    return tuple(checks)


def _result(problem, status, method, pairs, bound, message, started, **extra) -> AssignmentResult:
    pairs = tuple(sorted(((int(i), int(j)) for i, j in pairs), key=lambda ij: ij[1]))
    objective = objective_of(problem, pairs) if status in ("optimal", "feasible", "greedy") else 0.0
    total = float(sum(problem.scores[i, j] for i, j in pairs))
    gap = None if bound is None else max(0.0, (bound - objective) / max(abs(objective), 1e-9))
    return AssignmentResult("feasible" if status == "greedy" else status, method, pairs, total, objective,
                            bound, gap, check_constraints(problem, pairs), message, time.perf_counter() - started,
                            **extra)


# ---------------------------------------------------------------------------------------------------
# Solvers
