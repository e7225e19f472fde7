"""The secondments' part of the subject access report (see roster.subject_access)."""

from django.utils.translation import gettext_lazy as _

from dividend.roster.subject_access import Section, register_subject_data

from .models import Extension, Secondment


def secondment_sections(officer) -> list[Section]:
    rows = [[s.position.mission.name, s.position.title, s.start_date, s.end_date, s.get_status_display(),
             s.status_changed_at, s.status_reason, s.cut_short_reason if s.cut_short else ""]
            for s in Secondment.objects.filter(officer=officer).select_related("position__mission").order_by("start_date")]
    extensions = [[e.secondment.position.mission.name, e.previous_end_date, e.new_end_date, e.reason, e.recorded_at]
                  for e in Extension.objects.filter(secondment__officer=officer)
                  .select_related("secondment__position__mission").order_by("recorded_at", "id")]
    return [Section(_("Secondments"), [_("mission"), _("position"), _("from"), _("to"), _("status"), _("status changed at"),
                                       _("reason"), _("cut short because")], rows),
            Section(_("Extensions"), [_("mission"), _("previous end"), _("new end"), _("reason"), _("recorded at")],
                    extensions)]


register_subject_data("secondments", secondment_sections, covers=[
    "secondments.secondment.officer",
    # Who changed a secondment's status: in the audit trail of the person's account.
    "secondments.secondment.status_changed_by",
    # Who recorded an extension: likewise in the audit trail of their account.
    "secondments.extension.recorded_by",
])
