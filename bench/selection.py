"""Benchmark of the selection engine: 5,000 candidates × 1,000 positions (issue 10, section 9).

Synthetic but realistic facts (the shipped UN, EU and OSCE rule sets, the default score weights,
about 20 % eligible pairs), then a table of:

- eligibility (all pairs, numpy) and scoring (all pairs) times;
- the unconstrained assignment through ``assign`` and scipy's ``linear_sum_assignment`` alone on the
  same matrix: both objectives (they must be equal), ``assign()`` ÷ solver-only, and end to end
  (facts to assignment: candidate columns shared by eligibility and scoring, then ``assign``)
  ÷ solver-only (target ≤ 1.5);
- a constrained instance (a maximum per pool + a minimum share of women, hard) solved by ``assign``
  (HiGHS MILP with column generation): status, proven gap (target: optimal or ≤ 0.1 %), time
  (target ≤ 30 s), and the greedy baseline's objective.

Run: .venv/bin/python bench/selection.py [--candidates 5000] [--positions 1000] [--repeat 3]
[--seed 42] [--women-share 0.4] [--costs] [--json FILE]. Times are medians over --repeat runs;
scipy alone, ``assign()`` and end to end run interleaved, one of each per round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dividend.selection.engine import (  # noqa: E402
    AssignmentProblem,
    Candidate,
    CandidateColumns,
    MissionRecord,
    Position,
    Qualification,
    assign,
    constraint_costs,
    default_weights,
    eligibility_by_organisation,
    greedy_assign,
    restricted_questions,
    score_matrix,
    shipped_rule_set,
)

SKILLS = ["criminal_investigation", "border_management", "community_policing", "mentoring_advising", "training",
          "public_order", "forensics", "organised_crime", "cybercrime", "intelligence_analysis",
          "gender_advising", "human_rights", "strategic_planning", "project_management"]
THEMES = ["border_management", "rule_of_law", "police_reform", "community_policing", "organised_crime", "drugs",
          "trafficking_in_human_beings", "cybercrime", "security_sector_reform", "civilian_oversight"]
HOSTS = {  # mission host countries with their UN M49 sub-region
    "MLI": "Western Africa", "CAF": "Middle Africa", "COD": "Middle Africa", "SSD": "Eastern Africa",
    "SOM": "Eastern Africa", "LBY": "Northern Africa", "HTI": "Caribbean", "CYP": "Western Asia",
    "UKR": "Eastern Europe", "MDA": "Eastern Europe", "GEO": "Western Asia", "ARM": "Western Asia",
    "XKX": "Southern Europe", "BIH": "Southern Europe", "IRQ": "Western Asia", "PSE": "Western Asia",
    "NER": "Western Africa", "MOZ": "Eastern Africa", "SRB": "Southern Europe", "MKD": "Southern Europe"}
ORGANISATIONS = {"un": 0.6, "eu": 0.25, "osce": 0.15}
DEPLOY = date(2027, 3, 1)


def synthetic(n_candidates: int, n_positions: int, seed: int):
    rng = np.random.default_rng(seed)
    hosts = list(HOSTS)
    deployments = [DEPLOY + timedelta(days=30 * k) for k in range(4)]
    positions = []
    for j in range(n_positions):
        organisation = rng.choice(list(ORGANISATIONS), p=list(ORGANISATIONS.values()))
        countries = frozenset({hosts[rng.integers(len(hosts))]})
        skills = {SKILLS[k]: int(rng.integers(1, 3)) for k in rng.choice(len(SKILLS), 1 if rng.random() < 0.7 else 2, False)}
        languages = {"en": int(rng.integers(3, 5))} if rng.random() < 0.6 else {}
        positions.append(Position(
            j, deployments[rng.integers(len(deployments))], str(organisation), armed=bool(rng.random() < 0.2),
            duration_months=int(rng.choice([6, 12, 12, 24])), skills=skills, languages=languages,
            qualifications=frozenset({"heat"}) if rng.random() < 0.2 else frozenset(),
            countries=countries, regions=frozenset(HOSTS[c] for c in countries),
            themes=frozenset(rng.choice(THEMES, rng.integers(1, 4), replace=False).tolist())))
    questions = sorted(restricted_questions(shipped_rule_set("un_police"), positions)
                       | restricted_questions(shipped_rule_set("eu_csdp"), positions)
                       | restricted_questions(shipped_rule_set("osce"), positions))
    candidates = []
    for i in range(n_candidates):
        def expiry(p_held, low, high):
            if rng.random() >= p_held:
                return None
            return Qualification(DEPLOY + timedelta(days=int(rng.integers(low, high))))
        quals = {
            "un_saat": expiry(0.8, -60, 700), "passport": expiry(0.97, 0, 3650),
            "pre_deployment_course": Qualification() if rng.random() < 0.75 else None,
            "heat": expiry(0.8, -100, 1000), "firearms": expiry(0.7, -100, 365),
            "driving_licence": Qualification() if rng.random() < 0.95 else None}
        medical_ok, clearance_ok = rng.random() < 0.92, rng.random() < 0.75
        restricted = {q: (medical_ok if q[0] == "medical_fitness" else clearance_ok) for q in questions}
        skills = {SKILLS[k]: int(rng.integers(1, 5)) for k in rng.choice(len(SKILLS), rng.integers(8, 15), False)}
        history = tuple(MissionRecord(frozenset({hosts[rng.integers(len(hosts))]}),
                                      frozenset(rng.choice(THEMES, 2, replace=False).tolist()), "un", 12)
                        for _ in range(int(rng.choice([0, 0, 1, 1, 2, 3]))))
        candidates.append(Candidate(
            i, date_of_birth=DEPLOY - timedelta(days=int(rng.integers(24 * 365, 63 * 365))),
            service_start=DEPLOY - timedelta(days=int(rng.integers(2 * 365, 35 * 365))),
            gender="female" if rng.random() < 0.25 else "male", pool=f"pool{int(rng.integers(12)):02d}",
            skills=skills, languages={"en": int(rng.integers(4, 7)), "fr": int(rng.integers(1, 6))},
            qualifications={k: v for k, v in quals.items() if v is not None},
            certificates=frozenset({"human_rights_screening"}) if rng.random() < 0.9 else frozenset(),
            restricted=restricted, misconduct=bool(rng.random() < 0.01),
            country_expertise=frozenset({hosts[rng.integers(len(hosts))]}) if rng.random() < 0.3 else frozenset(),
            thematic_expertise=frozenset(rng.choice(THEMES, rng.integers(0, 3), replace=False).tolist()),
            missions=history))
    return candidates, positions


def timed(function, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def interleaved(functions, repeat: int):
    """Each function run once per round, ``repeat`` rounds: per function its median time and last
    value, and per round the last function's time ÷ the first's."""
    times = [[] for _ in functions]
    values = [None] * len(functions)
    for _ in range(repeat):
        for k, function in enumerate(functions):
            started = time.perf_counter()
            values[k] = function()
            times[k].append(time.perf_counter() - started)
    ratios = [last / first for first, last in zip(times[0], times[-1], strict=True)]
    return [(statistics.median(t), v) for t, v in zip(times, values, strict=True)] + [ratios]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--positions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--women-share", type=float, default=0.4)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--costs", action="store_true", help="also solve without each constraint (slower)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    candidates, positions = synthetic(args.candidates, args.positions, args.seed)
    print(f"generated {len(candidates)} candidates × {len(positions)} positions in "
          f"{time.perf_counter() - started:.1f} s (seed {args.seed}); medians of {args.repeat} runs")
    rule_sets = {name: shipped_rule_set(file) for name, file in (("un", "un_police"), ("eu", "eu_csdp"),
                                                                  ("osce", "osce"))}
    weights, regions_of = default_weights(), HOSTS
    rows = []

    t_elig, eligible = timed(lambda: eligibility_by_organisation(rule_sets, candidates, positions), args.repeat)
    rows.append(("eligibility (all pairs)", t_elig, f"{eligible.mean():.1%} of pairs eligible"))
    t_score, scores = timed(lambda: score_matrix(candidates, positions, weights, regions_of), args.repeat)
    rows.append(("scoring (all pairs)", t_score, f"mean score {scores[eligible].mean():.1f} of eligible pairs"))

    # The matrix a caller of scipy would pass: C-ordered (the engine's matrices are Fortran-ordered,
    # positions × candidates in memory; scipy is slower on that order with maximize=True: 79 ms
    # against 66 ms on a random 5,000 × 1,000, so the C order is scipy's better case).
    masked = np.ascontiguousarray(np.where(eligible, scores, 0.0))

    def bare():
        r, c = linear_sum_assignment(masked, maximize=True)
        return float(masked[r, c].sum())
    problem = AssignmentProblem(scores, eligible)

    def pipeline():  # facts -> columns (shared) -> eligibility -> scores -> assignment
        columns = CandidateColumns(candidates)
        eligible_ = eligibility_by_organisation(rule_sets, columns, positions)
        scores_ = score_matrix(columns, positions, weights, regions_of)
        return assign(AssignmentProblem(scores_, eligible_))
    # What is compared is run interleaved, round by round (the machine is shared and noisy).
    (t_solver, scipy_objective), (t_assign, result), (end_to_end, piped), ratios = interleaved(
        (bare, lambda: assign(problem), pipeline), args.repeat)
    equal = abs(result.objective - scipy_objective) <= 1e-6 * max(1.0, abs(scipy_objective))
    rows.append(("scipy linear_sum_assignment alone", t_solver, f"objective {scipy_objective:.3f}"))
    rows.append(("assign() unconstrained", t_assign,
                 f"objective {result.objective:.3f} ({'equal' if equal else 'DIFFERENT'}), "
                 f"{len(result.pairs)} filled; assign() ÷ solver-only = {t_assign / t_solver:.2f}"))

    rows.append(("end to end (facts to assignment)", end_to_end,
                 f"÷ solver-only = {end_to_end / t_solver:.2f} (target ≤ 1.5; per round "
                 f"{min(ratios):.2f}–{max(ratios):.2f}); objective {piped.objective:.3f}"))

    pools = [c.pool for c in candidates]
    pool_max = {f"pool{k:02d}": int(0.07 * len(positions)) for k in range(0, 12, 2)}
    women = np.array([c.gender == "female" for c in candidates])
    constrained = AssignmentProblem(scores, eligible, pools=pools, pool_max=pool_max, women=women,
                                    min_women_share=args.women_share)
    t_milp, solved = timed(lambda: assign(constrained, time_limit=args.time_limit), args.repeat)
    checks = "all met" if solved.constraints_met else "NOT all met"
    women_check = next(c for c in solved.checks if c.key == "women_min_share").detail
    rows.append((f"constrained: {len(pool_max)} pool maxima of {int(0.07 * len(positions))} + ≥{args.women_share:.0%} "
                 "women (hard)", t_milp,
                 f"{solved.status}, gap {solved.gap:.2e} (target ≤ 1e-3), objective {solved.objective:.3f}, "
                 f"constraints {checks} (women {women_check['women']}/{women_check['assigned']}), "
                 f"target ≤ 30 s"))
    t_greedy, greedy = timed(lambda: greedy_assign(constrained), args.repeat)
    rows.append(("greedy baseline, same constraints", t_greedy,
                 f"{greedy.status}, objective {greedy.objective:.3f} "
                 f"({greedy.objective / solved.objective:.2%} of the optimum)"))
    costs = {}
    if args.costs:
        started = time.perf_counter()
        costs = constraint_costs(constrained, solved, time_limit=args.time_limit)
        rows.append(("cost of each constraint (re-solved without it)", time.perf_counter() - started,
                     "; ".join(f"{k} {v:.3f}" for k, v in costs.items())))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'step':<{width}}  {'seconds':>8}  result")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.3f}  {note}")
    print(f"\nconstrained solve: {solved.message}")
    if args.json:
        args.json.write_text(json.dumps({"rows": [list(r) for r in rows], "costs": costs}, indent=2))
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
