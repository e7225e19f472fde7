"""Portfolio planning's solver on many open positions: time and optimality gap (bench/README.md).

The pure engine (`dividend.accountability.portfolio`), no database: random but seeded instances of
`--positions` open positions (default 500) with a realistic spread — relevance 0–100 (a few
strategic posts high, most middling), 1 post (80 %), 2 (15 %) or 3 (5 %), 6 or 12 months at
7,000–14,000 a person-month, organisations UN / EU CSDP / OSCE (45/40/15 %), 0–12 officers likely
available of whom about 30 % women — under a budget of a third of the cost of everything, a ceiling
of posts, women deployable ≥ 25 % of that ceiling and a floor per organisation.

For each instance (`--instances`, seeds `--seed`, `--seed`+1, ...) the script times, each
`--repeat` times (median):

- **solve**: the one MILP (HiGHS through scipy `milp`, relative gap 0: proven optimal);
- **plan**: what the page runs — the solve, each chosen position's marginal value (one re-solve per
  chosen position) and the budget ±10 % (two re-solves);
- **diagnose**: the same instance with women deployable raised past what the budget allows, the
  conflicting constraints named (the deletion filter);

and prints objective, bound, optimality gap and the number chosen.

    .venv/bin/python bench/portfolio.py [--positions 500] [--instances 3] [--repeat 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dividend.accountability.portfolio import Candidate, Constraints, diagnose, plan, solve  # noqa: E402


def instance(n: int, seed: int) -> tuple[list[Candidate], Constraints]:
    rng = random.Random(seed)
    candidates = []
    for i in range(n):
        value = round(min(100.0, max(0.0, rng.gauss(45, 18) if rng.random() > 0.1 else rng.uniform(75, 100))), 2)
        posts = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        months = rng.choice((6, 12))
        cost = round(posts * months * rng.uniform(7000, 14000), 2)
        organisation = rng.choices(("un", "eu_csdp", "osce"), weights=(45, 40, 15))[0]
        available = rng.randint(0, 12)
        women = sum(1 for _ in range(available) if rng.random() < 0.3)
        candidates.append(Candidate(f"p{i}", f"position {i}", value, posts, cost, organisation, available, women))
    budget = round(sum(c.cost for c in candidates) / 3, 2)
    ceiling = int(0.3 * sum(c.posts for c in candidates))
    constraints = Constraints(budget=budget, max_total=ceiling, available_total=int(0.35 * n * 2),
                              min_women=ceiling // 4,
                              min_per_organisation={"un": ceiling // 5, "eu_csdp": ceiling // 5, "osce": ceiling // 20})
    return candidates, constraints


def timed(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--positions", type=int, default=500)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    header = (f"{'seed':>4} {'positions':>9} {'chosen':>6} {'objective':>11} {'bound':>11} {'gap':>9} "
              f"{'solve ms':>9} {'plan ms':>9} {'diagnose ms':>11}  conflict")
    print(header)
    print("-" * len(header))
    for seed in range(args.seed, args.seed + args.instances):
        candidates, constraints = instance(args.positions, seed)
        solve_s, base = timed(lambda c=candidates, k=constraints: solve(c, k), args.repeat)
        plan_s, _result = timed(lambda c=candidates, k=constraints: plan(c, k), max(1, args.repeat // 2))
        women_max = sum(c.women for c in candidates if c.fillable)
        tight = replace(constraints, min_women=women_max, budget=constraints.budget / 4)
        diagnose_s, conflicts = timed(lambda c=candidates, k=tight: diagnose(c, k), max(1, args.repeat // 2))
        print(f"{seed:>4} {len(candidates):>9} {len(base.chosen):>6} {base.objective:>11.2f} {base.bound:>11.2f} "
              f"{base.gap:>9.2e} {1000 * solve_s:>9.1f} {1000 * plan_s:>9.1f} {1000 * diagnose_s:>11.1f}  "
              + ", ".join(c.key for c in conflicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
