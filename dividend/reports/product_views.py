"""Pages of the products (situation and flash reports, input on a mandate review), their formats
(page, PDF, STIX 2.1), the distribution lists, feedback on a report and the funnel figures.

Every format of a product is served through `_product(user, pk)`, which asks
`access.can_read_product` (the one gate), and says the product's TLP marking first.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record
from dividend.common.exports import RENDERERS, render_html_pdf

from . import access, funnel, services, stix
from .forms import (
    AudienceForm,
    AudiencesForm,
    FeedbackForm,
    ProductForm,
    ProductMarkingForm,
    ProductMoveForm,
    SectionForm,
)
from .models import Audience, FieldReport, Product
from .views import _add_errors

PRODUCT_FIELDS = ["reference", "title", "summary", "marking", "status", "sections"]


def _product(user, pk) -> Product:
    """The product if the user may read it (else 404: its existence is not told)."""
    product = Product.objects.filter(pk=pk).select_related("mission", "author", "approver").first()
    if product is None or not access.can_read_product(user, product):
        raise Http404
    return product


def _sections(product):
    return product.sections.prefetch_related("citations__report__officer", "citations__report__mission")


@login_required
def product_list(request):
    user = request.user
    products = list(Product.objects.visible_to(user).select_related("mission")[:200])
    if not products and not access.can_compose_products(user):
        if not access.can_use_reports(user):
            raise PermissionDenied(_("Products are for analysts and their audiences."))
    return render(request, "reports/products.html", {
        "products": products, "compose": access.can_compose_products(user)})


@login_required
def product_new(request):
    user = request.user
    if not access.can_compose_products(user):
        raise PermissionDenied(_("Only analysts compose products."))
    today = timezone.localdate()
    form = ProductForm(request.POST or None, initial={"kind": Product.Kind.SITREP, "marking": "amber",
                                                      "period_start": today - dt.timedelta(days=6),
                                                      "period_end": today})
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Draft %(reference)s started.") % {"reference": product.reference})
            return redirect("reports:product", pk=product.pk)
    return render(request, "reports/product_new.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(user, product, **extra):
    producer = access.is_producer(user, product)
    sections = list(_sections(product))
    editable = access.can_edit_product(user, product)
    context = {
        "product": product, "sections": sections, "producer": producer, "editable": editable,
        "audiences": list(product.audiences.all()),
        "cited_count": product.cited_reports().count(),
        "sources_marking": product.sources_marking(),
        "approve": product.status == Product.Status.SUBMITTED and access.can_approve_product(user, product),
        "may_submit": editable,
        "may_withdraw": product.status == Product.Status.PUBLISHED and access.can_withdraw_product(user, product),
        "section_form": SectionForm(user=user) if editable else None,
        "audiences_form": AudiencesForm(initial={"audiences": [a.pk for a in product.audiences.all()]})
        if editable else None,
        "all_audiences": list(Audience.objects.all()) if editable else [],
        "marking_form": ProductMarkingForm(initial={"marking": product.marking}) if editable else None,
        "move_form": ProductMoveForm(),
    }
    return context | extra


def _audit_read(user, product, sections, producer):
    officer_ids = sorted({c.report.officer_id for s in sections for c in s.citations.all()}) if producer else []
    record(actor=user, action="read", obj=product, fields=PRODUCT_FIELDS + (["citations"] if producer else []),
           detail={"reference": product.reference, "marking": product.marking, "officer_ids": officer_ids})


@login_required
def product_detail(request, pk):
    user = request.user
    product = _product(user, pk)
    context = _detail_context(user, product)
    _audit_read(user, product, context["sections"], context["producer"])
    return render(request, "reports/product.html", context)


def _edit_answer(request, product, form=None, error=None):
    """After an edit: htmx gets the editor part again (with the error), a plain form a redirect."""
    if error is not None:
        messages.error(request, _("Not changed: ") + "; ".join(getattr(error, "messages", [str(error)])))
    if request.headers.get("HX-Request"):
        context = _detail_context(request.user, product)
        if form is not None:
            context["section_form"] = form
        return render(request, "reports/_product_editor.html", context, status=400 if error is not None else 200)
    return redirect("reports:product", pk=product.pk)


@login_required
@require_POST
def product_section(request, pk):
    user = request.user
    product = _product(user, pk)
    if not access.can_edit_product(user, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    form = SectionForm(request.POST, user=user)
    if not form.is_valid():
        return _edit_answer(request, product, form, ValidationError(
            [f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()]))
    before = product.marking
    try:
        services.add_section(actor=user, product=product, **form.cleaned_data)
    except ValidationError as error:
        return _edit_answer(request, product, form, error)
    product.refresh_from_db()
    if product.marking != before:
        messages.info(request, _("The product's marking rose to %(marking)s, the strictest cited report's.") % {
            "marking": product.get_marking_display()})
    return _edit_answer(request, product)


@login_required
@require_POST
def product_audiences(request, pk):
    user = request.user
    product = _product(user, pk)
    if not access.can_edit_product(user, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    form = AudiencesForm(request.POST)
    if not form.is_valid():
        return _edit_answer(request, product, error=ValidationError(form.errors.get("audiences", [])))
    try:
        services.set_audiences(actor=user, product=product, audiences=form.cleaned_data["audiences"])
    except ValidationError as error:
        return _edit_answer(request, product, error=error)
    return _edit_answer(request, product)


@login_required
@require_POST
def product_marking(request, pk):
    user = request.user
    product = _product(user, pk)
    if not access.can_edit_product(user, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    form = ProductMarkingForm(request.POST)
    if not form.is_valid():
        return _edit_answer(request, product, error=ValidationError(form.errors["marking"]))
    try:
        services.set_marking(actor=user, product=product, marking=form.cleaned_data["marking"])
    except ValidationError as error:
        return _edit_answer(request, product, error=error)
    return _edit_answer(request, product)


def move(user, product, data):
    """One move of the product's states from the form's cleaned data (shared with the API)."""
    kind = data["move"]
    if kind == "submit":
        return services.submit_product(actor=user, product=product)
    if kind == "publish":
        return services.publish_product(actor=user, product=product, marking=data.get("marking") or None,
                                        downgrade_reason=data.get("reason", ""))
    if kind == "return":
        return services.return_product(actor=user, product=product, reason=data.get("reason", ""))
    return services.withdraw_product(actor=user, product=product, reason=data.get("reason", ""))


@login_required
@require_POST
def product_move(request, pk):
    user = request.user
    product = _product(user, pk)
    form = ProductMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("reports:product", pk=product.pk)
    try:
        move(user, product, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _("Not changed: ") + "; ".join(error.messages))
    else:
        messages.success(request, _("%(reference)s is now %(status)s.") % {
            "reference": product.reference, "status": product.get_status_display().lower()})
    return redirect("reports:product", pk=product.pk)


@login_required
def product_pdf(request, pk):
    user = request.user
    product = _product(user, pk)
    sections = list(_sections(product))
    record(actor=user, action="export", obj=product, fields=PRODUCT_FIELDS,
           detail={"format": "pdf", "reference": product.reference, "marking": product.marking})
    return render_html_pdf("reports/product_pdf.html", {"product": product, "sections": sections,
                                                        "cited_count": product.cited_reports().count()},
                           product.reference)


@login_required
def product_stix(request, pk):
    user = request.user
    product = _product(user, pk)
    record(actor=user, action="export", obj=product, fields=PRODUCT_FIELDS,
           detail={"format": "stix", "reference": product.reference, "marking": product.marking})
    response = HttpResponse(stix.dumps(product), content_type="application/stix+json;version=2.1")
    response["Content-Disposition"] = f'attachment; filename="{product.reference}.json"'
    return response


@login_required
def audience_list(request):
    user = request.user
    if not access.can_manage_audiences(user):
        raise PermissionDenied(_("Only analysts keep distribution lists."))
    form = AudienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_audience(actor=user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Distribution list saved."))
            return redirect("reports:audiences")
    audiences = list(Audience.objects.visible_to(user).prefetch_related("members"))
    return render(request, "reports/audiences.html", {"audiences": audiences, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def report_feedback(request, pk):
    user = request.user
    report = get_object_or_404(FieldReport.objects.visible_to(user).with_related(), pk=pk)
    if not access.can_give_feedback(user, report):
        raise PermissionDenied(_("You may not give feedback on this report."))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.give_feedback(actor=user, report=report, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not saved: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Feedback saved: the author reads it."))
    return redirect("reports:detail", pk=report.pk)


@login_required
def funnel_page(request):
    user = request.user
    if not access.is_analyst(user):
        raise PermissionDenied(_("The funnel figures are for analysts."))
    filters = funnel.Filters.from_query(request.GET, user)
    table = funnel.table(user, filters)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return RENDERERS[fmt](table, f"funnel-{filters.year}")
    totals = funnel.totals(user, filters)
    return render(request, "reports/funnel.html", {
        "filters": filters, "table": table, "rows": list(table.rows), "totals": totals,
        "chart": funnel.chart(totals, filters), "years": funnel.years(), "missions": funnel.missions(user),
        "pools": funnel.pools(user)})
