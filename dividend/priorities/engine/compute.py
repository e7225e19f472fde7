"""Computing an index: data lookup, transforms, normalisation, aggregation, ranks and contributions.

The tree is evaluated *vectorised over draws*: every node value is an array of shape (draws, countries).
The nominal computation is the special case of one draw, so the Monte Carlo analysis runs exactly the
same code as :func:`compute` (see montecarlo.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .aggregation import _impute, aggregate
from .datasets import IndicatorLibrary, country_name, country_regions
from .errors import ComputeError, Problem, Text, gettext_noop
from .model import LINEAR_AGGREGATIONS, MEAN_FAMILIES, IndexModel, Indicator, Node
from .rules import apply_indicator_rules, node_rule, ratio
from .scaling import apply_rounding, leaf_values, transform_values

# ----------------------------------------------------------------------------------------------------
# Preparation: countries and lookup (transforms and normalisation: scaling.py)
# ----------------------------------------------------------------------------------------------------

@dataclass
class Prepared:
    """Everything fixed before aggregation: countries and per-indicator raw and normalised values."""

    model: IndexModel
    home_country: str | None
    countries: list[str]
    indicators: list[Indicator]
    raw: np.ndarray  # (countries, indicators) dataset values
    value_years: np.ndarray  # (countries, indicators) year each value comes from, 0 = missing
    transformed: np.ndarray  # after transforms, before normalisation
    normalised: np.ndarray  # after normalisation and direction: the leaf values aggregated
    as_of_year: int | None = None  # see prepare()


def year_of(ind: Indicator, as_of_year: int | None) -> tuple[int | None, bool]:
    """(year, latest) used to look up an indicator: its own, or "latest up to ``as_of_year``"."""
    return (ind.year, ind.latest) if as_of_year is None else (as_of_year, True)


def _selection_year(table, year: int | None, as_of_year: int | None) -> int | None:
    """The countries-selection year; as of a year: the latest year <= it in which the column has values."""
    if as_of_year is None or year is None:
        return year
    filled = [y for j, y in enumerate(table.years) if y <= as_of_year and not np.isnan(table.values[:, j]).all()]
    return max(filled) if filled else as_of_year


def resolve_countries(model: IndexModel, library: IndicatorLibrary, home: str | None,
                      tables: list[tuple[Indicator, object]], as_of_year: int | None = None) -> list[str]:
    sel = model.countries
    if sel.codes is not None:
        codes = set(sel.codes)
    elif sel.dataset is not None:
        columns = [sel.column] if sel.column else (library.columns(sel.dataset) or [])
        codes = set()
        for col in columns:
            t = library.table(sel.dataset, col, home)
            sel_year = _selection_year(t, sel.year, as_of_year)
            if sel_year is None:
                keep = ~np.isnan(t.values).all(axis=1)
            else:
                keep = ~np.isnan(t.values[:, list(t.years).index(sel_year)]) if sel_year in t.years else \
                    np.zeros(len(t.countries), bool)
            codes.update(c for c, k in zip(t.countries, keep, strict=True) if k)
    else:
        codes = set()
        for ind, t in tables:
            values, _ = t.lookup(t.countries, *year_of(ind, as_of_year))
            codes.update(c for c, v in zip(t.countries, values, strict=True) if not np.isnan(v))
    if model.exclude_home_country and home:
        codes.discard(home)
    return sorted(codes)


def prepare(model: IndexModel, library: IndicatorLibrary | None = None, home_country: str | None = None,
            as_of_year: int | None = None) -> Prepared:
    """Look up every indicator's values, transform and normalise them. Raises ComputeError with all problems.

    ``as_of_year``: evaluate the model as of that year: every indicator takes, per country, the latest
    value up to that year (instead of the year in the file), and a countries selection with a year uses
    the latest year up to it that has values. Used to compare editions with one model file.
    """
    library = library or IndicatorLibrary()
    home = home_country or model.home_country
    indicators = model.indicators()
    problems: list[Problem] = []
    tables = []
    for ind in indicators:
        try:
            tables.append((ind, library.table(ind.dataset, ind.column, home)))
        except LookupError as exc:
            problems.append(Problem(ind.path, ind.line, exc.args[0] if exc.args else str(exc)))
    empty: list[tuple[Indicator, Problem]] = []
    datasets_with_data = set()
    for ind, table in tables:
        year, latest = year_of(ind, as_of_year)
        values, _ = table.lookup(table.countries, year, latest)
        if np.isnan(values).all():
            if latest and year:
                message = Text(gettext_noop("no data for any country: %(dataset)s / %(column)s up to %(year)s"),
                               dataset=ind.dataset, column=ind.column, year=year)
            elif latest:
                message = Text(gettext_noop("no data for any country: %(dataset)s / %(column)s"),
                               dataset=ind.dataset, column=ind.column)
            else:
                message = Text(gettext_noop("no data for any country: %(dataset)s / %(column)s in %(year)s"),
                               dataset=ind.dataset, column=ind.column, year=year)
            empty.append((ind, Problem(ind.path, ind.line, message)))
        else:
            datasets_with_data.add(ind.dataset)
    # Evaluated as of an earlier year, an indicator the edition did not have yet (GOCI 2021 has 10
    # of the 15 markets) is missing everywhere and left to its parent's missing-data policy; a
    # dataset with no data at all up to that year is an error.
    problems.extend(problem for ind, problem in empty
                    if as_of_year is None or ind.dataset not in datasets_with_data)
    if problems:
        raise ComputeError(problems)
    try:
        countries = resolve_countries(model, library, home, tables, as_of_year)
    except LookupError as exc:
        raise ComputeError([Problem("countries", model.lines.get(("countries",)),
                                    exc.args[0] if exc.args else str(exc))]) from exc
    if not countries:
        raise ComputeError([Problem("countries", model.lines.get(("countries",)), Text(gettext_noop("no countries to rank")))])
    n, m = len(countries), len(indicators)
    raw = np.full((n, m), np.nan)
    years = np.zeros((n, m), dtype=int)
    transformed = np.full((n, m), np.nan)
    normalised = np.full((n, m), np.nan)
    for j, (ind, table) in enumerate(tables):
        raw[:, j], years[:, j] = table.lookup(countries, *year_of(ind, as_of_year))
    raw, years = apply_indicator_rules(indicators, raw, years, countries, problems)
    for j, (ind, _table) in enumerate(tables):
        if np.isnan(raw[:, j]).all():
            if as_of_year is None:
                problems.append(Problem(ind.path, ind.line, Text(gettext_noop("no data for any of the countries ranked"))))
            continue
        x = raw[:, j]
        if ind.per is not None:
            x = ratio(ind, x, years[:, j], library, home, countries, year_of(ind, as_of_year), problems)
        transformed[:, j], errs = transform_values(x, ind, countries)
        problems.extend(Problem(ind.path, ind.line, e) for e in errs)
        if not errs:
            try:
                normalised[:, j] = leaf_values(transformed[:, j], ind, countries)
            except ValueError as exc:
                problems.append(Problem(ind.path, ind.line, exc.args[0] if exc.args else str(exc)))
    if problems:
        raise ComputeError(problems)
    return Prepared(model, home, countries, indicators, raw, years, transformed, normalised, as_of_year)


# ----------------------------------------------------------------------------------------------------
# The evaluation plan: inner nodes in post-order, each reading "slots" of its children
# ----------------------------------------------------------------------------------------------------

@dataclass
class Step:
    slot: int
    node: Node
    child_slots: list[int]
    weights: np.ndarray  # nominal, normalised to sum 1 (equal for unweighted aggregations)
    weighted: bool  # weights matter (and are perturbed in Monte Carlo)
    groups: list[np.ndarray] | None = None  # country index groups for group imputation


@dataclass
class Plan:
    countries: list[str]
    slots: list[Node | Indicator]  # indicators first (same order as Prepared.indicators), then inner nodes
    steps: list[Step]  # every node after the values it reads (children, referenced nodes)
    parent: dict[int, int]  # slot -> the slot of its parent in the tree
    behind_score: np.ndarray  # (indicators,) bool: indicator can influence the root score
    references: dict[str, int] = field(default_factory=dict)  # reference id -> slot of the value it uses
    last_use: dict[int, int] = field(default_factory=dict)  # slot -> index of the last step reading it

    @property
    def root_slot(self) -> int:
        return self.steps[-1].slot


def build_plan(model: IndexModel, countries: list[str]) -> Plan:
    indicators = model.indicators()
    slots: list[Node | Indicator] = list(indicators)
    slot_of = {id(ind): i for i, ind in enumerate(indicators)}
    by_id: dict[str, Node | Indicator] = {}
    for n in model.walk():
        by_id.setdefault(n.id, n)

    def resolve(c):
        while c.is_reference:  # chains of references end (cycles are refused in modelfile.py)
            c = by_id[c.target]
        return c

    steps: list[Step] = []
    parent: dict[int, int] = {}
    # Post-order without recursion (references may chain across the tree); for a tree without
    # references this is the plain post-order, children left to right.
    stack: list[tuple[Node, bool]] = [(model.root, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in slot_of:
            continue
        if not expanded:
            stack.append((node, True))
            for c in reversed(node.children):
                r = resolve(c)
                if not r.is_indicator and id(r) not in slot_of:
                    stack.append((r, False))
            continue
        child_slots = [slot_of[id(resolve(c))] for c in node.children]
        slot = len(slots)
        slots.append(node)
        slot_of[id(node)] = slot
        for c, cs in zip(node.children, child_slots, strict=True):
            if not c.is_reference:
                parent[cs] = slot
        raw_w = np.array([c.weight for c in node.children], dtype=float)
        weighted = (node.aggregation.startswith("weighted_") or node.aggregation == "topsis"
                    or (node.custom is not None and node.custom.weighted))
        w = raw_w / raw_w.sum() if weighted else np.full(len(child_slots), 1.0 / len(child_slots))
        groups = None
        if node.missing.policy in ("impute_mean", "impute_median") and node.missing.group != "all":
            regions = country_regions(node.missing.group)
            labels = sorted({regions[c] for c in countries if c in regions})
            groups = [np.array([i for i, c in enumerate(countries) if regions.get(c) == g]) for g in labels]
        steps.append(Step(slot, node, child_slots, w, weighted, groups))
    references = {n.id: slot_of[id(resolve(n))] for n in model.walk() if n.is_reference}
    last_use = {s: k for k, step in enumerate(steps) for s in step.child_slots}
    # Which indicators can move the score: not behind a zero weight or a child a formula never reads.
    live = {len(slots) - 1}
    for step in reversed(steps):
        if step.slot not in live:
            continue
        node = step.node
        for c, cs, w in zip(node.children, step.child_slots, step.weights, strict=True):
            if node.aggregation == "formula":
                ok = node.formula is not None and c.id in node.formula.names
            else:
                ok = w > 0 or not step.weighted
            if ok:
                live.add(cs)
    behind = np.array([i in live for i in range(len(indicators))], dtype=bool)
    return Plan(countries, slots, steps, parent, behind, references, last_use)


# ----------------------------------------------------------------------------------------------------
# Evaluation, vectorised over draws (the aggregation of each node: aggregation.py)
# ----------------------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    """Node values of one evaluation. ``values[slot]`` has shape (draws or 1, countries)."""

    values: list[np.ndarray]  # what each node reports (rounded where the node rounds)
    inputs: dict[int, list[np.ndarray]] = field(default_factory=dict)  # children after imputation (keep_all)
    unrounded: dict[int, np.ndarray] = field(default_factory=dict)  # node values before rounding (keep_all)


def evaluate(plan: Plan, leaves: np.ndarray, weights: dict[int, np.ndarray] | None = None,
             aggregation_family: str | None = None, keep_all: bool = True) -> Evaluation:
    """Evaluate the tree.

    ``leaves`` is (countries, indicators) or (draws, countries, indicators); ``weights`` maps a step's
    slot to (draws, children) weights (default: nominal); ``aggregation_family`` (arithmetic, geometric,
    harmonic) replaces every mean-type aggregation. With ``keep_all=False`` only the root is kept, which
    keeps memory flat in Monte Carlo runs.
    """
    countries = plan.countries
    if leaves.ndim == 2:
        leaves = leaves[None]
    n_leaves = leaves.shape[2]
    values: list[np.ndarray | None] = [leaves[:, :, j] for j in range(n_leaves)]
    values += [None] * (len(plan.slots) - n_leaves)
    to_parent: list[np.ndarray | None] = list(values)
    ev = Evaluation(values)  # type: ignore[arg-type]
    for k_step, step in enumerate(plan.steps):
        node = step.node
        kids = [to_parent[s] for s in step.child_slots]
        W = weights.get(step.slot) if weights else None
        if W is None:
            W = step.weights[None, :]
        # Which countries miss a child is the same in every draw (weights never create gaps), so the
        # first draw tells: this keeps the Monte Carlo loop light.
        n_missing = sum(np.isnan(k[:1]).astype(np.int16) for k in kids)
        kids_before = kids
        kids = _impute(kids, step)
        agg = None
        if aggregation_family and node.aggregation in MEAN_FAMILIES:
            weighted = node.aggregation.startswith("weighted_")
            agg = ("weighted_" if weighted else "") + aggregation_family + "_mean"
        value = aggregate(step, kids, W, countries, agg)
        k = len(kids)
        share = node.missing.max_missing_share
        node_missing = (n_missing >= k) if share is None else (n_missing > share * k + 1e-12)
        value = np.where(node_missing, np.nan, value)
        if node.rule is not None:
            value = node_rule(step, value, kids_before, values, plan, countries)
        reported = value
        if node.rounding is not None:
            reported = apply_rounding(value, node.rounding.decimals, node.rounding.method)
        values[step.slot] = reported
        to_parent[step.slot] = reported if (node.rounding is None or node.rounding.parent_uses == "rounded") else value
        if keep_all:
            ev.inputs[step.slot] = kids
            ev.unrounded[step.slot] = value
        else:
            for s in step.child_slots:
                if s >= n_leaves and plan.last_use.get(s) == k_step:
                    values[s] = to_parent[s] = None
    return ev


def rank_scores(scores: np.ndarray) -> np.ndarray:
    """Ranks per row: 1 = highest score; 0 = no score.

    Scores equal to 10 decimals are ties (so that floating-point noise from summation order cannot decide
    a rank), broken by country order, i.e. ISO3 alphabetical.
    """
    scores = np.atleast_2d(scores)
    key = np.where(np.isnan(scores), np.inf, -np.round(scores, 10))
    order = np.argsort(key, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, scores.shape[1] + 1), order.shape), axis=1)
    return np.where(np.isnan(scores), 0, ranks)


# ----------------------------------------------------------------------------------------------------
# Result
# ----------------------------------------------------------------------------------------------------

@dataclass
class IndexResult:
    """Outcome of :func:`compute`. Arrays are indexed like ``countries`` (ISO3, alphabetical)."""

    model: IndexModel
    home_country: str | None
    countries: list[str]
    score: np.ndarray  # root score as reported (rounded if the root rounds); NaN = no score
    rank: np.ndarray  # 1 = most relevant; 0 = no score
    node_scores: dict[str, np.ndarray]  # every node and indicator id → value (indicators: normalised value)
    raw_values: dict[str, np.ndarray]  # indicator id → dataset value before transform/normalisation
    value_years: dict[str, np.ndarray]  # indicator id → year the value comes from (0 = missing)
    contributions: dict[str, np.ndarray]  # every node and indicator id → contribution to the (unrounded) score
    missing_count: np.ndarray  # indicators behind the score with no data
    missing_share: np.ndarray  # share of indicators behind the score that are missing or imputed
    prepared: Prepared = field(repr=False)
    plan: Plan = field(repr=False)

    @property
    def reliability(self) -> np.ndarray:
        """1 - missing_share: 1 = every indicator behind the score has real data."""
        return 1.0 - self.missing_share

    def index_of(self, iso3: str) -> int:
        return self.countries.index(iso3)

    def country(self, iso3: str) -> dict:
        """Everything about one country, as plain Python values (JSON-ready)."""
        i = self.index_of(iso3)

        def f(x):
            return None if np.isnan(x) else float(x)

        return {
            "iso3": iso3, "name": country_name(iso3), "score": f(self.score[i]),
            "rank": int(self.rank[i]) or None, "missing_count": int(self.missing_count[i]),
            "missing_share": float(self.missing_share[i]), "reliability": float(self.reliability[i]),
            "node_scores": {k: f(v[i]) for k, v in self.node_scores.items()},
            "contributions": {k: float(v[i]) for k, v in self.contributions.items()},
            "raw_values": {k: f(v[i]) for k, v in self.raw_values.items()},
            "value_years": {k: int(v[i]) or None for k, v in self.value_years.items()},
        }

    def ranking(self) -> list[dict]:
        """Countries with a score, best rank first: iso3, name, rank, score, reliability, missing_count."""
        order = sorted((int(r), i) for i, r in enumerate(self.rank) if r > 0)
        return [{"rank": r, "iso3": self.countries[i], "name": country_name(self.countries[i]),
                 "score": float(self.score[i]), "reliability": float(self.reliability[i]),
                 "missing_count": int(self.missing_count[i])} for r, i in order]


def compute(model: IndexModel, library: IndicatorLibrary | None = None, home_country: str | None = None,
            as_of_year: int | None = None) -> IndexResult:
    """Compute the index of ``model`` for every country. Raises ComputeError (a ModelFileError).

    ``as_of_year`` evaluates the model as of that year (latest value up to it for every indicator; see
    :func:`prepare`), so that one model file can be compared across editions.
    """
    prepared = prepare(model, library, home_country, as_of_year)
    plan = build_plan(model, prepared.countries)
    ev = evaluate(plan, prepared.normalised)
    return _result(prepared, plan, ev)


def _result(prepared: Prepared, plan: Plan, ev: Evaluation) -> IndexResult:
    n_ind = len(prepared.indicators)
    root = plan.root_slot
    node_scores = {plan.slots[s].id: ev.values[s][0] for s in range(len(plan.slots))}
    node_scores.update({ref: ev.values[s][0] for ref, s in plan.references.items()})
    score = ev.values[root][0]
    rank = rank_scores(score)[0]
    contributions = _contributions(plan, ev)
    # Reliability: an indicator value is "used" when present and no node above it was missing.
    present = ~np.isnan(prepared.normalised)
    used = present.copy()
    for j in range(n_ind):
        s = plan.parent.get(j)
        while s is not None:
            used[:, j] &= ~np.isnan(ev.values[s][0])
            s = plan.parent.get(s)
    behind = plan.behind_score
    n_behind = max(int(behind.sum()), 1)
    missing_count = (~present[:, behind]).sum(axis=1)
    missing_share = 1.0 - used[:, behind].sum(axis=1) / n_behind
    return IndexResult(
        prepared.model, prepared.home_country, prepared.countries, score, rank, node_scores,
        {ind.id: prepared.raw[:, j] for j, ind in enumerate(prepared.indicators)},
        {ind.id: prepared.value_years[:, j] for j, ind in enumerate(prepared.indicators)},
        contributions, missing_count, missing_share, prepared, plan)


def _contributions(plan: Plan, ev: Evaluation) -> dict[str, np.ndarray]:
    """Split the root score over nodes and indicators (see docs: exact for arithmetic means).

    Each node carries an amount ``c`` and a factor ``f`` (c = f · value). Under an arithmetic mean a
    child gets f_child = f · w / Σw_present, so a chain of arithmetic means decomposes exactly. Under
    any other aggregation the node's amount is split in proportion to w·x (min/max: all to the chosen
    child), which always adds up but is an approximation.
    """
    n = len(plan.countries)
    root = plan.root_slot
    c: dict[int, np.ndarray] = {}
    f: dict[int, np.ndarray] = {}
    root_value = ev.unrounded[root][0]
    c[root] = np.nan_to_num(root_value)
    f[root] = np.where(np.isnan(root_value), 0.0, 1.0)
    by_reference: dict[str, np.ndarray] = {}
    for step in reversed(plan.steps):
        node = step.node
        kids = [k[0] for k in ev.inputs[step.slot]]
        X = np.stack([np.broadcast_to(k, (n,)) for k in kids], axis=1)  # (countries, children)
        present = ~np.isnan(X)
        Xf = np.where(present, X, 0.0)
        w = step.weights[None, :] * present
        cn, fn = c[step.slot], f[step.slot]
        if node.aggregation in LINEAR_AGGREGATIONS:
            wsum = w.sum(axis=1, keepdims=True)
            fk = np.where(wsum > 0, fn[:, None] * w / np.where(wsum > 0, wsum, 1.0), 0.0)
            ck = fk * Xf
        else:
            if node.aggregation in ("minimum", "maximum"):
                pick = np.where(present, Xf, np.inf if node.aggregation == "minimum" else -np.inf)
                idx = (pick.argmin if node.aggregation == "minimum" else pick.argmax)(axis=1)
                share = np.zeros_like(Xf)
                share[np.arange(n), idx] = present.any(axis=1)
            else:
                if node.aggregation == "formula":
                    w = np.array([[1.0 if ch.id in node.formula.names else 0.0 for ch in node.children]]) * present
                part = w * Xf
                total = part.sum(axis=1, keepdims=True)
                equal = w > 0
                share = np.where(np.abs(total) > 1e-15, part / np.where(np.abs(total) > 1e-15, total, 1.0),
                                 equal / np.maximum(equal.sum(axis=1, keepdims=True), 1))
            ck = cn[:, None] * share
            with np.errstate(divide="ignore", invalid="ignore"):
                fk = np.where(Xf != 0, ck / Xf, 0.0)
        for i, (child, s) in enumerate(zip(node.children, step.child_slots, strict=True)):
            # A value used at several places (references) contributes through each of them.
            c[s] = c[s] + ck[:, i] if s in c else ck[:, i]
            f[s] = f[s] + fk[:, i] if s in f else fk[:, i]
            if child.is_reference:
                by_reference[child.id] = ck[:, i]
    out = {plan.slots[s].id: c.get(s, np.zeros(n)) for s in range(len(plan.slots))}
    out.update(by_reference)
    return out
