import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record_list
from dividend.roster.access import can_manage_secondments
from dividend.roster.models import Officer
from dividend.roster.search import name_ordering
from dividend.roster.services import record_full_read

from .access import can_change_secondment
from .forms import (
    HandoverForm,
    MoveForm,
    PromotionForm,
    SecondmentEditForm,
    SecondmentForm,
    SecondmentListForm,
)
from .hooks import secondment_pages
from .models import Handover, Secondment
from .services import (
    create_secondment,
    make_move,
    record_handover,
    record_promotion,
    record_read,
    update_secondment,
)

# What a row of the secondment list shows (named in the audit entry of each page shown).
LIST_FIELDS = ["officer", "pool", "mission", "position", "start_date", "end_date", "status"]
# What the secondment's own page shows.
DETAIL_FIELDS = LIST_FIELDS + ["status_reason", "cut_short", "cut_short_reason", "extensions"]


@login_required
def secondment_list(request):
    form = SecondmentListForm(request.GET)
    # Latest start first; on the same day by officer name in the reader's language.
    secondments = Secondment.objects.visible_to(request.user).with_related().order_by(
        "-start_date", *name_ordering("officer__"), "id")
    if not form.is_valid():  # a filter that cannot be read shows its error, not every secondment
        secondments = secondments.none()
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    ends_within = form.cleaned_data.get("ends_within") if form.is_valid() else None
    if status:
        secondments = secondments.filter(status=status)
    if ends_within is not None:  # soonest end first, as the start page's "ending soon" lists them
        today = dt.date.today()
        secondments = secondments.ending_between(today, today + dt.timedelta(days=ends_within)).order_by(
            "end_date", *name_ordering("officer__"), "id")
    # The page's ids first, from a narrow sort; then their rows. Sorting the joined rows themselves
    # carried every officer's search columns through the sort: 380 ms of 540 at 35,000 secondments
    # (SQLite, bench/careers.py's database).
    page = Paginator(secondments.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    found = Secondment.objects.with_related().in_bulk(list(page.object_list))
    shown = [found[pk] for pk in page.object_list]
    record_list(actor=request.user, object_type="secondments.secondment", ids=[s.pk for s in shown],
                filters=request.GET, fields=LIST_FIELDS, detail={"officer_ids": sorted({s.officer_id for s in shown})})
    rows = [(s, MoveForm.for_user(s, request.user), can_manage_secondments(request.user, s.officer)) for s in shown]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "secondments/list.html", {"page": page, "rows": rows, "status": status, "form": form,
                                                     "ends_within": ends_within, "querystring": params.urlencode(),
                                                     "statuses": Secondment.Status.choices},
                  status=200 if form.is_valid() else 400)


@login_required
def secondment_detail(request, pk):
    """One secondment's lifecycle: where it stands, the moves the reader may make, its extensions, and
    the pages higher apps add for it (preparation, duty of care, career: hooks.secondment_pages)."""
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=pk)
    record_read(actor=request.user, secondment=secondment, fields=DETAIL_FIELDS)
    return render(request, "secondments/detail.html", {
        "secondment": secondment, "move_form": MoveForm.for_user(secondment, request.user),
        "can_change": can_change_secondment(request.user, secondment),
        "extensions": list(secondment.extensions.select_related("recorded_by")),
        "promotions": list(secondment.promotions.select_related("previous_rank", "new_rank", "recorded_by")),
        "handover": Handover.objects.filter(secondment=secondment).select_related("successor__officer").first(),
        "pages": secondment_pages(request.user, secondment), "statuses": Secondment.Status.choices})


@login_required
@require_POST
def secondment_move(request, pk):
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=pk)
    form = MoveForm(request.POST, secondment=secondment, user=request.user)
    back = redirect("secondments:detail", pk=pk) if request.POST.get("next") == "detail" else redirect("secondments:list")
    if not can_change_secondment(request.user, secondment):
        raise PermissionDenied(_("You may not change this secondment."))
    if not form.is_valid():
        messages.error(request, _("Status not changed: ") + "; ".join(
            f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields else " ".join(v)
            for k, v in form.errors.items()))
        return back
    try:
        make_move(actor=request.user, secondment=secondment, **form.cleaned_data)
        messages.success(request, _("Status changed."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return back


@login_required
def edit_secondment(request, pk):
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=pk)
    if not can_manage_secondments(request.user, secondment.officer):
        raise PermissionDenied(_("You may not change this secondment."))
    form = SecondmentEditForm(request.POST or None, secondment=secondment, user=request.user)
    if request.method == "GET":  # the form shows the stored secondment
        record_read(actor=request.user, secondment=secondment, fields=list(form.fields))
    if request.method == "POST" and form.is_valid():
        try:
            fields = update_secondment(actor=request.user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("roster:detail", pk=secondment.officer_id)
    return render(request, "secondments/edit.html", {"form": form, "secondment": secondment},
                  status=400 if form.errors else 200)


@login_required
def record_secondment(request, officer_id):
    officer = get_object_or_404(Officer.objects.visible_to(request.user).select_related("pool"), pk=officer_id)
    if not can_manage_secondments(request.user, officer):
        raise PermissionDenied(_("You may not record secondments for this officer."))
    form = SecondmentForm(request.POST or None)
    if request.method == "GET":  # the page names the officer and their pool
        record_full_read(actor=request.user, officer=officer, fields=["first_name", "last_name", "pool"])
    if request.method == "POST" and form.is_valid():
        try:
            create_secondment(actor=request.user, officer=officer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Secondment recorded."))
            return redirect("roster:detail", pk=officer.pk)
    return render(request, "secondments/record.html", {"form": form, "officer": officer},
                  status=400 if form.errors else 200)


def _secondment_form_page(request, pk, form_class, workflow, template, title):
    """A form about one deployed (or returned) secondment: shown to those who manage it, saved through
    its workflow, back to the secondment's page."""
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=pk)
    if not can_change_secondment(request.user, secondment):
        raise PermissionDenied(_("You may not change this secondment."))
    form = form_class(request.POST or None, secondment=secondment, user=request.user)
    if request.method == "GET":
        record_read(actor=request.user, secondment=secondment, fields=["officer", "position", "start_date", "end_date"])
    if request.method == "POST" and form.is_valid():
        try:
            workflow(actor=request.user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("secondments:detail", pk=pk)
    return render(request, template, {"form": form, "secondment": secondment, "title": title},
                  status=400 if form.errors else 200)


@login_required
def promotion(request, pk):
    return _secondment_form_page(request, pk, PromotionForm, record_promotion, "secondments/form.html",
                                 _("Promotion while deployed"))


@login_required
def handover(request, pk):
    return _secondment_form_page(request, pk, HandoverForm, record_handover, "secondments/form.html",
                                 _("Handover to the successor"))
