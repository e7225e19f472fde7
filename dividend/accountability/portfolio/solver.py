"""Choose the open positions to go for: a 0/1 knapsack with side constraints, solved by HiGHS
through scipy's ``milp``.

One binary variable per position (``x_j = 1``: go for all of its posts). Maximise
``Σ value_j × posts_j × x_j`` (``value_j``: the position's relevance, 0–100, per post), subject to
the constraints of :class:`Constraints`, each with a key used in results and conflict reports:

- ``budget``: ``Σ cost_j x_j ≤ budget`` (``cost_j``: the cost of all its posts);
- ``max_total``: ``Σ posts_j x_j ≤ max_total`` (a ceiling, e.g. the national 2 % of the service);
- ``available_total``: ``Σ posts_j x_j ≤`` officers likely to be available in all;
- ``min_women``: ``Σ min(posts_j, women_j) x_j ≥ min_women``: the chosen positions must leave room
  to deploy that many women (``women_j``: women likely available for the position);
- ``min_org:<organisation>``: ``Σ_{j of org} posts_j x_j ≥`` the floor for that organisation.

A position with fewer officers likely available than posts cannot be filled: ``x_j`` is fixed to 0
(always, not a constraint one can relax).

Infeasible constraints are named by a deletion filter over the keyed constraints (:func:`diagnose`):
drop each constraint in turn and keep it out while the rest stay infeasible; what is left is an
irreducible conflicting set (removing any one of them makes the others feasible); set it aside and
search the rest again, so independent conflicts are all named. For each member
the engine also says how far the others let it go (the best value of its left-hand side under the
others), so the message can say "at most 3 women within the budget".
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

TOLERANCE = 1e-6
DEFAULT_TIME_LIMIT = 30.0
# Seconds of re-solves for the marginal values of one plan (about 0.12 s each at 500 positions:
# bench/portfolio.py); the positions left when it runs out are marked not computed.
MARGINAL_BUDGET = 15.0


@dataclass(frozen=True)
class Candidate:
    """A position one could go for."""

    key: str
    label: str
    value: float  # relevance per post, 0–100
    posts: int = 1
    cost: float = 0.0  # the cost of all its posts
    organisation: str = ""
    available: int = 0  # officers likely available for it
    women_available: int = 0

    @property
    def fillable(self) -> bool:
        return self.available >= self.posts

    @property
    def weight(self) -> float:
        return self.value * self.posts

    @property
    def women(self) -> int:
        return min(self.posts, self.women_available)


@dataclass(frozen=True)
class Constraints:
    budget: float | None = None
    max_total: int | None = None
    available_total: int | None = None
    min_women: int | None = None
    min_per_organisation: dict = field(default_factory=dict)  # {organisation: floor}

    def keys(self) -> list[str]:
        keys = [k for k in ("budget", "max_total", "available_total", "min_women") if getattr(self, k) is not None]
        return keys + [f"min_org:{org}" for org, floor in sorted(self.min_per_organisation.items()) if floor]


@dataclass(frozen=True)
class Plan:
    status: str  # "optimal", "feasible" (time limit: the best found), "infeasible", "error"
    chosen: tuple[str, ...]  # candidate keys, in input order
    objective: float | None
    bound: float | None  # the solver's proven upper bound on the objective
    gap: float | None  # (bound − objective) ÷ max(1, |objective|)
    seconds: float
    message: str = ""
    posts: int = 0
    cost: float = 0.0
    women: int = 0

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "feasible")


@dataclass(frozen=True)
class Conflict:
    """One constraint of an irreducible conflicting set, and how far the others let it go."""

    key: str
    limit: float  # the constraint's own bound
    best: float | None  # the best left-hand side the other constraints of the set allow (None: none)
    alone: bool  # relaxing this one alone (all the others kept) makes the problem feasible
    group: int = 1  # disjoint conflicting sets are numbered 1, 2, ...


@dataclass(frozen=True)
class Marginal:
    key: str
    value: float | None  # objective drop when the position is left out and the rest re-solved
    without: tuple[str, ...] = ()  # what the re-solve takes instead (added keys)
    needed: bool = False  # leaving it out makes the constraints infeasible
    computed: bool = True  # False: left for lack of time (``time_budget``)


@dataclass(frozen=True)
class Sensitivity:
    factor: float
    budget: float
    plan: Plan
    added: tuple[str, ...]
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    plan: Plan
    marginals: tuple[Marginal, ...] = ()
    sensitivity: tuple[Sensitivity, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


def _rows(candidates, constraints: Constraints, keys):
    """(key, coefficients, lower, upper) of each keyed constraint in `keys`."""
    posts = np.array([c.posts for c in candidates], dtype=float)
    rows = []
    for key in keys:
        if key == "budget":
            rows.append((key, np.array([c.cost for c in candidates], dtype=float), -np.inf, float(constraints.budget)))
        elif key == "max_total":
            rows.append((key, posts, -np.inf, float(constraints.max_total)))
        elif key == "available_total":
            rows.append((key, posts, -np.inf, float(constraints.available_total)))
        elif key == "min_women":
            rows.append((key, np.array([c.women for c in candidates], dtype=float), float(constraints.min_women), np.inf))
        elif key.startswith("min_org:"):
            org = key.split(":", 1)[1]
            rows.append((key, np.array([c.posts if c.organisation == org else 0 for c in candidates], dtype=float),
                         float(constraints.min_per_organisation[org]), np.inf))
        else:
            raise ValueError(f"unknown constraint {key}")
    return rows


def limit_of(constraints: Constraints, key: str) -> float:
    if key.startswith("min_org:"):
        return float(constraints.min_per_organisation[key.split(":", 1)[1]])
    return float(getattr(constraints, key))


def is_floor(key: str) -> bool:
    return key == "min_women" or key.startswith("min_org:")


def _solve(candidates, constraints, keys, objective, *, fixed_out=frozenset(), maximise=True,
           time_limit=DEFAULT_TIME_LIMIT, gap=0.0):
    """The raw milp answer for `objective` (maximised or minimised) under the keyed constraints."""
    n = len(candidates)
    upper = np.array([1.0 if c.fillable and c.key not in fixed_out else 0.0 for c in candidates])
    rows = _rows(candidates, constraints, keys)
    c = -objective if maximise else objective
    if n == 0:
        ok = all(lo <= TOLERANCE for _k, _a, lo, _hi in rows)  # every left-hand side is 0
        return ok, np.zeros(0), (0.0 if ok else None), "no position"
    kwargs = {}
    if rows:
        kwargs["constraints"] = LinearConstraint(np.vstack([a for _k, a, _lo, _hi in rows]),
                                                 np.array([lo for _k, _a, lo, _hi in rows]),
                                                 np.array([hi for _k, _a, _lo, hi in rows]))
    res = milp(c, integrality=np.ones(n), bounds=Bounds(np.zeros(n), upper),
               options={"time_limit": time_limit, "mip_rel_gap": gap, "disp": False}, **kwargs)
    if res.x is None:
        return False, None, None, res.message
    x = np.round(res.x)
    bound = getattr(res, "mip_dual_bound", None)
    bound = None if bound is None or not np.isfinite(bound) else (-bound if maximise else bound)
    return (res.status in (0, 1)), x, bound, res.message if res.status == 0 else f"{res.status}: {res.message}"


def solve(candidates, constraints: Constraints, *, fixed_out=frozenset(), time_limit=DEFAULT_TIME_LIMIT,
          gap: float = 0.0) -> Plan:
    """The best choice under every constraint (``fixed_out``: keys left out on purpose)."""
    candidates = list(candidates)
    _validate(candidates, constraints)
    started = time.perf_counter()
    weights = np.array([c.weight for c in candidates], dtype=float)
    n = len(candidates)
    upper = np.array([1.0 if c.fillable and c.key not in fixed_out else 0.0 for c in candidates])
    rows = _rows(candidates, constraints, constraints.keys())
    if n == 0:
        ok = all(lo <= TOLERANCE for _k, _a, lo, _hi in rows)
        return Plan("optimal" if ok else "infeasible", (), 0.0 if ok else None, 0.0 if ok else None,
                    0.0 if ok else None, time.perf_counter() - started, "no position")
    kwargs = {}
    if rows:
        kwargs["constraints"] = LinearConstraint(np.vstack([a for _k, a, _lo, _hi in rows]),
                                                 np.array([lo for _k, _a, lo, _hi in rows]),
                                                 np.array([hi for _k, _a, _lo, hi in rows]))
    res = milp(-weights, integrality=np.ones(n), bounds=Bounds(np.zeros(n), upper),
               options={"time_limit": time_limit, "mip_rel_gap": gap, "disp": False}, **kwargs)
    seconds = time.perf_counter() - started
    if res.status == 2:
        return Plan("infeasible", (), None, None, None, seconds, res.message)
    if res.x is None:
        return Plan("error", (), None, None, None, seconds, res.message)
    x = np.round(res.x).astype(bool)
    chosen = tuple(c.key for c, on in zip(candidates, x, strict=True) if on)
    objective = float(weights[x].sum())
    dual = getattr(res, "mip_dual_bound", None)
    bound = float(-dual) if dual is not None and np.isfinite(dual) else objective
    bound = max(bound, objective)
    status = "optimal" if res.status == 0 else "feasible"
    picked = [c for c, on in zip(candidates, x, strict=True) if on]
    return Plan(status, chosen, round(objective, 6), round(bound, 6),
                round((bound - objective) / max(1.0, abs(objective)), 9), seconds, res.message,
                posts=sum(c.posts for c in picked), cost=round(sum(c.cost for c in picked), 2),
                women=sum(c.women for c in picked))


def _feasible(candidates, constraints, keys) -> bool:
    ok, _x, _b, _m = _solve(candidates, constraints, keys, np.zeros(len(candidates)))
    return ok


def diagnose(candidates, constraints: Constraints) -> tuple[Conflict, ...]:
    """The keyed constraints that cannot hold together, as disjoint irreducible sets (``group``):
    a deletion filter finds one set (each constraint dropped in turn stays out while the rest remain
    infeasible: what is left conflicts, and removing any one of it resolves that conflict); its
    members are set aside and the rest searched again, until what remains is feasible. Empty: the
    constraints can all hold."""
    candidates = list(candidates)
    keys = constraints.keys()
    remaining = list(keys)
    result = []
    group = 0
    while not _feasible(candidates, constraints, remaining):
        conflict = list(remaining)
        for key in list(conflict):
            rest = [k for k in conflict if k != key]
            if not _feasible(candidates, constraints, rest):
                conflict = rest
        group += 1
        for key in conflict:
            others = [k for k in conflict if k != key]
            (_k, coefficients, _lo, _hi), = _rows(candidates, constraints, [key])
            ok, x, _b, _m = _solve(candidates, constraints, others, coefficients, maximise=is_floor(key))
            best = float(coefficients @ x) if ok and x is not None else None
            alone = _feasible(candidates, constraints, [k for k in keys if k != key])
            result.append(Conflict(key, limit_of(constraints, key), best, alone, group))
        remaining = [k for k in remaining if k not in conflict]
    return tuple(result)


def marginal_values(candidates, constraints: Constraints, base: Plan, *, time_limit=DEFAULT_TIME_LIMIT,
                    time_budget: float | None = None):
    """For each chosen position: the objective lost when it is left out and the rest re-solved
    (exact, one MILP per chosen position; not LP duals, which a 0/1 problem does not have). With a
    ``time_budget`` (seconds), the positions are taken lightest first and those left when it runs
    out are marked not computed (the first is always computed)."""
    started = time.perf_counter()
    weight = {c.key: c.weight for c in candidates}
    found = {}
    for key in sorted(base.chosen, key=lambda k: (weight[k], k)):
        if time_budget is not None and found and time.perf_counter() - started > time_budget:
            found[key] = Marginal(key, None, (), False, computed=False)
            continue
        other = solve(candidates, constraints, fixed_out={key}, time_limit=time_limit)
        if not other.solved:
            found[key] = Marginal(key, None, (), True)
        else:
            found[key] = Marginal(key, round(base.objective - other.objective, 6),
                                  tuple(k for k in other.chosen if k not in base.chosen))
    return tuple(found[key] for key in base.chosen)


def budget_sensitivity(candidates, constraints: Constraints, base: Plan, factors=(0.9, 1.1), *,
                       time_limit=DEFAULT_TIME_LIMIT) -> tuple[Sensitivity, ...]:
    """Re-solve with the budget moved by each factor: the new objective, and what is added or dropped."""
    if constraints.budget is None:
        return ()
    out = []
    for factor in factors:
        budget = round(constraints.budget * factor, 2)
        moved = solve(candidates, replace(constraints, budget=budget), time_limit=time_limit)
        out.append(Sensitivity(factor, budget, moved,
                               tuple(k for k in moved.chosen if k not in base.chosen),
                               tuple(k for k in base.chosen if k not in moved.chosen)))
    return tuple(out)


def plan(candidates, constraints: Constraints, *, time_limit=DEFAULT_TIME_LIMIT, marginals=True,
         marginal_budget: float | None = MARGINAL_BUDGET) -> Result:
    """The whole answer: the best plan, each choice's marginal value (within ``marginal_budget``
    seconds) and the budget ±10 %; or, when the constraints cannot all hold, the conflicting ones."""
    candidates = list(candidates)
    base = solve(candidates, constraints, time_limit=time_limit)
    if base.status == "infeasible":
        return Result(base, conflicts=diagnose(candidates, constraints))
    if not base.solved:
        return Result(base)
    return Result(base, marginal_values(candidates, constraints, base, time_limit=time_limit,
                                        time_budget=marginal_budget) if marginals else (),
                  budget_sensitivity(candidates, constraints, base, time_limit=time_limit))


def choose(candidates, constraints: Constraints) -> tuple[float | None, frozenset]:
    """Brute force over every subset (tests and tiny instances only): (best objective, one best set)."""
    candidates = list(candidates)
    best, best_set = None, frozenset()
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            if not all(c.fillable for c in subset):
                continue
            keys = {c.key for c in subset}
            x = np.array([1.0 if c.key in keys else 0.0 for c in candidates])
            if all(lo - TOLERANCE <= a @ x <= hi + TOLERANCE for _k, a, lo, hi in
                   _rows(candidates, constraints, constraints.keys())):
                value = sum(c.weight for c in subset)
                if best is None or value > best + TOLERANCE:
                    best, best_set = value, frozenset(keys)
    return best, best_set


def _validate(candidates, constraints: Constraints) -> None:
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("candidate keys must be unique")
    for c in candidates:
        for name in ("value", "cost"):
            number = getattr(c, name)
            if not math.isfinite(number) or number < 0:
                raise ValueError(f"{c.key}: {name} must be a finite number ≥ 0")
        if c.posts < 1 or c.available < 0 or c.women_available < 0:
            raise ValueError(f"{c.key}: posts ≥ 1, availability ≥ 0")
    for key in constraints.keys():
        limit = limit_of(constraints, key)
        if not math.isfinite(limit) or limit < 0:
            raise ValueError(f"{key} must be a finite number ≥ 0")
