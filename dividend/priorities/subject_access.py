"""The priorities' part of the subject access report (see roster.subject_access): the policy work
a person's account authored (model versions, datasets, runs, adopted rankings), by title and date only."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.roster.subject_access import Section, register_subject_data

from .models import Adoption, PriorityModelVersion, PriorityRun, UserDataset


def authored_sections(officer) -> list[Section]:
    if officer.user_id is None:
        return []
    rows = [[gettext("model version"), f"{v.model.name} v{v.number}", v.created_at]
            for v in PriorityModelVersion.objects.filter(author_id=officer.user_id).select_related("model")]
    rows += [[gettext("dataset"), d.name, d.uploaded_at] for d in UserDataset.objects.filter(uploaded_by_id=officer.user_id)]
    rows += [[gettext("run"), r.label or gettext("run %(number)s") % {"number": r.pk}, r.created_at] for r in PriorityRun.objects.filter(created_by_id=officer.user_id)]
    rows += [[gettext("adopted ranking"), gettext("run %(number)s (%(agency)s)") % {"number": a.run_id, "agency": a.agency_name}, a.adopted_at]
             for a in Adoption.objects.filter(adopted_by_id=officer.user_id).select_related("pool")]
    rows += [[gettext("ended adoption"), gettext("run %(number)s (%(agency)s)") % {"number": a.run_id, "agency": a.agency_name}, a.ended_at]
             for a in Adoption.objects.filter(ended_by_id=officer.user_id).select_related("pool")]
    return [Section(_("Country-priority work authored"), [_("kind"), _("title"), _("when")], rows)]


register_subject_data("priorities", authored_sections, covers=[
    "priorities.prioritymodelversion.author", "priorities.userdataset.uploaded_by", "priorities.priorityrun.created_by",
    "priorities.adoption.adopted_by", "priorities.adoption.ended_by",
])
