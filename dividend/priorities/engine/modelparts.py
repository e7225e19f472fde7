"""Model files: readers of the parts of nodes and indicators (years, transforms, normalisation, missing data,
rounding, ratios, formulas), named aggregations and references. The tree and the top level: modelfile.py."""

from __future__ import annotations

import difflib
from typing import Any

from .checking import Checker
from .errors import Problem, Text, gettext_noop
from .expressions import NUMBER, FormulaError, parse_formula
from .model import (
    AGGREGATION_ALIASES,
    AGGREGATION_COMBINES,
    AGGREGATIONS,
    BOUNDED_NORMALISATIONS,
    ID_RE,
    IMPUTE_GROUPS,
    ISO3_RE,
    MISSING_POLICIES,
    NORMALISATION_ALIASES,
    NORMALISATIONS,
    ROUNDING_METHODS,
    TRANSFORM_ALIASES,
    TRANSFORMS,
    CustomAggregation,
    IndexModel,
    MissingPolicy,
    Node,
    Normalisation,
    Piece,
    Ratio,
    Rounding,
    Transform,
)


class PartsChecker(Checker):
    """Reads the parts of a model file (the subclass in modelfile.py sets ``library`` and ``aggregations``)."""

    library: Any
    aggregations: dict[str, CustomAggregation]

    def formula(self, text: Any, what: str, path: str, where: tuple, names: set[str] | None, *,
                kind: str = NUMBER, present: frozenset[str] = frozenset(), name_kind: str = "child id"):
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            self.err(path, where, Text(gettext_noop("%(what)s must be a formula (text)"), what=what))
            return None
        try:
            return parse_formula(str(text), names, kind=kind, present=present, name_kind=name_kind)
        except FormulaError as exc:
            self.err(path, where, Text(gettext_noop("%(what)s error: %(error)s"), what=what, error=exc.message))
            return None

    def piece(self, value: Any, what: str, path: str, where: tuple) -> Piece | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Piece(value=float(value))
        f = self.formula(value, f"normalisation {what}", path, where, {"x"}, present=frozenset({"x"}),
                         name_kind="name")
        return Piece(formula=f) if f else None

    def year(self, value: Any, path: str, where: tuple) -> tuple[int | None, bool]:
        if value == "latest":
            return None, True
        if isinstance(value, dict):
            self.keys(value, ("latest_up_to",), path, where)
            if "latest_up_to" not in value:
                self.err(path, where, Text(gettext_noop("year must be a year, 'latest' or {latest_up_to: YEAR}")))
                return None, True
            y = self.integer(value["latest_up_to"], "year latest_up_to", path, where + ("latest_up_to",))
            return y, True
        y = self.integer(value, "year", path, where)
        return y, False

    def transforms(self, value: Any, path: str, where: tuple) -> tuple[Transform, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            w = where + (i,) if isinstance(value, list) else where
            if isinstance(item, str):
                kind = self.choice(item, "transform", TRANSFORMS, path, w, TRANSFORM_ALIASES)
                if kind in ("clip", "winsorise"):
                    self.err(path, w, Text(gettext_noop("transform %(kind)s needs bounds, e.g. {%(kind)s: {...}}"),
                                           kind=kind))
                elif kind in ("scale", "offset", "power"):
                    self.err(path, w, Text(gettext_noop("transform %(kind)s needs a number, e.g. {%(kind)s: 2}"),
                                           kind=kind))
                elif kind:
                    out.append(Transform(kind))
                continue
            if not isinstance(item, dict) or len(item) != 1:
                self.err(path, w, Text(gettext_noop("a transform is a name (log10, log10_plus_1, sqrt, ln) or {clip: "
                                                    "{min, max}}, {winsorise: {lower, upper}}, {scale: N}, {offset: N} "
                                                    "or {power: N}")))
                continue
            (name, args), = item.items()
            kind = self.choice(name, "transform", TRANSFORMS, path, w, TRANSFORM_ALIASES)
            if kind == "clip":
                args = self.mapping(args, "clip", path, w + (name,)) or {}
                self.keys(args, ("min", "max"), path, w + (name,))
                lo = self.number(args["min"], "clip min", path, w + (name, "min")) if "min" in args else None
                hi = self.number(args["max"], "clip max", path, w + (name, "max")) if "max" in args else None
                if lo is None and hi is None:
                    self.err(path, w, Text(gettext_noop("clip needs min and/or max")))
                elif lo is not None and hi is not None and lo > hi:
                    self.err(path, w, Text(gettext_noop("clip min must be <= clip max")))
                out.append(Transform("clip", lo, hi))
            elif kind == "winsorise":
                args = self.mapping(args, "winsorise", path, w + (name,)) or {}
                self.keys(args, ("lower", "upper"), path, w + (name,))
                lo = self.number(args.get("lower", 0), "winsorise lower", path, w + (name, "lower"),
                                 minimum=0, maximum=100)
                hi = self.number(args.get("upper", 100), "winsorise upper", path, w + (name, "upper"),
                                 minimum=0, maximum=100)
                if lo is not None and hi is not None and lo >= hi:
                    self.err(path, w, Text(gettext_noop("winsorise lower must be < upper (percentiles 0-100)")))
                out.append(Transform("winsorise", lo, hi))
            elif kind in ("scale", "offset", "power"):
                n = self.number(args, f"{kind}", path, w + (name,))
                if n is not None:
                    out.append(Transform(kind, value=n))
            elif kind:
                self.err(path, w, Text(gettext_noop("transform %(kind)s takes no arguments; write it as a plain name"),
                                       kind=kind))
        return tuple(out)

    def normalisation(self, value: Any, path: str, where: tuple) -> Normalisation:
        if isinstance(value, str):
            value = {"method": value}
        value = self.mapping(value, "normalisation", path, where)
        if value is None:
            return Normalisation()
        self.keys(value, ("method", "min", "max", "range", "country", "mode", "below", "between", "above"),
                  path, where)
        method = self.choice(value.get("method"), "normalisation", NORMALISATIONS, path, where + ("method",),
                             NORMALISATION_ALIASES) or "none"
        kw: dict[str, Any] = {"method": method}
        if "range" in value:
            r = value["range"]
            if (isinstance(r, list) and len(r) == 2 and all(isinstance(x, int | float) and not isinstance(x, bool)
                                                             for x in r) and r[0] != r[1]):
                kw["range"] = (float(r[0]), float(r[1]))
            else:
                self.err(path, where + ("range",), Text(gettext_noop("normalisation range must be [low, high] with two different numbers")))
            if method not in BOUNDED_NORMALISATIONS:
                self.err(path, where + ("range",), Text(gettext_noop(
                    "range applies to min_max, goalposts, percentile and piecewise, not %(method)s"), method=method))
        if method == "piecewise":
            for part in ("below", "between", "above"):
                if part in value:
                    kw[part] = self.piece(value[part], part, path, where + (part,))
        elif any(part in value for part in ("below", "between", "above")):
            self.err(path, where, Text(gettext_noop("below/between/above apply to piecewise normalisation, not "
                                                    "%(method)s"), method=method))
        if method in ("goalposts", "piecewise"):
            lo = self.number(value.get("min"), f"{method} min", path, where + ("min",))
            hi = self.number(value.get("max"), f"{method} max", path, where + ("max",))
            if lo is not None and hi is not None and lo >= hi:
                self.err(path, where, Text(gettext_noop("%(method)s min must be < max"), method=method))
            kw.update(min=lo, max=hi)
        elif "min" in value or "max" in value:
            self.err(path, where, Text(gettext_noop("min/max apply to goalposts and piecewise normalisation, not "
                                                    "%(method)s"), method=method))
        if method == "distance_to_reference":
            c = value.get("country")
            if not isinstance(c, str) or not ISO3_RE.match(c):
                self.err(path, where + ("country",), Text(gettext_noop("distance_to_reference needs country: ISO3 code, e.g. DEU")))
            kw["country"] = c
            mode = value.get("mode", "difference")
            kw["mode"] = self.choice(mode, "distance mode", ("difference", "ratio"), path, where + ("mode",)) or "difference"
        elif "country" in value or "mode" in value:
            self.err(path, where, Text(gettext_noop("country/mode apply to distance_to_reference, not %(method)s"),
                                       method=method))
        return Normalisation(**kw)

    def missing(self, value: Any, path: str, where: tuple) -> MissingPolicy:
        if isinstance(value, str):
            value = {"policy": value}
        value = self.mapping(value, "missing", path, where)
        if value is None:
            return MissingPolicy()
        self.keys(value, ("policy", "value", "group", "max_missing_share"), path, where)
        policy = self.choice(value.get("policy", "skip"), "missing-data policy", MISSING_POLICIES, path,
                             where + ("policy",)) or "skip"
        fill = None
        if policy == "impute_value":
            if "value" not in value:
                self.err(path, where, Text(gettext_noop("missing policy impute_value needs value: NUMBER")))
            else:
                fill = self.number(value["value"], "missing value", path, where + ("value",))
        elif "value" in value:
            self.err(path, where + ("value",), Text(gettext_noop("value applies to impute_value, not %(policy)s"),
                                                    policy=policy))
        group = "all"
        if "group" in value:
            group = self.choice(value["group"], "imputation group", IMPUTE_GROUPS, path, where + ("group",)) or "all"
            if policy not in ("impute_mean", "impute_median"):
                self.err(path, where + ("group",), Text(gettext_noop("group applies to impute_mean/impute_median, "
                                                                     "not %(policy)s"), policy=policy))
        share = None
        if "max_missing_share" in value:
            share = self.number(value["max_missing_share"], "max_missing_share", path,
                                where + ("max_missing_share",), minimum=0, maximum=1)
        return MissingPolicy(policy, fill, group, share)

    def rounding(self, value: Any, path: str, where: tuple) -> Rounding | None:
        if value is None or value == "none":
            return None
        value = self.mapping(value, "rounding", path, where)
        if value is None:
            return None
        self.keys(value, ("decimals", "method", "parent_uses"), path, where)
        d = self.integer(value.get("decimals"), "rounding decimals", path, where + ("decimals",))
        if d is not None and not 0 <= d <= 10:
            self.err(path, where + ("decimals",), Text(gettext_noop("rounding decimals must be between 0 and 10")))
            d = None
        method = self.choice(value.get("method", "half_up"), "rounding method", ROUNDING_METHODS, path,
                             where + ("method",)) or "half_up"
        uses = self.choice(value.get("parent_uses", "rounded"), "parent_uses", ("rounded", "unrounded"), path,
                           where + ("parent_uses",)) or "rounded"
        return Rounding(d, method, uses) if d is not None else None

    def column_exists(self, dataset: Any, column: Any, path: str, where: tuple) -> bool:
        if not isinstance(dataset, str):
            self.err(path, where + ("dataset",), Text(gettext_noop("dataset is missing")) if dataset is None
                     else Text(gettext_noop("dataset must be text")))
        elif not isinstance(column, str):
            self.err(path, where + ("column",), Text(gettext_noop("column is missing")) if column is None
                     else Text(gettext_noop("column must be text")))
        else:
            columns = self.library.columns(dataset)
            if columns is None:
                names = self.library.dataset_names()
                near = difflib.get_close_matches(dataset, names, n=1)
                hint = Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near else ""
                self.err(path, where + ("dataset",), Text(gettext_noop("unknown dataset %(dataset)s%(hint)s; datasets: "
                                                                       "%(datasets)s"), dataset=repr(dataset), hint=hint,
                                                          datasets=", ".join(names)))
            elif column not in columns:
                near = difflib.get_close_matches(column, columns, n=1)
                hint = Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near else ""
                self.err(path, where + ("column",), Text(gettext_noop("unknown column %(column)s in dataset "
                                                                      "%(dataset)s%(hint)s"), column=repr(column),
                                                         dataset=repr(dataset), hint=hint))
            else:
                return True
        return False

    def ratio(self, value: Any, path: str, where: tuple) -> Ratio | None:
        value = self.mapping(value, "per", path, where)
        if value is None:
            return None
        self.keys(value, ("dataset", "column"), path, where)
        if self.column_exists(value.get("dataset"), value.get("column"), path, where):
            return Ratio(value["dataset"], value["column"])
        return None

    def read_aggregations(self, value: Any) -> None:
        """Named aggregations: ``name: {each: FORMULA, combine: AGGREGATION, result: FORMULA}``."""
        if value is None:
            return
        w = ("aggregations",)
        value = self.mapping(value, "aggregations", "aggregations", w)
        for name, spec in (value or {}).items():
            path, where = f"aggregations/{name}", w + (name,)
            if not ID_RE.match(name):
                self.err(path, where, Text(gettext_noop("an aggregation name must be letters, digits and _ (not starting with a digit)")))
                continue
            if name in AGGREGATIONS or name in AGGREGATION_ALIASES:
                self.err(path, where, Text(gettext_noop("%(name)s is a built-in aggregation; give yours another name"),
                                           name=repr(name)))
                continue
            spec = self.mapping(spec, "an aggregation", path, where)
            if spec is None:
                continue
            self.keys(spec, ("each", "combine", "result"), path, where)
            if "combine" not in spec:
                self.err(path, where, Text(gettext_noop("combine is missing (one of %(allowed)s)"),
                                           allowed=", ".join(AGGREGATION_COMBINES)))
                continue
            combine = self.choice(spec["combine"], "combine", AGGREGATION_COMBINES, path, where + ("combine",),
                                  AGGREGATION_ALIASES)
            parts = {}
            for part in ("each", "result"):
                if part in spec:
                    parts[part] = self.formula(spec[part], part, path, where + (part,), {"x"},
                                               present=frozenset({"x"}), name_kind="name")
            if combine:
                self.aggregations[name] = CustomAggregation(name, combine, parts.get("each"), parts.get("result"))

    def check_references(self, root: Node) -> None:
        """Every ref names a node or indicator of the tree, and no value depends on itself."""
        by_id: dict[str, Any] = {}
        for n in IndexModel("", "", "", root).walk():
            by_id.setdefault(n.id, n)

        def deps(n):
            if n.is_reference:
                t = by_id.get(n.target)
                return [t] if t is not None else []
            return [] if n.is_indicator else list(n.children)
        for n in by_id.values():
            if n.is_reference and n.target not in by_id:
                near = difflib.get_close_matches(n.target, sorted(set(by_id) - {n.id}), n=1)
                hint = Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near else ""
                self.problems.append(Problem(n.path, n.line, Text(
                    gettext_noop("ref %(target)s: unknown node or indicator id%(hint)s"), target=repr(n.target), hint=hint)))
        # Depth-first search without recursion: the references may chain across the whole tree.
        state: dict[int, int] = {}  # 1 = on the current path, 2 = done
        for start in by_id.values():
            if state.get(id(start)):
                continue
            stack = [(start, iter(deps(start)))]
            trail = [start]
            state[id(start)] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[id(node)] = 2
                    stack.pop()
                    trail.pop()
                    continue
                if state.get(id(nxt)) == 1:
                    cycle = trail[trail.index(nxt):] + [nxt]
                    ref = next((c for c in cycle if c.is_reference), node)
                    self.problems.append(Problem(ref.path, ref.line, Text(gettext_noop(
                        "reference cycle: %(cycle)s (a value cannot depend on itself)"),
                        cycle=" → ".join(c.id for c in cycle))))
                    return
                if not state.get(id(nxt)):
                    state[id(nxt)] = 1
                    stack.append((nxt, iter(deps(nxt))))
                    trail.append(nxt)
