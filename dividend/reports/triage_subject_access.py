"""The triage's part of the subject access report (see roster.subject_access): for the officer's
reports, the comments analysts marked for them (with their text) and that and when other comments
were made (their text stays with the analysts, as other restricted notes about the officer); and
what the person's account did in triage (assignments, comments, edit locks)."""

from dividend.roster.subject_access import Section, register_subject_data

from .models import ReportAssignment, ReportLock, TriageComment


def triage_sections(officer) -> list[Section]:
    comments = [[c.created_at, c.report.title, c.text if c.for_author else ""]
                for c in TriageComment.objects.filter(report__officer=officer).select_related("report")
                .order_by("created_at", "id")]
    sections = [Section("Triage comments on the field reports", ["when", "report", "text (if shown to the author)"],
                        comments)]
    if officer.user_id is not None:
        user_id = officer.user_id
        acted = [["assigned a report", str(a.report_id), a.assigned_at] for a in ReportAssignment.objects.filter(
            assigned_by_id=user_id).order_by("assigned_at")]
        acted += [["report assigned to", str(a.report_id), a.assigned_at] for a in ReportAssignment.objects.filter(
            analyst_id=user_id).order_by("assigned_at")]
        acted += [["comment", str(c.report_id), c.created_at] for c in TriageComment.objects.filter(
            author_id=user_id).exclude(report__officer=officer).order_by("created_at")]
        acted += [["edit lock", str(lock.report_id), lock.taken_at] for lock in ReportLock.objects.filter(
            holder_id=user_id).order_by("taken_at")]
        sections.append(Section("Triage work recorded", ["kind", "report", "when"], acted))
    return sections


register_subject_data("reports.triage", triage_sections, covers=[
    "reports.reportassignment.analyst", "reports.reportassignment.assigned_by", "reports.reportlock.holder",
    "reports.triagecomment.author",
])
