"""Filing many field reports of one secondee at once (an e-mail import of a mailbox, an API batch,
the benchmark): the workflow of `services.file_report`, with the same checks, written in bulk.

`services.file_report` costs a dozen queries per report (the deployment, the requirements, the
draft, each many-to-many, the reliability history, the search text, the audit chain); here each of
those is read once per batch and written with one statement per table, so a batch of hundreds of
reports costs about as much as a few single ones (bench/reports.py measures this path).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record_many
from dividend.common.database import bulk_page_cache, insert_rows

from . import access, duplicates
from .models import (
    RELIABILITY,
    FieldReport,
    InformationRequirement,
    Marking,
    SourceReliability,
    current_reliability,
    deployed_missions,
)
from .search import document, store_texts
from .services import REPORT_FIELDS, refuse_classified

MAX_BATCH = 5000
# Looked up once: an enum's `values` builds its list on every call (0.5 s of 17 s filing 20,000
# reports). Tuples, not sets: a value that cannot be hashed is refused, not an error.
MARKINGS, KINDS = tuple(Marking.values), tuple(FieldReport.Kind.values)
RELIABILITIES = tuple(grade for grade, _label in RELIABILITY)
REPORT_COLUMNS = ["officer_id", "author_id", "mission_id", "period_start", "period_end", "kind", "title", "body",
                  "places", "marking", "credibility", "reliability", "status", "status_changed_at",
                  "status_changed_by_id", "status_reason", "draft_key", "submitted_at"]


@dataclass
class BatchResult:
    filed: list[FieldReport] = field(default_factory=list)
    already_filed: list[FieldReport] = field(default_factory=list)  # drafts sent before: the reports filed then


def _check_fields(fields: dict) -> None:
    """What the model would refuse at the database, said before anything is written (the forms say
    it for the web page and the API; a batch may come from elsewhere)."""
    errors = {}
    unknown = sorted(set(fields) - set(REPORT_FIELDS))
    if unknown:
        errors["__all__"] = _("Not a field of a report: %(names)s.") % {"names": ", ".join(unknown)}
    if fields.get("marking") not in MARKINGS:
        errors["marking"] = _("Choose a handling marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")
    if fields.get("kind") not in KINDS:
        errors["kind"] = _("Choose a type: weekly, monthly or ad hoc.")
    if fields.get("credibility") not in range(1, 7):
        errors["credibility"] = _("Choose a credibility from 1 to 6.")
    if fields.get("reliability") not in RELIABILITIES:
        errors["reliability"] = _("Choose a reliability from A to F.")
    if not (fields.get("title") or "").strip() or len(fields["title"]) > 200:
        errors["title"] = _("Give a title of at most 200 characters.")
    if not (fields.get("body") or "").strip() or len(fields["body"]) > 20000:
        errors["body"] = _("Write the report, at most 20,000 characters.")
    if len(fields.get("places") or "") > 500:
        errors["places"] = _("Places take at most 500 characters.")
    start, end = fields.get("period_start"), fields.get("period_end")
    if start is None or end is None or end < start:
        errors["period_end"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)


def file_reports_batch(*, actor, officer, drafts: list[dict]) -> BatchResult:
    """A deployed secondee files several reports at once; each draft is a dict of `file_report`'s
    keyword arguments (draft_key, themes, countries, requirements and the report's fields).

    Steps: 1. check the actor files reports and is the officer, and the batch's size; 2. validate
    every draft as `file_report` does (mission deployed to now, requirements of that mission, no
    classification marking in any text, the fields in range): one refused draft refuses the batch,
    naming it by its position, and nothing is stored; 3. drafts already filed (their key) give back
    the reports filed then, as does a key repeated within the batch; 4. one transaction: the
    reports, their themes, countries and requirements, their search texts and near-duplicate
    candidates (derived), the source's
    reliability history where the grade changes; 5. audit: one entry per report (field names, not
    the text), appended in one go.
    """
    if not access.can_file_reports(actor) or officer.user_id != actor.pk:
        raise PermissionDenied(_("Only the secondee files their own reports."))
    if len(drafts) > MAX_BATCH:
        raise ValidationError(_("Send at most %(count)s reports at once.") % {"count": MAX_BATCH})
    result = BatchResult()
    keys = [d.get("draft_key") or "" for d in drafts]
    existing = {r.draft_key: r for r in FieldReport.objects.filter(officer=officer, draft_key__in=keys)}
    missions = {m.pk: m for m in deployed_missions(actor)}
    applicable = {}
    new, seen = [], set()
    for position, draft in enumerate(drafts, 1):
        draft = dict(draft)
        key = draft.pop("draft_key", "") or ""
        if key in existing:
            result.already_filed.append(existing[key])
            continue
        if key in seen:
            continue
        themes, countries = draft.pop("themes", ()), draft.pop("countries", ())
        requirements = draft.pop("requirements", ())
        try:
            if not 8 <= len(key) <= 64:
                raise ValidationError({"draft_key": _("Give each draft a key of 8 to 64 characters.")})
            _check_fields(draft)
            refuse_classified(title=draft.get("title"), body=draft.get("body"), places=draft.get("places"))
            mission = draft.get("mission")
            if mission is None or mission.pk not in missions:
                raise ValidationError({"mission": _("You are not deployed to %(mission)s now.") % {
                    "mission": getattr(mission, "acronym", "?")}})
            if mission.pk not in applicable:
                applicable[mission.pk] = set(InformationRequirement.objects.for_missions([mission])
                                             .filter(active=True).values_list("pk", flat=True))
            outside = [r.title for r in requirements if r.pk not in applicable[mission.pk]]
            if outside:
                raise ValidationError({"requirements": _("Not a requirement of %(mission)s: %(titles)s.") % {
                    "mission": mission.acronym, "titles": "; ".join(outside)}})
        except ValidationError as error:
            raise ValidationError(_("Report %(position)s of the batch: %(errors)s") % {
                "position": position, "errors": " ".join(error.messages)}) from error
        seen.add(key)
        new.append((key, draft, list(themes), list(countries), list(requirements)))
    if not new:
        return result
    bulk_page_cache()
    now = timezone.now()
    ops = connection.ops
    stamp, day = ops.adapt_datetimefield_value(now), ops.adapt_datefield_value
    with transaction.atomic():
        # Plain INSERT/COPY (common.database.insert_rows): bulk_create compiles SQL per object.
        insert_rows(FieldReport._meta.db_table, REPORT_COLUMNS, [
            (officer.pk, actor.pk, d["mission"].pk, day(d["period_start"]), day(d["period_end"]), d["kind"],
             d["title"], d["body"], d.get("places") or "", d["marking"], d["credibility"], d["reliability"],
             FieldReport.Status.NEW, stamp, actor.pk, "", key, stamp)
            for key, d, _themes, _countries, _requirements in new])
        ids = dict(FieldReport.objects.filter(officer=officer, draft_key__in=[k for k, *_ in new])
                   .values_list("draft_key", "pk"))
        reports = [FieldReport(pk=ids[key], officer=officer, author=actor, draft_key=key, submitted_at=now,
                               status=FieldReport.Status.NEW, status_changed_at=now, status_changed_by=actor,
                               status_reason="", **d)
                   for key, d, _themes, _countries, _requirements in new]
        theme_rows, country_rows, requirement_rows, texts = [], [], [], []
        for report, (_key, _draft, themes, countries, requirements) in zip(reports, new, strict=True):
            theme_rows += [(report.pk, t.pk) for t in themes]
            country_rows += [(report.pk, c.pk) for c in countries]
            requirement_rows += [(report.pk, r.pk) for r in requirements]
            texts.append((report.pk, *document(title=report.title, body=report.body, places=report.places,
                                               country_names=sorted(c.name for c in countries),
                                               theme_names=sorted(t.name for t in themes),
                                               officer_id=officer.pk, mission_id=report.mission_id, theme_ids=[t.pk for t in themes],
                                               country_ids=[c.pk for c in countries],
                                               period_start=report.period_start, period_end=report.period_end)))
        insert_rows(FieldReport.themes.through._meta.db_table, ["fieldreport_id", "thematicarea_id"], theme_rows)
        insert_rows(FieldReport.countries.through._meta.db_table, ["fieldreport_id", "country_id"], country_rows)
        insert_rows(FieldReport.requirements.through._meta.db_table, ["fieldreport_id", "informationrequirement_id"],
                    requirement_rows)
        store_texts(texts)
        # Near-duplicate candidates (derived; file_report gets them from the post_save receiver).
        duplicates.index_reports([(r.pk, r.title, r.body) for r in reports])
        # Plain rows too: a model instance and a translation lookup per grade change cost 1.4 s of
        # 20,000 reports (the benchmark's sources change grade with most reports).
        grade, history, reason = current_reliability(officer), [], _("given by the source with report %(id)s")
        for report in reports:
            if report.reliability != grade:
                grade = report.reliability
                history.append((officer.pk, grade, actor.pk, stamp, reason % {"id": report.pk}))
        insert_rows(SourceReliability._meta.db_table, ["officer_id", "grade", "set_by_id", "set_at", "reason"],
                    history)
        record_many(actor=actor, entries=[
            {"action": "create", "obj": report,
             "fields": [*REPORT_FIELDS, "themes", "countries", "requirements"],
             "detail": {"officer_id": officer.pk, "mission_id": report.mission_id, "marking": report.marking,
                        "batch": True}}
            for report in reports])
    result.filed = reports
    return result
