"""The selection's part of the subject access report (see roster.subject_access): the officer's
nominations with their release step, outcome and feedback; the calls and nominations a person's
account recorded or decided."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import (
    AssignmentRun,
    Call,
    CallCriteria,
    Decision,
    EligibilityRuleSet,
    Nomination,
    PanelScore,
    PositionAssessment,
    RelevanceWeights,
    Team,
)


def selection_sections(officer) -> list[Section]:
    rows = [[n.call_position.call.reference, n.call_position.position.mission.acronym, n.call_position.position.title,
             n.get_origin_display(), n.nominated_at, n.get_status_display(), n.release_decided_at, n.status_reason,
             n.feedback]
            for n in Nomination.objects.filter(officer=officer).select_related(
                "call_position__call", "call_position__position__mission").order_by("nominated_at", "id")]
    sections = [Section("Nominations", ["call", "mission", "position", "origin", "nominated at", "status",
                                        "release decided at", "reason", "feedback"], rows)]
    led = [[t.call_position.call.reference, t.name, t.nominated_at]
           for t in Team.objects.filter(leader=officer).select_related("call_position__call").order_by("id")]
    if led:
        sections.append(Section("Teams led", ["call", "team", "nominated at"], led))
    if officer.user_id is not None:
        user_id = officer.user_id
        acted = [["call", c.reference, c.created_at] for c in Call.objects.filter(
            Q(created_by_id=user_id) | Q(status_changed_by_id=user_id)).order_by("id")]
        acted += [["nomination", str(n.pk), n.status_changed_at] for n in Nomination.objects.filter(
            Q(nominated_by_id=user_id) | Q(status_changed_by_id=user_id) | Q(release_decided_by_id=user_id))
            .exclude(officer=officer).order_by("id")]
        acted += [["call criteria", c.call.reference, c.locked_at or c.updated_at] for c in CallCriteria.objects.filter(
            Q(locked_by_id=user_id) | Q(updated_by_id=user_id)).select_related("call").order_by("id")]
        acted += [["eligibility rules", str(r), r.created_at]
                  for r in EligibilityRuleSet.objects.filter(created_by_id=user_id).order_by("id")]
        acted += [["panel score", str(p.nomination_id), p.submitted_at]
                  for p in PanelScore.objects.filter(member_id=user_id).order_by("id")]
        acted += [["decision", str(d.nomination_id), d.proposed_at] for d in Decision.objects.filter(
            Q(proposed_by_id=user_id) | Q(decided_by_id=user_id)).order_by("id")]
        acted += [["assignment run", str(r.pk), r.created_at]
                  for r in AssignmentRun.objects.filter(created_by_id=user_id).order_by("id")]
        acted += [["team", t.name, t.nominated_at] for t in Team.objects.filter(nominated_by_id=user_id).order_by("id")]
        acted += [["relevance weights", str(w.pk), w.set_at]
                  for w in RelevanceWeights.objects.filter(set_by_id=user_id).order_by("id")]
        acted += [["position assessment", str(a.position_id), a.set_at]
                  for a in PositionAssessment.objects.filter(set_by_id=user_id).order_by("id")]
        sections.append(Section("Selection work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("selection", selection_sections, covers=[
    "selection.nomination.officer", "selection.nomination.nominated_by", "selection.nomination.status_changed_by",
    "selection.nomination.release_decided_by", "selection.call.created_by", "selection.call.status_changed_by",
    "selection.callcriteria.locked_by", "selection.callcriteria.updated_by", "selection.eligibilityruleset.created_by",
    "selection.relevanceweights.set_by", "selection.positionassessment.set_by", "selection.team.leader",
    "selection.team.nominated_by", "selection.panelscore.member", "selection.decision.proposed_by",
    "selection.decision.decided_by", "selection.assignmentrun.created_by",
])
