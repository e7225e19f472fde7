"""The preparation's part of the subject access report (see roster.subject_access): the officer's
pre-deployment checklists (the medical item as yes/no, as everywhere), the backfills of their post,
where they covered a post or stood on a backfill roster, and what a person's account recorded
(checklists made, items ticked, backfills and roster entries). Other officers are not named in a
person's report (the returnee met, the colleague covering or covered for): their data is theirs."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import Backfill, BackfillRosterEntry, Checklist, ChecklistItem


def preparation_sections(officer) -> list[Section]:
    items = [[i.checklist.secondment.position.mission.acronym, i.title, i.due_date, "yes" if i.done else "no",
              i.done_at, "" if i.medical else i.note, "yes" if i.returnee_id else ""]
             for i in ChecklistItem.objects.filter(checklist__secondment__officer=officer)
             .select_related("checklist__secondment__position__mission").order_by("checklist", "due_date", "id")]
    sections = [Section("Pre-deployment checklists", ["mission", "item", "due", "done", "done at", "note",
                                                      "returnee met"], items)]
    caveats = [[c.secondment.position.mission.acronym, c.caveats]
               for c in Checklist.objects.filter(secondment__officer=officer).exclude(caveats="")
               .select_related("secondment__position__mission").order_by("id")]
    sections.append(Section("National caveats", ["mission", "caveats"], caveats))
    backfills = [[b.secondment.position.mission.acronym, b.get_arrangement_display(), b.start_date, b.end_date,
                  b.get_funding_display(), b.funding_note]
                 for b in Backfill.objects.filter(secondment__officer=officer)
                 .select_related("secondment__position__mission").order_by("id")]
    sections.append(Section("Backfill of the home post", ["mission", "arrangement", "from", "to", "funding",
                                                          "funding note"], backfills))
    covered = [[b.get_arrangement_display(), b.secondment.officer.pool.name, b.start_date, b.end_date]
               for b in Backfill.objects.filter(Q(substitute=officer) | Q(promoted=officer))
               .select_related("secondment__officer__pool").order_by("id")]
    covered += [["backfill roster", e.pool.name, e.added_at.date(), None]
                for e in BackfillRosterEntry.objects.filter(officer=officer).select_related("pool").order_by("id")]
    sections.append(Section("Covering a post", ["as", "pool", "from", "to"], covered))
    if officer.user_id is not None:
        user_id = officer.user_id
        acted = [["checklist", str(c.secondment_id), c.created_at]
                 for c in Checklist.objects.filter(created_by_id=user_id).order_by("id")]
        acted += [["checklist item", f"{i.checklist.secondment_id}/{i.code}", i.done_at]
                  for i in ChecklistItem.objects.filter(done_by_id=user_id).select_related("checklist").order_by("id")]
        acted += [["backfill", str(b.secondment_id), b.recorded_at]
                  for b in Backfill.objects.filter(recorded_by_id=user_id).order_by("id")]
        acted += [["backfill roster entry", str(e.officer_id), e.added_at]
                  for e in BackfillRosterEntry.objects.filter(added_by_id=user_id).order_by("id")]
        sections.append(Section("Preparation work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("preparation", preparation_sections, covers=[
    "preparation.checklist.created_by", "preparation.checklistitem.done_by", "preparation.checklistitem.returnee",
    "preparation.backfill.substitute", "preparation.backfill.promoted", "preparation.backfill.recorded_by",
    "preparation.backfillrosterentry.officer", "preparation.backfillrosterentry.added_by",
])
