"""The index model: the tree of nodes and indicators with their options, and the allowed values.

Reading and validating model files is in modelfile.py.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .expressions import Formula

FORMAT = "dividend-index-model"
FORMAT_VERSION = 1
MODEL_DIR = Path(__file__).resolve().parents[1] / "model_files"

# The product's one theme vocabulary is a plain data file (also read by dividend/reference/taxonomy.py,
# which the engine may not import): the themes a model may score are its rows marked priority_theme.
THEMES_CSV = Path(__file__).resolve().parents[2] / "data" / "thematic_areas.csv"


def _priority_themes(path: Path) -> tuple[str, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(row["code"] for row in csv.DictReader(handle) if row["priority_theme"] == "yes")


THEMES = _priority_themes(THEMES_CSV)

DIRECTIONS = ("higher_is_more_relevant", "higher_is_less_relevant")
AGGREGATIONS = ("arithmetic_mean", "weighted_arithmetic_mean", "geometric_mean", "weighted_geometric_mean",
                "harmonic_mean", "weighted_harmonic_mean", "minimum", "maximum", "formula", "topsis")
AGGREGATION_ALIASES = {"mean": "arithmetic_mean", "weighted_mean": "weighted_arithmetic_mean",
                       "min": "minimum", "max": "maximum"}
LINEAR_AGGREGATIONS = ("arithmetic_mean", "weighted_arithmetic_mean")
MEAN_FAMILIES = {"arithmetic_mean": "arithmetic", "weighted_arithmetic_mean": "arithmetic",
                 "geometric_mean": "geometric", "weighted_geometric_mean": "geometric",
                 "harmonic_mean": "harmonic", "weighted_harmonic_mean": "harmonic"}
NORMALISATIONS = ("none", "min_max", "goalposts", "z_score", "percentile", "distance_to_reference", "piecewise")
BOUNDED_NORMALISATIONS = ("min_max", "goalposts", "percentile", "piecewise")  # mirrored by direction
NORMALISATION_ALIASES = {"rank": "percentile", "minmax": "min_max", "zscore": "z_score"}
TRANSFORMS = ("log10", "log10_plus_1", "sqrt", "ln", "clip", "winsorise", "scale", "offset", "power")
AGGREGATION_COMBINES = ("arithmetic_mean", "weighted_arithmetic_mean", "geometric_mean", "weighted_geometric_mean",
                        "harmonic_mean", "weighted_harmonic_mean", "minimum", "maximum", "sum", "weighted_sum")
TRANSFORM_ALIASES = {"log10(x+1)": "log10_plus_1", "log10(x + 1)": "log10_plus_1", "winsorize": "winsorise"}
MISSING_POLICIES = ("skip", "impute_value", "impute_mean", "impute_median")
IMPUTE_GROUPS = ("all", "unhcr_region", "unsd_region", "unsd_subregion")
ROUNDING_METHODS = ("half_up", "half_even")
MC_WEIGHT_METHODS = ("dirichlet", "uniform", "none")
MC_NORMALISATIONS = ("as_specified", "min_max", "z_score", "percentile")
MC_AGGREGATIONS = ("as_specified", "arithmetic", "geometric", "harmonic")

ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ISO3_RE = re.compile(r"[A-Z]{3}\Z")


# ----------------------------------------------------------------------------------------------------
# The model, as dataclasses
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Transform:
    kind: str  # one of TRANSFORMS
    lower: float | None = None  # clip min / winsorise lower percentile (0-100)
    upper: float | None = None
    value: float | None = None  # scale factor, offset, power exponent


@dataclass(frozen=True)
class Piece:
    """One part of a piecewise normalisation: a fixed value or a formula of ``x``."""

    value: float | None = None
    formula: Formula | None = None


@dataclass(frozen=True)
class Normalisation:
    method: str = "none"
    min: float | None = None  # goalposts
    max: float | None = None
    range: tuple[float, float] = (0.0, 1.0)  # output range of min_max, goalposts, percentile
    country: str | None = None  # distance_to_reference
    mode: str = "difference"  # distance_to_reference: difference | ratio
    below: Piece | None = None  # piecewise: x <= min (default: the low end of the range)
    between: Piece | None = None  # piecewise: min < x < max (default: linear, as goalposts)
    above: Piece | None = None  # piecewise: x >= max (default: the high end of the range)


@dataclass(frozen=True)
class MissingPolicy:
    policy: str = "skip"
    value: float | None = None
    group: str = "all"
    max_missing_share: float | None = None  # None: node missing only when all children are missing


@dataclass(frozen=True)
class Rounding:
    decimals: int
    method: str = "half_up"
    parent_uses: str = "rounded"  # rounded | unrounded


@dataclass(frozen=True)
class MissingRule:
    """Value-dependent missing data: missing where ``when`` holds; then filled from ``fill`` where it gives a value."""

    when: Formula | None = None
    fill: Formula | None = None


@dataclass(frozen=True)
class Ratio:
    """Divide an indicator by another column, taken per country in the year of the indicator's value."""

    dataset: str
    column: str


@dataclass(frozen=True)
class CustomAggregation:
    """A named aggregation: ``each`` on every present child (x), ``combine``, then ``result`` (x)."""

    name: str
    combine: str
    each: Formula | None = None
    result: Formula | None = None

    @property
    def weighted(self) -> bool:
        return self.combine.startswith("weighted_")


@dataclass
class Indicator:
    """A leaf: one dataset column, its year, transforms, normalisation and direction."""

    id: str
    path: str
    line: int | None
    label: str
    weight: float
    dataset: str
    column: str
    year: int | None
    latest: bool
    direction: str
    transforms: tuple[Transform, ...]
    normalisation: Normalisation
    description: str = ""
    per: Ratio | None = None
    rounding: Rounding | None = None
    rule: MissingRule | None = None

    is_indicator = True
    is_reference = False


@dataclass
class Node:
    """An inner node: aggregates its children's values into its own."""

    id: str
    path: str
    line: int | None
    label: str
    weight: float
    aggregation: str
    children: list[Node | Indicator]
    missing: MissingPolicy
    rounding: Rounding | None = None
    formula: Formula | None = None
    topsis_normalisation: str = "vector"
    description: str = ""
    custom: CustomAggregation | None = None
    rule: MissingRule | None = None

    is_indicator = False
    is_reference = False


@dataclass
class Reference:
    """A place in the tree that uses another node's (or indicator's) value, without copying its sub-tree."""

    id: str
    path: str
    line: int | None
    label: str
    weight: float
    target: str  # id of the node or indicator used
    description: str = ""
    children: tuple = ()
    aggregation = None

    is_indicator = False
    is_reference = True


@dataclass(frozen=True)
class ThemeLink:
    target: str  # id of an indicator or node
    weight: float = 1.0


@dataclass(frozen=True)
class MonteCarloOptions:
    draws: int = 1000
    seed: int | None = None
    weights: str = "dirichlet"
    concentration: float = 20.0
    spread: float = 0.2
    normalisations: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()


@dataclass
class CountrySelection:
    codes: tuple[str, ...] | None = None
    dataset: str | None = None
    column: str | None = None
    year: int | None = None


@dataclass
class IndexModel:
    id: str
    name: str
    version: str
    root: Node
    description: str = ""
    home_country: str | None = None
    exclude_home_country: bool = True
    countries: CountrySelection = field(default_factory=CountrySelection)
    theme_weights: dict[str, float] = field(default_factory=dict)
    theme_links: dict[str, tuple[ThemeLink, ...]] = field(default_factory=dict)
    monte_carlo: MonteCarloOptions = field(default_factory=MonteCarloOptions)
    source: str = ""
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)
    aggregations: dict[str, CustomAggregation] = field(default_factory=dict)

    def walk(self) -> list[Node | Indicator]:
        """All nodes, parents before children (pre-order)."""
        out: list[Node | Indicator] = []
        stack: list[Node | Indicator] = [self.root]
        while stack:
            n = stack.pop()
            out.append(n)
            if not n.is_indicator:
                stack.extend(reversed(n.children))
        return out

    def indicators(self) -> list[Indicator]:
        return [n for n in self.walk() if n.is_indicator]

    def node(self, node_id: str) -> Node | Indicator:
        for n in self.walk():
            if n.id == node_id:
                return n
        raise KeyError(node_id)
