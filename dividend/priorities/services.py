"""Workflows of the priorities app: model versions, theme weights, user datasets and runs.

Keyword-only functions; every change checks the actor's permission (``actor=None`` = the system, e.g.
installing shipped models) and writes the audit log. Problems in a model file raise the engine's
``ModelFileError`` (every problem with path and line); bad uploads raise ``DatasetError`` (every bad
row); other bad input raises ``ValidationError``. Nothing is saved when anything is wrong.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.common.tabular import TabularFileError, check_upload, upload_limits
from dividend.reference.models import Country

from . import access
from .engine import (
    BUILTIN_DATASETS,
    MODEL_DIR,
    THEMES,
    ColumnTable,
    ComputeError,
    DatasetError,
    IndexModel,
    IndexResult,
    IndicatorLibrary,
    ModelFileError,
    MonteCarloResult,
    Problem,
    RowProblem,
    UserRow,
    compute,
    load_model,
    parse_user_records,
    parse_user_rows,
    run_monte_carlo,
    shipped_model_names,
    theme_scores,
)
from .engine.errors import Text, gettext_noop
from .models import (
    DEFAULT_MODEL,
    PriorityModel,
    PriorityModelVersion,
    PriorityRun,
    RunCountry,
    UserDataset,
    installation_home_country,
)

MAX_DRAWS = 20_000
SYNC_DRAWS = 10_000  # the web page runs up to this many draws in the request
SHIPPED_COMMENT = "Shipped model file"
YEAR_RANGE = (1950, 2100)


def _require_editor(actor) -> None:
    if actor is not None and not access.can_edit_priorities(actor):
        raise PermissionDenied(_("Only policy officers and administrators change priority models, datasets and runs."))


# ----------------------------------------------------------------------------------------------------
# Library and validation
# ----------------------------------------------------------------------------------------------------

# What does not change between versions is built once per process: an uploaded dataset's engine table
# (keyed by its id and upload time, which every upload and edit moves) and a checked model text (keyed
# by the text and the datasets it could name). Opening a model page then parses no YAML and reads no
# dataset rows; a dataset uploaded by another process is seen through its new upload time.
_DATASET_TABLES: dict[int, tuple[object, ColumnTable]] = {}
_CHECKED: OrderedDict[tuple, IndexModel | list[Problem]] = OrderedDict()
_CHECKED_SIZE = 64


def _dataset_table(pk: int, stamp) -> ColumnTable:
    cached = _DATASET_TABLES.get(pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = UserDataset.objects.filter(pk=pk).values_list("rows", flat=True).first() or []
    table = ColumnTable.from_cells({(iso3, int(year)): float(value) for iso3, year, value in rows})
    table.values.flags.writeable = False  # shared by every computation of this process
    _DATASET_TABLES[pk] = (stamp, table)
    return table


class _StoredLibrary(IndicatorLibrary):
    """The engine's library with the stored user datasets, each read (or taken from the process's cache)
    only when a computation asks for its table: checking a model text needs only their names."""

    def __init__(self, stored: list[tuple[int, str, str, object]]):
        super().__init__()
        self._stored = {name: (pk, label, stamp) for pk, name, label, stamp in stored}

    def dataset_names(self) -> list[str]:
        return super().dataset_names() + sorted(set(self._stored) - set(super().dataset_names()))

    def columns(self, dataset: str) -> list[str] | None:
        return ["value"] if dataset in self._stored else super().columns(dataset)

    def describe(self) -> list[dict]:
        return super().describe() + [{"name": name, "label": label, "source": "user upload", "columns": {"value": ""},
                                      "home_dependent": []} for name, (_, label, _) in self._stored.items()]

    def table(self, dataset: str, column: str, home_country: str | None) -> ColumnTable:
        if dataset in self._stored and column == "value":
            pk, label, stamp = self._stored.pop(dataset)
            self.add_table(dataset, column, _dataset_table(pk, stamp), label)
        return super().table(dataset, column, home_country)


def _library_and_signature(exclude: str | None = None) -> tuple[IndicatorLibrary, tuple]:
    stored = list(UserDataset.objects.exclude(name=exclude or "").order_by("pk")
                  .values_list("pk", "name", "description", "uploaded_at"))
    library = _StoredLibrary([(pk, name, description or name, stamp) for pk, name, description, stamp in stored])
    if exclude is None:
        for gone in set(_DATASET_TABLES) - {pk for pk, *_ in stored}:
            _DATASET_TABLES.pop(gone, None)
    return library, tuple((pk, name, stamp) for pk, name, _, stamp in stored)


def build_library(*, exclude: str | None = None) -> IndicatorLibrary:
    """The engine's datasets plus every stored user dataset (``exclude``: leave one out, for replacing it)."""
    return _library_and_signature(exclude)[0]


def validate_model_text(text: str, library: IndicatorLibrary | None = None) -> IndexModel:
    """Load the text with the engine; raises ModelFileError listing every problem (path, line, message).

    Without ``library`` (the stored datasets), the answer for the same text and datasets is kept: the
    model returned is shared, so callers read it and do not change it.
    """
    if not isinstance(text, str) or not text.strip():
        raise ModelFileError([Problem("", None, Text(gettext_noop("the model file is empty")))])
    if library is not None:
        return load_model(text, library)
    library, signature = _library_and_signature()
    key = (hashlib.sha256(text.encode()).digest(), signature)
    found = _CHECKED.get(key)
    if found is None:
        try:
            found = load_model(text, library)
        except ComputeError:
            raise
        except ModelFileError as exc:
            found = list(exc.errors)
        _CHECKED[key] = found
        while len(_CHECKED) > _CHECKED_SIZE:
            _CHECKED.popitem(last=False)
    else:
        _CHECKED.move_to_end(key)
    if isinstance(found, list):
        raise ModelFileError(found)
    return found


def check_home_country(code) -> str:
    """An ISO3 code of a known country (reference data), upper-cased; ValidationError otherwise."""
    code = str(code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError({"home_country": [_("%(code)s is not an ISO3 code (e.g. BEL).") % {
            "code": repr(code) if code else _("(empty)")}]})
    if not Country.objects.filter(iso3=code).exists():
        raise ValidationError({"home_country": [_("Unknown country %(code)s.") % {"code": repr(code)}]})
    return code


# ----------------------------------------------------------------------------------------------------
# Models and versions
# ----------------------------------------------------------------------------------------------------

def _next_number(model: PriorityModel) -> int:
    return (model.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def create_model(*, actor, name: str, text: str, title: str = "", description: str = "",
                 home_country: str | None = None, comment: str = "", shipped: bool = False) -> PriorityModel:
    """Create a model with its first version.

    Steps: 1. check the actor may edit; 2. validate the text (ModelFileError); 3. check name and home
    country; 4. save the model and version 1; 5. audit.
    """
    _require_editor(actor)
    engine_model = validate_model_text(text)
    home = check_home_country(home_country or engine_model.home_country or installation_home_country())
    with transaction.atomic():
        model = PriorityModel(name=name, title=title or engine_model.name, home_country=home, shipped=shipped,
                              description=description or engine_model.description)
        model.full_clean()
        model.save()
        version = PriorityModelVersion.objects.create(model=model, number=1, text=text, author=_user(actor),
                                                      comment=comment or ("" if not shipped else SHIPPED_COMMENT))
        model.current_version = version
        model.save(update_fields=["current_version"])
        record(actor=actor, action="create", obj=model, fields=["name", "title", "home_country", "version"],
               detail={"version": 1, "comment": version.comment})
    return model


def save_version(*, actor, model: PriorityModel, text: str, comment: str = "") -> PriorityModelVersion:
    """Save a new version of a model's file.

    Steps: 1. check the actor may edit; 2. validate with the engine (ModelFileError lists every problem
    with path and line; nothing is saved); 3. if the text is unchanged, return the current version;
    4. lock the model row, number the version n+1 and make it current; 5. audit.
    """
    _require_editor(actor)
    validate_model_text(text)
    with transaction.atomic():
        model = PriorityModel.objects.select_for_update().get(pk=model.pk)
        current = model.current_version
        if current is not None and current.text == text:
            return current
        version = PriorityModelVersion.objects.create(model=model, number=_next_number(model), text=text,
                                                      author=_user(actor), comment=comment[:300])
        model.current_version = version
        model.save(update_fields=["current_version"])
        record(actor=actor, action="update", obj=model,
               changes={"version": (current.number if current else None, version.number)},
               detail={"comment": version.comment})
    return version


def set_home_country(*, actor, model: PriorityModel, home_country: str) -> PriorityModel:
    """Change the model's home-country setting. Steps: 1. permission; 2. validate the code; 3. save; 4. audit."""
    _require_editor(actor)
    code = check_home_country(home_country)
    if code != model.home_country:
        before = model.home_country
        model.home_country = code
        model.save(update_fields=["home_country"])
        record(actor=actor, action="update", obj=model, changes={"home_country": (before, code)})
    return model


def install_shipped_models(*, names: list[str] | None = None) -> dict[str, str]:
    """Install the model files shipped in ``model_files/`` (idempotent).

    Steps: 1. for each file: create the model if absent ("created"); 2. if present and its current
    version is an unedited shipped version whose text differs from the file, add the file as a new
    version ("updated"); 3. otherwise leave it ("unchanged": user edits are never overwritten).
    """
    outcome = {}
    for name in names or shipped_model_names():
        text = (MODEL_DIR / f"{name}.yaml").read_text(encoding="utf-8")
        model = PriorityModel.objects.with_current().filter(name=name).first()
        if model is None:
            # Shipped files are written for any country: they rank for this installation's home country.
            create_model(actor=None, name=name, text=text, shipped=True, home_country=installation_home_country())
            outcome[name] = "created"
        elif (model.current_version and model.current_version.author_id is None
              and model.current_version.comment == SHIPPED_COMMENT and model.current_version.text != text):
            save_version(actor=None, model=model, text=text, comment=SHIPPED_COMMENT)
            outcome[name] = "updated"
        else:
            outcome[name] = "unchanged"
    return outcome


def ensure_default_model() -> PriorityModel:
    """The default model, installed from its shipped file on first use."""
    model = PriorityModel.objects.with_current().filter(name=DEFAULT_MODEL).first()
    if model is None:
        install_shipped_models(names=[DEFAULT_MODEL])
        model = PriorityModel.objects.with_current().get(name=DEFAULT_MODEL)
    return model


# ----------------------------------------------------------------------------------------------------
# Thematic priority weights
# ----------------------------------------------------------------------------------------------------

def theme_weights_of(text: str) -> dict[str, float]:
    """Theme weights as written in a model file (every theme; 0 when absent)."""
    model = validate_model_text(text)
    return {t: float(model.theme_weights.get(t, 0.0)) for t in THEMES}


def default_model_text() -> tuple[str, str]:
    """(name, text) of the default model's current version, read without writing: the shipped file
    while the model is not installed yet (a page that only reads must not install it)."""
    model = PriorityModel.objects.with_current().filter(name=DEFAULT_MODEL).first()
    if model is None or model.current_version is None:
        return DEFAULT_MODEL, (MODEL_DIR / f"{DEFAULT_MODEL}.yaml").read_text(encoding="utf-8")
    return model.name, model.current_version.text


def current_theme_weights(model: PriorityModel | None = None) -> dict[str, float]:
    """The policy officer's thematic priority weights: theme → weight, from the current version of
    ``model`` (default: the default model, installed if needed). For position relevance and reports."""
    model = model or ensure_default_model()
    return theme_weights_of(model.current_version.text)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def replace_theme_weights(text: str, weights: dict[str, float]) -> str:
    """The model file text with ``themes.weights`` replaced (comments and layout elsewhere kept).

    Raises ValidationError when the file has no ``themes`` mapping to put the weights in.
    """
    import yaml

    flow = "{" + ", ".join(f"{t}: {_fmt(w)}" for t, w in weights.items()) + "}"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    _key, themes = _child(root, "themes")
    if not isinstance(themes, yaml.MappingNode):
        raise ValidationError(_("The model file has no themes section; add one (with indicators) in the editor."))
    key, weights_node = _child(themes, "weights")
    if weights_node is not None:
        # From the end of the key "weights" to the end of its value; a block mapping ends where the next
        # key starts, so trailing white space is kept.
        start, end = key.end_mark.index, weights_node.end_mark.index
        end = start + len(text[start:end].rstrip())
        return text[:start] + ": " + flow + text[end:]
    if themes.flow_style:
        start = themes.start_mark.index
        return text[:start + 1] + f"weights: {flow}, " + text[start + 1:]
    first_key = themes.value[0][0]
    line_start = text.rfind("\n", 0, first_key.start_mark.index) + 1
    indent = " " * first_key.start_mark.column
    return text[:line_start] + f"{indent}weights: {flow}\n" + text[line_start:]


def _child(node, key):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None, None
    for k, v in node.value:
        if getattr(k, "value", None) == key:
            return k, v
    return None, None


def update_theme_weights(*, actor, model: PriorityModel, weights: dict[str, float],
                         comment: str = "") -> PriorityModelVersion:
    """Save new thematic priority weights as a new version of the model file.

    Steps: 1. permission; 2. check weights (known themes, numbers >= 0); 3. rewrite ``themes.weights``
    in the current text, unless they are the weights it has; 4. save it as a version (validated by the
    engine: a theme with a weight needs indicators); 5. audit (through save_version).
    """
    _require_editor(actor)
    errors = []
    clean = {}
    for theme, w in weights.items():
        if theme not in THEMES:
            errors.append(_("Unknown theme %(theme)s.") % {"theme": repr(theme)})
            continue
        try:
            value = float(w)
        except (TypeError, ValueError):
            errors.append(_("%(theme)s: weight must be a number.") % {"theme": theme})
            continue
        if not math.isfinite(value) or value < 0:
            errors.append(_("%(theme)s: weight must be a number >= 0.") % {"theme": theme})
        else:
            clean[theme] = value
    if errors:
        raise ValidationError(errors)
    current = model.current_version
    if theme_weights_of(current.text) == {t: clean.get(t, 0.0) for t in THEMES}:
        return current  # unchanged: the file keeps its own wording (absent themes, number formats)
    text = replace_theme_weights(current.text, clean)
    return save_version(actor=actor, model=model, text=text, comment=comment or "Theme weights changed")


# ----------------------------------------------------------------------------------------------------
# User datasets
# ----------------------------------------------------------------------------------------------------

def _parse_upload(content: str | bytes, filename: str) -> list[UserRow]:
    """The engine's rows of an uploaded file, within the upload limits (DatasetError naming the limit)."""
    try:
        check_upload(filename, content.encode() if isinstance(content, str) else content)
    except TabularFileError as exc:
        raise DatasetError([RowProblem(1, str(exc))]) from None
    return parse_user_rows(content, filename, max_rows=upload_limits().max_rows)


def upload_dataset(*, actor, name: str, content: str | bytes | None = None, filename: str = "",
                   rows: list | None = None, description: str = "") -> UserDataset:
    """Store an uploaded dataset (CSV/XLSX content, or JSON ``rows``), all or nothing.

    Steps: 1. permission; 2. check the name (identifier, not a built-in dataset); 3. parse every row with
    the engine (DatasetError lists every bad row with its line; for JSON rows the line is the row's
    position, 1-based); 4. create or replace the dataset; 5. audit.
    """
    _require_editor(actor)
    name = (name or "").strip()
    if name in BUILTIN_DATASETS:
        raise ValidationError({"name": [_("%(name)s is a built-in dataset; choose another name.") % {
            "name": repr(name)}]})
    limits = upload_limits()
    if rows is not None:
        if not isinstance(rows, list):
            raise ValidationError({"rows": [_("rows must be a list of {iso3, year, value}.")]})
        if len(rows) > limits.max_rows:
            raise ValidationError({"rows": [_("%(count)s rows; the limit is %(limit)s.") % {
                "count": f"{len(rows):,}", "limit": f"{limits.max_rows:,}"}]})
        parsed = parse_user_records(rows)
        filename = filename or "(JSON rows)"
    else:
        parsed = _parse_upload(content if content is not None else b"", filename)
    with transaction.atomic():
        dataset = UserDataset.objects.select_for_update().filter(name=name).first()
        creating = dataset is None
        dataset = dataset or UserDataset(name=name)
        dataset.description = description[:300]
        dataset.filename = filename[:200]
        dataset.rows = [[r.iso3, r.year, r.value] for r in parsed]
        dataset.row_count = len(parsed)
        dataset.uploaded_by = _user(actor)
        dataset.full_clean()
        dataset.save()
        record(actor=actor, action="import", obj=dataset, fields=["rows"],
               detail={"rows": len(parsed), "filename": filename, "replaced": not creating})
    return dataset


def update_dataset(*, actor, dataset: UserDataset, description: str, content: str | bytes | None = None,
                   filename: str = "") -> list[str]:
    """Change a dataset's description and, with a file, replace its rows (all or nothing).

    Steps: 1. permission; 2. parse the new file with the engine (DatasetError lists every bad row;
    nothing is stored); 3. in one transaction, lock the row, compare and save what differs; 4. audit
    the changed fields. Returns them (empty: nothing changed, nothing logged).
    """
    _require_editor(actor)
    parsed = _parse_upload(content, filename) if content is not None else None
    with transaction.atomic():
        dataset = UserDataset.objects.select_for_update().get(pk=dataset.pk)
        new = {"description": description[:300]}
        if parsed is not None:
            new |= {"rows": [[r.iso3, r.year, r.value] for r in parsed], "row_count": len(parsed),
                    "filename": filename[:200]}
        fields = sorted(name for name, value in new.items() if getattr(dataset, name) != value)
        if not fields:
            return []
        before_description = dataset.description
        for name, value in new.items():
            setattr(dataset, name, value)
        dataset.uploaded_by = _user(actor) if parsed is not None else dataset.uploaded_by
        dataset.full_clean()
        dataset.save()
        record(actor=actor, action="update", obj=dataset, fields=fields,
               changes={"description": (before_description, dataset.description)}
               if "description" in fields else None,
               detail={"rows": dataset.row_count, "filename": dataset.filename})
    return fields


# ----------------------------------------------------------------------------------------------------
# Runs
# ----------------------------------------------------------------------------------------------------

@dataclass
class Computed:
    """A computation before it is stored: the engine's results and the rows to store."""

    result: IndexResult
    robustness: MonteCarloResult | None
    tree: list[dict]
    dimensions: list[dict]
    countries: list[RunCountry]  # unsaved rows
    duration: float


def model_tree(model: IndexModel) -> list[dict]:
    """The tree, pre-order: id, label, parent, depth, indicator, weight, dataset, column."""
    out = []

    def walk(node, parent, depth):
        out.append({"id": node.id, "label": node.label, "parent": parent, "depth": depth,
                    "indicator": node.is_indicator, "weight": node.weight,
                    "dataset": getattr(node, "dataset", None), "column": getattr(node, "column", None),
                    "aggregation": getattr(node, "aggregation", None)})
        if not node.is_indicator:
            for child in node.children:
                walk(child, node.id, depth + 1)

    walk(model.root, None, 0)
    return out


def check_run_options(*, year=None, draws=0, method="dirichlet", seed=None) -> dict:
    """Validate run options; ValidationError with every problem by field."""
    errors: dict[str, list[str]] = {}
    if year is not None and not (isinstance(year, int) and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
        errors["year"] = [_("Year must be a whole number between %(first)s and %(last)s.") % {
            "first": YEAR_RANGE[0], "last": YEAR_RANGE[1]}]
    if not isinstance(draws, int) or isinstance(draws, bool) or not 0 <= draws <= MAX_DRAWS:
        errors["draws"] = [_("Monte Carlo draws must be a whole number from 0 to %(limit)s.") % {
            "limit": f"{MAX_DRAWS:,}"}]
    if method not in PriorityRun.Method.values:
        errors["method"] = [_("Method must be one of %(methods)s.") % {"methods": ", ".join(PriorityRun.Method.values)}]
    if seed is not None and not (isinstance(seed, int) and 0 <= seed < 2**63):
        errors["seed"] = [_("Seed must be a whole number >= 0.")]
    if errors:
        raise ValidationError(errors)
    return {"year": year, "draws": draws, "method": method, "seed": seed}


def compute_run(*, text: str, home_country: str, year: int | None = None, draws: int = 0,
                method: str = "dirichlet", seed: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> Computed:
    """Compute a model file (no database writes). Raises ModelFileError/ComputeError on problems."""
    started = time.perf_counter()
    library = build_library()
    engine_model = validate_model_text(text, library)
    result = compute(engine_model, library, home_country=home_country, as_of_year=year)
    mc = None
    if draws:
        mc = run_monte_carlo(result, draws=draws, seed=seed, weights=method, progress=progress)
    tree = model_tree(engine_model)
    dimensions = [{"id": c.id, "label": c.label} for c in engine_model.root.children]
    themes = theme_scores(result) if engine_model.theme_links else None
    robust = {row["iso3"]: row for row in mc.rows()} if mc else {}
    rows = []
    for iso3 in result.countries:
        data = result.country(iso3)
        mc_row = robust.get(iso3, {})
        rows.append(RunCountry(
            iso3=iso3, name=data["name"], rank=data["rank"], score=data["score"],
            reliability=data["reliability"], missing_count=data["missing_count"],
            dimension_scores={d["id"]: data["node_scores"][d["id"]] for d in dimensions},
            median_rank=mc_row.get("median_rank"), p05_rank=mc_row.get("p05_rank"),
            p95_rank=mc_row.get("p95_rank"), mean_abs_shift=mc_row.get("mean_abs_shift"),
            detail={"node_scores": data["node_scores"], "contributions": data["contributions"],
                    "raw_values": data["raw_values"], "value_years": data["value_years"],
                    "themes": themes.for_country(iso3) if themes else {}},
        ))
    return Computed(result, mc, tree, dimensions, rows, time.perf_counter() - started)


def start_run(*, actor, version: PriorityModelVersion, home_country: str | None = None, year: int | None = None,
              draws: int = 0, method: str = "dirichlet", seed: int | None = None, label: str = "",
              progress: Callable[[int, int], None] | None = None, save: bool = True
              ) -> tuple[PriorityRun, Computed]:
    """Compute a model version and store the run with its results.

    Steps: 1. permission; 2. validate options and home country (ValidationError); 3. fix a seed when none
    is given, so the run can be repeated; 4. compute the index and the Monte Carlo analysis
    (ModelFileError/ComputeError: nothing stored); 5. store the run and one row per country;
    6. audit. With ``save=False`` the run and its rows are returned unsaved.
    """
    _require_editor(actor)
    options = check_run_options(year=year, draws=draws, method=method, seed=seed)
    home = check_home_country(home_country or version.model.home_country)
    if options["draws"] and options["seed"] is None:
        options["seed"] = secrets.randbelow(2**31)
    computed = compute_run(text=version.text, home_country=home, progress=progress, **options)
    run = PriorityRun(model_version=version, label=label[:200], home_country=home, created_by=_user(actor),
                      status=PriorityRun.Status.DONE, duration_seconds=round(computed.duration, 3),
                      country_count=sum(1 for c in computed.countries if c.rank), tree=computed.tree,
                      dimensions=computed.dimensions, theme_weights=dict(computed.result.model.theme_weights),
                      mc_timings=computed.robustness.timings if computed.robustness else {}, **options)
    if save:
        store_run(actor=actor, run=run, computed=computed)
    return run, computed


def store_run(*, actor, run: PriorityRun, computed: Computed) -> PriorityRun:
    """Store a computed run (from ``start_run(save=False)``). Steps: 1. save the run; 2. bulk-create one
    row per country; 3. audit."""
    _require_editor(actor)
    version = run.model_version
    with transaction.atomic():
        run.model_version = version  # re-assign: the version may have been saved after the run was built
        run.save()
        for row in computed.countries:
            row.run = run
        RunCountry.objects.bulk_create(computed.countries, batch_size=500)
        record(actor=actor, action="create", obj=run, fields=["results"],
               detail={"model": version.model.name, "version": version.number, "home_country": run.home_country,
                       "year": run.year, "draws": run.draws, "method": run.method, "seed": run.seed})
    return run


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
