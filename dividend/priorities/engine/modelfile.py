"""Model files: parse the YAML, validate it, and build the index tree (model.py).

Validation collects *every* problem, each with its path in the tree (``index/criminality/markets/heroin``)
and its line in the YAML file, and raises them together as one :class:`ModelFileError`. Lines come from
the YAML node marks, so the file is composed (not just loaded) and turned into Python data here.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .checking import compose_with_lines
from .datasets import IndicatorLibrary
from .errors import ModelFileError, Text, gettext_noop
from .expressions import CONDITION, FormulaError, parse_formula
from .model import (
    AGGREGATION_ALIASES,
    AGGREGATIONS,
    DIRECTIONS,
    FORMAT,
    FORMAT_VERSION,
    ID_RE,
    ISO3_RE,
    MC_AGGREGATIONS,
    MC_NORMALISATIONS,
    MC_WEIGHT_METHODS,
    MODEL_DIR,
    THEMES,
    CountrySelection,
    CustomAggregation,
    IndexModel,
    Indicator,
    MissingPolicy,
    MissingRule,
    MonteCarloOptions,
    Node,
    Normalisation,
    Reference,
    ThemeLink,
)
from .modelparts import PartsChecker

# ----------------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------------

# The shipped models are 4 levels deep; the bound keeps every recursive walk of the tree (here, in the
# computation and in the stored run's tree) far from Python's recursion limit.
MAX_TREE_DEPTH = 20

class _Checker(PartsChecker):
    """Collects problems while turning plain data into the model dataclasses."""

    def __init__(self, lines: dict[tuple, int], library: IndicatorLibrary):
        super().__init__(lines)
        self.library = library
        self.defaults: dict[str, Any] = {}
        self.aggregations: dict[str, CustomAggregation] = {}
        # Checks that need every id of the tree (formulas of missing rules, references): run after it.
        self.after_tree: list = []
        self.indicator_ids: set[str] = set()

    def defer_rule(self, item: Node | Indicator, value: dict, where: tuple) -> None:
        """``missing_when``/``fill`` of a node or indicator: read once every id of the tree is known."""
        if "missing_when" not in value and "fill" not in value:
            return

        def check():
            names = set(self.indicator_ids)
            if not item.is_indicator:
                names |= {c.id for c in item.children}
            own = item.id
            when = fill = None
            if "missing_when" in value:
                when = self.formula(value["missing_when"], "missing_when", item.path, where + ("missing_when",),
                                    names | {own}, kind=CONDITION, present=frozenset({own}),
                                    name_kind="indicator id")
            if "fill" in value:
                fill = self.formula(value["fill"], "fill", item.path, where + ("fill",), names - {own},
                                    name_kind="indicator id")
            item.rule = MissingRule(when, fill)
        self.after_tree.append(check)

    # -- tree ------------------------------------------------------------------------------------------
    NODE_KEYS = ("id", "label", "description", "weight", "children", "aggregation", "formula", "rounding",
                 "missing", "topsis", "missing_when", "fill")
    INDICATOR_KEYS = ("id", "label", "description", "weight", "dataset", "column", "year", "direction",
                      "transform", "normalisation", "per", "rounding", "missing_when", "fill")
    REFERENCE_KEYS = ("id", "label", "description", "weight", "ref")

    def tree(self, value: Any, parent_path: str | None, where: tuple, index: int | None,
             seen: dict[str, str]) -> Node | Indicator | None:
        raw_id = value.get("id") if isinstance(value, dict) else None
        ok_id = isinstance(raw_id, str) and ID_RE.match(raw_id)
        if parent_path is None:
            path = "index"
        elif ok_id:
            path = f"{parent_path}/{raw_id}"
        else:
            path = f"{parent_path}/children[{index}]"
        if not isinstance(value, dict):
            self.err(path, where, Text(gettext_noop("a node must be a mapping with id and children (or dataset/column for an indicator)")))
            return None
        if raw_id is None:
            self.err(path, where, Text(gettext_noop("id is missing")))
        elif not ok_id:
            self.err(path, where + ("id",), Text(gettext_noop("id %(id)s must be letters, digits and _ (not starting "
                                                              "with a digit)"), id=repr(raw_id)))
        elif raw_id in seen:
            self.err(path, where + ("id",), Text(gettext_noop("duplicate id %(id)s (also at %(other)s)"), id=repr(raw_id),
                                                 other=seen[raw_id]))
        else:
            seen[raw_id] = path
        node_id = raw_id if ok_id else f"_{index}"
        label = value.get("label", node_id)
        if not isinstance(label, str):
            self.err(path, where + ("label",), Text(gettext_noop("label must be text")))
            label = str(label)
        description = value.get("description", "")
        if not isinstance(description, str):
            self.err(path, where + ("description",), Text(gettext_noop("description must be text")))
            description = ""
        weight = 1.0
        if "weight" in value:
            weight = self.number(value["weight"], "weight", path, where + ("weight",), minimum=0)
            weight = 1.0 if weight is None else weight
        if sum(k in value for k in ("dataset", "children", "ref")) > 1:
            self.err(path, where, Text(gettext_noop("a node has either children, dataset/column (indicator) or ref "
                                                    "(a reference), not several")))
            return None
        if "ref" in value:
            return self.reference(value, path, where, node_id, label, weight, description)
        if "dataset" in value or "column" in value:
            return self.indicator(value, path, where, node_id, label, weight, description)
        if "children" not in value:
            self.err(path, where, Text(gettext_noop("a node needs children (or dataset and column for an indicator)")))
            return None
        return self.node(value, path, where, node_id, label, weight, description, seen)

    def reference(self, value: dict, path: str, where: tuple, node_id: str, label: str, weight: float,
                  description: str) -> Reference:
        self.keys(value, self.REFERENCE_KEYS, path, where)
        target = value["ref"]
        if not isinstance(target, str):
            self.err(path, where + ("ref",), Text(gettext_noop("ref must be the id of a node or indicator")))
            target = ""
        return Reference(node_id, path, self.line(where + ("ref",)), label, weight, target, description)

    def indicator(self, value: dict, path: str, where: tuple, node_id: str, label: str, weight: float,
                  description: str) -> Indicator | None:
        self.keys(value, self.INDICATOR_KEYS, path, where)
        d = self.defaults
        dataset, column = value.get("dataset"), value.get("column")
        self.column_exists(dataset, column, path, where)
        if "year" in value:
            year, latest = self.year(value["year"], path, where + ("year",))
        elif "year" in d:
            year, latest = d["year"]
        else:
            self.err(path, where, Text(gettext_noop("year is missing (give year: YEAR, {latest_up_to: YEAR} or "
                                                    "defaults.year)")))
            year, latest = None, False
        if "direction" in value:
            direction = self.choice(value["direction"], "direction", DIRECTIONS, path, where + ("direction",))
        elif "direction" in d:
            direction = d["direction"]
        else:
            self.err(path, where, Text(gettext_noop("direction is missing (higher_is_more_relevant or higher_is_less_relevant)")))
            direction = None
        transforms = (self.transforms(value["transform"], path, where + ("transform",)) if "transform" in value
                      else d.get("transform", ()))
        normalisation = (self.normalisation(value["normalisation"], path, where + ("normalisation",))
                         if "normalisation" in value else d.get("normalisation", Normalisation()))
        per = self.ratio(value["per"], path, where + ("per",)) if "per" in value else None
        rounding = self.rounding(value.get("rounding"), path, where + ("rounding",))
        if rounding is not None and rounding.parent_uses != "rounded":
            self.err(path, where + ("rounding", "parent_uses"), Text(gettext_noop(
                "an indicator's parent uses its rounded value; parent_uses applies to nodes")))
        ind = Indicator(node_id, path, self.line(where + ("id",)), label, weight, str(dataset), str(column), year,
                        latest, direction or DIRECTIONS[0], transforms, normalisation, description, per, rounding)
        self.indicator_ids.add(node_id)
        self.defer_rule(ind, value, where)
        return ind

    def node(self, value: dict, path: str, where: tuple, node_id: str, label: str, weight: float,
             description: str, seen: dict[str, str]) -> Node | None:
        self.keys(value, self.NODE_KEYS, path, where)
        raw_children = value["children"]
        children: list[Node | Indicator] = []
        if not isinstance(raw_children, list) or not raw_children:
            self.err(path, where + ("children",), Text(gettext_noop("children must be a non-empty list")))
        elif where.count("children") >= MAX_TREE_DEPTH:
            self.err(path, where + ("children",), Text(gettext_noop("the tree is deeper than %(limit)s levels (the "
                                                                    "limit)"), limit=MAX_TREE_DEPTH))
        else:
            for i, child in enumerate(raw_children):
                built = self.tree(child, path, where + ("children", i), i, seen)
                if built is not None:
                    children.append(built)
        d = self.defaults
        has_formula = "formula" in value
        if "aggregation" in value:
            aggregation = self.choice(value["aggregation"], "aggregation", AGGREGATIONS + tuple(self.aggregations),
                                      path, where + ("aggregation",), AGGREGATION_ALIASES)
        elif has_formula:
            aggregation = "formula"
        else:
            aggregation = d.get("aggregation", "weighted_arithmetic_mean")
        formula = None
        if aggregation == "formula":
            text = value.get("formula")
            if not isinstance(text, str):
                self.err(path, where + ("formula",), Text(gettext_noop('aggregation formula needs formula: "..." (text)')))
            else:
                try:
                    formula = parse_formula(text, {c.id for c in children})
                except FormulaError as exc:
                    self.err(path, where + ("formula",), Text(gettext_noop("formula error: %(error)s"),
                                                              error=exc.message))
        elif has_formula and aggregation:
            self.err(path, where + ("formula",), Text(gettext_noop("formula given but aggregation is %(aggregation)s"),
                                                      aggregation=aggregation))
        topsis = "vector"
        if "topsis" in value:
            t = self.mapping(value["topsis"], "topsis", path, where + ("topsis",)) or {}
            self.keys(t, ("normalisation",), path, where + ("topsis",))
            topsis = self.choice(t.get("normalisation", "vector"), "TOPSIS normalisation", ("vector", "min_max"),
                                 path, where + ("topsis", "normalisation")) or "vector"
            if aggregation != "topsis":
                self.err(path, where + ("topsis",), Text(gettext_noop("topsis options given but aggregation is "
                                                                      "%(aggregation)s"), aggregation=aggregation))
        custom = self.aggregations.get(aggregation or "")
        if aggregation and aggregation.startswith("weighted_") or aggregation == "topsis" or custom and custom.weighted:
            if children and sum(c.weight for c in children) <= 0:
                self.err(path, where + ("children",), Text(gettext_noop("weights of the children must not all be 0")))
        missing = (self.missing(value["missing"], path, where + ("missing",)) if "missing" in value
                   else d.get("missing", MissingPolicy()))
        rounding = self.rounding(value.get("rounding"), path, where + ("rounding",))
        node = Node(node_id, path, self.line(where + ("id",)), label, weight, aggregation or "weighted_arithmetic_mean",
                    children, missing, rounding, formula, topsis, description, custom)
        self.defer_rule(node, value, where)
        return node

    # -- top level --------------------------------------------------------------------------------------
    TOP_KEYS = ("format", "format_version", "id", "name", "version", "description", "home_country",
                "exclude_home_country", "countries", "defaults", "index", "themes", "monte_carlo", "aggregations")

    def model(self, data: Any) -> IndexModel | None:
        if not isinstance(data, dict):
            self.err("", (), Text(gettext_noop("the model file must be a mapping with format_version, id, name, version and index")))
            return None
        self.keys(data, self.TOP_KEYS, "", ())
        if "format" in data and data["format"] != FORMAT:
            self.err("format", ("format",), Text(gettext_noop("format must be %(format)s"), format=repr(FORMAT)))
        if data.get("format_version") != FORMAT_VERSION:
            self.err("format_version", ("format_version",),
                     Text(gettext_noop("format_version must be %(version)s"), version=FORMAT_VERSION)
                     if "format_version" in data
                     else Text(gettext_noop("format_version is missing (this engine reads version %(version)s)"),
                               version=FORMAT_VERSION))
        for key in ("id", "name", "version"):
            v = data.get(key)
            if v is None:
                self.err(key, (key,), Text(gettext_noop("%(key)s is missing"), key=key))
            elif key == "version" and isinstance(v, int | float) and not isinstance(v, bool):
                data[key] = str(v)
            elif not isinstance(v, str):
                self.err(key, (key,), Text(gettext_noop("%(key)s must be text"), key=key))
        if isinstance(data.get("id"), str) and not ID_RE.match(data["id"]):
            self.err("id", ("id",), Text(gettext_noop("id must be letters, digits and _ (not starting with a digit)")))
        home = data.get("home_country")
        if home is not None and (not isinstance(home, str) or not ISO3_RE.match(home)):
            self.err("home_country", ("home_country",), Text(gettext_noop("home_country must be an ISO3 code like BEL")))
            home = None
        exclude_home = data.get("exclude_home_country", True)
        if not isinstance(exclude_home, bool):
            self.err("exclude_home_country", ("exclude_home_country",), Text(gettext_noop("exclude_home_country must be true or false")))
            exclude_home = True
        countries = self.countries(data.get("countries"))
        self.read_aggregations(data.get("aggregations"))
        self.read_defaults(data.get("defaults"))
        if "index" not in data:
            self.err("index", (), Text(gettext_noop("index is missing (the root node of the tree)")))
            return None
        root = self.tree(data["index"], None, ("index",), None, {})
        if root is not None and (root.is_indicator or root.is_reference):
            self.err("index", ("index",), Text(gettext_noop("the index must be a node with children, not a single indicator")))
            root = None
        for check in self.after_tree:
            check()
        if root is not None:
            self.check_references(root)
        theme_weights, theme_links = self.themes(data.get("themes"), root)
        mc = self.monte_carlo(data.get("monte_carlo"))
        if root is None:
            return None
        return IndexModel(data.get("id", ""), str(data.get("name", "")), str(data.get("version", "")), root,
                          str(data.get("description", "") or ""), home, exclude_home, countries, theme_weights,
                          theme_links, mc, aggregations=dict(self.aggregations))

    def read_defaults(self, value: Any) -> None:
        if value is None:
            return
        value = self.mapping(value, "defaults", "defaults", ("defaults",))
        if value is None:
            return
        self.keys(value, ("year", "direction", "transform", "normalisation", "aggregation", "missing"),
                  "defaults", ("defaults",))
        w = ("defaults",)
        if "year" in value:
            self.defaults["year"] = self.year(value["year"], "defaults", w + ("year",))
        if "direction" in value:
            self.defaults["direction"] = self.choice(value["direction"], "direction", DIRECTIONS, "defaults",
                                                     w + ("direction",))
        if "transform" in value:
            self.defaults["transform"] = self.transforms(value["transform"], "defaults", w + ("transform",))
        if "normalisation" in value:
            self.defaults["normalisation"] = self.normalisation(value["normalisation"], "defaults",
                                                                w + ("normalisation",))
        if "aggregation" in value:
            agg = self.choice(value["aggregation"], "aggregation", AGGREGATIONS + tuple(self.aggregations),
                              "defaults", w + ("aggregation",), AGGREGATION_ALIASES)
            if agg == "formula":
                self.err("defaults", w + ("aggregation",), Text(gettext_noop("formula cannot be a default aggregation")))
            elif agg:
                self.defaults["aggregation"] = agg
        if "missing" in value:
            self.defaults["missing"] = self.missing(value["missing"], "defaults", w + ("missing",))

    def countries(self, value: Any) -> CountrySelection:
        w = ("countries",)
        if value is None:
            return CountrySelection()
        if isinstance(value, list):
            codes, listed = [], set()
            for i, c in enumerate(value):
                if not isinstance(c, str) or not ISO3_RE.match(c):
                    self.err("countries", w + (i,), Text(gettext_noop("%(code)s is not an ISO3 code (three capital "
                                                                      "letters)"), code=repr(c)))
                elif c in listed:
                    self.err("countries", w + (i,), Text(gettext_noop("%(code)s is listed twice"), code=c))
                else:
                    codes.append(c)
                    listed.add(c)
            return CountrySelection(codes=tuple(codes))
        value = self.mapping(value, "countries", "countries", w)
        if value is None:
            return CountrySelection()
        self.keys(value, ("dataset", "column", "year"), "countries", w)
        ds, col = value.get("dataset"), value.get("column")
        columns = self.library.columns(ds) if isinstance(ds, str) else None
        if columns is None:
            self.err("countries", w + ("dataset",), Text(gettext_noop("unknown dataset %(dataset)s"), dataset=repr(ds)))
        elif col is not None and col not in columns:
            self.err("countries", w + ("column",), Text(gettext_noop("unknown column %(column)s in dataset "
                                                                     "%(dataset)s%(hint)s"), column=repr(col),
                                                        dataset=repr(ds), hint=""))
        year = value.get("year")
        if year is not None:
            year = self.integer(year, "countries year", "countries", w + ("year",))
        return CountrySelection(dataset=ds, column=col, year=year)

    def themes(self, value: Any, root: Node | None) -> tuple[dict[str, float], dict[str, tuple[ThemeLink, ...]]]:
        if value is None:
            return {}, {}
        w = ("themes",)
        value = self.mapping(value, "themes", "themes", w)
        if value is None:
            return {}, {}
        self.keys(value, ("weights", "indicators"), "themes", w)
        ids = {n.id for n in IndexModel("", "", "", root).walk()} if root else set()
        weights: dict[str, float] = {}
        for name, wt in (self.mapping(value.get("weights", {}), "themes weights", "themes", w + ("weights",))
                         or {}).items():
            where = w + ("weights", name)
            if self.choice(name, "theme", THEMES, f"themes/{name}", where):
                x = self.number(wt, "theme weight", f"themes/{name}", where, minimum=0)
                if x is not None:
                    weights[name] = x
        links: dict[str, tuple[ThemeLink, ...]] = {}
        for name, items in (self.mapping(value.get("indicators", {}), "themes indicators", "themes",
                                         w + ("indicators",)) or {}).items():
            where = w + ("indicators", name)
            path = f"themes/{name}"
            if not self.choice(name, "theme", THEMES, path, where):
                continue
            if not isinstance(items, list) or not items:
                self.err(path, where, Text(gettext_noop("a theme needs a non-empty list of indicator (or node) ids")))
                continue
            out = []
            for i, item in enumerate(items):
                target, weight = item, 1.0
                if isinstance(item, dict):
                    self.keys(item, ("indicator", "weight"), path, where + (i,))
                    target = item.get("indicator")
                    weight = self.number(item.get("weight", 1), "weight", path, where + (i, "weight"), minimum=0)
                if not isinstance(target, str):
                    self.err(path, where + (i,), Text(gettext_noop("give an indicator id or {indicator: ID, weight: W}")))
                elif root is not None and target not in ids:
                    near = difflib.get_close_matches(target, sorted(ids), n=1)
                    hint = Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near else ""
                    self.err(f"{path}/{target}", where + (i,), Text(gettext_noop("unknown indicator or node id%(hint)s"),
                                                                   hint=hint))
                elif weight is not None:
                    out.append(ThemeLink(target, weight))
            links[name] = tuple(out)
        for name, wt in weights.items():
            if wt > 0 and name not in links:
                self.err(f"themes/{name}", w + ("weights", name), Text(gettext_noop("theme has a weight but no indicators")))
        return weights, links

    def monte_carlo(self, value: Any) -> MonteCarloOptions:
        if value is None:
            return MonteCarloOptions()
        w = ("monte_carlo",)
        p = "monte_carlo"
        value = self.mapping(value, "monte_carlo", p, w)
        if value is None:
            return MonteCarloOptions()
        self.keys(value, ("draws", "seed", "weights", "normalisations", "aggregations"), p, w)
        kw: dict[str, Any] = {}
        if "draws" in value:
            n = self.integer(value["draws"], "draws", p, w + ("draws",))
            if n is not None and not 1 <= n <= 1_000_000:
                self.err(p, w + ("draws",), Text(gettext_noop("draws must be between 1 and 1000000")))
            elif n is not None:
                kw["draws"] = n
        if "seed" in value and value["seed"] is not None:
            s = self.integer(value["seed"], "seed", p, w + ("seed",))
            if s is not None:
                kw["seed"] = s
        if "weights" in value:
            wt = self.mapping(value["weights"], "weights", p, w + ("weights",)) or {}
            self.keys(wt, ("method", "concentration", "spread"), p, w + ("weights",))
            kw["weights"] = self.choice(wt.get("method", "dirichlet"), "weight perturbation", MC_WEIGHT_METHODS, p,
                                        w + ("weights", "method")) or "dirichlet"
            if "concentration" in wt:
                c = self.number(wt["concentration"], "concentration", p, w + ("weights", "concentration"),
                                minimum=1e-9)
                if c is not None:
                    kw["concentration"] = c
            if "spread" in wt:
                s = self.number(wt["spread"], "spread", p, w + ("weights", "spread"), minimum=0, maximum=1)
                if s is not None:
                    kw["spread"] = s
        for key, allowed in (("normalisations", MC_NORMALISATIONS), ("aggregations", MC_AGGREGATIONS)):
            if key in value:
                items = value[key]
                if not isinstance(items, list) or not items:
                    self.err(p, w + (key,), Text(gettext_noop("%(key)s must be a non-empty list"), key=key))
                    continue
                kw[key] = tuple(x for i, item in enumerate(items)
                                if (x := self.choice(item, key[:-1], allowed, p, w + (key, i))))
        return MonteCarloOptions(**kw)


def load_model(source: str | Path, library: IndicatorLibrary | None = None) -> IndexModel:
    """Read and validate a model file (YAML text, or a Path to a file).

    Raises :class:`ModelFileError` listing every problem (path in the tree, YAML line, message).
    """
    if isinstance(source, Path):
        text = source.read_text(encoding="utf-8")
    else:
        text = source
    data, lines = compose_with_lines(text)
    checker = _Checker(lines, library or IndicatorLibrary())
    model = checker.model(data)
    if checker.problems or model is None:
        raise ModelFileError(checker.problems)
    model.source = text
    model.lines = lines
    return model


def shipped_model(name: str, library: IndicatorLibrary | None = None) -> IndexModel:
    """Load one of the model files shipped in ``priorities/model_files`` (name without .yaml)."""
    return load_model(MODEL_DIR / f"{name}.yaml", library)


def shipped_model_names() -> list[str]:
    return sorted(p.stem for p in MODEL_DIR.glob("*.yaml"))
