"""Optimal assignment of a whole call: at most one position per officer and one officer per position.

Maximise the total score over eligible pairs, under optional constraints (each with a key used in
results, costs and infeasibility reports):

- ``fill_all``: every position filled;
- ``pool_max:<pool>``: at most so many officers from a pool;
- ``women_min_share``: at least a share of women among those assigned, hard, or soft with a penalty
  per missing woman (``missing = ceil(share × assigned − women)``);
- ``preferences``: officers who stated preferences get only positions they accept (``"only"``), or
  a bonus on those (``"bonus"``); officers who stated none accept every position.

Solvers: without pool or women constraints the problem is a rectangular assignment, solved exactly
by scipy's ``linear_sum_assignment``; otherwise a MILP for HiGHS (scipy ``milp``). Large instances
(many eligible pairs) use the same MILP on a subset of pairs found by column generation: the LP
relaxation is solved over a subset grown until no left-out pair has a positive reduced cost (so its
optimum is the LP bound of the whole problem), then the MILP on the subset, and left-out pairs are
added while one could still improve on the incumbent (LP bound + its reduced cost ≥ incumbent). The
result's ``bound`` and ``gap`` are therefore proven for the whole problem, not just the subset.

Scores must be finite and ≥ 0 (an unused pair is worth 0, so "at most one" is exact).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

from .messages import Reason
from .problem import (  # noqa: F401 - the problem's names are part of this module's interface
    TOLERANCE,
    AssignmentProblem,
    AssignmentResult,
    ConstraintCheck,
    _allowed,
    _check,
    _result,
    _values,
    _women_missing,
    check_constraints,
    objective_of,
    validate_problem,
)

COLUMNS_THRESHOLD = 20_000  # eligible pairs above which "auto" uses column generation


LSA_BLOCK = 64  # candidates per block of the transposed copy (64–256 measured alike, 16 slower)


def _lsa_cost(values: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, bool]:
    """The cost matrix to minimise for maximising ``values`` over ``allowed`` pairs: ``-values`` there,
    ``-0.0`` elsewhere, in the orientation scipy solves in (no more rows than columns), and whether it
    is transposed (positions × candidates).

    scipy's ``linear_sum_assignment`` copies a taller-than-wide or maximised matrix into that form
    itself, one element at a time (39 ms of its 130 ms for 5,000 × 1,000, bench/selection.py); doing
    it here by blocks, with the eligibility mask and the negation in the same pass, takes 24 ms where
    the mask alone (``values × allowed``) took 12 ms before scipy's copy. scipy then solves the same
    numbers as it would have after its own copy (so the same pairs); ``values`` must be finite and
    ≥ 0 (checked), so ``values × allowed`` is ``where(allowed, values, 0)``.
    """
    n, m = values.shape
    if n <= m:
        cost = np.multiply(values, allowed)
        return np.negative(cost, out=cost), False
    if values.T.flags.c_contiguous and allowed.T.flags.c_contiguous:
        # Both already positions × candidates in memory (score_matrix and the eligibility functions
        # give them so): one pass, no transposing copy (13.5 ms against 23 ms by blocks, 5,000 × 1,000).
        cost = np.multiply(values.T, allowed.T)
        return np.negative(cost, out=cost), True
    cost = np.empty((m, n))
    for start in range(0, n, LSA_BLOCK):
        block = np.multiply(values[start:start + LSA_BLOCK], allowed[start:start + LSA_BLOCK])
        np.negative(block, out=block)
        cost[:, start:start + LSA_BLOCK] = block.T
    return cost, True


def _solve_lsa(problem: AssignmentProblem, started: float) -> AssignmentResult:
    allowed, values = _allowed(problem), _values(problem)
    n, m = problem.shape
    if problem.fill_all:
        if m == 0:
            return _result(problem, "optimal", "linear_sum_assignment", [], 0.0, "nothing to fill", started)
        cost = np.where(allowed, -values, np.inf).T  # positions as rows: each must be assigned
        try:
            rows, cols = linear_sum_assignment(cost)
        except ValueError as error:
            return _result(problem, "infeasible", "linear_sum_assignment", [], None, str(error), started)
        if len(rows) < m:
            return _result(problem, "infeasible", "linear_sum_assignment", [], None,
                           f"{m} positions, {n} candidates", started)
        pairs = list(zip(cols, rows, strict=True))
    else:
        cost, transposed = _lsa_cost(values, allowed)
        rows, cols = linear_sum_assignment(cost)
        if transposed:
            rows, cols = cols, rows
        pairs = [(i, j) for i, j in zip(rows, cols, strict=True) if allowed[i, j]]
    objective = objective_of(problem, pairs)
    return _result(problem, "optimal", "linear_sum_assignment", pairs, objective, "optimal", started)


@dataclass
class _Model:
    """The MILP's columns (pairs, then the soft women slack) and rows, built for a subset of pairs."""

    problem: AssignmentProblem
    ci: np.ndarray
    pj: np.ndarray
    value: np.ndarray

    def __post_init__(self):
        p = self.problem
        n, m = p.shape
        self.soft = p.min_women_share is not None and p.women_mode == "soft"
        self.pool_keys = list(p.pool_max)
        pool_index = {pool: k for k, pool in enumerate(self.pool_keys)}
        self.pool_of = np.array([pool_index.get(x, -1) for x in p.pools], dtype=np.int64) if self.pool_keys \
            else np.full(n, -1, dtype=np.int64)
        self.women_coef = (np.asarray(p.women, dtype=float) - p.min_women_share) \
            if p.min_women_share is not None else None

    def matrices(self, ci, pj):
        """Rows (candidates, positions, pools, women) × columns (pairs [, slack]), with bounds."""
        p = self.problem
        n, m = p.shape
        k = len(ci)
        cols = np.arange(k)
        row_parts, col_parts, data = [ci, n + pj], [cols, cols], [np.ones(k), np.ones(k)]
        lower = [np.full(n, -np.inf), np.ones(m) if p.fill_all else np.full(m, -np.inf)]
        upper = [np.ones(n), np.ones(m)]
        n_rows = n + m
        if self.pool_keys:
            in_pool = self.pool_of[ci] >= 0
            row_parts.append(n_rows + self.pool_of[ci][in_pool])
            col_parts.append(cols[in_pool])
            data.append(np.ones(int(in_pool.sum())))
            lower.append(np.full(len(self.pool_keys), -np.inf))
            upper.append(np.array([p.pool_max[x] for x in self.pool_keys], dtype=float))
            n_rows += len(self.pool_keys)
        n_cols = k + (1 if self.soft else 0)
        if self.women_coef is not None:
            row_parts.append(np.full(k, n_rows))
            col_parts.append(cols)
            data.append(self.women_coef[ci])
            if self.soft:
                row_parts.append(np.array([n_rows]))
                col_parts.append(np.array([k]))
                data.append(np.array([1.0]))
            lower.append(np.zeros(1))
            upper.append(np.full(1, np.inf))
            n_rows += 1
        matrix = coo_matrix((np.concatenate(data), (np.concatenate(row_parts), np.concatenate(col_parts))),
                            shape=(n_rows, n_cols)).tocsr()
        lower, upper = np.concatenate(lower), np.concatenate(upper)
        # Rows without a column of the subset (candidates left out) only slow HiGHS down: drop them,
        # unless they demand something (a position to fill), which makes the model infeasible as it should.
        rows = np.flatnonzero((np.diff(matrix.indptr) > 0) | (lower > 0))
        return matrix[rows], lower[rows], upper[rows], rows

    def costs(self, value):
        c = -np.asarray(value, dtype=float)
        return np.append(c, self.problem.women_penalty) if self.soft else c

    def solve_milp(self, ci, pj, value, time_limit, gap):
        matrix, lower, upper, _ = self.matrices(ci, pj)
        n_cols = matrix.shape[1]
        integrality = np.ones(n_cols)
        ub = np.ones(n_cols)
        if self.soft:
            ub[-1] = np.inf
        res = milp(self.costs(value), integrality=integrality, bounds=Bounds(np.zeros(n_cols), ub),
                   constraints=LinearConstraint(matrix, lower, upper),
                   options={"time_limit": max(time_limit, 1.0), "mip_rel_gap": gap, "disp": False})
        return res

    def solve_lp(self, ci, pj, value):
        """The LP relaxation in ≤ form for its duals: (objective, duals per row) or None if infeasible."""
        matrix, lower, upper, kept = self.matrices(ci, pj)
        finite_upper = np.isfinite(upper)
        finite_lower = np.isfinite(lower)
        a_ub = csr_matrix(np.zeros((0, matrix.shape[1])))
        blocks, rhs, which = [], [], []
        if finite_upper.any():
            blocks.append(matrix[finite_upper])
            rhs.append(upper[finite_upper])
            which.append((np.flatnonzero(finite_upper), 1.0))
        if finite_lower.any():
            blocks.append(-matrix[finite_lower])
            rhs.append(-lower[finite_lower])
            which.append((np.flatnonzero(finite_lower), -1.0))
        a_ub = vstack(blocks).tocsr() if blocks else a_ub
        res = linprog(self.costs(value), A_ub=a_ub, b_ub=np.concatenate(rhs), bounds=(0, None), method="highs")
        if res.status != 0:
            return None
        # u >= 0: the duals of the maximisation, per original row (upper minus lower side); a dropped
        # row (no column in the subset) is slack, its dual 0.
        marginals = -res.ineqlin.marginals
        duals = np.zeros(matrix.shape[0])
        offset = 0
        for rows, sign in which:
            duals[rows] += sign * marginals[offset:offset + len(rows)]
            offset += len(rows)
        p = self.problem
        full = np.zeros(p.shape[0] + p.shape[1] + len(self.pool_keys) + (1 if self.women_coef is not None else 0))
        full[kept] = duals
        return -res.fun, full, res.x

    def reduced_costs(self, duals, ci, pj, value):
        p = self.problem
        n, m = p.shape
        rc = value - duals[ci] - duals[n + pj]
        row = n + m
        if self.pool_keys:
            pools = self.pool_of[ci]
            rc -= np.where(pools >= 0, duals[row + np.maximum(pools, 0)], 0.0)
            row += len(self.pool_keys)
        if self.women_coef is not None:
            rc -= duals[row] * self.women_coef[ci]
        return rc


def _pairs_from(res, ci, pj) -> list[tuple[int, int]]:
    return _pairs_from_x(res.x, ci, pj)


def _pairs_from_x(x, ci, pj) -> list[tuple[int, int]]:
    x = x[: len(ci)]
    chosen = np.flatnonzero(x > 0.5)
    return list(zip(ci[chosen].tolist(), pj[chosen].tolist(), strict=True))


def _milp_status(res) -> str:
    if res.status == 0:
        return "optimal"
    if res.status == 2:
        return "infeasible"
    return "feasible" if res.x is not None else "no_solution"


def _solve_milp_full(problem, started, time_limit, gap) -> AssignmentResult:
    allowed, values = _allowed(problem), _values(problem)
    ci, pj = np.nonzero(allowed)
    if not len(ci):
        if problem.fill_all and problem.shape[1]:
            return _result(problem, "infeasible", "milp", [], None, "no allowed pair", started)
        return _result(problem, "optimal", "milp", [], 0.0, "no allowed pair", started)
    model = _Model(problem, ci, pj, values[ci, pj])
    res = model.solve_milp(ci, pj, values[ci, pj], time_limit, gap)
    status = _milp_status(res)
    if status in ("infeasible", "no_solution"):
        return _result(problem, status, "milp", [], None, res.message, started)
    bound = -res.mip_dual_bound if res.mip_dual_bound is not None and np.isfinite(res.mip_dual_bound) else None
    pairs = _pairs_from(res, ci, pj)
    if status == "optimal" and bound is None:
        bound = objective_of(problem, pairs)
    return _result(problem, status, "milp", pairs, bound, res.message, started)


def _excess(rc, excluded, ci, pj, n, m) -> float:
    """How much left-out pairs could add to the subset's LP bound: at most the best matching of their
    positive reduced costs (each candidate and each position takes one pair; the side constraints
    only lower it). ``LP bound + excess`` bounds the whole problem (Lagrangian duality)."""
    positive = np.flatnonzero(excluded & (rc > 0))
    if not len(positive):
        return 0.0
    rows, row_index = np.unique(ci[positive], return_inverse=True)
    cols, col_index = np.unique(pj[positive], return_inverse=True)
    if len(rows) * len(cols) > 4_000_000:  # too big to match densely: each position's best instead
        by_position = np.zeros(m)
        np.maximum.at(by_position, pj[positive], rc[positive])
        return float(by_position.sum())
    matrix = np.zeros((len(rows), len(cols)))
    matrix[row_index, col_index] = rc[positive]
    r, c = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[r, c].sum())


def _solve_milp_columns(problem, started, time_limit, gap, per_position=8) -> AssignmentResult:
    """Column generation on the LP, then the MILP on the subset, proven against the whole problem.

    For any assignment x: objective(x) ≤ LP + Σ rc·x ≤ LP + excess + (its left-out pairs' rc), with
    LP the subset's LP optimum, rc the reduced costs under its duals, excess as in :func:`_excess`.
    """
    allowed, values = _allowed(problem), _values(problem)
    ci, pj = np.nonzero(allowed)
    value = values[ci, pj]
    n, m = problem.shape
    if not len(ci):
        return _solve_milp_full(problem, started, time_limit, gap)
    model = _Model(problem, ci, pj, value)
    # Start: each position's best candidates by value.
    order = np.lexsort((-value, pj))
    starts = np.searchsorted(pj[order], np.arange(m + 1))
    rank = np.arange(len(order)) - np.repeat(starts[:-1], np.diff(starts))
    subset = np.zeros(len(ci), dtype=bool)
    subset[order[rank < per_position]] = True
    rounds, previous, stalled = 0, -np.inf, 0
    while True:
        rounds += 1
        idx = np.flatnonzero(subset)
        lp = model.solve_lp(ci[idx], pj[idx], value[idx])
        if lp is None:  # cannot happen without fill_all (x = 0 is feasible); fall back to the full MILP
            return _solve_milp_full(problem, started, time_limit, gap)
        lp_value, duals, lp_x = lp
        rc = model.reduced_costs(duals, ci, pj, value)
        excess = _excess(rc, ~subset, ci, pj, n, m)
        entering = np.flatnonzero((rc > TOLERANCE) & ~subset)
        # Stop when nothing enters, the bound is tight, or the LP stalls on degenerate duals (the
        # excess then stays in the bound, and the MILP phase below still proves what it can).
        stalled = stalled + 1 if lp_value - previous <= 1e-9 * max(1.0, abs(lp_value)) else 0
        previous = lp_value
        if not len(entering) or excess <= 1e-9 * max(1.0, abs(lp_value)) or stalled >= 2 or rounds >= 50 \
                or time.perf_counter() - started > time_limit / 2:
            break
        limit = max(2 * m, 500)
        if len(entering) > limit:
            entering = entering[np.argpartition(-rc[entering], limit)[:limit]]
        subset[entering] = True
    lp_bound = lp_value + excess
    # The LP's own solution, when integral, is a first incumbent: it spares a MILP round, and when no
    # left-out pair could beat it the MILP itself.
    incumbent = -np.inf
    idx = np.flatnonzero(subset)
    if np.all(np.abs(lp_x - np.round(lp_x)) <= 1e-9):
        lp_pairs = _pairs_from_x(lp_x, ci[idx], pj[idx])
        if all(c.met for c in check_constraints(problem, lp_pairs)):
            incumbent = objective_of(problem, lp_pairs)
            could_improve = ~subset & (lp_bound + rc >= incumbent + TOLERANCE)
            if not could_improve.any() and incumbent >= lp_bound - max(1.0, abs(lp_bound)) * gap:
                message = (f"LP solution integral and within the gap ({int(subset.sum())} of {len(ci)} pairs "
                           f"after {rounds} LP rounds; LP bound {lp_bound:.6f})")
                return _result(problem, "optimal", "milp_columns", lp_pairs, lp_bound, message, started)
            subset |= could_improve
    res = None
    for _ in range(10):
        idx = np.flatnonzero(subset)
        remaining = time_limit - (time.perf_counter() - started)
        res = model.solve_milp(ci[idx], pj[idx], value[idx], remaining, gap)
        status = _milp_status(res)
        if status in ("infeasible", "no_solution"):
            return _result(problem, status, "milp_columns", [], None, res.message, started)
        # A left-out pair can be in a better solution only if the bound plus its reduced cost beats it.
        could_improve = ~subset & (lp_bound + rc >= max(-res.fun, incumbent) + TOLERANCE)
        if not could_improve.any() or time.perf_counter() - started > time_limit:
            break
        subset |= could_improve
    pairs = _pairs_from(res, ci[idx], pj[idx])
    subset_bound = -res.mip_dual_bound if res.mip_dual_bound is not None else -res.fun
    outside = rc[~subset]
    bound = max(subset_bound, lp_bound + float(outside.max())) if len(outside) else subset_bound
    bound = min(bound, lp_bound)
    proven = res.status == 0 and not np.any(~subset & (lp_bound + rc >= -res.fun + TOLERANCE))
    message = (f"{res.message} ({int(subset.sum())} of {len(ci)} pairs in the MILP after {rounds} LP rounds; "
               f"LP bound {lp_bound:.6f})")
    return _result(problem, "optimal" if proven else "feasible", "milp_columns", pairs, bound, message, started)


def assign(problem: AssignmentProblem, *, strategy: str = "auto", time_limit: float = 60.0,
           gap: float = 1e-6, explain: bool = True) -> AssignmentResult:
    """The optimal assignment (or the best found within ``time_limit`` with its proven gap).

    ``strategy``: "auto", "lsa" (only without pool and women constraints), "milp" (all pairs in one
    MILP) or "columns" (column generation; not with ``fill_all``). An infeasible problem's result names
    the constraints that together make it so (``infeasible_keys``, ``infeasibility``) when ``explain``.
    """
    _check(problem)
    started = time.perf_counter()
    side = bool(problem.pool_max) or problem.min_women_share is not None
    if strategy == "lsa" or (strategy == "auto" and not side):
        if side:
            raise ValueError("linear_sum_assignment cannot take pool or women constraints")
        result = _solve_lsa(problem, started)
    elif strategy == "columns" or (strategy == "auto" and not problem.fill_all
                                   and int(_allowed(problem).sum()) > COLUMNS_THRESHOLD):
        if problem.fill_all:
            raise ValueError("column generation does not take fill_all")
        result = _solve_milp_columns(problem, started, time_limit, gap)
    else:
        result = _solve_milp_full(problem, started, time_limit, gap)
    if result.status == "infeasible" and explain:
        keys, reasons = explain_infeasibility(problem)
        result = replace(result, infeasible_keys=tuple(keys), infeasibility=tuple(reasons))
    return result


def _feasible(problem: AssignmentProblem) -> bool:
    if not problem.fill_all:
        return True  # assigning nobody meets every other constraint
    if not problem.pool_max and problem.min_women_share is None:
        return _solve_lsa(problem, time.perf_counter()).status == "optimal"
    return _solve_milp_full(replace(problem, scores=np.zeros(problem.shape)), time.perf_counter(),
                            60.0, 1.0).status != "infeasible"


def explain_infeasibility(problem: AssignmentProblem) -> tuple[list[str], list[Reason]]:
    """Which constraints together make the problem infeasible, and why, as reasons.

    A deletion filter: drop each constraint in turn and keep it dropped while the rest stays
    infeasible; what remains cannot all be met, and dropping any one of them makes it solvable.
    Eligibility is never dropped (it is not a preference). ``([], [])`` when the problem is feasible.
    """
    if _feasible(problem):
        return [], []
    keep = problem.constraint_keys()
    for key in list(keep):
        trial = [k for k in keep if k != key]
        if not _feasible(problem.keeping(trial)):
            keep = trial
    reasons = [Reason("infeasible_constraints", {"constraints": list(keep)})]
    if "fill_all" in keep:
        allowed = _allowed(problem.keeping(keep))
        empty = [int(j) for j in np.flatnonzero(~allowed.any(axis=0))]
        if empty:
            reasons.append(Reason("positions_without_candidates", {"positions": empty}))
        rows, cols = linear_sum_assignment(allowed.astype(float), maximize=True)
        fillable = int(allowed[rows, cols].sum())
        if fillable < problem.shape[1]:
            reasons.append(Reason("positions_fillable", {"fillable": fillable, "positions": problem.shape[1]}))
    return keep, reasons


# ---------------------------------------------------------------------------------------------------
# Greedy baseline and the cost of each constraint

def greedy_assign(problem: AssignmentProblem) -> AssignmentResult:
    """The baseline: take the best remaining allowed pair while it keeps pools under their maximum.

    For a hard minimum share of women it then replaces the lowest-scored men, each by the best free
    woman for that position (or nobody), until the share is met. Not optimal; may miss ``fill_all``;
    its status is "feasible" when every constraint is met, else "constraints_not_met".
    """
    _check(problem)
    started = time.perf_counter()
    allowed, values = _allowed(problem), _values(problem)
    n, m = problem.shape
    ci, pj = np.nonzero(allowed)
    order = np.argsort(-values[ci, pj], kind="stable")
    used_c, used_p = np.zeros(n, dtype=bool), np.zeros(m, dtype=bool)
    pairs: list[tuple[int, int]] = []
    pool_count: dict = {}

    def fits(i):
        pool = problem.pools[i] if problem.pool_max else None
        return pool not in problem.pool_max or pool_count.get(pool, 0) < problem.pool_max[pool]

    def count(i, step):
        if problem.pool_max:
            pool_count[problem.pools[i]] = pool_count.get(problem.pools[i], 0) + step

    for k in order:
        i, j = int(ci[k]), int(pj[k])
        if not used_c[i] and not used_p[j] and fits(i):
            used_c[i] = used_p[j] = True
            pairs.append((i, j))
            count(i, 1)
            if len(pairs) == m:
                break
    if problem.min_women_share is not None and problem.women_mode == "hard":
        women = np.asarray(problem.women, dtype=bool)
        while _women_missing(problem, pairs):
            men = [(values[i, j], i, j) for i, j in pairs if not women[i]]
            if not men:
                break
            _, i, j = min(men)
            pairs.remove((i, j))
            used_c[i] = False  # the man is not taken again: he stays out of the free women anyway
            count(i, -1)
            free = allowed[:, j] & women & ~used_c
            free[i] = False
            for w in np.argsort(-np.where(free, values[:, j], -np.inf), kind="stable")[: int(free.sum())]:
                if fits(int(w)):
                    used_c[w] = True
                    pairs.append((int(w), j))
                    count(int(w), 1)
                    break
            else:
                used_p[j] = False
    result = _result(problem, "greedy", "greedy", pairs, None, "greedy baseline", started)
    return result if result.constraints_met else replace(result, status="constraints_not_met")


def constraint_costs(problem: AssignmentProblem, result: AssignmentResult | None = None,
                     **options) -> dict[str, float | None]:
    """What each constraint costs: the optimal objective without it minus the objective with all.

    None where the problem without that constraint is still infeasible or unsolved. ``options`` go
    to :func:`assign`.
    """
    result = result or assign(problem, explain=False, **options)
    costs: dict[str, float | None] = {}
    for key in problem.constraint_keys():
        other = assign(problem.without(key), explain=False, **options)
        if other.status in ("optimal", "feasible") and result.status in ("optimal", "feasible"):
            costs[key] = other.objective - result.objective
        else:
            costs[key] = None
    return costs
