"""The alerts' part of the subject access report (see roster.subject_access): the alerts sent to the
officer with their answer, its time and the outcome; and what a person's account recorded (alerts
sent, deployed or stood down)."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import Alert, Recipient


def alerts_sections(officer) -> list[Section]:
    rows = [[r.alert.sent_at, r.alert.title, r.get_answer_display(), r.answered_at, r.note, r.get_outcome_display(),
             r.outcome_at]
            for r in Recipient.objects.filter(officer=officer).select_related("alert").order_by("alert__sent_at", "id")]
    sections = [Section("Rapid deployment alerts", ["sent", "alert", "answer", "answered", "note", "outcome",
                                                    "outcome at"], rows)]
    if officer.user_id is not None:
        user_id = officer.user_id
        acted = [["alert", a.title, a.sent_at if a.created_by_id == user_id else a.status_changed_at]
                 for a in Alert.objects.filter(Q(created_by_id=user_id) | Q(status_changed_by_id=user_id))
                 .order_by("id")]
        sections.append(Section("Alerts work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("alerts", alerts_sections, covers=[
    "alerts.recipient.officer", "alerts.alert.created_by", "alerts.alert.status_changed_by",
])
