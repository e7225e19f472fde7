"""Accountability's workflows: a new version of the scorecard's model, and a portfolio planning run.

Keyword-only, the actor first; each checks permission, validates, writes in one transaction and
audits (dividend.audit.services.record).
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record

from . import portfolio, portfolio_data
from . import scorecard_access as access
from .models import PortfolioRun, ScorecardModel
from .scorecard import WeightsError, model_in_force, validate_weights


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def set_scorecard_model(*, actor, weights: dict, reason: str) -> ScorecardModel | None:
    """Set a new version of the scorecard's weights.

    Steps: 1. check the actor is a national policy officer or administrator; 2. validate the weights
    (every part, 0–1000, one above 0) and the reason; 3. nothing changed → nothing written (the row in
    force is returned, None while the defaults are in force); 4. one transaction: the next version (earlier ones stay); 5. audit old → new
    weights with the reason. The scorecards are derived on every read: nothing to refresh.
    """
    if not access.can_edit_scorecard_model(actor):
        raise PermissionDenied(_("Only a national policy officer or administrator sets the scorecard's weights."))
    try:
        clean = validate_weights(weights)
    except WeightsError as error:
        raise ValidationError(dict(error.problems)) from None
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for these weights.")})
    with transaction.atomic():
        old, row = model_in_force()
        if old == clean:
            return row
        version = (row.version if row else 0) + 1
        new = ScorecardModel.objects.create(version=version, weights=clean, reason=reason[:2000],
                                            set_by=_user(actor), set_at=timezone.now())
        record(actor=actor, action="create", obj=new, changes={"weights": (old, clean)},
               detail={"reason": reason, "version": version})
    return new


class PortfolioInfeasible(ValidationError):
    """The constraints cannot all hold: ``conflicts`` names them (engine Conflict rows) and
    ``messages_`` says each in words. Nothing is saved."""

    def __init__(self, conflicts, texts):
        super().__init__(texts)
        self.conflicts = conflicts
        self.texts = texts


def constraint_label(key: str, limit: float) -> str:
    if key == "budget":
        return _("Budget at most %(limit)s") % {"limit": f"{limit:,.2f}"}
    if key == "max_total":
        return _("At most %(limit)s posts in all") % {"limit": int(limit)}
    if key == "available_total":
        return _("At most %(limit)s posts: the officers likely available") % {"limit": int(limit)}
    if key == "min_women":
        return _("At least %(limit)s women deployable") % {"limit": int(limit)}
    org = key.split(":", 1)[1]
    names = {"un": "UN", "eu_csdp": "EU CSDP", "osce": "OSCE"}
    return _("At least %(limit)s posts in %(org)s missions") % {"limit": int(limit), "org": names.get(org, org)}


def conflict_text(conflict) -> str:
    label = constraint_label(conflict.key, conflict.limit)
    if conflict.best is None:
        return _("%(label)s: cannot hold with the others.") % {"label": label}
    best = f"{conflict.best:,.2f}" if conflict.key == "budget" else f"{conflict.best:.0f}"
    if portfolio.solver.is_floor(conflict.key):
        text = _("%(label)s: the other conflicting constraints allow at most %(best)s.")
    else:
        text = _("%(label)s: the other conflicting constraints need at least %(best)s.")
    return text % {"label": label, "best": best}


def result_json(result, stored_candidates) -> dict:
    plan = result.plan
    by_key = {c["key"]: c for c in stored_candidates}
    return {
        "plan": asdict(plan) | {"chosen": list(plan.chosen)},
        "marginals": [asdict(m) | {"without": list(m.without)} for m in result.marginals],
        "marginal_method": "re-solved without the position (one MILP each)",
        "sensitivity": [{"factor": s.factor, "budget": s.budget, "status": s.plan.status,
                         "objective": s.plan.objective, "posts": s.plan.posts, "cost": s.plan.cost,
                         "added": list(s.added), "dropped": list(s.dropped)} for s in result.sensitivity],
        "candidates": stored_candidates,
        "chosen_rows": [by_key[k] for k in plan.chosen],
    }


def run_portfolio(*, actor, parameters: dict, marginal_budget: float | None = portfolio.solver.MARGINAL_BUDGET
                  ) -> PortfolioRun:
    """Plan a portfolio of positions to go for and store the run.

    Steps: 1. check the actor is a national policy officer or administrator; 2. the parameters come
    validated from `forms.PortfolioForm`; 3. read the candidates (open calls' open positions, their
    relevance, cost and availability: `portfolio_data`); 4. solve (HiGHS): infeasible → raise
    PortfolioInfeasible naming the conflicting constraints, nothing saved; 5. marginal values and the
    budget ±10 % (marginal re-solves within `marginal_budget` seconds; None: all); 6. one transaction: the PortfolioRun with parameters and result; 7. audit.
    """
    if not access.can_run_portfolio(actor):
        raise PermissionDenied(_("Only a national policy officer or administrator plans a portfolio."))
    candidates, stored, available_total = portfolio_data.candidates(parameters)
    constraints = portfolio_data.constraints(parameters, available_total)
    result = portfolio.plan(candidates, constraints, marginal_budget=marginal_budget)
    if result.plan.status == "infeasible":
        texts = [conflict_text(c) for c in result.conflicts]
        alone = [constraint_label(c.key, c.limit) for c in result.conflicts if c.alone]
        if alone:
            texts.append(_("Relaxing any one of these makes a plan possible: %(list)s.") % {"list": "; ".join(alone)})
        raise PortfolioInfeasible(result.conflicts, texts)
    if not result.plan.solved:
        raise ValidationError(_("The solver found no plan: %(message)s") % {"message": result.plan.message})
    params = dict(parameters) | {"available_total": available_total}
    with transaction.atomic():
        run = PortfolioRun.objects.create(label=parameters.get("label") or "", created_by=_user(actor),
                                          created_at=timezone.now(), parameters=params, status=result.plan.status,
                                          objective=result.plan.objective, result=result_json(result, stored))
        record(actor=actor, action="create", obj=run,
               detail={"objective": result.plan.objective, "chosen": len(result.plan.chosen),
                       "candidates": len(candidates)})
    return run
