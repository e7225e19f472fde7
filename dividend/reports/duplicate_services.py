"""The analysts' decision on a suggested near-duplicate (issue 12 §4): "duplicate of" or "not a
duplicate". A link between two reports, audited; never a merge (both reports stay as they are),
and a pair decided on is not suggested again (`reports.duplicates.suggestions`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.roster.subject_access import Section, register_subject_data

from . import access
from .models import DuplicateDecision, FieldReport


def decide_duplicate(*, actor, report: FieldReport, other: FieldReport, verdict: str,
                     note: str = "") -> DuplicateDecision:
    """An analyst records that `report` is a duplicate of `other`, or that the two are not duplicates.

    Steps: 1. check the actor triages `report` and may read `other`; 2. validate: two different
    reports, a known verdict, a note of at most 500 characters; 3. one transaction: the pair's
    decision is created, or changed when it was decided before (either way round); the same decision
    again changes nothing and logs nothing; 4. audit (action decide: the pair, the verdict, and what
    it was before).
    """
    if not access.can_triage_report(actor, report):
        raise PermissionDenied(_("You may not triage this report."))
    if not FieldReport.objects.visible_to(actor).filter(pk=other.pk).exists():
        raise PermissionDenied(_("You may not read the other report."))
    if other.pk == report.pk:
        raise ValidationError({"other": _("A report is no duplicate of itself: choose another report.")})
    if verdict not in DuplicateDecision.Verdict.values:
        raise ValidationError({"verdict": _("Choose 'duplicate' or 'not a duplicate'.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note to 500 characters.")})
    with transaction.atomic():
        existing = (DuplicateDecision.objects.select_for_update()
                    .filter(Q(report=report, other=other) | Q(report=other, other=report)).first())
        now = timezone.now()
        if existing is None:
            decision = DuplicateDecision.objects.create(report=report, other=other, verdict=verdict, note=note,
                                                        decided_by=actor, decided_at=now)
            record(actor=actor, action="decide", obj=report, fields=["duplicate_of"],
                   detail={"other_id": other.pk, "verdict": verdict, "officer_id": report.officer_id})
            return decision
        before = (existing.report_id, existing.other_id, existing.verdict, existing.note)
        if before == (report.pk, other.pk, verdict, note):
            return existing
        existing.report, existing.other, existing.verdict, existing.note = report, other, verdict, note
        existing.decided_by, existing.decided_at = actor, now
        existing.save(update_fields=["report", "other", "verdict", "note", "decided_by", "decided_at"])
        record(actor=actor, action="decide", obj=report, fields=["duplicate_of"],
               detail={"other_id": other.pk, "verdict": verdict, "officer_id": report.officer_id,
                       "before": {"report_id": before[0], "other_id": before[1], "verdict": before[2]}})
    return existing


def _subject_sections(officer) -> list[Section]:
    """Decisions an account recorded on near-duplicates (the reports by id)."""
    if officer.user_id is None:
        return []
    rows = [[d.decided_at, str(d.report_id), d.get_verdict_display(), str(d.other_id)]
            for d in DuplicateDecision.objects.filter(decided_by_id=officer.user_id).order_by("decided_at", "id")]
    return [Section("Near-duplicate decisions recorded", ["when", "report", "decision", "other report"], rows)]


register_subject_data("reports.duplicates", _subject_sections, covers=["reports.duplicatedecision.decided_by"])
