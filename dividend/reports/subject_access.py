"""The reports' part of the subject access report (see roster.subject_access): the officer's field
reports with their triage, the reliability grades given to them as a source, and what a person's
account recorded (requirements set, reports triaged, grades given)."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import (
    Audience,
    FieldReport,
    InformationRequirement,
    IntelligenceDebriefing,
    Product,
    ReportFeedback,
    SourceReliability,
)


def reports_sections(officer) -> list[Section]:
    reports = [[r.submitted_at, r.mission.acronym, r.period_start, r.period_end, r.get_kind_display(), r.title,
                r.get_marking_display(), r.get_status_display(), r.status_reason]
               for r in FieldReport.objects.filter(officer=officer).select_related("mission").order_by("submitted_at")]
    sections = [Section("Field reports", ["submitted", "mission", "from", "to", "type", "title", "marking", "status",
                                          "reason"], reports)]
    grades = [[g.set_at, g.grade, g.reason] for g in SourceReliability.objects.filter(officer=officer).order_by("set_at")]
    sections.append(Section("Reliability as a source", ["when", "grade", "reason"], grades))
    feedback = [[f.given_at, f.report.title, f.get_verdict_display(), f.note]
                for f in ReportFeedback.objects.filter(report__officer=officer).select_related("report")
                .order_by("given_at")]
    sections.append(Section("Feedback on the field reports", ["when", "report", "verdict", "note"], feedback))
    # Intelligence debriefings: that one was held, when and for which group; what was taken is
    # restricted to the group (as other restricted notes by others about the officer).
    debriefings = [[d.held_on, d.group.name] for d in IntelligenceDebriefing.objects.filter(officer=officer)
                   .select_related("group").order_by("held_on", "id")]
    sections.append(Section("Intelligence debriefings", ["held on", "group"], debriefings))
    if officer.user_id is not None:
        user_id = officer.user_id
        acted = [["field report", str(r.pk), r.status_changed_at] for r in FieldReport.objects.filter(
            Q(author_id=user_id) | Q(status_changed_by_id=user_id)).exclude(officer=officer).order_by("id")]
        acted += [["information requirement", r.title, r.created_at]
                  for r in InformationRequirement.objects.filter(set_by_id=user_id).order_by("id")]
        acted += [["reliability grade", str(g.officer_id), g.set_at]
                  for g in SourceReliability.objects.filter(set_by_id=user_id).exclude(officer=officer).order_by("id")]
        acted += [["product", p.reference, p.created_at] for p in Product.objects.filter(
            Q(author_id=user_id) | Q(approver_id=user_id) | Q(downgraded_by_id=user_id)
            | Q(status_changed_by_id=user_id)).order_by("id")]
        acted += [["feedback", str(f.report_id), f.given_at]
                  for f in ReportFeedback.objects.filter(given_by_id=user_id).order_by("id")]
        acted += [["distribution list", a.name, a.created_at] for a in Audience.objects.filter(
            Q(members__id=user_id) | Q(created_by_id=user_id)).distinct().order_by("id")]
        acted += [["intelligence debriefing", str(d.officer_id), d.recorded_at]
                  for d in IntelligenceDebriefing.objects.filter(recorded_by_id=user_id).order_by("id")]
        sections.append(Section("Reports work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("reports", reports_sections, covers=[
    "reports.fieldreport.officer", "reports.fieldreport.author", "reports.fieldreport.status_changed_by",
    "reports.informationrequirement.set_by", "reports.sourcereliability.officer", "reports.sourcereliability.set_by",
    "reports.product.author", "reports.product.approver", "reports.product.downgraded_by",
    "reports.product.status_changed_by", "reports.reportfeedback.given_by", "reports.audience.created_by",
    "reports.audience.members", "reports.intelligencedebriefing.officer",
    "reports.intelligencedebriefing.recorded_by",
])


def monthly_sections(officer) -> list[Section]:
    """The monthly mission reports a person's account drafted, moved or approved (issue 12 §7). They
    name no officer: the contingent's section holds counts only."""
    from .models import MonthlyReport

    if officer.user_id is None:
        return []
    user_id = officer.user_id
    rows = [[r.reference, r.get_status_display(), "author" if r.author_id == user_id else
             "approver" if r.approver_id == user_id else "status changed", r.updated_at]
            for r in MonthlyReport.objects.filter(Q(author_id=user_id) | Q(approver_id=user_id)
                                                  | Q(status_changed_by_id=user_id))
            .select_related("mission").order_by("id")]
    return [Section("Monthly mission reports worked on", ["reference", "status", "as", "when"], rows)]


register_subject_data("reports_monthly", monthly_sections, covers=[
    "reports.monthlyreport.author", "reports.monthlyreport.approver", "reports.monthlyreport.status_changed_by",
])
