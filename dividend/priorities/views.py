"""Priorities pages. Thin: forms validate, services act, results read stored runs, templates show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.common.exports import RENDERERS
from dividend.common.pdf_table import render_table_pdf
from dividend.reference import names
from dividend.reference.taxonomy import THEME_NAMES

from . import access, adoption, charts, results, services
from .engine import DatasetError, ModelFileError
from .forms import (
    AdoptionForm,
    CompareForm,
    DatasetEditForm,
    DatasetUploadForm,
    HomeCountryForm,
    ModelTextForm,
    RunForm,
    ThemeWeightsForm,
    WithdrawAdoptionForm,
)
from .messages import translated
from .models import Adoption, PriorityModel, PriorityModelVersion, PriorityRun, RunCountry, UserDataset

RUN_LIST_SIZE = 50
CHART_COUNTRIES = 40  # countries shown in the robustness and comparison charts


def _require_reader(user):
    if not access.can_read_priorities(user):
        raise PermissionDenied(_("Your role does not work with country priorities."))


def _require_editor(user):
    if not access.can_edit_priorities(user):
        raise PermissionDenied(_("Only policy officers and administrators change priority models, datasets and runs."))


def _model(user, name):
    return get_object_or_404(PriorityModel.objects.visible_to(user).with_current(), name=name)


def _run(user, pk):
    return get_object_or_404(PriorityRun.objects.visible_to(user).select_related(
        "model_version", "model_version__model", "created_by"), pk=pk)


def _errors(exc):
    """ModelFileError/DatasetError/ValidationError → list of (path, line, message) for the error table."""
    if isinstance(exc, ModelFileError):
        return [(p.path, p.line, translated(p.message)) for p in exc.errors]
    if isinstance(exc, DatasetError):
        stopped = [("", None, _("Reading stopped after %(count)s bad rows; correct them and upload again.") % {
            "count": f"{len(exc.errors):,}"})] if exc.truncated else []
        return [("", p.line, translated(p.message)) for p in exc.errors] + stopped
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [(field, None, m) for field, msgs in exc.message_dict.items() for m in msgs]
        return [("", None, m) for m in exc.messages]
    return [("", None, str(exc))]


def _submit(form, action):
    """Validate `form`, then run `action(cleaned_data)`: (result, problems, status).

    A domain error (model file, dataset, validation) becomes the error table and HTTP 400; the
    action changed nothing then.
    """
    if not form.is_valid():
        return None, [], 400
    try:
        return action(form.cleaned_data), [], 200
    except (ModelFileError, DatasetError, ValidationError) as exc:
        return None, _errors(exc), 400


@login_required
def model_list(request):
    _require_reader(request.user)
    services.ensure_default_model()
    models = PriorityModel.objects.visible_to(request.user).with_current().annotate(n_versions=Count("versions"))
    runs = PriorityRun.objects.visible_to(request.user).select_related(
        "model_version", "model_version__model", "created_by").order_by("-created_at", "-id")[:10]
    return render(request, "priorities/model_list.html", {
        "models": models, "runs": runs, "can_edit": access.can_edit_priorities(request.user)})


@login_required
def model_detail(request, name):
    """The model file in an editor; saving validates it and creates a version (400 with every problem)."""
    _require_reader(request.user)
    model = _model(request.user, name)
    can_edit = access.can_edit_priorities(request.user)
    form = ModelTextForm(request.POST or None, initial={"text": model.current_version.text})
    problems, status = [], 200
    if request.method == "POST":
        _require_editor(request.user)
        version, problems, status = _submit(form, lambda data: services.save_version(
            actor=request.user, model=model, text=data["text"], comment=data["comment"]))
        if version:
            messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
            return redirect("priorities:model", name=model.name)
    return render(request, "priorities/model_detail.html", {
        "model": model, "form": form, "problems": problems, "can_edit": can_edit,
        "home_form": HomeCountryForm(initial={"home_country": model.home_country}),
        "versions": model.versions.select_related("author").order_by("-number")[:5],
        "themes": [(names.name(THEME_NAMES[t]), w) for t, w in services.theme_weights_of(model.current_version.text).items()],
    }, status=status)


@login_required
@require_POST
def check_model(request, name):
    """htmx: validate the editor's text without saving; returns the problems fragment."""
    _require_reader(request.user)
    _model(request.user, name)
    problems = []
    try:
        services.validate_model_text(request.POST.get("text", ""))
    except ModelFileError as exc:
        problems = _errors(exc)
    return render(request, "priorities/_problems.html", {"problems": problems, "checked": True},
                  status=400 if problems else 200)


@login_required
@require_POST
def set_home(request, name):
    _require_editor(request.user)
    model = _model(request.user, name)
    form = HomeCountryForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["home_country"])
        services.set_home_country(actor=request.user, model=model, home_country=form.cleaned_data["home_country"])
    except ValidationError as exc:
        messages.error(request, _("Home country not changed: ") + "; ".join(m for _path, _line, m in _errors(exc)))
    else:
        messages.success(request, _("Home country set to %(country)s.") % {"country": model.home_country})
    return redirect("priorities:model", name=model.name)


@login_required
def versions(request, name):
    _require_reader(request.user)
    model = _model(request.user, name)
    return render(request, "priorities/versions.html", {
        "model": model,
        "versions": model.versions.select_related("author").annotate(n_runs=Count("runs")).order_by("-number")})


@login_required
def version_text(request, name, number):
    _require_reader(request.user)
    version = get_object_or_404(PriorityModelVersion.objects.visible_to(request.user), model__name=name,
                                number=number)
    response = HttpResponse(version.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}_v{number}.yaml"'
    return response


@login_required
def theme_weights(request, name):
    _require_reader(request.user)
    model = _model(request.user, name)
    current = services.theme_weights_of(model.current_version.text)
    form = ThemeWeightsForm(request.POST or None, weights=current)
    problems, status = [], 200
    if request.method == "POST":
        _require_editor(request.user)
        version, problems, status = _submit(form, lambda data: services.update_theme_weights(
            actor=request.user, model=model, weights=form.weights(), comment=data["comment"]))
        if version:
            messages.success(request, _("Theme weights saved as version %(number)s.") % {"number": version.number})
            return redirect("priorities:themes", name=model.name)
    return render(request, "priorities/themes.html", {
        "model": model, "form": form, "problems": problems, "can_edit": access.can_edit_priorities(request.user)},
        status=status)


@login_required
def datasets(request):
    _require_reader(request.user)
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        _require_editor(request.user)
        dataset, problems, status = _submit(form, lambda data: services.upload_dataset(
            actor=request.user, name=data["name"], content=data["file"].read(), filename=data["file"].name,
            description=data["description"]))
        if dataset:
            messages.success(request, _("Dataset %(name)s: %(rows)s rows stored.") % {"name": dataset.name, "rows": dataset.row_count})
            return redirect("priorities:datasets")
    return render(request, "priorities/datasets.html", {
        "form": form, "problems": problems, "can_edit": access.can_edit_priorities(request.user),
        "datasets": UserDataset.objects.visible_to(request.user).select_related("uploaded_by").defer("rows"),
    }, status=status)


@login_required
def dataset_edit(request, name):
    _require_editor(request.user)
    dataset = get_object_or_404(UserDataset.objects.visible_to(request.user), name=name)
    form = DatasetEditForm(request.POST or None, request.FILES or None, dataset=dataset, user=request.user)
    problems, status = [], 200
    if request.method == "POST":
        def save(data):
            upload = data["file"]
            return services.update_dataset(
                actor=request.user, dataset=dataset, description=data["description"],
                content=upload.read() if upload else None, filename=upload.name if upload else "")

        fields, problems, status = _submit(form, save)
        if status == 200:
            messages.success(request, _("Dataset %(name)s: saved (%(fields)s).") % {
                "name": dataset.name, "fields": ", ".join(fields) or _("no changes")})
            return redirect("priorities:datasets")
    return render(request, "priorities/dataset_edit.html", {"form": form, "dataset": dataset, "problems": problems},
                  status=status)


@login_required
def run_list(request):
    _require_reader(request.user)
    runs = PriorityRun.objects.visible_to(request.user).select_related(
        "model_version", "model_version__model", "created_by").order_by("-created_at", "-id")[:RUN_LIST_SIZE]
    return render(request, "priorities/run_list.html", {
        "runs": runs, "can_edit": access.can_edit_priorities(request.user)})


@login_required
def run_new(request):
    _require_reader(request.user)
    _require_editor(request.user)
    services.ensure_default_model()
    initial = {"model": request.GET.get("model") or services.DEFAULT_MODEL, "draws": 1000}
    form = RunForm(request.POST or None, user=request.user, initial=initial)
    problems, status = [], 200
    if request.method == "POST":
        run, problems, status = _submit(form, lambda data: _start_run_in_request(request.user, data))
        if run:
            messages.success(request, _("Run %(run)s computed in %(seconds).1f s.") % {"run": run.pk, "seconds": run.duration_seconds})
            return redirect("priorities:run", pk=run.pk)
    return render(request, "priorities/run_new.html", {"form": form, "problems": problems}, status=status)


def _start_run_in_request(user, data):
    run, _result = services.start_run(actor=user, version=data["model_version"], home_country=data["home_country"],
                                year=data["year"], draws=data["draws"], method=data["method"], seed=data["seed"],
                                label=data["label"])
    return run


@login_required
def run_detail(request, pk):
    """The ranking: sortable by column (?sort=score, -score, dim:<id>, reliability, missing, name, ...)."""
    _require_reader(request.user)
    run = _run(request.user, pk)
    if request.headers.get("HX-Request"):
        return render(request, "priorities/_ranking.html", _ranking_context(request, run))
    return render(request, "priorities/run_detail.html", _run_page_context(request, run))


def _ranking_context(request, run):
    rows, sort = results.sort_rows(run, list(results.ranked_rows(run)), request.GET.get("sort", "rank"))
    body = results.ranking_body(results.ranking_lines(run, rows), robust=bool(run.draws))
    return {"run": run, "ranking_body": body, "sort": sort,
            "unranked": run.countries.filter(rank__isnull=True).count(), "columns": _ranking_columns(run, sort)}


def _run_page_context(request, run, adopt_form=None):
    in_force = adoption.current_adoptions()
    form = adopt_form or AdoptionForm(user=request.user)
    return _ranking_context(request, run) | {
        "adopted_here": [a for a in in_force if a.run_id == run.pk],
        "national": next((a for a in in_force if a.pool_id is None), None),
        "adopt_form": form if form.fields["agency"].choices else None}


@login_required
@require_POST
def run_adopt(request, pk):
    """Adopt this run as the national or an agency's reference ranking (400 with the form on errors)."""
    _require_reader(request.user)
    run = _run(request.user, pk)
    form = AdoptionForm(request.POST, user=request.user)
    if not form.fields["agency"].choices:
        raise PermissionDenied(_("Only policy officers adopt a reference ranking."))
    done, problems, status = _submit(form, lambda data: adoption.adopt_run(
        actor=request.user, run=run, pool=data["agency"], reason=data["reason"]))
    if done:
        messages.success(request, _("Run %(run)s adopted as %(ranking)s.") % {"run": run.pk,
                                                                             "ranking": done.ranking_name})
        return redirect("priorities:run", pk=run.pk)
    context = _run_page_context(request, run, adopt_form=form) | {"adopt_problems": problems}
    return render(request, "priorities/run_detail.html", context, status=status)


@login_required
def adopted(request):
    """The adopted rankings in force (national first) and every earlier adoption."""
    _require_reader(request.user)
    in_force = adoption.current_adoptions()
    national = next((a for a in in_force if a.pool_id is None), None)
    return render(request, "priorities/adopted.html", {
        "in_force": in_force, "national": national,
        "history": adoption.adoption_history(every_agency=True).filter(ended_at__isnull=False)[:RUN_LIST_SIZE],
        "withdrawable": {a.pk for a in in_force if access.can_adopt_ranking(request.user, a.pool)}})


@login_required
@require_POST
def adoption_withdraw(request, adoption_id):
    """End an adoption in force (no reference ranking for that agency until another is adopted)."""
    _require_reader(request.user)
    current = get_object_or_404(Adoption.objects.visible_to(request.user).current().select_related("pool"),
                                pk=adoption_id)
    if not access.can_adopt_ranking(request.user, current.pool):
        raise PermissionDenied(_("Only a policy officer responsible for this ranking withdraws it."))
    form = WithdrawAdoptionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        adoption.withdraw_adoption(actor=request.user, pool=current.pool, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _("Not withdrawn: ") + "; ".join(m for _path, _line, m in _errors(exc)))
    else:
        messages.success(request, _("%(ranking)s is withdrawn.") % {"ranking": capfirst(current.ranking_name)})
    return redirect("priorities:adopted")


def _ranking_columns(run, sort):
    cols = [("rank", _("Rank")), ("name", _("Country")), ("-score", _("Score"))]
    cols += [(f"-dim:{d['id']}", d["label"]) for d in run.dimensions]
    cols += [("-reliability", _("Reliability")), ("-missing", _("Missing"))]
    if run.draws:
        cols += [("median", _("Median rank")), ("-shift", _("Mean abs. shift"))]
    out = []
    for key, label in cols:
        active = sort.lstrip("-") == key.lstrip("-")
        # Clicking the active column flips its direction.
        target = (key[1:] if key.startswith("-") else "-" + key) if active and sort == key else key
        out.append({"key": target, "label": label, "active": active})
    return out


@login_required
def run_export(request, pk, fmt):
    _require_reader(request.user)
    if fmt not in RENDERERS:
        return HttpResponseBadRequest(_("Export format must be csv, xlsx or pdf."))
    run = _run(request.user, pk)
    rows, _sort = results.sort_rows(run, list(results.ranked_rows(run)), request.GET.get("sort", "rank"))
    table = results.ranking_table(run, rows)
    if fmt == "pdf":  # a ranking is long: written directly, in well under a second (WeasyPrint: seconds)
        return render_table_pdf(table, f"priorities_run_{run.pk}", subtitle=run.title)
    return RENDERERS[fmt](table, f"priorities_run_{run.pk}")


@login_required
def country(request, pk, iso3):
    _require_reader(request.user)
    run = _run(request.user, pk)
    row = get_object_or_404(RunCountry, run=run, iso3=iso3.upper())
    lines = results.breakdown(run, row)
    dims = [line for line in lines if line.depth == 1]
    indicators = sorted((line for line in lines if line.indicator), key=lambda x: -abs(x.contribution))
    top = [line for line in indicators if line.contribution][:15]
    chart_dims = charts.contribution_bars([(d.label, d.contribution) for d in dims],
                                          title=_("%(country)s: contribution of each dimension") % {"country": row.country_name},
                                          xlabel=_("contribution to the score"))
    chart_ind = charts.contribution_bars([(i.label, i.contribution) for i in top],
                                         title=_("%(country)s: indicators that contribute most") % {"country": row.country_name},
                                         xlabel=_("contribution to the score")) if top else ""
    themes = [(names.name(THEME_NAMES.get(t, t)), v) for t, v in row.detail.get("themes", {}).items() if t != "total"]
    return render(request, "priorities/country.html", {
        "run": run, "row": row, "lines": lines, "chart_dims": chart_dims, "chart_ind": chart_ind,
        "themes": themes, "theme_total": row.detail.get("themes", {}).get("total")})


@login_required
def robustness(request, pk):
    _require_reader(request.user)
    run = _run(request.user, pk)
    rows = list(results.ranked_rows(run))
    chart = ""
    if run.draws:
        shown = [{"rank": r.rank, "name": r.country_name, "median_rank": r.median_rank, "p05_rank": r.p05_rank,
                  "p95_rank": r.p95_rank} for r in rows[:CHART_COUNTRIES]]
        chart = charts.rank_intervals(shown, title=_("Rank intervals, top %(count)s (%(draws)s draws)") % {
            "count": len(shown), "draws": f"{run.draws:,}"}, xlabel=_("rank (orange: nominal, black: median, bar: 5th to 95th percentile of draws)"))
    return render(request, "priorities/robustness.html", {"run": run, "rows": rows, "chart": chart,
                                                          "chart_count": CHART_COUNTRIES})


@login_required
def robustness_export(request, pk, fmt):
    _require_reader(request.user)
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Export format must be csv or xlsx."))
    run = _run(request.user, pk)
    if not run.draws:
        raise Http404(_("This run has no Monte Carlo analysis."))
    return RENDERERS[fmt](results.robustness_table(run, list(results.ranked_rows(run))),
                          f"priorities_robustness_{run.pk}")


def _compare_runs(request):
    """(form, run A, run B); a run is None while not chosen (or the form is invalid)."""
    form = CompareForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, None, None
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    return form, _run(request.user, a), (_run(request.user, b) if b is not None else None)


@login_required
def compare(request):
    """Two runs side by side (two editions/years, two weight profiles): rank shifts and a slope chart."""
    _require_reader(request.user)
    form, a, b = _compare_runs(request)
    context = {"form": form, "a": a, "b": b,
               "runs": PriorityRun.objects.visible_to(request.user).select_related(
                   "model_version", "model_version__model").order_by("-created_at", "-id")[:RUN_LIST_SIZE]}
    if a is not None and b is not None:
        shifts = results.compare(a, b)
        top = [s for s in shifts if s.rank_a and s.rank_b and min(s.rank_a, s.rank_b) <= 20]
        top.sort(key=lambda s: s.rank_a)
        context.update(shifts=shifts, chart=charts.rank_slopes(
            [(s.iso3, s.rank_a, s.rank_b) for s in top], title=_("Ranks of the top 20 in either run"),
            left=_("run %(number)s") % {"number": a.pk}, right=_("run %(number)s") % {"number": b.pk}))
    return render(request, "priorities/compare.html", context, status=400 if form.errors else 200)


@login_required
def compare_export(request, fmt):
    _require_reader(request.user)
    if fmt not in RENDERERS:
        return HttpResponseBadRequest(_("Export format must be csv, xlsx or pdf."))
    form, a, b = _compare_runs(request)
    if a is None or b is None:
        return HttpResponseBadRequest(_("Give two runs: ?a=<run id>&b=<run id>."))
    return RENDERERS[fmt](results.comparison_table(a, b, results.compare(a, b)), f"priorities_compare_{a.pk}_{b.pk}")
