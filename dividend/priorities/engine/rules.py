"""Formulas at work in a computation: value-dependent missing data (``missing_when``, ``fill``) of
indicators and nodes, ratios to another column, and the checked evaluation of formulas at a node."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .datasets import IndicatorLibrary
from .errors import ComputeError, Problem, Text, gettext_noop
from .model import Indicator
from .scaling import few_codes

if TYPE_CHECKING:  # compute.py imports this module
    from .compute import Plan, Step


def apply_indicator_rules(indicators: list[Indicator], raw: np.ndarray, years: np.ndarray, countries: list[str],
                           problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """``missing_when`` (on the values as looked up), then ``fill`` (on the values after every missing rule)."""
    ruled = [(j, ind) for j, ind in enumerate(indicators) if ind.rule is not None]
    if not ruled:
        return raw, years
    looked_up = {ind.id: raw[:, j] for j, ind in enumerate(indicators)}
    raw, years = raw.copy(), years.copy()
    for j, ind in ruled:
        if ind.rule.when is not None:
            hit = _rule_value(ind.rule.when, looked_up, ind, countries, problems)
            if hit is not None:
                drop = np.broadcast_to(hit, raw[:, j].shape) & ~np.isnan(raw[:, j])
                raw[drop, j] = np.nan
                years[drop, j] = 0
    after = {ind.id: raw[:, j].copy() for j, ind in enumerate(indicators)}
    for j, ind in ruled:
        if ind.rule.fill is not None:
            fill = _rule_value(ind.rule.fill, after, ind, countries, problems)
            if fill is not None:
                raw[:, j] = np.where(np.isnan(raw[:, j]), fill, raw[:, j])
    return raw, years


def _rule_value(formula, values: dict, item, countries: list[str], problems: list[Problem]):
    value, bad = formula.evaluate_checked(values)
    if bad is not None and bad.any():
        codes = [countries[i] for i in np.nonzero(np.atleast_1d(bad).reshape(-1, len(countries)).any(axis=0))[0]]
        problems.append(Problem(item.path, item.line, Text(gettext_noop(
            "%(formula)s gives no finite value (division by 0, ln of 0?) for %(countries)s"),
            formula=repr(formula.text), countries=few_codes(codes))))
        return None
    return value


def ratio(ind: Indicator, x: np.ndarray, years: np.ndarray, library: IndicatorLibrary, home: str | None,
          countries: list[str], year_rule: tuple[int | None, bool], problems: list[Problem]) -> np.ndarray:
    """x divided by the ``per`` column in the same year as each country's value (filled values: the
    indicator's own year rule)."""
    table = library.table(ind.per.dataset, ind.per.column, home)
    den = np.full(len(countries), np.nan)
    for year in np.unique(years[years > 0]):
        at = years == year
        den[at] = table.lookup([c for c, a in zip(countries, at, strict=True) if a], int(year), False)[0]
    no_year = (years == 0) & ~np.isnan(x)
    if no_year.any():
        den[no_year] = table.lookup([c for c, a in zip(countries, no_year, strict=True) if a],
                                    *year_rule)[0]
    zero = (den == 0) & ~np.isnan(x)
    if zero.any():
        codes = [countries[i] for i in np.nonzero(zero)[0]]
        problems.append(Problem(ind.path, ind.line, Text(gettext_noop(
            "per %(dataset)s / %(column)s is 0 for %(countries)s"), dataset=ind.per.dataset, column=ind.per.column,
            countries=few_codes(codes))))
        return np.full_like(x, np.nan)
    return x / den


def fail(step: Step, countries: list[str], bad: np.ndarray, message: str) -> ComputeError:
    codes = [countries[i] for i in np.nonzero(bad.any(axis=0))[0]]
    return ComputeError([Problem(step.node.path, step.node.line, Text(gettext_noop(
        "%(problem)s; not so for %(countries)s"), problem=message, countries=few_codes(codes)))])


def formula_value(step: Step, formula, variables: dict, countries: list[str], what: str) -> np.ndarray:
    """Evaluate a formula of a node; a value that is not finite although its inputs are is an error."""
    value, bad = formula.evaluate_checked(variables)
    shape = np.broadcast_shapes(np.shape(value), (1, len(countries)), *(np.shape(v) for v in variables.values()))
    if bad is not None and bad.any():
        raise fail(step, countries, np.broadcast_to(bad, shape),
                    Text(gettext_noop("%(what)s gives no finite value (division by 0, sqrt or log10 of a negative "
                                      "number?)"), what=what))
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


def node_rule(step: Step, value: np.ndarray, kids: list[np.ndarray], values: list, plan: Plan,
               countries: list[str]) -> np.ndarray:
    """A node's ``missing_when`` and ``fill``: names are its own id, its children and the indicators."""
    node = step.node
    n_leaves = len(plan.behind_score)
    known = {c.id: k for c, k in zip(node.children, kids, strict=True)}
    known[node.id] = value
    rule = node.rule
    names = (rule.when.names if rule.when else frozenset()) | (rule.fill.names if rule.fill else frozenset())
    for j in range(n_leaves):
        if plan.slots[j].id in names and plan.slots[j].id not in known:
            known[plan.slots[j].id] = values[j]
    with np.errstate(invalid="ignore"):
        if rule.when is not None:
            hit = _formula_condition(step, rule.when, known, countries)
            value = np.where(hit & ~np.isnan(value), np.nan, value)
        if rule.fill is not None:
            known[node.id] = value
            fill = formula_value(step, rule.fill, known, countries, "fill")
            value = np.where(np.isnan(value), fill, value)
    return value


def _formula_condition(step: Step, formula, variables: dict, countries: list[str]) -> np.ndarray:
    value, bad = formula.evaluate_checked(variables)
    if bad is not None and bad.any():
        shape = np.broadcast_shapes(np.shape(bad), (1, len(countries)))
        raise fail(step, countries, np.broadcast_to(bad, shape),
                   Text(gettext_noop("%(what)s gives no finite value"), what="missing_when"))
    return value
