"""Portfolio planning's pure engine: which open positions to go for (docs/accountability.md).

Imports nothing of Dividend, Django or ninja (tests/test_architecture.py): the app
(`accountability.portfolio_data`) feeds it plain values and stores what it returns.
"""

from .solver import (  # noqa: F401 - the engine's interface
    Candidate,
    Conflict,
    Constraints,
    Marginal,
    Plan,
    Result,
    Sensitivity,
    budget_sensitivity,
    choose,
    diagnose,
    marginal_values,
    plan,
    solve,
)
