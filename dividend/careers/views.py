"""Pages of the careers app: the careers list and one secondment's career record (learning plan and
its agreement, debriefing, appraisals, the six-month follow-up), vacancies with their matched
returnees and placements, the KPIs with their chart and export, and the returnee pool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.common.exports import render_csv, render_xlsx
from dividend.roster.search import name_ordering
from dividend.secondments.models import Secondment

from . import access, kpis, services
from .forms import (
    AppraisalForm,
    ConfirmForm,
    DebriefingForm,
    FollowUpForm,
    LearningPlanForm,
    PlacementForm,
    ReturneeSearchForm,
    ReviewForm,
    VacancyForm,
    _to_form_errors,
)
from .matching import candidates
from .models import (
    APPRAISAL_ITEM_LABELS,
    RETURNEE_STATUSES,
    Appraisal,
    Debriefing,
    FollowUp,
    LearningPlan,
    Placement,
    Vacancy,
    careers_secondments,
)
from .returnees import ReturneeQuery, search

LIST_FIELDS = ["officer", "mission", "status", "learning_plan", "debriefing", "appraisals", "follow_up", "placement"]
RECORD_FIELDS = ["learning_plan", "objectives", "reviews", "debriefing", "appraisals", "follow_up", "placement"]
RETURNEE_FIELDS = ["officer", "pool", "last_mission", "returned_on", "contacts"]


def _gate(user):
    if not access.can_use_careers(user):
        raise PermissionDenied(_("Careers records are for coordinators, HR managers and the secondee."))


def _secondment(user, pk):
    _gate(user)
    return get_object_or_404(careers_secondments(user).select_related(
        "officer", "officer__pool", "position", "position__mission"), pk=pk)


def label_of(code: str) -> str:
    """A follow-up's skill code in words: a fixed item's label or the taxonomy skill's name."""
    from dividend.reference.models import Skill

    if code in APPRAISAL_ITEM_LABELS:
        return str(APPRAISAL_ITEM_LABELS[code])
    skill = Skill.objects.filter(code=code).first()
    return str(skill) if skill else code


def _plan(secondment):
    return LearningPlan.objects.filter(secondment=secondment).prefetch_related("objectives__skill").first()


@login_required
def career_list(request):
    user = request.user
    _gate(user)
    secondments = careers_secondments(user).select_related(
        "officer", "officer__pool", "position__mission", "learning_plan", "debriefing", "follow_up", "placement",
    ).order_by("-start_date", *name_ordering("officer__"), "id")
    status = request.GET.get("status", "")
    statuses = sorted(set(secondments.values_list("status", flat=True).distinct()))
    if status:
        secondments = secondments.filter(status=status)
    page = Paginator(secondments, 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if shown:
        record_list(actor=user, object_type="secondments.secondment", ids=[s.pk for s in shown], fields=LIST_FIELDS,
                    filters={"status": status}, detail={"officer_ids": sorted({s.officer_id for s in shown})})
    rows = [{"s": s, "plan": getattr(s, "learning_plan", None), "debriefed": hasattr(s, "debriefing"),
             "follow_up": hasattr(s, "follow_up"), "placement": getattr(s, "placement", None)} for s in shown]
    return render(request, "careers/list.html", {
        "page": page, "rows": rows, "status": status, "statuses": statuses,
        "vacancies": access.can_see_vacancies(user), "pool_search": access.can_use_returnee_pool(user)})


@login_required
def career_detail(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    officer = secondment.officer
    plan = _plan(secondment)
    debriefing = Debriefing.objects.filter(secondment=secondment).first()
    see_debriefing = access.can_see_debriefing(user, officer)
    appraisals = list(Appraisal.objects.filter(secondment=secondment).prefetch_related("ratings"))
    subjects = services.appraisal_subjects(secondment)
    objectives = {o.pk: o for o in plan.objectives.all()} if plan else {}

    def label(key):
        if key.startswith("objective:"):
            o = objectives.get(int(key.split(":")[1]))
            return _("%(skill)s (objective, target %(level)s)") % {"skill": o.skill, "level": o.target_level} \
                if o else key
        return APPRAISAL_ITEM_LABELS[key]

    sheets = [(stage, rater) for stage in Appraisal.Stage.values for rater in Appraisal.Rater.values]
    by_sheet = {(a.stage, a.rater): {services._key(r): r.rating for r in a.ratings.all()} for a in appraisals}
    grid = [{"label": label(key), "ratings": [by_sheet.get(sheet, {}).get(key) for sheet in sheets]}
            for key in subjects]
    follow_up = FollowUp.objects.filter(secondment=secondment).first()
    used = [] if follow_up is None else [label_of(code) for code in follow_up.skills_used]
    placement = Placement.objects.filter(secondment=secondment).select_related("vacancy").first()
    fields = list(RECORD_FIELDS) if see_debriefing else [f for f in RECORD_FIELDS if f != "debriefing"]
    record(actor=user, action="read", obj=secondment, fields=fields,
           detail={"officer_id": officer.pk, "restricted": see_debriefing and debriefing is not None})
    returned = secondment.status in RETURNEE_STATUSES
    context = {
        "secondment": secondment, "officer": officer, "plan": plan, "reviews": plan.reviews.all() if plan else [],
        "debriefing": debriefing, "see_debriefing": see_debriefing,
        "may_debrief": access.can_write_debriefing(user, officer) and secondment.status in (Secondment.Status.DEPLOYED, *RETURNEE_STATUSES),
        "may_edit_plan": access.can_edit_plan(user, officer) and secondment.status != Secondment.Status.CANCELLED,
        "confirm_officer": plan is not None and plan.officer_confirmed_at is None
        and access.can_confirm_as_officer(user, officer),
        "confirm_supervisor": plan is not None and plan.supervisor_confirmed_at is None
        and access.can_confirm_as_supervisor(user, officer),
        "review_form": ReviewForm(secondment=secondment) if plan is not None and plan.agreed
        and access.can_edit_plan(user, officer) and ReviewForm.stages_for(secondment) else None,
        "sheets": [(stage, rater, Appraisal.Stage(stage).label, Appraisal.Rater(rater).label,
                    plan is not None and access.can_rate(user, officer, rater)
                    and (stage == Appraisal.Stage.BEFORE or returned)) for stage, rater in sheets],
        "grid": grid, "follow_up": follow_up, "skills_used": used, "follow_up_due": services.follow_up_due(secondment),
        "may_follow_up": returned and access.can_answer_follow_up(user, officer)
        and services.follow_up_due(secondment) <= timezone.localdate(),
        "placement": placement,
    }
    return render(request, "careers/detail.html", context)


@login_required
def plan_edit(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    if not access.can_edit_plan(user, secondment.officer):
        raise PermissionDenied(_("You may not change this officer's learning plan."))
    plan = _plan(secondment)
    form = LearningPlanForm(request.POST or None, user=user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.set_learning_plan(actor=user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Learning plan saved: both sides confirm it again.") if changed
                             else _("Nothing changed."))
            return redirect("careers:detail", pk=secondment.pk)
    return render(request, "careers/form.html", {"form": form, "secondment": secondment,
                                                 "title": _("Learning objectives and career plan"), "form_id": "plan-form"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def plan_confirm(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    plan = _plan(secondment)
    if plan is None:
        raise Http404(_("No learning plan yet."))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not confirmed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.confirm_plan(actor=user, plan=plan, side=form.cleaned_data["side"])
        except ValidationError as error:
            messages.error(request, _("Not confirmed: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Confirmed."))
    return redirect("careers:detail", pk=secondment.pk)


@login_required
@require_POST
def plan_review(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    plan = _plan(secondment)
    if plan is None:
        raise Http404(_("No learning plan yet."))
    if not access.can_edit_plan(user, secondment.officer):
        raise PermissionDenied(_("You may not review this plan."))
    form = ReviewForm(request.POST, secondment=secondment)
    if not form.is_valid():
        messages.error(request, _("Not saved: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.review_plan(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not saved: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Review saved."))
    return redirect("careers:detail", pk=secondment.pk)


@login_required
def debriefing_edit(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    if not access.can_write_debriefing(user, secondment.officer):
        raise PermissionDenied(_("Only the officer and those with need-to-know see the debriefing."))
    debriefing = Debriefing.objects.filter(secondment=secondment).first()
    if debriefing is not None and request.method == "GET":
        record(actor=user, action="read", obj=debriefing, fields=list(services.DEBRIEFING_FIELDS),
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    form = DebriefingForm(request.POST or None, instance=debriefing, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_debriefing(actor=user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Debriefing saved.") if changed else _("Nothing changed."))
            return redirect("careers:detail", pk=secondment.pk)
    return render(request, "careers/form.html", {
        "form": form, "secondment": secondment, "title": _("End-of-mission debriefing"), "form_id": "debriefing-form",
        "note": _("Restricted: only the officer and those with need-to-know read the debriefing.")},
        status=400 if form.errors else 200)


@login_required
def appraisal_edit(request, pk, stage, rater):
    user = request.user
    secondment = _secondment(user, pk)
    if stage not in Appraisal.Stage.values or rater not in Appraisal.Rater.values:
        raise Http404(_("No such appraisal."))
    if not access.can_rate(user, secondment.officer, rater):
        raise PermissionDenied(_("You may not give these ratings."))
    appraisal = Appraisal.objects.filter(secondment=secondment, stage=stage, rater=rater).first()
    stored = {services._key(r): r.rating for r in appraisal.ratings.all()} if appraisal else {}
    form = AppraisalForm(request.POST or None, secondment=secondment, user=user, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_appraisal(actor=user, secondment=secondment, stage=stage, rater=rater,
                                              ratings=form.ratings())
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Ratings saved.") if changed else _("Nothing changed."))
            return redirect("careers:detail", pk=secondment.pk)
    title = _("Skills appraisal: %(stage)s, %(rater)s") % {"stage": Appraisal.Stage(stage).label.lower(),
                                                          "rater": Appraisal.Rater(rater).label.lower()}
    return render(request, "careers/form.html", {
        "form": form, "secondment": secondment, "title": title, "form_id": "appraisal-form",
        "note": _("1 – basic, 2 – working, 3 – advanced, 4 – expert.")}, status=400 if form.errors else 200)


@login_required
def follow_up_edit(request, pk):
    user = request.user
    secondment = _secondment(user, pk)
    if not access.can_answer_follow_up(user, secondment.officer):
        raise PermissionDenied(_("You may not answer for this officer."))
    answer = FollowUp.objects.filter(secondment=secondment).first()
    initial = {"skills_used": answer.skills_used, "note": answer.note} if answer else {}
    form = FollowUpForm(request.POST or None, secondment=secondment, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.answer_follow_up(actor=user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Answer saved.") if changed else _("Nothing changed."))
            return redirect("careers:detail", pk=secondment.pk)
    return render(request, "careers/form.html", {
        "form": form, "secondment": secondment, "title": _("Six months after return"), "form_id": "follow-up-form"},
        status=400 if form.errors else 200)


# --- Vacancies, matching, placements -----------------------------------------------------------

def _vacancy_gate(user):
    if not access.can_see_vacancies(user):
        raise PermissionDenied(_("Vacancies are for coordinators, HR managers and policy officers."))


@login_required
def vacancy_list(request):
    user = request.user
    _vacancy_gate(user)
    vacancies = Vacancy.objects.visible_to(user).select_related("pool").prefetch_related("skills__skill")
    status = request.GET.get("status", "open")
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    else:
        status = ""
    page = Paginator(vacancies, 50).get_page(request.GET.get("page"))
    return render(request, "careers/vacancies.html", {
        "page": page, "vacancies": list(page.object_list), "status": status, "statuses": Vacancy.Status.choices,
        "may_add": access.can_manage_vacancies(user)})


@login_required
def vacancy_new(request):
    return _vacancy_form(request, None)


@login_required
def vacancy_edit(request, pk):
    _vacancy_gate(request.user)
    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
    return _vacancy_form(request, vacancy)


def _vacancy_form(request, vacancy):
    user = request.user
    if not (access.can_manage_vacancy(user, vacancy) if vacancy else access.can_manage_vacancies(user)):
        raise PermissionDenied(_("You may not manage vacancies of this pool."))
    form = VacancyForm(request.POST or None, user=user, vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy, changed = services.save_vacancy(actor=user, vacancy=vacancy, **form.cleaned_data)
        except ValidationError as error:
            _to_form_errors(form, error)
        else:
            messages.success(request, _("Vacancy saved.") if changed else _("Nothing changed."))
            return redirect("careers:vacancy", pk=vacancy.pk)
    return render(request, "careers/form.html", {
        "form": form, "title": _("Change the vacancy") if vacancy else _("New vacancy"), "form_id": "vacancy-form"},
        status=400 if form.errors else 200)


def _managed_returnees(user):
    """Secondments the user may place: those of their pools' officers (national: all), never their own."""
    pools = access.manager_pools(user)
    qs = Secondment.objects.all() if pools is access.EVERY_POOL else Secondment.objects.filter(officer__pool__in=pools)
    return qs.exclude(officer__user=user)


@login_required
def vacancy_detail(request, pk):
    user = request.user
    _vacancy_gate(user)
    vacancy = get_object_or_404(Vacancy.objects.visible_to(user).select_related("pool"), pk=pk)
    may_place = access.can_manage_vacancy(user, vacancy) and vacancy.status == Vacancy.Status.OPEN
    matches = candidates(vacancy, _managed_returnees(user)) if may_place else []
    placement = Placement.objects.filter(vacancy=vacancy).select_related("officer", "secondment__position__mission").first()
    shown = [m.secondment.officer_id for m in matches] + ([placement.officer_id] if placement else [])
    if shown:
        record_list(actor=user, object_type="roster.officer", ids=shown, fields=["name", "pool", "mission", "score"],
                    detail={"vacancy_id": vacancy.pk})
    form = PlacementForm(candidates=careers_secondments(user).filter(pk__in=[m.secondment.pk for m in matches])) \
        if matches and access.can_place_on(user, vacancy) else None
    return render(request, "careers/vacancy.html", {
        "vacancy": vacancy, "skills": vacancy.skills.select_related("skill"), "countries": vacancy.countries.all(),
        "themes": vacancy.themes.all(), "matches": matches, "placement": placement, "form": form,
        "may_edit": may_place})


@login_required
@require_POST
def vacancy_place(request, pk):
    user = request.user
    _vacancy_gate(user)
    vacancy = get_object_or_404(Vacancy.objects.visible_to(user), pk=pk)
    if not access.can_place_on(user, vacancy):
        raise PermissionDenied(_("Returnees are placed by the HR managers of the vacancy's pool."))
    form = PlacementForm(request.POST, candidates=_managed_returnees(user).filter(status=Secondment.Status.RETURNED).select_related(
        "officer", "position__mission"))
    if not form.is_valid():
        messages.error(request, _("Not placed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.place(actor=user, vacancy=vacancy, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not placed: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Placed: the secondment is reintegrated."))
    return redirect("careers:vacancy", pk=vacancy.pk)


# --- KPIs and the returnee pool ----------------------------------------------------------------

def _kpi_rows(user):
    if not access.can_see_kpis(user):
        raise PermissionDenied(_("The KPIs are for coordinators, HR managers and policy officers."))
    return kpis.compute(access.kpi_pools(user))


@login_required
def kpi_page(request):
    rows = _kpi_rows(request.user)
    chart = kpis.chart(rows, title=_("Reintegration KPIs over the years"),
                       labels={"considered": _("new skills taken into account"),
                               "gained": _("gained useful skills"), "baseline": _("baseline")})
    return render(request, "careers/kpis.html", {
        "rows": rows, "chart": chart, "baseline_considered": kpis.BASELINE_TAKEN_INTO_ACCOUNT,
        "baseline_gained": kpis.BASELINE_GAINED})


@login_required
def kpi_export(request, fmt):
    rows = _kpi_rows(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Export as CSV or XLSX."))
    record(actor=request.user, action="export", object_type="careers.kpi", object_repr=f"KPIs ({fmt})",
           fields=["year", "pool", "counts"], detail={"rows": len(rows)})
    table = kpis.table(rows)
    return render_csv(table, "reintegration-kpis.csv") if fmt == "csv" else render_xlsx(table, "reintegration-kpis.xlsx")


@login_required
def returnee_pool(request):
    user = request.user
    if not access.can_use_returnee_pool(user):
        raise PermissionDenied(_("The returnee pool is for policy staff, coordinators and HR managers."))
    form = ReturneeSearchForm(request.GET or None)
    total, found, page_number = 0, [], 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = ReturneeQuery(country_id=data["country"].pk if data["country"] else None, region=data["region"],
                              theme_id=data["theme"].pk if data["theme"] else None,
                              language_id=data["language"].pk if data["language"] else None,
                              contacts=data["contacts"], within_years=data["within_years"],
                              today=timezone.localdate())
        try:
            page_number = max(1, min(int(request.GET.get("page", "1")), 10_000))
        except ValueError:
            page_number = 1
        total, found = search(user, query, offset=(page_number - 1) * 50)
        if found:
            record_list(actor=user, object_type="roster.officer", ids=[r.officer.pk for r in found],
                        filters=query.as_filters(), fields=RETURNEE_FIELDS, detail={"total": total})
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "careers/returnees.html", {
        "form": form, "found": found, "total": total, "page_number": page_number,
        "has_next": page_number * 50 < total, "querystring": params.urlencode()},
        status=400 if form.is_bound and form.errors else 200)
