"""The secondments' part of the subject access report (see roster.subject_access)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.roster.subject_access import Section, register_subject_data

from .models import Extension, Handover, Promotion, Secondment


def secondment_sections(officer) -> list[Section]:
    rows = [[s.position.mission.name, s.position.title, s.start_date, s.end_date, s.get_status_display(),
             s.status_changed_at, s.status_reason, s.cut_short_reason if s.cut_short else ""]
            for s in Secondment.objects.filter(officer=officer).select_related("position__mission").order_by("start_date")]
    extensions = [[e.secondment.position.mission.name, e.previous_end_date, e.new_end_date, e.reason, e.recorded_at]
                  for e in Extension.objects.filter(secondment__officer=officer)
                  .select_related("secondment__position__mission").order_by("recorded_at", "id")]
    promotions = [[p.secondment.position.mission.name, str(p.previous_rank), str(p.new_rank), p.effective_on, p.reason]
                  for p in Promotion.objects.filter(secondment__officer=officer)
                  .select_related("secondment__position__mission", "previous_rank", "new_rank")]
    handovers = [[h.secondment.position.mission.name, _("handed over") if h.secondment.officer_id == officer.pk
                  else _("took over"), h.handed_over_on, h.notes]
                 for h in Handover.objects.filter(Q(secondment__officer=officer) | Q(successor__officer=officer))
                 .select_related("secondment__position__mission").order_by("handed_over_on", "id")]
    return [Section(_("Secondments"), [_("mission"), _("position"), _("from"), _("to"), _("status"), _("status changed at"),
                                       _("reason"), _("cut short because")], rows),
            Section(_("Extensions"), [_("mission"), _("previous end"), _("new end"), _("reason"), _("recorded at")],
                    extensions),
            Section(_("Promotions while deployed"), [_("mission"), _("previous rank"), _("new rank"), _("takes effect on"),
                                                      _("reason")], promotions),
            Section(_("Handovers"), [_("mission"), _("role"), _("handed over on"), _("notes")], handovers)]


register_subject_data("secondments", secondment_sections, covers=[
    "secondments.secondment.officer",
    # Who changed a secondment's status: in the audit trail of the person's account.
    "secondments.secondment.status_changed_by",
    # Who recorded an extension: likewise in the audit trail of their account.
    "secondments.extension.recorded_by",
    "secondments.promotion.recorded_by",
    "secondments.handover.recorded_by",
])
