"""Roster pages. Thin: forms validate, domain functions act, templates show."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.common.collation import rules_for, sort_key
from dividend.common.exports import RENDERERS, Table
from dividend.common.html import searchable, select
from dividend.reference.models import CEFR_LEVELS, SKILL_LEVELS

from . import access, attention, services
from .exports import roster_table, subject_access_json, subject_access_pdf
from .forms import (
    CrisisQueryForm,
    DecisionForm,
    ExpiringForm,
    ImportForm,
    OfficerForm,
    OwnProfileForm,
    QualificationForm,
    RosterSearchForm,
    country_choices,
)
from .imports import COLUMNS, EXAMPLE_ROW, import_officers
from .models import GENDER_CHOICES, Officer, Qualification
from .search import CrisisRequest, crisis_candidates, name_ordering, roster_page, search_officers
from .subject_access import subject_access_report

PAGE_SIZE = 50
# What a results row shows of each officer (the audit log names them with each page shown).
SUMMARY_FIELDS = ["available_from", "first_name", "gender", "last_name", "max_duration_months", "pool", "rank",
                  "service_number"]


def _require_roster(user):
    if not access.can_use_roster(user):
        raise PermissionDenied(_("Your role does not work with the roster."))


@login_required
def search(request):
    _require_roster(request.user)
    form = RosterSearchForm(request.GET, user=request.user)
    context = {"form": form, "page": None}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        page = roster_page(user=request.user, query=form.to_query(), number=form.cleaned_data.get("page") or 1,
                           page_size=PAGE_SIZE)
        genders = dict(GENDER_CHOICES)
        context.update(page=page, total=page.total,
                       by_gender=[{**g, "label": genders.get(g["gender"], g["gender"])} for g in page.by_gender],
                       querystring=_querystring(request, drop="page"))
        record_list(actor=request.user, object_type="roster.officer", ids=[o.pk for o in page.officers],
                    filters=request.GET, fields=SUMMARY_FIELDS, detail={"total": page.total})
    if not request.headers.get("HX-Request"):  # htmx replaces the results only
        context["selects"] = _filter_selects(request, form)
    template = "roster/_results.html" if request.headers.get("HX-Request") else "roster/search.html"
    return render(request, template, context, status=status)


def _filter_selects(request, form) -> dict:
    """The filter form's selects, written in Python (common.html.select), keeping what was chosen."""
    cleaned = getattr(form, "cleaned_data", {}) or {}
    levels = [(n, f"≥ {name}") for n, name in SKILL_LEVELS]
    cefr = [(name, f"≥ {name}") for _, name in CEFR_LEVELS]
    cefr_name = dict(CEFR_LEVELS)
    skill_rows = _rows(cleaned.get("skills", []), 3, default_level=1)
    language_rows = _rows(cleaned.get("languages", []), 2, default_level=3)
    selects = {
        "skills": [(select("skill", form.skill_choices, [chosen], aria_label=f"Skill {i}", blank="—"),
                    select("skill_level", levels, [level], aria_label=f"Skill level {i}"))
                   for i, (chosen, level) in enumerate(skill_rows, start=1)],
        "languages": [(select("language", form.language_choices, [chosen], aria_label=f"Language {i}", blank="—"),
                       select("language_level", cefr, [cefr_name[level]], aria_label=f"Language level {i}"))
                      for i, (chosen, level) in enumerate(language_rows, start=1)],
        "country": select("country", country_choices(), request.GET.getlist("country"), element_id="id_country",
                          multiple=True),
    }
    for name in ("region", "theme", "qualification", "pool", "gender", "min_rank", "sort"):
        field = form.fields[name]
        multiple = field.widget.allow_multiple_selected
        chosen = request.GET.getlist(name) if multiple else [request.GET.get(name, "")]
        if hasattr(field, "queryset"):  # read as a list: the choice iterator opens a server-side cursor
            choices = [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
        else:
            choices = field.choices
        selects[name] = select(name, choices, chosen, element_id=f"id_{name}", multiple=multiple)
    for name in ("country", "theme"):  # long lists: found by typing
        selects[name] = searchable(selects[name], f"id_{name}")
    return selects


def _rows(pairs, size, *, default_level):
    """The filter form's (item, level) rows, the chosen ones first, padded with empty rows."""
    return list(pairs)[:size] + [(None, default_level)] * (size - len(pairs[:size]))


def _querystring(request, *, drop):
    params = request.GET.copy()
    params.pop(drop, None)
    return params.urlencode()


@login_required
def export(request, fmt):
    _require_roster(request.user)
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Export format must be csv or xlsx."))
    form = RosterSearchForm(request.GET, user=request.user)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: ") + "; ".join(
            f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    officers = search_officers(user=request.user, query=form.to_query())
    ids = list(officers.values_list("id", flat=True))
    record(actor=request.user, action="export", object_type="roster.officer", object_repr=f"roster export ({fmt})",
           fields=["pool", "service_number", "name", "rank", "gender", "availability", "skills", "languages",
                   "email", "phone"],
           detail={"format": fmt, "count": len(ids), "officer_ids": ids, "filters": request.GET.urlencode()})
    table = roster_table(Officer.objects.filter(id__in=ids).order_by(*officers.query.order_by))
    return RENDERERS[fmt](table, "roster")


@login_required
def detail(request, pk):
    officer = get_object_or_404(Officer.objects.visible_to(request.user).select_related("pool", "rank", "user"), pk=pk)
    restricted = access.can_see_restricted(request.user, officer)
    qualifications = officer.qualifications.select_related("qualification_type")
    if not restricted:
        qualifications = qualifications.unrestricted()
    history = officer.secondments.select_related("position", "position__mission").prefetch_related(
        "position__mission__host_countries", "position__mission__thematic_areas").order_by("-start_date")
    services.record_full_read(actor=request.user, officer=officer, fields=services.visible_fields(request.user, officer))
    return render(request, "roster/detail.html", {
        "officer": officer,
        "restricted": restricted,
        "skills": officer.skills.select_related("skill"),
        "languages": officer.languages.select_related("language"),
        "qualifications": [(q, _validity(q)) for q in qualifications],
        "unavailable": officer.unavailable_periods.all(),
        "history": history,
        # Named and sorted in the reader's language.
        "declared_countries": sorted(map(str, officer.country_expertise.all()), key=_name_key()),
        "declared_themes": sorted(map(str, officer.thematic_expertise.all()), key=_name_key()),
        "derived_countries": sorted({str(c) for s in history if s.took_place
                                     for c in s.position.mission.host_countries.all()}, key=_name_key()),
        "derived_themes": sorted({str(t) for s in history if s.took_place
                                  for t in s.position.mission.thematic_areas.all()}, key=_name_key()),
        "can_edit": access.can_edit_officer(request.user, officer),
        "can_record_secondment": access.can_manage_secondments(request.user, officer),
        "can_export_subject_data": access.can_export_subject_data(request.user, officer),
    })


def _validity(qualification, within_days=90):
    """A word for the profile: expired, expiring (within 90 days), pending, or valid."""
    today = dt.date.today()
    if qualification.status != Qualification.Status.CONFIRMED:
        return qualification.get_status_display().lower()
    if qualification.expires_on and qualification.expires_on < today:
        return "expired"
    if qualification.expires_on and qualification.expires_on <= today + dt.timedelta(days=within_days):
        return "expiring"
    return "valid"


@login_required
def edit(request, pk=None):
    officer = None
    if pk is not None:
        officer = get_object_or_404(Officer.objects.visible_to(request.user), pk=pk)
        if not access.can_edit_officer(request.user, officer):
            raise PermissionDenied(_("You may not change this officer."))
    elif not access.can_add_officers(request.user):
        raise PermissionDenied(_("You may not add officers."))
    form = OfficerForm(request.POST or None, instance=officer, user=request.user)
    if officer is not None and request.method == "GET":  # the form shows the stored record
        services.record_full_read(actor=request.user, officer=officer, fields=list(form.fields))
    if request.method == "POST" and form.is_valid():
        try:
            saved, fields = services.save_officer(
                actor=request.user, officer=form.save(commit=False),
                countries=form.cleaned_data["country_expertise"], themes=form.cleaned_data["thematic_expertise"],
                skills=form.cleaned_data["skills"], languages=form.cleaned_data["languages"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("roster:detail", pk=saved.pk)
    return render(request, "roster/edit.html", {"form": form, "officer": officer},
                  status=400 if form.errors else 200)


@login_required
def my_profile(request):
    officer = Officer.objects.filter(user=request.user).select_related("pool", "rank").first()
    if officer is None:
        raise PermissionDenied(_("Your account is not linked to an officer record."))
    form = OwnProfileForm(request.POST or None, instance=officer, prefix="profile")
    qualification_form = QualificationForm(prefix="qualification", user=request.user, officer=officer)
    if request.method == "GET":  # the form and the qualifications list show the stored record
        services.record_full_read(actor=request.user, officer=officer, fields=[*form.fields, "qualifications"])
    if request.method == "POST" and form.is_valid():
        fields = services.update_own_profile(actor=request.user, officer=Officer.objects.get(pk=officer.pk),
                                             changes={k: form.cleaned_data[k] for k in Officer.SELF_EDITABLE_FIELDS})
        fields += services.set_own_languages(actor=request.user, officer=officer,
                                             languages=form.cleaned_data["languages"])
        messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
        return redirect("roster:my_profile")
    return render(request, "roster/my_profile.html", {
        "officer": officer, "form": form, "qualification_form": qualification_form,
        "qualifications": officer.qualifications.select_related("qualification_type"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def add_qualification(request, pk):
    officer = get_object_or_404(Officer.objects.visible_to(request.user), pk=pk)
    if not access.can_add_qualifications(request.user, officer):
        raise PermissionDenied(_("You may not add qualifications for this officer."))
    form = QualificationForm(request.POST, prefix="qualification", user=request.user, officer=officer)
    own = access.is_own_officer(request.user, officer)
    if form.is_valid():
        try:
            qualification = services.submit_qualification(actor=request.user, officer=officer, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            if qualification.status == Qualification.Status.PENDING:
                messages.success(request, _("Submitted: a coordinator will confirm it."))
            else:
                messages.success(request, _("Qualification added."))
    else:
        messages.error(request, _("Qualification not saved: ") + "; ".join(
            f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("roster:my_profile" if own else "roster:detail", **({} if own else {"pk": officer.pk}))


@login_required
def edit_qualification(request, pk):
    qualification = get_object_or_404(Qualification.objects.visible_to(request.user).select_related(
        "officer", "officer__pool", "qualification_type"), pk=pk)
    officer = qualification.officer
    if not access.can_edit_officer(request.user, officer) or (
            qualification.qualification_type.restricted and not access.can_see_restricted(request.user, officer)):
        raise PermissionDenied(_("You may not change this qualification."))
    form = QualificationForm(request.POST or None, user=request.user, qualification=qualification)
    if request.method == "GET":  # the form shows the stored qualification
        record(actor=request.user, action="read", obj=qualification, fields=list(form.fields),
               detail={"officer_id": officer.pk})
    if request.method == "POST" and form.is_valid():
        try:
            fields = services.update_qualification(actor=request.user, qualification=qualification,
                                                   **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("roster:detail", pk=officer.pk)
    return render(request, "roster/qualification_edit.html", {"form": form, "qualification": qualification,
                                                              "officer": officer},
                  status=400 if form.errors else 200)


@login_required
def pending_qualifications(request):
    if not access.can_review_qualifications(request.user):
        raise PermissionDenied(_("Only coordinators confirm qualifications."))
    pending = attention.pending_qualifications(request.user).select_related("officer", "officer__pool", "qualification_type", "submitted_by").order_by("id")
    pending = list(pending)
    record_list(actor=request.user, object_type="roster.qualification", ids=[q.pk for q in pending],
                fields=["officer", "pool", "qualification_type", "issued_on", "expires_on", "submitted_by"],
                detail={"officer_ids": sorted({q.officer_id for q in pending})})
    return render(request, "roster/pending.html", {"pending": pending, "form": DecisionForm()})


@login_required
@require_POST
def decide_qualification(request, pk):
    qualification = get_object_or_404(Qualification.objects.visible_to(request.user).select_related(
        "officer", "qualification_type"), pk=pk)
    if not access.can_confirm_qualification(request.user, qualification):
        raise PermissionDenied(_("Only a coordinator of the officer's pool can confirm qualifications."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or reject."))
    else:
        try:
            services.decide_qualification(actor=request.user, qualification=qualification,
                                          confirm=form.cleaned_data["confirm"], reason=form.cleaned_data["reason"])
            messages.success(request, _("Decision recorded."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    # The start page confirms in place and asks to come back to it.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("roster:pending")


# What a row of the expiring list shows (named in the audit entry of each page shown).
EXPIRING_FIELDS = ["officer", "pool", "qualification_type", "expires_on"]


def _name_key():
    """A sort key for names in the rules of the reader's language (common.collation)."""
    rules = rules_for(get_language())
    return lambda name: sort_key(name, rules)


@login_required
def expiring_qualifications(request):
    """Confirmed qualifications expiring within N days (90 unless asked), soonest first: the
    coordinator's renewals, from the start page's count."""
    _require_roster(request.user)
    form = ExpiringForm(request.GET)
    if not form.is_valid():
        return render(request, "roster/expiring.html", {"form": form, "page": None}, status=400)
    days = form.cleaned_data["days"] or attention.EXPIRY_HORIZON_DAYS
    expiring = attention.expiring_qualifications(request.user, today=dt.date.today(), days=days).select_related(
        "officer", "officer__pool", "qualification_type").order_by("expires_on", *name_ordering("officer__"), "id")
    page = Paginator(expiring, 100).get_page(request.GET.get("page"))
    record_list(actor=request.user, object_type="roster.qualification", ids=[q.pk for q in page.object_list],
                filters=request.GET, fields=EXPIRING_FIELDS,
                detail={"officer_ids": sorted({q.officer_id for q in page.object_list})})
    rows = [(q, access.can_edit_officer(request.user, q.officer)) for q in page.object_list]
    return render(request, "roster/expiring.html", {"form": form, "page": page, "rows": rows, "days": days})


@login_required
def import_view(request):
    if not access.can_import_officers(request.user):
        raise PermissionDenied(_("Only coordinators and administrators import officers."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_officers(actor=request.user, filename=upload.name, content=upload.read())
        if report.ok:
            messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                             % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
            return redirect("roster:import")
    status = 400 if (form.errors or (report and not report.ok)) else 200
    return render(request, "roster/import.html", {"form": form, "report": report, "columns": COLUMNS},
                  status=status)


@login_required
def import_template(request, fmt):
    if not access.can_import_officers(request.user):
        raise PermissionDenied(_("Only coordinators and administrators import officers."))
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Template format must be csv or xlsx."))
    return RENDERERS[fmt](Table(title="Officers", headers=COLUMNS, rows=[EXAMPLE_ROW]), "officer-import-template")


@login_required
def crisis(request):
    _require_roster(request.user)
    form = CrisisQueryForm(request.GET or None)
    results, total = None, 0
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results, total = crisis_candidates(user=request.user, request=CrisisRequest(
            within_days=data["within_days"], duration_months=data["duration_months"],
            theme_id=data["theme"].pk if data.get("theme") else None,
            country_id=data["country"].pk if data.get("country") else None,
            region=data.get("region") or "",
            skill_id=data["skill"].pk if data.get("skill") else None,
            language_id=data["language"].pk if data.get("language") else None,
            language_level=data.get("language_level"),
            required_qualification_ids=[q.pk for q in data.get("required_qualification") or []],
        ))
        record_list(actor=request.user, object_type="roster.officer", ids=[r.officer.pk for r in results],
                    filters=request.GET, fields=["name", "pool", "rank", "readiness"], detail={"total": total})
    return render(request, "roster/crisis.html", {"form": form, "results": results, "total": total},
                  status=400 if form.is_bound and form.errors else 200)


SUBJECT_ACCESS_FORMATS = {"json": ("application/json", subject_access_json), "pdf": ("application/pdf", subject_access_pdf)}


@login_required
def subject_access(request, pk, fmt):
    """Everything held about an officer, for the officer or someone with need-to-know (a download)."""
    officer = get_object_or_404(Officer.objects.visible_to(request.user), pk=pk)
    if fmt not in SUBJECT_ACCESS_FORMATS:
        return HttpResponseBadRequest(_("Unknown format: use json or pdf."))
    report = subject_access_report(actor=request.user, officer=officer, channel_format=fmt)
    content_type, render_report = SUBJECT_ACCESS_FORMATS[fmt]
    response = HttpResponse(render_report(report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="subject-access-{officer.pk}.{fmt}"'
    return response
