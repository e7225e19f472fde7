"""The reports API: field reports (filing, reading, triage) and information requirements. Input goes
through the same forms as the web pages and the same workflows (services.py); a text with a
classification marking is a 400 naming the field and the marking, and nothing of it is stored."""

import binascii
import datetime as dt
import math
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from dividend.audit.services import record, record_list
from dividend.common.api import (
    IdFilter,
    IdPath,
    IsoDate,
    Limit,
    Offset,
    Page,
    Text,
    error_responses,
    form_errors,
    paginate,
)
from dividend.roster.models import Officer

from . import access, funnel, services, stix
from .attachments import download_response, readable_attachment
from .forms import (
    AudienceForm,
    AudiencesForm,
    FeedbackForm,
    FieldReportForm,
    ProductForm,
    ProductMoveForm,
    RequirementForm,
    SectionForm,
    StatusForm,
)
from .models import Audience, FieldReport, InformationRequirement, Product, ReportAttachment

router = Router(tags=["reports"])


class AttachmentOut(Schema):
    id: int
    name: str
    kind: Annotated[str, Field(description="pdf, docx, png or jpeg: detected from the content")]
    size: int


class AttachmentIn(Schema):
    name: Text(200)
    content_base64: Annotated[Text(4 * math.ceil(settings.DIVIDEND_ATTACHMENT_MAX_BYTES / 3)),
                              Field(description="The file, base64-encoded (PDF, DOCX, PNG or JPEG; the type is "
                                                "read from the content).")]


class ReportOut(Schema):
    id: int
    officer_id: int
    mission_id: int
    period_start: dt.date
    period_end: dt.date
    kind: str
    title: str
    body: str
    themes: list[int]
    countries: list[int]
    places: list[str]
    marking: str
    credibility: int
    reliability: str
    requirements: list[int]
    status: str
    status_reason: str
    submitted_at: dt.datetime
    attachments: list[AttachmentOut] = []


class ReportPage(Page):
    items: list[ReportOut]


class ReportFilters(Schema):
    status: FieldReport.Status | None = None
    mission: IdFilter | None = None
    limit: Limit = 50
    offset: Offset = 0


class ReportIn(Schema):
    draft_key: Annotated[Text(64, min_length=8), Field(description="The client's key for this draft: sending "
                                                                   "it again files nothing twice.")]
    mission: IdFilter
    period_start: IsoDate
    period_end: IsoDate
    kind: Text(10)
    title: Text(200)
    body: Text(20000)
    themes: Annotated[list[IdFilter], Field(max_length=50)] = []
    countries: Annotated[list[IdFilter], Field(max_length=50)] = []
    places: Text(500) = ""
    marking: Annotated[Text(12), Field(description="TLP 2.0: clear, green, amber, amber_strict or red")]
    credibility: Annotated[int, Field(ge=1, le=6)]
    reliability: Text(1)
    requirements: Annotated[list[IdFilter], Field(max_length=50)] = []
    attachments: Annotated[list[AttachmentIn], Field(max_length=settings.DIVIDEND_ATTACHMENT_MAX_COUNT,
                                                     description="Files filed with the report (checked as the web "
                                                                 "form checks them).")] = []


class ReportStatusIn(Schema):
    status: Text(20)
    reason: Text(2000) = ""


class InformationRequirementOut(Schema):
    id: int
    title: str
    description: str
    mission_id: int | None
    region: str
    theme_id: int | None
    active: bool


class InformationRequirementIn(Schema):
    title: Text(200)
    description: Text(4000)
    mission: IdFilter | None = None
    region: Text(60) = ""
    theme: IdFilter | None = None


def report_out(r: FieldReport) -> dict:
    return {"id": r.pk, "officer_id": r.officer_id, "mission_id": r.mission_id, "period_start": r.period_start,
            "period_end": r.period_end, "kind": r.kind, "title": r.title, "body": r.body,
            "themes": sorted(t.pk for t in r.themes.all()), "countries": sorted(c.pk for c in r.countries.all()),
            "places": r.place_list, "marking": r.marking, "credibility": r.credibility, "reliability": r.reliability,
            "requirements": sorted(q.pk for q in r.requirements.all()), "status": r.status,
            "status_reason": r.status_reason, "submitted_at": r.submitted_at,
            "attachments": [{"id": a.pk, "name": a.name, "kind": a.kind, "size": a.size} for a in r.attachments.all()]}


def _reports(user):
    return FieldReport.objects.visible_to(user).with_related().prefetch_related(
        "themes", "countries", "requirements", Prefetch("attachments", ReportAttachment.objects.listing()))


def _gate(user):
    if not access.can_use_reports(user):
        raise PermissionDenied("Field reports are for secondees and analysts.")


@router.get("", response={200: ReportPage, **error_responses(400, 401, 403)})
def list_reports(request, filters: Query[ReportFilters]):
    """Field reports you may read (analysts: their pools' officers; a secondee: their own), newest first."""
    _gate(request.user)
    reports = _reports(request.user)
    if filters.status is not None:
        reports = reports.filter(status=filters.status)
    if filters.mission is not None:
        reports = reports.filter(mission_id=filters.mission)
    count, items = paginate(reports, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="reports.fieldreport", ids=[r.pk for r in items],
                    filters=filters.dict(), fields=[k for k in ReportOut.model_fields if k != "id"],
                    detail={"total": count, "officer_ids": sorted({r.officer_id for r in items})})
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": [report_out(r) for r in items]}


@router.post("", response={201: ReportOut, 200: ReportOut, **error_responses(400, 401, 403)})
def file_report(request, payload: ReportIn):
    """File a field report on a mission you are deployed to (a secondee). The same `draft_key` sent
    again answers 200 with the report filed the first time."""
    officer = Officer.objects.filter(user=request.user).first()
    if not access.can_file_reports(request.user) or officer is None:
        raise PermissionDenied("Only a secondee with an officer record files field reports.")
    # A draft sent again (a phone retrying after a lost answer, perhaps days later, when the mission
    # or a requirement has changed) is answered with the report filed the first time, not checked again.
    filed = FieldReport.objects.filter(officer=officer, draft_key=payload.draft_key).first()
    if filed is not None:
        return Status(200, report_out(_reports(request.user).get(pk=filed.pk)))
    data = payload.dict()
    form = FieldReportForm(data=data, files={"attachments": _decoded(data.pop("attachments"))}, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    already = FieldReport.objects.filter(officer=officer, draft_key=form.cleaned_data["draft_key"]).exists()
    report = services.file_report(actor=request.user, officer=officer, **form.cleaned_data)
    return Status(200 if already else 201, report_out(_reports(request.user).get(pk=report.pk)))


def _decoded(attachments) -> list[SimpleUploadedFile]:
    """The API's base64 files as uploads for the form (the form reads their type from the content)."""
    files, errors = [], {}
    for position, a in enumerate(attachments, start=1):
        try:
            content = binascii.a2b_base64(a["content_base64"], strict_mode=True)
        except (binascii.Error, ValueError):
            errors.setdefault("attachments", []).append(f"Attachment {position}: content_base64 is not valid base64.")
            continue
        files.append(SimpleUploadedFile(a["name"] or "attachment", content))
    if errors:
        raise ValidationError(errors)
    return files


@router.get("/requirements", response={200: list[InformationRequirementOut], **error_responses(401, 403)})
def list_requirements(request):
    """Information requirements: every one for analysts, those of your mission for a secondee."""
    _gate(request.user)
    return [{"id": r.pk, "title": r.title, "description": r.description, "mission_id": r.mission_id,
             "region": r.region, "theme_id": r.theme_id, "active": r.active}
            for r in InformationRequirement.objects.visible_to(request.user)]


@router.post("/requirements", response={201: InformationRequirementOut, **error_responses(400, 401, 403)})
def create_requirement(request, payload: InformationRequirementIn):
    """Set a standing information requirement for a mission, a region or a theme (analysts)."""
    if not access.can_set_requirements(request.user):
        raise PermissionDenied("Only analysts set information requirements.")
    form = RequirementForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    r = services.create_requirement(actor=request.user, **form.cleaned_data)
    return Status(201, {"id": r.pk, "title": r.title, "description": r.description, "mission_id": r.mission_id,
                        "region": r.region, "theme_id": r.theme_id, "active": r.active})


# --- Products, audiences, feedback, funnel (issue 12 §5–6) ---------------------------------------


class ProductSectionOut(Schema):
    id: int
    heading: str
    text: str
    cited_reports: Annotated[list[int], Field(description="Ids of the reports cited (for the product's producers; "
                                                          "empty for its audiences).")]


class ProductOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    summary: str
    mission_id: int | None
    period_start: dt.date
    period_end: dt.date
    marking: Annotated[str, Field(description="TLP 2.0: clear, green, amber, amber_strict or red")]
    downgrade_reason: str
    status: str
    status_reason: str
    audience_ids: list[int]
    published_at: dt.datetime | None
    sections: list[ProductSectionOut]


class ProductPage(Page):
    items: list[ProductOut]


class ProductFilters(Schema):
    status: Product.Status | None = None
    limit: Limit = 50
    offset: Offset = 0


class ProductIn(Schema):
    kind: Text(10)
    title: Text(200)
    summary: Text(4000) = ""
    mission: IdFilter | None = None
    period_start: IsoDate
    period_end: IsoDate
    marking: Annotated[Text(12), Field(description="TLP 2.0: clear, green, amber, amber_strict or red (required)")]


class ProductSectionIn(Schema):
    heading: Text(200)
    text: Text(20000) = ""
    reports: Annotated[list[IdFilter], Field(max_length=100)] = []


class ProductAudiencesIn(Schema):
    audiences: Annotated[list[IdFilter], Field(max_length=100)]


class ProductMoveIn(Schema):
    move: Annotated[Text(10), Field(description="submit, publish, return or withdraw")]
    marking: Annotated[Text(12), Field(description="On publish: the marking (lower than the sources' only with "
                                                   "a reason)")] = ""
    reason: Text(500) = ""


class ReportAudienceOut(Schema):
    id: int
    name: str
    breadth: str
    member_ids: list[int]


class ReportAudienceIn(Schema):
    name: Text(120)
    breadth: Text(12)
    members: Annotated[list[IdFilter], Field(max_length=500)] = []


class ReportFeedbackIn(Schema):
    verdict: Text(10)
    note: Text(2000) = ""


class ReportFeedbackOut(Schema):
    id: int
    report_id: int
    verdict: str
    note: str
    given_at: dt.datetime


class ReportFunnelRow(Schema):
    mission: str
    received: int
    accepted: int
    cited: int
    products: int


class ReportFunnelOut(Schema):
    year: int
    received: int
    accepted: int
    cited: int
    products: int
    missions: list[ReportFunnelRow]


class ReportFunnelFilters(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    mission: IdFilter | None = None
    pool: IdFilter | None = None


def product_out(p: Product, user) -> dict:
    producer = access.is_producer(user, p)
    return {"id": p.pk, "reference": p.reference, "kind": p.kind, "title": p.title, "summary": p.summary,
            "mission_id": p.mission_id, "period_start": p.period_start, "period_end": p.period_end,
            "marking": p.marking, "downgrade_reason": p.downgrade_reason, "status": p.status,
            "status_reason": p.status_reason, "audience_ids": sorted(a.pk for a in p.audiences.all()),
            "published_at": p.published_at,
            "sections": [{"id": s.pk, "heading": s.heading, "text": s.text,
                          "cited_reports": sorted(c.report_id for c in s.citations.all()) if producer else []}
                         for s in p.sections.all()]}


def _product(user, product_id) -> Product:
    product = Product.objects.filter(pk=product_id).prefetch_related("audiences", "sections__citations").first()
    if product is None or not access.can_read_product(user, product):
        raise Http404
    return product


def _read_product(user, product):
    record(actor=user, action="read", obj=product, fields=[k for k in ProductOut.model_fields if k != "id"],
           detail={"reference": product.reference, "marking": product.marking})


@router.get("/products", response={200: ProductPage, **error_responses(400, 401)})
def list_products(request, filters: Query[ProductFilters]):
    """Products you may read: those you produced, and published ones sent to a list you are on that
    their marking allows."""
    products = Product.objects.visible_to(request.user).prefetch_related("audiences", "sections__citations")
    if filters.status is not None:
        products = products.filter(status=filters.status)
    count, items = paginate(products, limit=filters.limit, offset=filters.offset)
    if items:
        record_list(actor=request.user, object_type="reports.product", ids=[p.pk for p in items],
                    filters=filters.dict(), fields=["reference", "title", "marking", "status", "sections"])
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [product_out(p, request.user) for p in items]}


@router.post("/products", response={201: ProductOut, **error_responses(400, 401, 403)})
def create_product(request, payload: ProductIn):
    """Start a product (analysts): it gets its reference (SITREP-2026-17) and must carry a TLP marking."""
    if not access.can_compose_products(request.user):
        raise PermissionDenied("Only analysts compose products.")
    form = ProductForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    product = services.create_product(actor=request.user, **form.cleaned_data)
    return Status(201, product_out(_product(request.user, product.pk), request.user))


@router.get("/products/{product_id}", response={200: ProductOut, **error_responses(400, 401, 404)})
def get_product(request, product_id: IdPath):
    product = _product(request.user, product_id)
    _read_product(request.user, product)
    return product_out(product, request.user)


@router.get("/products/{product_id}/stix", response={200: dict, **error_responses(400, 401, 404)})
def product_stix(request, product_id: IdPath):
    """The product as a STIX 2.1 bundle (a `report` with the TLP 2.0 marking definition)."""
    product = _product(request.user, product_id)
    record(actor=request.user, action="export", obj=product, fields=["reference", "title", "marking", "sections"],
           detail={"format": "stix", "reference": product.reference, "marking": product.marking})
    return stix.bundle(product)


def _editable(user, product_id):
    product = _product(user, product_id)
    if not access.can_edit_product(user, product):
        raise PermissionDenied("Only the author edits a draft.")
    return product


@router.post("/products/{product_id}/sections", response={201: ProductOut, **error_responses(400, 401, 403, 404)})
def add_section(request, product_id: IdPath, payload: ProductSectionIn):
    """Add a section citing accepted reports you read (the author of a draft); the product's marking
    rises to the strictest cited report's."""
    product = _editable(request.user, product_id)
    form = SectionForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    services.add_section(actor=request.user, product=product, **form.cleaned_data)
    return Status(201, product_out(_product(request.user, product.pk), request.user))


@router.post("/products/{product_id}/audiences", response={200: ProductOut, **error_responses(400, 401, 403, 404)})
def set_audiences(request, product_id: IdPath, payload: ProductAudiencesIn):
    """Choose the distribution lists of a draft: each must be allowed by its marking."""
    product = _editable(request.user, product_id)
    form = AudiencesForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    services.set_audiences(actor=request.user, product=product, audiences=form.cleaned_data["audiences"])
    return product_out(_product(request.user, product.pk), request.user)


@router.post("/products/{product_id}/move", response={200: ProductOut, **error_responses(400, 401, 403, 404)})
def move_product(request, product_id: IdPath, payload: ProductMoveIn):
    """Submit (the author), publish or return (a second analyst), withdraw (with a reason)."""
    from .product_views import move

    product = _product(request.user, product_id)
    form = ProductMoveForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    move(request.user, product, form.cleaned_data)
    return product_out(_product(request.user, product.pk), request.user)


@router.get("/audiences", response={200: list[ReportAudienceOut], **error_responses(401, 403)})
def list_audiences(request):
    """Distribution lists (analysts)."""
    if not access.can_manage_audiences(request.user):
        raise PermissionDenied("Only analysts keep distribution lists.")
    return [{"id": a.pk, "name": a.name, "breadth": a.breadth, "member_ids": sorted(m.pk for m in a.members.all())}
            for a in Audience.objects.visible_to(request.user).prefetch_related("members")]


@router.post("/audiences", response={201: ReportAudienceOut, **error_responses(400, 401, 403)})
def create_audience(request, payload: ReportAudienceIn):
    """A distribution list: a name, a breadth (named, organisation, partners, community, public) and members."""
    if not access.can_manage_audiences(request.user):
        raise PermissionDenied("Only analysts keep distribution lists.")
    form = AudienceForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    a = services.create_audience(actor=request.user, **form.cleaned_data)
    return Status(201, {"id": a.pk, "name": a.name, "breadth": a.breadth,
                        "member_ids": sorted(m.pk for m in a.members.all())})


@router.get("/funnel", response={200: ReportFunnelOut, **error_responses(400, 401, 403)})
def get_funnel(request, filters: Query[ReportFunnelFilters]):
    """Reports received → accepted → cited → products per mission (analysts), over the reports you read."""
    if not access.is_analyst(request.user):
        raise PermissionDenied("The funnel figures are for analysts.")
    chosen = funnel.Filters(year=filters.year or timezone.localdate().year, mission=filters.mission,
                            pool=filters.pool)
    rows = list(funnel.table(request.user, chosen).rows)
    return {"year": chosen.year, **funnel.totals(request.user, chosen),
            "missions": [dict(zip(["mission", "received", "accepted", "cited", "products"], r, strict=True))
                         for r in rows]}


@router.post("/{report_id}/feedback", response={201: ReportFeedbackOut, **error_responses(400, 401, 403, 404)})
def give_feedback(request, report_id: IdPath, payload: ReportFeedbackIn):
    """Mark a report useful, unverified or false (analysts who triage it); its author reads it."""
    _gate(request.user)
    report = get_object_or_404(_reports(request.user), pk=report_id)
    if not access.can_give_feedback(request.user, report):
        raise PermissionDenied("You may not give feedback on this report.")
    form = FeedbackForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    f = services.give_feedback(actor=request.user, report=report, **form.cleaned_data)
    return Status(201, {"id": f.pk, "report_id": report.pk, "verdict": f.verdict, "note": f.note,
                        "given_at": f.given_at})


@router.get("/{report_id}", response={200: ReportOut, **error_responses(400, 401, 403, 404)})
def get_report(request, report_id: IdPath):
    _gate(request.user)
    report = get_object_or_404(_reports(request.user), pk=report_id)
    record(actor=request.user, action="read", obj=report, fields=[k for k in ReportOut.model_fields if k != "id"],
           detail={"officer_id": report.officer_id})
    return report_out(report)


@router.post("/{report_id}/status", response={200: ReportOut, **error_responses(400, 401, 403, 404)})
def change_status(request, report_id: IdPath, payload: ReportStatusIn):
    """Move a report through triage: new → in review → accepted / filed / needs information (analysts)."""
    _gate(request.user)
    report = get_object_or_404(_reports(request.user), pk=report_id)
    if not access.can_triage_report(request.user, report):
        raise PermissionDenied("You may not triage this report.")
    form = StatusForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    services.change_report_status(actor=request.user, report=report, **form.cleaned_data)
    return report_out(_reports(request.user).get(pk=report.pk))


@router.get("/{report_id}/attachments/{attachment_id}", response={200: None, **error_responses(400, 401, 403, 404)})
def download_attachment(request, report_id: IdPath, attachment_id: IdPath):
    """An attachment of a report you may read, as a download: the type detected from its content at intake."""
    _gate(request.user)
    return download_response(readable_attachment(request.user, report_id, attachment_id))


# The triage's endpoints (queue, assignment, comments, bulk actions, suggestions) and the
# near-duplicates' (a report's suggestions, the analyst's decision) on this router.
from . import duplicate_api, triage_api  # noqa: E402,F401
