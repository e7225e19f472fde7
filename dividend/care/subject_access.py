"""The care app's part of the subject access report (see roster.subject_access): the officer's care
records during their deployments, restricted ones included (the report is for its subject and
need-to-know only), and what a person's account recorded or was named for."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import (
    Appraisal,
    CareFile,
    Contact,
    Contingent,
    Escalation,
    LeaveDebriefing,
    LeavePeriod,
    MisconductCase,
    PoolCareOfficers,
    SecurityIncident,
)


def care_sections(officer) -> list[Section]:
    mine = {"secondment__officer": officer}
    sections = [
        Section("Desk officers", ["secondment", "desk officer", "assigned"],
                [[f.secondment_id, f.desk_officer.get_username() if f.desk_officer else "", f.assigned_at]
                 for f in CareFile.objects.filter(**mine).select_related("desk_officer").order_by("secondment_id")]),
        Section("Contacts during deployment", ["secondment", "date", "channel", "wellbeing", "notes"],
                [[c.secondment_id, c.contact_on, c.get_channel_display(), c.get_wellbeing_display(), c.notes]
                 for c in Contact.objects.filter(**mine).order_by("contact_on", "id")]),
        Section("Escalations of missed contacts", ["secondment", "step", "counted from", "due"],
                [[e.secondment_id, e.get_step_display(), e.last_contact_on, e.due_at]
                 for e in Escalation.objects.filter(**mine).order_by("due_at", "id")]),
        Section("Leave during deployment", ["secondment", "from", "to", "debriefing held on", "debriefing"],
                [[leave.secondment_id, leave.start_date, leave.end_date,
                  getattr(getattr(leave, "debriefing", None), "held_on", ""),
                  getattr(getattr(leave, "debriefing", None), "content", "")]
                 for leave in LeavePeriod.objects.filter(**mine).select_related("debriefing").order_by("start_date")]),
        Section("Appraisals by the mission", ["secondment", "type", "date", "rating", "reported by", "summary"],
                [[a.secondment_id, a.get_kind_display(), a.dated_on, a.rating or "", a.reported_by, a.summary]
                 for a in Appraisal.objects.filter(**mine).order_by("dated_on", "id")]),
        Section("Misconduct cases", ["secondment", "category", "reported", "allegation", "status", "decided",
                                     "outcome", "repatriated"],
                [[c.secondment_id, c.get_category_display(), c.reported_on, c.allegation, c.get_status_display(),
                  c.decided_on or "", c.outcome, c.repatriated_on or ""]
                 for c in MisconductCase.objects.filter(**mine).order_by("reported_on", "id")]),
        Section("Security incidents", ["secondment", "date", "type", "severity", "hurt", "what happened"],
                [[i.secondment_id, i.occurred_on, i.get_kind_display(), i.get_severity_display(), i.hurt,
                  i.description] for i in SecurityIncident.objects.filter(**mine).order_by("occurred_on", "id")]),
        Section("Contingent leader", ["mission", "appointed"],
                [[c.mission.acronym, c.appointed_at] for c in Contingent.objects.filter(leader__officer=officer)
                 .select_related("mission")]),
    ]
    if officer.user_id is not None:
        u = officer.user_id
        acted = [["desk officer of secondment", str(f.secondment_id), f.assigned_at]
                 for f in CareFile.objects.filter(Q(desk_officer_id=u) | Q(assigned_by_id=u)).order_by("id")]
        acted += [["named for pool", p.pool.code, p.changed_at] for p in PoolCareOfficers.objects.filter(
            Q(duty_officer_id=u) | Q(head_of_unit_id=u) | Q(changed_by_id=u)).select_related("pool").order_by("id")]
        acted += [["escalation told", str(e.secondment_id), e.recorded_at]
                  for e in Escalation.objects.filter(notified_id=u).order_by("id")]
        for model, label in ((Contact, "contact"), (LeavePeriod, "leave"), (LeaveDebriefing, "debriefing"),
                             (Appraisal, "appraisal"), (MisconductCase, "misconduct case"),
                             (SecurityIncident, "security incident")):
            acted += [[f"{label} recorded", str(r.pk), r.recorded_at]
                      for r in model.objects.filter(recorded_by_id=u).order_by("id")]
        acted += [["misconduct case decided", str(c.pk), c.status_changed_at]
                  for c in MisconductCase.objects.filter(status_changed_by_id=u).order_by("id")]
        acted += [["contingent leader appointed", c.mission.acronym, c.appointed_at]
                  for c in Contingent.objects.filter(appointed_by_id=u).select_related("mission").order_by("id")]
        sections.append(Section("Duty-of-care work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("care", care_sections, covers=[
    "care.carefile.desk_officer", "care.carefile.assigned_by", "care.poolcareofficers.duty_officer",
    "care.poolcareofficers.head_of_unit", "care.poolcareofficers.changed_by", "care.contact.recorded_by",
    "care.escalation.notified", "care.leaveperiod.recorded_by", "care.leavedebriefing.recorded_by",
    "care.appraisal.recorded_by", "care.misconductcase.recorded_by", "care.misconductcase.status_changed_by",
    "care.securityincident.recorded_by", "care.contingent.appointed_by",
])
