"""The priorities' part of the subject access report (see roster.subject_access): the policy work
a person's account authored (model versions, datasets, runs, adopted rankings), by title and date only."""

from dividend.roster.subject_access import Section, register_subject_data

from .models import Adoption, PriorityModelVersion, PriorityRun, UserDataset


def authored_sections(officer) -> list[Section]:
    if officer.user_id is None:
        return []
    rows = [["model version", f"{v.model.name} v{v.number}", v.created_at]
            for v in PriorityModelVersion.objects.filter(author_id=officer.user_id).select_related("model")]
    rows += [["dataset", d.name, d.uploaded_at] for d in UserDataset.objects.filter(uploaded_by_id=officer.user_id)]
    rows += [["run", r.label or f"run {r.pk}", r.created_at] for r in PriorityRun.objects.filter(created_by_id=officer.user_id)]
    rows += [["adopted ranking", f"run {a.run_id} ({a.agency_name})", a.adopted_at]
             for a in Adoption.objects.filter(adopted_by_id=officer.user_id).select_related("pool")]
    rows += [["ended adoption", f"run {a.run_id} ({a.agency_name})", a.ended_at]
             for a in Adoption.objects.filter(ended_by_id=officer.user_id).select_related("pool")]
    return [Section("Country-priority work authored", ["kind", "title", "when"], rows)]


register_subject_data("priorities", authored_sections, covers=[
    "priorities.prioritymodelversion.author", "priorities.userdataset.uploaded_by", "priorities.priorityrun.created_by",
    "priorities.adoption.adopted_by", "priorities.adoption.ended_by",
])
