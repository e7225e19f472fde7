"""Workflows of the reports app: filing a field report, triaging it, the source's reliability and
the information requirements. Each is a keyword-only function, `actor` first, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record

from . import access
from .classification import find_markings
from .models import (
    FieldReport,
    InformationRequirement,
    SourceReliability,
    current_reliability,
    deployed_missions,
)

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


def file_report(*, actor, officer, draft_key: str, themes=(), countries=(), requirements=(), **fields) -> FieldReport:
    """A deployed secondee files a field report.

    Steps: 1. check the actor files reports and is the officer; 2. validate: the mission is one they
    are deployed to now, the requirements apply to it, no classification marking in any text (the
    form checked; checked again here, the one path to the table); 3. the same draft sent again gives
    back the report filed the first time; 4. one transaction: the report, its themes, places and
    requirements, the source's reliability history when the grade changed; 5. audit (field names,
    not the text).
    """
    if not access.can_file_reports(actor) or officer.user_id != actor.pk:
        raise PermissionDenied(_("Only the secondee files their own reports."))
    existing = FieldReport.objects.filter(officer=officer, draft_key=draft_key).first()
    if existing is not None:
        return existing
    refuse_classified(title=fields.get("title"), body=fields.get("body"), places=fields.get("places"))
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

    Steps: 1. check the actor triages the report's pool; 2. validate the move against
    `FieldReport.TRANSITIONS` and the reason where one is needed; 3. save who/when/why; 4. audit.
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
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
