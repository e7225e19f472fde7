"""The commitments app's part of the subject access report (see roster.subject_access): the costs
charged for the officer's secondments, and the status moves a person's account made on assignments
and the forum's follow-up."""

from dividend.roster.subject_access import Section, register_subject_data

from .models import Assignment, FollowUp, SecondmentCost


def commitments_sections(officer) -> list[Section]:
    costs = SecondmentCost.objects.filter(secondment__officer=officer).select_related("line").order_by("id")
    sections = [Section("Costs charged for the secondments", ["secondment", "budget line", "category", "stage",
                                                             "amount (EUR)", "date"],
                        [[c.secondment_id, c.line.title, c.get_category_display(), c.get_stage_display(), c.amount,
                          c.incurred_on] for c in costs])]
    if officer.user_id is not None:
        uid = officer.user_id
        moved = [["assignment", str(a.pk), a.status, a.status_changed_at]
                 for a in Assignment.objects.filter(status_changed_by_id=uid).order_by("id")]
        moved += [["follow-up", str(f.pk), f.status, f.status_changed_at]
                  for f in FollowUp.objects.filter(status_changed_by_id=uid).order_by("id")]
        sections.append(Section("Status changes recorded on commitments", ["kind", "reference", "status", "when"],
                                moved))
    return sections


register_subject_data("commitments", commitments_sections, covers=[
    "commitments.assignment.status_changed_by", "commitments.followup.status_changed_by",
    "commitments.secondmentcost.secondment",
])
