"""Computation core of the priorities app: country prioritisation indices from model files.

Pure Python/numpy; importable without Django settings. Typical use::

    from dividend.priorities.engine import IndicatorLibrary, load_model, compute, run_monte_carlo
    library = IndicatorLibrary()
    model = load_model(path_or_yaml_text, library)        # ModelFileError lists every problem
    result = compute(model, library, home_country="BEL")   # ComputeError (a ModelFileError) on bad data
    result.ranking(); result.country("COL"); theme_scores(result)
    robustness = run_monte_carlo(result, draws=10_000, progress=callback)
"""

from .comparison import RankShift, ThemeScores, compare_results, theme_scores
from .compute import IndexResult, Prepared, build_plan, compute, evaluate, prepare, rank_scores
from .datasets import (
    BUILTIN_DATASETS,
    ColumnTable,
    DatasetSpec,
    IndicatorLibrary,
    country_name,
    known_countries,
)
from .errors import ComputeError, DatasetError, ModelFileError, Problem, RowProblem
from .expressions import FormulaError, parse_formula
from .model import (
    AGGREGATIONS,
    DIRECTIONS,
    FORMAT_VERSION,
    MODEL_DIR,
    NORMALISATIONS,
    THEMES,
    IndexModel,
    Indicator,
    MonteCarloOptions,
    Node,
)
from .modelfile import load_model, shipped_model, shipped_model_names
from .montecarlo import MonteCarloResult, run_monte_carlo, simulate
from .scaling import apply_rounding, normalise, round_half_even, round_half_up
from .userdata import UserRow, parse_user_records, parse_user_rows

SCHEMA_PATH = MODEL_DIR / "schema.json"

__all__ = [
    "AGGREGATIONS", "BUILTIN_DATASETS", "DIRECTIONS", "FORMAT_VERSION", "MODEL_DIR", "NORMALISATIONS",
    "SCHEMA_PATH", "THEMES", "ColumnTable", "ComputeError", "DatasetError", "DatasetSpec", "FormulaError",
    "IndexModel", "IndexResult", "Indicator", "IndicatorLibrary", "ModelFileError", "MonteCarloOptions",
    "MonteCarloResult", "Node", "Prepared", "Problem", "RankShift", "RowProblem", "ThemeScores", "UserRow",
    "apply_rounding", "build_plan", "compare_results", "compute", "country_name", "evaluate",
    "known_countries", "load_model", "normalise", "parse_formula", "parse_user_records", "parse_user_rows", "prepare",
    "rank_scores", "round_half_even", "round_half_up", "run_monte_carlo", "shipped_model",
    "shipped_model_names", "simulate", "theme_scores",
]
