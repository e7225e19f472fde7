"""Priorities endpoints: models and versions, user datasets, runs and their stored results.

Errors follow the API's one contract (dividend/api.py): a rejected model file or dataset answers 400
with its problems located in `problems` (`path` in the model tree and YAML `line`; for a dataset, the
row's line) and the input field holding it named in `errors`.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from dividend.common.api import (
    INVALID,
    ApiError,
    IdPath,
    Limit,
    Offset,
    Page,
    QueryText,
    Text,
    error_responses,
    form_errors,
    max_length_of,
    paginate,
    text_of,
)
from dividend.pools.models import Pool

from . import access, adoption, results, services
from .engine import DatasetError, ModelFileError
from .engine.checking import MAX_MODEL_CHARS
from .forms import NATIONAL, AdoptionForm, DatasetUploadForm, ModelTextForm, RunForm, WithdrawAdoptionForm
from .messages import translated
from .models import Adoption, PriorityModel, PriorityModelVersion, PriorityRun, RunCountry, UserDataset

router = Router(tags=["priorities"])
# A model's name in a path: at most the model's field length (longer names no model: 404).
ModelName = Text(max_length_of(PriorityModel, "name"), where=Path)


class RunPageQuery(Schema):
    limit: Limit = 50
    offset: Offset = 0


class VersionOut(Schema):
    number: int
    comment: str
    author: str | None
    created_at: dt.datetime


class VersionText(VersionOut):
    text: str


class ModelOut(Schema):
    name: str
    title: str
    description: str
    home_country: str
    shipped: bool
    current_version: int | None
    versions: int


class ModelDetail(ModelOut):
    theme_weights: dict[str, float]
    version_list: list[VersionOut]


class VersionIn(Schema):
    text: Text(MAX_MODEL_CHARS) = Field(description=f"The model file (YAML), at most {MAX_MODEL_CHARS:,} characters.")
    comment: text_of(ModelTextForm, "comment") = ""


class RunIn(Schema):
    model: text_of(PriorityModel, "name") = Field(description="The model's name.")
    version: int | None = Field(None, description="Empty: the current version.")
    home_country: text_of(RunForm, "home_country") = Field("", description="ISO3; empty: the model's home country.")
    year: int | None = Field(None, description="Evaluate as of this year; empty: the years in the model file.")
    draws: int = Field(0, description=f"Monte Carlo draws, 0 to {services.SYNC_DRAWS:,} here (more with the "
                                      "rank_countries command).")
    method: PriorityRun.Method = PriorityRun.Method.DIRICHLET
    seed: int | None = Field(None, description="Empty: random (stored).")
    label: text_of(RunForm, "label") = ""


class DimensionOut(Schema):
    id: str
    label: str


class NodeOut(Schema):
    id: str
    label: str
    depth: int
    indicator: bool
    weight: float
    score: float | None
    contribution: float
    raw_value: float | None
    year: int | None
    source: str


class RunOut(Schema):
    id: int
    label: str
    model: str
    version: int
    home_country: str
    year: int | None
    draws: int
    method: str
    seed: int | None
    status: str
    created_by: str | None
    created_at: dt.datetime
    duration_seconds: float
    country_count: int
    dimensions: list[DimensionOut]


class RunPage(Page):
    items: list[RunOut]


class RankingRow(Schema):
    rank: int
    iso3: str
    name: str
    score: float | None
    reliability: float
    missing_count: int
    dimension_scores: dict[str, float | None]
    median_rank: float | None
    p05_rank: float | None
    p95_rank: float | None
    mean_abs_shift: float | None


class CountryDetail(RankingRow):
    rank: int | None
    nodes: list[NodeOut]
    themes: dict[str, float | None]


class RobustnessRow(Schema):
    rank: int
    iso3: str
    name: str
    median_rank: float
    p05_rank: float
    p95_rank: float
    mean_abs_shift: float


class DatasetOut(Schema):
    name: str
    description: str
    filename: str
    row_count: int
    uploaded_by: str | None
    uploaded_at: dt.datetime


# A dataset cell sent as text (a code, or a year or value written out: the reader reports a wrong one
# with its line): at most this many characters, as a spreadsheet cell of any sensible dataset.
MAX_CELL_CHARS = 100
Cell = Text(MAX_CELL_CHARS)


class DatasetRowIn(BaseModel):
    # Year and value are checked by the dataset reader, as in a file, so every bad row is reported
    # with its line rather than only the first type error. A plain pydantic model, not a ninja Schema:
    # the Schema's validator (made to read Django objects) costs seconds for 100,000 rows.
    iso3: Cell
    year: int | Cell
    value: float | Cell | None


class DatasetIn(BaseModel):  # plain pydantic, as DatasetRowIn: the Schema's validator walks every row
    name: text_of(DatasetUploadForm, "name")
    description: text_of(DatasetUploadForm, "description") = ""
    rows: list[DatasetRowIn] = Field(description="One row per country and year (line in problems = position, "
                                                 "1-based); at most DIVIDEND_UPLOAD_MAX_ROWS rows (default "
                                                 "100,000).")


def _read(user):
    if not access.can_read_priorities(user):
        raise PermissionDenied("Your role does not work with country priorities.")


def _edit(user):
    _read(user)
    if not access.can_edit_priorities(user):
        raise PermissionDenied("Only policy officers and administrators change priority models, datasets and runs.")


def _rejected(exc, field: str):
    """A 400 for a rejected model file or dataset: every problem located in `problems` (its message in the
    reader's language, as on the pages)."""
    if isinstance(exc, ModelFileError):
        problems = [{"path": p.path, "line": p.line, "message": str(translated(p.message))} for p in exc.errors]
        detail = f"{len(problems)} problem(s) in the model file; nothing was saved."
    else:
        problems = [{"path": "", "line": p.line, "message": str(translated(p.message))} for p in exc.errors]
        detail = f"{exc.count} bad row(s); nothing was imported."
    return ApiError(INVALID, detail, errors={field: [detail]}, problems=problems)


def _version(v: PriorityModelVersion) -> dict:
    return {"number": v.number, "comment": v.comment, "author": v.author.get_username() if v.author else None,
            "created_at": v.created_at}


def _model_out(m: PriorityModel) -> dict:
    return {"name": m.name, "title": m.title, "description": m.description, "home_country": m.home_country,
            "shipped": m.shipped, "current_version": m.current_version.number if m.current_version else None,
            "versions": getattr(m, "n_versions", None) or m.versions.count()}


def _run_out(r: PriorityRun) -> dict:
    return {"id": r.pk, "label": r.label, "model": r.model_version.model.name, "version": r.model_version.number,
            "home_country": r.home_country, "year": r.year, "draws": r.draws, "method": r.method, "seed": r.seed,
            "status": r.status, "created_by": r.created_by.get_username() if r.created_by else None,
            "created_at": r.created_at, "duration_seconds": r.duration_seconds, "country_count": r.country_count,
            "dimensions": r.dimensions}


def _row_out(r: RunCountry) -> dict:
    return {"rank": r.rank, "iso3": r.iso3, "name": r.name, "score": r.score, "reliability": r.reliability,
            "missing_count": r.missing_count, "dimension_scores": r.dimension_scores, "median_rank": r.median_rank,
            "p05_rank": r.p05_rank, "p95_rank": r.p95_rank, "mean_abs_shift": r.mean_abs_shift}


def _get_run(user, run_id):
    return get_object_or_404(PriorityRun.objects.visible_to(user).select_related(
        "model_version", "model_version__model", "created_by"), pk=run_id)


# --------------------------------------------------------------------------------------------------- models

@router.get("/models", response={200: list[ModelOut], **error_responses(401, 403)})
def list_models(request):
    _read(request.user)
    services.ensure_default_model()
    return [_model_out(m) for m in PriorityModel.objects.visible_to(request.user).with_current()
            .annotate(n_versions=Count("versions"))]


@router.get("/models/{name}", response={200: ModelDetail, **error_responses(401, 403, 404)})
def get_model(request, name: ModelName):
    _read(request.user)
    model = get_object_or_404(PriorityModel.objects.visible_to(request.user).with_current(), name=name)
    return _model_out(model) | {
        "theme_weights": services.current_theme_weights(model),
        "version_list": [_version(v) for v in model.versions.select_related("author").order_by("-number")]}


@router.get("/models/{name}/versions/{number}", response={200: VersionText, **error_responses(400, 401, 403, 404)})
def get_version(request, name: ModelName, number: IdPath):
    _read(request.user)
    version = get_object_or_404(PriorityModelVersion.objects.visible_to(request.user).select_related("author"),
                                model__name=name, number=number)
    return _version(version) | {"text": version.text}


@router.post("/models/{name}/versions", response={201: VersionText, **error_responses(400, 401, 403, 404)})
def create_version(request, name: ModelName, payload: VersionIn):
    """Save a new version of the model file (YAML text). Invalid: 400 with every problem's path and line."""
    _edit(request.user)
    model = get_object_or_404(PriorityModel.objects.visible_to(request.user).with_current(), name=name)
    form = ModelTextForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    try:
        version = services.save_version(actor=request.user, model=model, text=form.cleaned_data["text"],
                                        comment=form.cleaned_data["comment"])
    except ModelFileError as exc:
        raise _rejected(exc, "text") from None
    return Status(201, _version(version) | {"text": version.text})


# --------------------------------------------------------------------------------------------------- datasets

@router.get("/datasets", response={200: list[DatasetOut], **error_responses(401, 403)})
def list_datasets(request):
    _read(request.user)
    return [{"name": d.name, "description": d.description, "filename": d.filename, "row_count": d.row_count,
             "uploaded_by": d.uploaded_by.get_username() if d.uploaded_by else None, "uploaded_at": d.uploaded_at}
            for d in UserDataset.objects.visible_to(request.user).select_related("uploaded_by").defer("rows")]


def _dataset_out(d):
    return {"name": d.name, "description": d.description, "filename": d.filename, "row_count": d.row_count,
            "uploaded_by": d.uploaded_by.get_username() if d.uploaded_by else None, "uploaded_at": d.uploaded_at}


@router.post("/datasets", response={201: DatasetOut, **error_responses(400, 401, 403)})
def create_dataset(request, payload: DatasetIn):
    """Upload a dataset as JSON rows ``[{iso3, year, value}]`` (line in problems = row position, 1-based)."""
    _edit(request.user)
    form = DatasetUploadForm({"name": payload.name, "description": payload.description})
    form.fields["file"].required = False
    if not form.is_valid():
        raise form_errors(form)
    try:
        dataset = services.upload_dataset(actor=request.user, name=form.cleaned_data["name"],
                                          rows=[[row.iso3, row.year, row.value] for row in payload.rows],
                                          description=form.cleaned_data["description"])
    except DatasetError as exc:
        raise _rejected(exc, "rows") from None
    return Status(201, _dataset_out(dataset))


@router.post("/datasets/upload", response={201: DatasetOut, **error_responses(400, 401, 403)})
def upload_dataset_file(request, file: File[UploadedFile],
                        name: str = Form(..., max_length=max_length_of(DatasetUploadForm, "name")),
                        description: str = Form("", max_length=max_length_of(DatasetUploadForm, "description"))):
    """Upload a dataset as a CSV or XLSX file (multipart: name, description, file)."""
    _edit(request.user)
    form = DatasetUploadForm({"name": name, "description": description}, {"file": file})
    if not form.is_valid():
        raise form_errors(form)
    try:
        dataset = services.upload_dataset(actor=request.user, name=form.cleaned_data["name"], content=file.read(),
                                          filename=file.name, description=form.cleaned_data["description"])
    except DatasetError as exc:
        raise _rejected(exc, "file") from None
    return Status(201, _dataset_out(dataset))


# --------------------------------------------------------------------------------------------------- runs

@router.get("/runs", response={200: RunPage, **error_responses(400, 401, 403)})
def list_runs(request, page: Query[RunPageQuery]):
    _read(request.user)
    runs = PriorityRun.objects.visible_to(request.user).select_related(
        "model_version", "model_version__model", "created_by").order_by("-created_at", "-id")
    count, items = paginate(runs, limit=page.limit, offset=page.offset)
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": [_run_out(r) for r in items]}


@router.post("/runs", response={201: RunOut, **error_responses(400, 401, 403)})
def create_run(request, payload: RunIn):
    """Compute a model version and store the run."""
    _edit(request.user)
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    form = RunForm(data, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    c = form.cleaned_data
    try:
        run, _ = services.start_run(actor=request.user, version=c["model_version"], home_country=c["home_country"],
                                    year=c["year"], draws=c["draws"], method=c["method"], seed=c["seed"],
                                    label=c["label"])
    except ModelFileError as exc:
        raise _rejected(exc, "version") from None
    return Status(201, _run_out(_get_run(request.user, run.pk)))


@router.get("/runs/{run_id}", response={200: RunOut, **error_responses(400, 401, 403, 404)})
def get_run(request, run_id: IdPath):
    _read(request.user)
    return _run_out(_get_run(request.user, run_id))


@router.get("/runs/{run_id}/ranking", response={200: list[RankingRow], **error_responses(400, 401, 403, 404)})
def run_ranking(request, run_id: IdPath, sort: QueryText = "rank"):
    _read(request.user)
    run = _get_run(request.user, run_id)
    rows, _ = results.sort_rows(run, list(results.ranked_rows(run)), sort)
    return [_row_out(r) for r in rows]


@router.get("/runs/{run_id}/countries/{iso3}", response={200: CountryDetail, **error_responses(400, 401, 403, 404)})
def run_country(request, run_id: IdPath, iso3: Text(3, min_length=3, where=Path)):
    _read(request.user)
    run = _get_run(request.user, run_id)
    row = get_object_or_404(RunCountry, run=run, iso3=iso3.upper())
    nodes = [{"id": n.id, "label": n.label, "depth": n.depth, "indicator": n.indicator, "weight": n.weight,
              "score": n.score, "contribution": n.contribution, "raw_value": n.raw, "year": n.year,
              "source": n.source} for n in results.breakdown(run, row)]
    return _row_out(row) | {"nodes": nodes, "themes": row.detail.get("themes", {})}


@router.get("/runs/{run_id}/robustness", response={200: list[RobustnessRow], **error_responses(400, 401, 403, 404)})
def run_robustness(request, run_id: IdPath):
    _read(request.user)
    run = _get_run(request.user, run_id)
    return [{"rank": r.rank, "iso3": r.iso3, "name": r.name, "median_rank": r.median_rank, "p05_rank": r.p05_rank,
             "p95_rank": r.p95_rank, "mean_abs_shift": r.mean_abs_shift}
            for r in results.ranked_rows(run) if r.median_rank is not None]


# --------------------------------------------------------------------------------------------------- adoptions

class AdoptionOut(Schema):
    id: int
    agency: str | None = Field(description="The pool's code; null: the national reference ranking.")
    agency_name: str
    run: int
    reason: str
    adopted_by: str | None
    adopted_at: dt.datetime
    in_force: bool
    ended_at: dt.datetime | None
    ended_by: str | None
    end_reason: str


class AdoptionIn(Schema):
    run: int
    agency: text_of(Pool, "code") | None = Field(
        None, description="A pool's code; null or empty: the national reference ranking.")
    reason: text_of(AdoptionForm, "reason")


class WithdrawIn(Schema):
    agency: text_of(Pool, "code") | None = Field(
        None, description="A pool's code; null or empty: the national reference ranking.")
    reason: text_of(WithdrawAdoptionForm, "reason")


class RelevanceOut(Schema):
    iso3: str
    name: str
    rank: int
    score: float | None
    relative: float = Field(description="1 for the first country, 0 for the last.")


class AdoptedRankingOut(Schema):
    adopted: bool
    message: str
    agency: str | None
    national_fallback: bool
    adoption: AdoptionOut | None
    countries: list[RelevanceOut]


def _adoption_out(a: Adoption) -> dict:
    return {"id": a.pk, "agency": a.pool.code if a.pool_id else None, "agency_name": a.agency_name, "run": a.run_id,
            "reason": a.reason, "adopted_by": a.adopted_by.get_username() if a.adopted_by else None,
            "adopted_at": a.adopted_at, "in_force": a.ended_at is None, "ended_at": a.ended_at,
            "ended_by": a.ended_by.get_username() if a.ended_by else None, "end_reason": a.end_reason}


def _agency(code: str | None):
    """The pool of an agency code (None/"" = national); 404 for an unknown code."""
    return None if not code else get_object_or_404(Pool, code=code)


@router.get("/adoptions", response={200: list[AdoptionOut], **error_responses(400, 401, 403, 404)})
def list_adoptions(request, agency: QueryText | None = None, in_force: bool | None = None):
    """Every adoption, newest first (``?agency=<pool code>``: that agency's; ``national``: the national
    ones; ``?in_force=true``: those in force)."""
    _read(request.user)
    rows = adoption.adoption_history(every_agency=True)
    if agency == "national":
        rows = rows.filter(pool__isnull=True)
    elif agency:
        rows = rows.filter(pool=_agency(agency))
    if in_force is not None:
        rows = rows.filter(ended_at__isnull=in_force)
    return [_adoption_out(a) for a in rows.visible_to(request.user)]


@router.post("/adoptions", response={201: AdoptionOut, **error_responses(400, 401, 403, 404)})
def create_adoption(request, payload: AdoptionIn):
    """Adopt a run as the national or an agency's reference ranking (policy officers for that agency)."""
    _read(request.user)
    run = _get_run(request.user, payload.run)
    form = AdoptionForm({"agency": payload.agency or NATIONAL, "reason": payload.reason}, user=request.user)
    if not form.fields["agency"].choices:
        raise PermissionDenied("Only policy officers adopt a reference ranking.")
    if not form.is_valid():
        raise form_errors(form)
    done = adoption.adopt_run(actor=request.user, run=run, pool=form.cleaned_data["agency"],
                              reason=form.cleaned_data["reason"])
    return Status(201, _adoption_out(adoption.adoption_history(every_agency=True).get(pk=done.pk)))


@router.post("/adoptions/withdraw", response={200: AdoptionOut, **error_responses(400, 401, 403, 404)})
def withdraw_adoption(request, payload: WithdrawIn):
    """End the adoption in force of an agency (or the national one): none is adopted there afterwards."""
    _read(request.user)
    pool = _agency(payload.agency)
    if not access.can_adopt_ranking(request.user, pool):
        raise PermissionDenied("Only a policy officer responsible for this ranking withdraws it.")
    form = WithdrawAdoptionForm({"reason": payload.reason})
    if not form.is_valid():
        raise form_errors(form)
    done = adoption.withdraw_adoption(actor=request.user, pool=pool, reason=form.cleaned_data["reason"])
    return _adoption_out(adoption.adoption_history(every_agency=True).get(pk=done.pk))


@router.get("/adopted-ranking", response={200: AdoptedRankingOut, **error_responses(400, 401, 403, 404)})
def adopted_ranking(request, agency: QueryText | None = None):
    """How relevant each country is by the adopted ranking of an agency (falling back to the national
    one) or the national one; ``adopted: false`` with a message when none is adopted."""
    _read(request.user)
    answer = adoption.adopted_ranking(_agency(agency))
    return {"adopted": answer.adopted, "message": answer.message, "agency": agency or None,
            "national_fallback": answer.national_fallback,
            "adoption": _adoption_out(answer.adoption) if answer.adoption else None,
            "countries": [vars(c) for c in answer.countries.values()]}
