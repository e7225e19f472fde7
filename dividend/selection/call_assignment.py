"""The optimal assignment of a whole call: the app builds an `engine.AssignmentProblem` from the call's
nominees and posts, solves it beside the greedy baseline, prices each constraint, and turns the
result into plain data that an `AssignmentRun` stores and the pages, API and report show.

- Candidates: the officers with a nomination in the call that can take an outcome (released,
  approved without release, reserve) or has one (selected), in pseudonym order.
- Columns: the call's posts (a position with 3 posts is 3 columns).
- A pair is allowed when the officer is nominated to that position and eligible for it (the
  position's ranking, `candidates.call_matrices`); its score is the ranking's score (0–100) or the
  panel's mean score (a nominee nobody scored: 0), as chosen.
- Constraints (each optional): a maximum of officers per pool, a minimum share of women (hard, or
  soft with a penalty per missing woman), the officers' stated preferences (the positions they
  expressed interest in: "only" those, or a bonus on them), every post filled.
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from . import engine
from .candidates import call_matrices
from .models import Nomination, PanelScore
from .panel import pseudonyms

ASSIGNABLE = (Nomination.Status.RELEASED, Nomination.Status.APPROVED, Nomination.Status.RESERVE,
              Nomination.Status.SELECTED)
SCORE_SOURCES = ("ranking", "panel")


@dataclass
class CallProblem:
    problem: engine.AssignmentProblem
    officers: list  # row i: the Officer
    codes: list[str]  # row i: pseudonym
    columns: list[tuple]  # column j: (CallPosition, post number from 1)
    nomination_of: dict  # (i, call position id) -> Nomination


def ranking_facts(call, nominations, *, viewer) -> dict[int, tuple[bool, float]]:
    """nomination id -> (eligible, score) from the positions' rankings (candidates.call_matrices)."""
    matrices = call_matrices(call, viewer=viewer)
    # Rows: one per officer nominated to the call (the nominees the viewer sees); columns: positions.
    column = {cp.pk: j for j, cp in enumerate(matrices.call_positions)}
    row = {n.officer_id: i for i, n in enumerate(matrices.nominations)}
    out = {}
    for n in nominations:
        i, j = row.get(n.officer_id), column.get(n.call_position_id)
        out[n.pk] = (False, 0.0) if i is None or j is None else (bool(matrices.eligible[i, j]),
                                                                  float(matrices.scores[i, j]))
    return out


def panel_means(nominations) -> dict[int, float]:
    """nomination id -> the panel's mean score (nominees somebody scored)."""
    scores: dict[int, list[int]] = {}
    for s in PanelScore.objects.filter(nomination__in=[n.pk for n in nominations]).values("nomination_id", "score"):
        scores.setdefault(s["nomination_id"], []).append(s["score"])
    return {pk: sum(v) / len(v) for pk, v in scores.items()}


def _scores(call, nominations, *, viewer, source):
    """nomination id -> (eligible, score): the ranking's, or the panel's mean score when asked."""
    out = ranking_facts(call, nominations, viewer=viewer)
    if source == "panel":
        means = panel_means(nominations)
        out = {pk: (ok, means.get(pk, 0.0)) for pk, (ok, _score) in out.items()}
    return out


def build_problem(call, parameters: dict, *, viewer) -> CallProblem:
    """The call as an assignment problem under the given (validated) parameters."""
    nominations = list(Nomination.objects.filter(call_position__call=call, status__in=ASSIGNABLE)
                       .select_related("officer__pool", "call_position").order_by("id"))
    names = pseudonyms(call)
    officers = sorted({n.officer_id: n.officer for n in nominations}.values(),
                      key=lambda o: int(names[o.pk].split("-")[1]))
    index = {o.pk: i for i, o in enumerate(officers)}
    positions = list(call.positions.with_related().order_by("id"))
    columns = [(cp, k) for cp in positions for k in range(1, cp.posts + 1)]
    facts = _scores(call, nominations, viewer=viewer, source=parameters.get("score_source", "ranking"))
    n, m = len(officers), len(columns)
    eligible = np.zeros((n, m), dtype=bool)
    scores = np.zeros((n, m))
    nomination_of = {}
    interest: dict[int, set[int]] = {}
    for nomination in nominations:
        i = index[nomination.officer_id]
        nomination_of[(i, nomination.call_position_id)] = nomination
        ok, score = facts[nomination.pk]
        for j, (cp, _post) in enumerate(columns):
            if cp.pk == nomination.call_position_id:
                eligible[i, j] = ok
                scores[i, j] = max(0.0, score)
                if nomination.origin == Nomination.Origin.INTEREST:
                    interest.setdefault(i, set()).add(j)
    kwargs = {"fill_all": bool(parameters.get("fill_all"))}
    pool_max = {code: int(v) for code, v in (parameters.get("pool_max") or {}).items() if v is not None}
    if pool_max:
        kwargs |= {"pools": [o.pool.code for o in officers], "pool_max": pool_max}
    share = parameters.get("min_women_share")
    if share is not None:
        kwargs |= {"women": np.array([o.gender == "female" for o in officers], dtype=bool),
                   "min_women_share": float(share), "women_mode": parameters.get("women_mode", "hard"),
                   "women_penalty": float(parameters.get("women_penalty") or 0)}
    mode = parameters.get("preferences") or "none"
    if mode != "none" and interest:
        kwargs |= {"preferences": interest, "preference_mode": mode,
                   "preference_bonus": float(parameters.get("preference_bonus") or 0)}
    problem = engine.AssignmentProblem(scores, eligible, **kwargs)
    return CallProblem(problem, officers, [names[o.pk] for o in officers], columns, nomination_of)


def _pairs(cp_problem: CallProblem, result) -> list[dict]:
    out = []
    for i, j in result.pairs:
        cp, post = cp_problem.columns[j]
        nomination = cp_problem.nomination_of[(i, cp.pk)]
        out.append({"nomination": nomination.pk, "candidate": cp_problem.codes[i], "officer_id": nomination.officer_id,
                    "call_position": cp.pk, "post": post, "score": round(float(cp_problem.problem.scores[i, j]), 4)})
    return out


def result_data(cp_problem: CallProblem, result) -> dict:
    """An engine result as plain data (what an AssignmentRun stores)."""
    columns = cp_problem.columns
    infeasibility = []
    for reason in result.infeasibility:
        params = dict(reason.params)
        if "positions" in params and isinstance(params["positions"], list):
            params["positions"] = [f"{columns[j][0].position.title} ({columns[j][1]})" for j in params["positions"]]
        infeasibility.append({"code": reason.code, "params": params})
    return {"status": result.status, "method": result.method, "pairs": _pairs(cp_problem, result),
            "total_score": round(result.total_score, 4), "objective": round(result.objective, 4),
            "bound": None if result.bound is None else round(result.bound, 4),
            "gap": None if result.gap is None else round(result.gap, 6),
            "checks": [{"key": c.key, "met": bool(c.met), "detail": _plain(c.detail)} for c in result.checks],
            "constraints_met": bool(result.constraints_met), "infeasible_keys": list(result.infeasible_keys),
            "infeasibility": infeasibility, "seconds": round(result.seconds, 4)}


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return round(float(value), 6)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def solve(call, parameters: dict, *, viewer) -> tuple[str, float | None, dict]:
    """Solve the call: (status, total score, result data with the optimum, the greedy baseline and
    each constraint's cost)."""
    cp_problem = build_problem(call, parameters, viewer=viewer)
    problem = cp_problem.problem
    optimal = engine.assign(problem)
    greedy = engine.greedy_assign(problem)
    costs = engine.constraint_costs(problem, optimal) if optimal.status in ("optimal", "feasible") else {}
    data = {"optimal": result_data(cp_problem, optimal), "greedy": result_data(cp_problem, greedy),
            "costs": {k: None if v is None else round(v, 4) for k, v in costs.items()},
            "candidates": len(cp_problem.officers), "posts": len(cp_problem.columns),
            "eligible_pairs": int(problem.eligible.sum())}
    solved = optimal.status in ("optimal", "feasible")
    return optimal.status, (round(optimal.total_score, 4) if solved else None), data


# --- Words for the pages, the API's readers and the report ----------------------------------------

def constraint_label(key: str) -> str:
    kind, _sep, pool = key.partition(":")
    labels = {"eligibility": _("only eligible candidates"),
              "one_each": _("at most one post per officer and one officer per post"),
              "fill_all": _("every post filled"),
              "women_min_share": _("a minimum share of women"),
              "preferences": _("the officers' stated preferences")}
    if kind == "pool_max":
        return _("a maximum for pool %(pool)s") % {"pool": pool}
    return labels.get(kind, key)


def status_text(status: str) -> str:
    """A run side's status in words (the engine's statuses, problem.AssignmentResult)."""
    texts = {"optimal": _("optimal"), "feasible": _("feasible (not proven optimal)"),
             "infeasible": _("infeasible"), "no_solution": _("no solution within the time limit")}
    return texts.get(status, status)


def reason_text(reason: dict) -> str:
    params = reason["params"]
    if reason["code"] == "infeasible_constraints":
        return _("These constraints cannot all be met together: %(constraints)s (dropping any one of them makes "
                 "the call solvable).") % {"constraints": "; ".join(constraint_label(k) for k in params["constraints"])}
    if reason["code"] == "positions_without_candidates":
        return _("No eligible candidate for: %(positions)s.") % {"positions": ", ".join(params["positions"])}
    if reason["code"] == "positions_fillable":
        return _("At most %(fillable)s of %(positions)s posts can be filled with eligible candidates.") % params
    return reason["code"]


def check_text(check: dict) -> str:
    d = check["detail"]
    key = check["key"].partition(":")[0]
    if key == "pool_max":
        return _("%(assigned)s assigned, at most %(max)s") % d
    if key == "women_min_share":
        return _("%(women)s women of %(assigned)s assigned, %(missing)s missing") % d
    if key == "fill_all":
        return _("%(filled)s of %(positions)s posts filled") % d
    if key == "preferences":
        return _("%(preferred)s assigned to a preferred position, %(outside)s outside") % d
    if key == "eligibility":
        return _("%(ineligible_pairs)s ineligible pairs") % d
    return _("%(pairs)s pairs") % d if "pairs" in d else ""
