"""Workflows of the reports app: filing a field report, triaging it, the source's reliability and
the information requirements. Each is a keyword-only function, `actor` first, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record

from . import access
from .attachments import refuse_classified_attachments, store_attachments
from .classification import find_markings
from .models import (
    STRICTNESS,
    Audience,
    Breadth,
    Citation,
    FieldReport,
    InformationRequirement,
    Marking,
    Product,
    ProductSection,
    ReportFeedback,
    SourceReliability,
    current_reliability,
    deployed_missions,
    strictest,
)
from .search import refresh_reports as refresh_search

REPORT_FIELDS = ("mission", "period_start", "period_end", "kind", "title", "body", "places", "marking",
                 "credibility", "reliability")


def refuse_classified(**texts) -> None:
    """Raise a ValidationError naming each field that carries a classification marking, and the
    marking, never the text: the caller stores nothing of it."""
    errors = {}
    for field, text in texts.items():
        found = find_markings(text or "")
        if found:
            errors[field] = _("Classified content is not accepted: this text carries the marking %(markings)s. "
                              "Dividend holds unclassified information only; send classified information "
                              "through your accredited channel.") % {"markings": ", ".join(found)}
    if errors:
        raise ValidationError(errors)


def file_report(*, actor, officer, draft_key: str, themes=(), countries=(), requirements=(), attachments=(),
                **fields) -> FieldReport:
    """A deployed secondee files a field report.

    Steps: 1. check the actor files reports and is the officer; 2. validate: the mission is one they
    are deployed to now, the requirements apply to it, no classification marking in any text (the
    form checked; checked again here, the one path to the table); 3. the same draft sent again gives
    back the report filed the first time; 4. one transaction: the report, its themes, places and
    requirements, attachments (checked by the form: `reports.attachments`), its search text
    (derived), the source's reliability history when the grade changed; 5. audit (field names, not
    the text).
    """
    if not access.can_file_reports(actor) or officer.user_id != actor.pk:
        raise PermissionDenied(_("Only the secondee files their own reports."))
    existing = FieldReport.objects.filter(officer=officer, draft_key=draft_key).first()
    if existing is not None:
        return existing
    refuse_classified(title=fields.get("title"), body=fields.get("body"), places=fields.get("places"))
    refuse_classified_attachments(attachments)
    mission = fields["mission"]
    if not deployed_missions(actor).filter(pk=mission.pk).exists():
        raise ValidationError({"mission": _("You are not deployed to %(mission)s now.") % {"mission": mission.acronym}})
    applicable = set(InformationRequirement.objects.for_missions([mission]).filter(active=True)
                     .values_list("pk", flat=True))
    outside = [r.title for r in requirements if r.pk not in applicable]
    if outside:
        raise ValidationError({"requirements": _("Not a requirement of %(mission)s: %(titles)s.") % {
            "mission": mission.acronym, "titles": "; ".join(outside)}})
    now = timezone.now()
    try:
        with transaction.atomic():
            report = FieldReport.objects.create(officer=officer, author=actor, draft_key=draft_key, submitted_at=now,
                                                status=FieldReport.Status.NEW, status_changed_at=now,
                                                status_changed_by=actor, **fields)
            report.themes.set(themes)
            report.countries.set(countries)
            report.requirements.set(requirements)
            store_attachments(actor=actor, report=report, attachments=attachments)
            refresh_search([report.pk])  # after the attachments: their text is searched
            if fields["reliability"] != current_reliability(officer):
                SourceReliability.objects.create(officer=officer, grade=fields["reliability"], set_by=actor, set_at=now,
                                                 reason=_("given by the source with report %(id)s") % {"id": report.pk})
            record(actor=actor, action="create", obj=report, fields=[*REPORT_FIELDS, "themes", "countries",
                                                                     "requirements"],
                   detail={"officer_id": officer.pk, "mission_id": mission.pk, "marking": report.marking})
    except IntegrityError:  # the same draft, sent twice at once: the other request filed it
        return FieldReport.objects.get(officer=officer, draft_key=draft_key)
    return report


def change_report_status(*, actor, report: FieldReport, status: str, reason: str = "") -> FieldReport:
    """An analyst moves a report through triage (new → in review → accepted / filed / needs information).

    Steps: 1. check the actor triages the report's pool; 2. validate: nobody else holds the report's
    edit lock (reports.triage), the move against `FieldReport.TRANSITIONS` and the reason where one
    is needed; 3. save who/when/why; 4. audit.
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
    from .triage import check_not_locked  # another analyst editing its triage form holds it

    check_not_locked(actor=actor, report=report)
    if not report.can_move_to(status):
        raise ValidationError(_("A report that is %(current)s cannot be moved to %(status)s.") % {
            "current": report.get_status_display().lower(),
            "status": FieldReport.Status(status).label.lower() if status in FieldReport.Status.values else status})
    reason = reason.strip()
    if status in FieldReport.REASON_NEEDED and not reason:
        raise ValidationError({"reason": _("Say why: the author reads it.")})
    with transaction.atomic():
        before = report.status
        report.status, report.status_reason = status, reason
        report.status_changed_at, report.status_changed_by = timezone.now(), actor
        report.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
        record(actor=actor, action="status", obj=report, fields=["status", "status_reason"],
               detail={"from": before, "to": status, "reason": reason})
    return report


def set_reliability(*, actor, officer, grade: str, reason: str) -> SourceReliability:
    """An analyst grades a source's reliability (A–F) with a reason; the grade pre-fills the
    source's next report.

    Steps: 1. check the actor is an analyst of the officer's pool; 2. validate the grade and reason;
    3. add to the history; 4. audit.
    """
    pools = access.analyst_pools(actor)
    if not (pools is access.EVERY_POOL or officer.pool_id in pools):
        raise PermissionDenied(_("You may not grade this source."))
    if grade not in dict(SourceReliability._meta.get_field("grade").choices):
        raise ValidationError({"grade": _("Choose a grade from A to F.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    with transaction.atomic():
        entry = SourceReliability.objects.create(officer=officer, grade=grade, set_by=actor, set_at=timezone.now(),
                                                 reason=reason.strip()[:300])
        record(actor=actor, action="update", obj=officer, fields=["reliability"],
               detail={"grade": grade, "reason": entry.reason})
    return entry


def create_requirement(*, actor, **fields) -> InformationRequirement:
    """An analyst sets a standing information requirement for a mission, a region or a theme.

    Steps: 1. check the actor sets requirements; 2. validate: at least one of mission, region,
    theme; no classification marking; 3. save; 4. audit.
    """
    if not access.can_set_requirements(actor):
        raise PermissionDenied(_("Only analysts set information requirements."))
    if not (fields.get("mission") or fields.get("region") or fields.get("theme")):
        raise ValidationError(_("Say what the requirement is for: a mission, a region or a theme."))
    refuse_classified(title=fields.get("title"), description=fields.get("description"))
    with transaction.atomic():
        requirement = InformationRequirement.objects.create(set_by=actor, **fields)
        record(actor=actor, action="create", obj=requirement, fields=sorted(fields))
    return requirement


# --- Products (issue 12 §5) ----------------------------------------------------------------------


def _label(marking) -> str:
    return Marking(marking).label if marking in Marking.values else str(marking)


def _check_marking(marking) -> None:
    if marking not in Marking.values:
        raise ValidationError({"marking": _("Nothing leaves without a TLP marking: choose CLEAR, GREEN, AMBER, "
                                            "AMBER+STRICT or RED.")})


def create_audience(*, actor, name: str, breadth: str, members=()) -> Audience:
    """An analyst sets up a distribution list: a name, a breadth and its members.

    Steps: 1. check the actor keeps audiences; 2. validate name and breadth; 3. save with members;
    4. audit (member ids).
    """
    if not access.can_manage_audiences(actor):
        raise PermissionDenied(_("Only analysts keep distribution lists."))
    if breadth not in Breadth.values:
        raise ValidationError({"breadth": _("Choose a breadth: named recipients, our organisation, organisation "
                                            "and partners, community or public.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the list a name.")})
    if Audience.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A distribution list of that name exists.")})
    with transaction.atomic():
        audience = Audience.objects.create(name=name, breadth=breadth, created_by=actor)
        audience.members.set(members)
        record(actor=actor, action="create", obj=audience, fields=["name", "breadth", "members"],
               detail={"breadth": breadth, "member_ids": sorted(m.pk for m in members)})
    return audience


def _next_number(kind: str, year: int) -> int:
    last = Product.objects.filter(kind=kind, year=year).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def create_product(*, actor, kind: str, title: str, marking: str, period_start, period_end, summary: str = "",
                   mission=None) -> Product:
    """An analyst starts a product (a draft) and it gets its reference: SITREP-2026-17.

    Steps: 1. check the actor composes products; 2. validate kind, marking (required), period, no
    classified text; 3. one transaction: the next number of the kind and year, the draft; 4. audit.
    """
    if not access.can_compose_products(actor):
        raise PermissionDenied(_("Only analysts compose products."))
    if kind not in Product.Kind.values:
        raise ValidationError({"kind": _("Choose a situation report, a flash report or input on a mandate review.")})
    _check_marking(marking)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    refuse_classified(title=title, summary=summary)
    now = timezone.now()
    for attempt in range(5):
        try:
            with transaction.atomic():
                product = Product.objects.create(
                    kind=kind, year=now.year, number=_next_number(kind, now.year), title=title.strip(),
                    summary=summary.strip(), mission=mission, period_start=period_start, period_end=period_end,
                    marking=marking, author=actor, created_at=now, status=Product.Status.DRAFT,
                    status_changed_at=now, status_changed_by=actor)
                record(actor=actor, action="create", obj=product,
                       fields=["kind", "title", "summary", "mission", "period_start", "period_end", "marking"],
                       detail={"reference": product.reference, "marking": marking})
            return product
        except IntegrityError:  # another analyst took the number at the same moment: the next one
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _citable(actor, reports) -> list[FieldReport]:
    """The reports, each accepted and readable by the actor; else a ValidationError naming them."""
    reports = list(reports)
    visible = set(FieldReport.objects.visible_to(actor).filter(pk__in=[r.pk for r in reports])
                  .values_list("pk", flat=True))
    hidden = [str(r.pk) for r in reports if r.pk not in visible]
    if hidden:
        raise ValidationError({"reports": _("Not a report you may read: %(ids)s.") % {"ids": ", ".join(hidden)}})
    open_ = [r.title for r in reports if r.status != FieldReport.Status.ACCEPTED]
    if open_:
        raise ValidationError({"reports": _("Only accepted reports are cited; not accepted: %(titles)s.") % {
            "titles": "; ".join(open_)}})
    return reports


def add_section(*, actor, product: Product, heading: str, text: str, reports=()) -> ProductSection:
    """The author adds a section to a draft: a heading, analysis and the accepted reports it cites.

    Steps: 1. check the actor edits the draft; 2. validate: text, no classified content, every
    report accepted and readable by the actor; 3. one transaction: the section and its citations;
    the product's marking rises to the strictest cited report's (never silently lower); 4. audit.
    """
    if not access.can_edit_product(actor, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    if not (heading or "").strip():
        raise ValidationError({"heading": _("Give the section a heading.")})
    refuse_classified(heading=heading, text=text)
    reports = _citable(actor, reports)
    with transaction.atomic():
        position = (product.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        section = ProductSection.objects.create(product=product, position=position, heading=heading.strip(),
                                                text=(text or "").strip())
        Citation.objects.bulk_create([Citation(section=section, report=r) for r in reports])
        raised = strictest([product.marking, *(r.marking for r in reports)])
        fields = ["sections"]
        if raised != product.marking:
            product.marking = raised
            product.save(update_fields=["marking"])
            fields.append("marking")
        record(actor=actor, action="update", obj=product, fields=fields,
               detail={"section": section.pk, "cited": sorted(r.pk for r in reports), "marking": product.marking,
                       "officer_ids": sorted({r.officer_id for r in reports})})
    return section


def set_marking(*, actor, product: Product, marking: str) -> Product:
    """The author sets a draft's marking: never less strict than the strictest report it cites
    (only the approver lowers it, with a reason).

    Steps: 1. check the actor edits the draft; 2. validate the marking; 3. save; 4. audit.
    """
    if not access.can_edit_product(actor, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    _check_marking(marking)
    sources = product.sources_marking()
    if sources and STRICTNESS[marking] < STRICTNESS[sources]:
        raise ValidationError({"marking": _("A cited report is marked %(sources)s: the product is marked at least "
                                            "as strictly. Only the approver lowers it, with a reason.") % {
            "sources": _label(sources)}})
    with transaction.atomic():
        before = product.marking
        product.marking = marking
        product.save(update_fields=["marking"])
        record(actor=actor, action="update", obj=product, fields=["marking"], detail={"from": before, "to": marking})
    return product


def _audiences_allow(audiences, marking) -> None:
    refused = [a.name for a in audiences if not a.may_receive(marking)]
    if refused:
        raise ValidationError({"audiences": _("A product marked %(marking)s may not go to: %(names)s.") % {
            "marking": _label(marking), "names": "; ".join(refused)}})


def set_audiences(*, actor, product: Product, audiences) -> Product:
    """The author chooses the distribution lists of a draft.

    Steps: 1. check the actor edits the draft; 2. validate: each list's breadth allows the
    product's marking; 3. save; 4. audit.
    """
    if not access.can_edit_product(actor, product):
        raise PermissionDenied(_("Only the author edits a draft."))
    audiences = list(audiences)
    _audiences_allow(audiences, product.marking)
    with transaction.atomic():
        product.audiences.set(audiences)
        record(actor=actor, action="update", obj=product, fields=["audiences"],
               detail={"audience_ids": sorted(a.pk for a in audiences)})
    return product


def _move(actor, product, status, reason="", extra_fields=(), detail=None):
    before = product.status
    now = timezone.now()
    product.status, product.status_reason = status, reason
    product.status_changed_at, product.status_changed_by = now, actor
    product.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", *extra_fields])
    record(actor=actor, action="status", obj=product, fields=["status", "status_reason", *extra_fields],
           detail={"from": before, "to": status, "reason": reason, "reference": product.reference} | (detail or {}))


def _check_move(product, status):
    if not product.can_move_to(status):
        raise ValidationError(_("A product that is %(current)s cannot be %(status)s.") % {
            "current": product.get_status_display().lower(), "status": Product.Status(status).label.lower()})


def submit_product(*, actor, product: Product) -> Product:
    """The author submits a draft for approval.

    Steps: 1. check the actor is the author; 2. validate the move, at least one section, the
    marking at least as strict as every cited report, at least one audience and each allowed by the
    marking; 3. save who/when; 4. audit.
    """
    if product.author_id != actor.pk or not access.is_analyst(actor):
        raise PermissionDenied(_("Only the author submits a product."))
    _check_move(product, Product.Status.SUBMITTED)
    if not product.sections.exists():
        raise ValidationError(_("A product needs at least one section."))
    _check_marking(product.marking)
    sources = product.sources_marking()
    if sources and STRICTNESS[product.marking] < STRICTNESS[sources]:
        raise ValidationError({"marking": _("A cited report is marked %(sources)s: mark the product at least as "
                                            "strictly.") % {"sources": _label(sources)}})
    audiences = list(product.audiences.all())
    if not audiences:
        raise ValidationError({"audiences": _("Choose at least one distribution list.")})
    _audiences_allow(audiences, product.marking)
    with transaction.atomic():
        _move(actor, product, Product.Status.SUBMITTED)
    return product


def return_product(*, actor, product: Product, reason: str) -> Product:
    """The approver sends a submitted product back to its author, with a reason.

    Steps: 1. check the actor approves (a second analyst, not the author); 2. validate the move and
    the reason; 3. save; 4. audit.
    """
    if not access.can_approve_product(actor, product):
        raise PermissionDenied(_("A second analyst, not the author, approves or returns a product."))
    _check_move(product, Product.Status.DRAFT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the author reads it.")})
    with transaction.atomic():
        _move(actor, product, Product.Status.DRAFT, reason)
    return product


def publish_product(*, actor, product: Product, marking: str | None = None, downgrade_reason: str = "") -> Product:
    """A second analyst approves and publishes a submitted product; every cited report's author then
    sees that their report was used (`used_in`).

    Steps: 1. check the actor approves (a producer who is not the author); 2. validate the move; a
    marking given: a TLP marking; lower than the strictest cited report only with a reason (the
    downgrade is recorded: who, why); the audiences allowed by the final marking; 3. one
    transaction: marking, approver, published_at, status; 4. audit (with the downgrade).
    """
    if not access.can_approve_product(actor, product):
        raise PermissionDenied(_("A second analyst, not the author, approves a product."))
    _check_move(product, Product.Status.PUBLISHED)
    marking = marking or product.marking
    _check_marking(marking)
    downgrade_reason = (downgrade_reason or "").strip()
    sources = product.sources_marking()
    downgraded = bool(sources) and STRICTNESS[marking] < STRICTNESS[sources]
    if downgraded and not downgrade_reason:
        raise ValidationError({"downgrade_reason": _("The cited reports are marked up to %(sources)s: a lower "
                                                     "marking needs a reason.") % {"sources": _label(sources)}})
    _audiences_allow(list(product.audiences.all()), marking)
    with transaction.atomic():
        before = product.marking
        product.marking = marking
        product.approver, product.published_at = actor, timezone.now()
        product.downgrade_reason = downgrade_reason if downgraded else ""
        product.downgraded_by = actor if downgraded else None
        _move(actor, product, Product.Status.PUBLISHED,
              extra_fields=["marking", "approver", "published_at", "downgrade_reason", "downgraded_by"],
              detail={"marking": marking, "marking_before": before, "sources_marking": sources,
                      "downgraded": downgraded, "downgrade_reason": product.downgrade_reason,
                      "officer_ids": sorted(set(product.cited_reports().values_list("officer_id", flat=True)))})
    return product


def withdraw_product(*, actor, product: Product, reason: str) -> Product:
    """An analyst who produced it withdraws a published product, with a reason; it then reaches its
    producers only.

    Steps: 1. check the actor is a producing analyst; 2. validate the move and the reason; 3. save;
    4. audit.
    """
    if not access.can_withdraw_product(actor, product):
        raise PermissionDenied(_("You may not withdraw this product."))
    _check_move(product, Product.Status.WITHDRAWN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is withdrawn.")})
    with transaction.atomic():
        _move(actor, product, Product.Status.WITHDRAWN, reason)
    return product


# --- Feedback to sources (issue 12 §6) -------------------------------------------------------------

GRADES = "ABCDE"


def _adjusted_grade(current: str, verdict: str) -> str | None:
    """Where a verdict fits the source's reliability: a report found false lowers the grade by one
    (down to E), a useful one raises it by one (up to B; A takes an analyst's own grading); a source
    not yet judged (F) becomes C on a useful report and E on a false one. Unverified: no change."""
    if verdict == ReportFeedback.Verdict.FALSE:
        return "E" if current == "F" else GRADES[min(GRADES.index(current) + 1, 4)]
    if verdict == ReportFeedback.Verdict.USEFUL:
        return "C" if current == "F" else GRADES[max(GRADES.index(current) - 1, min(1, GRADES.index(current)))]
    return None


def give_feedback(*, actor, report: FieldReport, verdict: str, note: str = "") -> ReportFeedback:
    """An analyst marks a report useful, unverified or false; the author reads it, and it adds to
    the source's reliability history where it fits (`_adjusted_grade`).

    Steps: 1. check the actor triages the report; 2. validate verdict and note (a false report needs
    a note), no classified text; 3. one transaction: the feedback, a reliability entry if the grade
    changes; 4. audit.
    """
    if not access.can_give_feedback(actor, report):
        raise PermissionDenied(_("You may not give feedback on this report."))
    if verdict not in ReportFeedback.Verdict.values:
        raise ValidationError({"verdict": _("Choose useful, unverified or false.")})
    note = (note or "").strip()
    if verdict == ReportFeedback.Verdict.FALSE and not note:
        raise ValidationError({"note": _("Say what was false: the author reads it.")})
    refuse_classified(note=note)
    now = timezone.now()
    with transaction.atomic():
        feedback = ReportFeedback.objects.create(report=report, verdict=verdict, note=note, given_by=actor,
                                                 given_at=now)
        current = current_reliability(report.officer)
        grade = _adjusted_grade(current, verdict)
        if grade and grade != current:
            SourceReliability.objects.create(officer=report.officer, grade=grade, set_by=actor, set_at=now,
                                             reason=_("report %(id)s marked %(verdict)s") % {
                                                 "id": report.pk, "verdict": feedback.get_verdict_display().lower()})
        record(actor=actor, action="create", obj=feedback, fields=["verdict", "note"],
               detail={"report_id": report.pk, "officer_id": report.officer_id, "verdict": verdict,
                       "reliability": grade or current})
    return feedback


def used_in(report_ids) -> dict[int, list[Product]]:
    """Per report id, the published (or since withdrawn) products citing it: what its author is told."""
    result: dict[int, list[Product]] = {}
    citations = (Citation.objects.filter(report_id__in=list(report_ids),
                                         section__product__status__in=[Product.Status.PUBLISHED,
                                                                       Product.Status.WITHDRAWN])
                 .select_related("section__product").order_by("section__product__published_at"))
    for citation in citations:
        products = result.setdefault(citation.report_id, [])
        if citation.section.product not in products:
            products.append(citation.section.product)
    return result


# --- Debriefings (issue 12 §8) ---------------------------------------------------------------------


def record_debriefing(*, actor, officer, group: Audience, held_on, content: str, reports=(),
                      careers_debriefing=None):
    """An analyst of the named group records what was taken in an intelligence debriefing on return.

    Steps: 1. check the actor is an analyst in the group; 2. validate: the group is a named list,
    the linked reports are the officer's own and readable by the actor, the careers debriefing is of
    the officer's secondment, no classified content; 3. one transaction: the record and its links;
    4. audit (the officer and the group, never the content).
    """
    from .models import IntelligenceDebriefing

    if group.breadth != Breadth.NAMED:
        raise ValidationError({"group": _("A debriefing is for a named group only.")})
    if not access.can_record_debriefing(actor, group):
        raise PermissionDenied(_("Only an analyst of the named group records its debriefings."))
    if not (content or "").strip():
        raise ValidationError({"content": _("Write what was taken.")})
    refuse_classified(content=content)
    reports = list(reports)
    readable = set(FieldReport.objects.visible_to(actor).filter(officer=officer).values_list("pk", flat=True))
    outside = [str(r.pk) for r in reports if r.pk not in readable]
    if outside:
        raise ValidationError({"reports": _("Not a report of this officer you may read: %(ids)s.") % {
            "ids": ", ".join(outside)}})
    if careers_debriefing is not None and careers_debriefing.secondment.officer_id != officer.pk:
        raise ValidationError({"careers_debriefing": _("That end-of-mission debriefing is another officer's.")})
    with transaction.atomic():
        debriefing = IntelligenceDebriefing.objects.create(
            officer=officer, group=group, held_on=held_on, content=content.strip(),
            careers_debriefing=careers_debriefing, recorded_by=actor, recorded_at=timezone.now())
        debriefing.reports.set(reports)
        record(actor=actor, action="create", obj=debriefing, fields=["officer", "group", "held_on", "content",
                                                                     "reports", "careers_debriefing"],
               detail={"officer_id": officer.pk, "group_id": group.pk})
    return debriefing
