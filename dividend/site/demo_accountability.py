"""Demo data of accountability (docs/accountability.md): the scorecard's model set by the demo
policy officer (version 1: reintegration and skills used weigh more than the defaults), and one
portfolio plan over the demo's open calls. The scorecards themselves are derived from the other
apps' demo records. Quick and deterministic: no random draw, one solve per chosen position."""

from django.contrib.auth import get_user_model

from dividend.accountability import portfolio_data, services
from dividend.accountability.scorecard import DEFAULT_WEIGHTS

WEIGHTS = DEFAULT_WEIGHTS | {"skills_used": 15, "reintegration": 20}
COST_PER_PERSON_MONTH = 11_000.0
MONTHS = 12


def make_accountability(generator) -> dict[str, int]:
    policy = get_user_model().objects.get(username="policy")
    services.set_scorecard_model(actor=policy, weights=WEIGHTS,
                                 reason="Reintegration and skills used on return are what the ministry reports on.")
    parameters = {"label": "Demo: half of what the open calls would cost", "budget": 0.0,
                  "cost_per_person_month": COST_PER_PERSON_MONTH, "months_per_post": MONTHS, "max_total": None,
                  "min_women": None, "min_per_organisation": {}}
    _candidates, stored, _available = portfolio_data.candidates(parameters)
    if not stored:
        return {"portfolio runs": 0}
    parameters["budget"] = round(sum(c["cost"] for c in stored) / 2, 2)
    services.run_portfolio(actor=policy, parameters=parameters, marginal_budget=None)
    return {"portfolio runs": 1}
