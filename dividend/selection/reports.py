"""The selection report of a call: an exporter returning tables (headers and rows) that the PDF
(WeasyPrint) and XLSX renderers of dividend.common.exports turn into files. Its parts: the positions,
the nominees with their eligibility, ranking score, panel scores and decision (with who proposed and
who approved, departures and justification), every panel score, and the latest assignment run beside
its greedy baseline with each constraint's cost.

Officers the reader does not see are named by their pseudonym only.
"""

from django.utils.translation import gettext as _

from dividend.common.exports import Table
from dividend.roster.models import Officer

from . import call_assignment
from .models import AssignmentRun, Decision, Nomination, PanelScore
from .panel import candidate_label, pseudonyms


def _yes_no(value) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def selection_report(call, *, viewer) -> list[Table]:
    nominations = list(Nomination.objects.filter(call_position__call=call).with_related().order_by(
        "call_position_id", "id"))
    codes = pseudonyms(call)
    seen = set(Officer.objects.visible_to(viewer).filter(pk__in={n.officer_id for n in nominations})
               .values_list("pk", flat=True))

    def who(nomination):
        code = codes[nomination.officer_id]
        return (nomination.officer.full_name if nomination.officer_id in seen else candidate_label(code)), code

    positions = list(call.positions.with_related().order_by("id"))
    per_position = {}
    for n in nominations:
        per_position[n.call_position_id] = per_position.get(n.call_position_id, 0) + 1
    position_table = Table(_("Positions"), [_("Mission"), _("Position"), _("Reference"), _("Posts"), _("Nominees")],
                           [[cp.position.mission.acronym, cp.position.title, cp.position.reference, cp.posts,
                             per_position.get(cp.pk, 0)] for cp in positions])
    facts = call_assignment.ranking_facts(call, nominations, viewer=viewer) if nominations else {}
    scores = list(PanelScore.objects.for_call(call).select_related("member").order_by("nomination_id", "submitted_at"))
    by_nomination: dict[int, list[PanelScore]] = {}
    for s in scores:
        by_nomination.setdefault(s.nomination_id, []).append(s)
    decisions = {}
    for d in Decision.objects.filter(nomination__in=[n.pk for n in nominations]).select_related(
            "proposed_by", "decided_by").order_by("proposed_at", "id"):
        decisions[d.nomination_id] = d  # the latest per nominee
    rows = []
    for n in nominations:
        name, code = who(n)
        eligible, score = facts.get(n.pk, (None, None))
        panel = by_nomination.get(n.pk, [])
        d = decisions.get(n.pk)
        rows.append([code, name, n.call_position.position.mission.acronym, n.call_position.position.title,
                     n.get_status_display(), _yes_no(eligible), None if score is None else round(score, 2),
                     len(panel), round(sum(s.score for s in panel) / len(panel), 1) if panel else None,
                     d.get_outcome_display() if d else "", d.get_status_display() if d else "",
                     d.proposed_by.get_username() if d and d.proposed_by else "",
                     d.decided_by.get_username() if d and d.decided_by else "",
                     ", ".join(d.departure_labels()) if d else "", d.justification if d else "",
                     n.feedback])
    nominee_table = Table(_("Nominees"), [
        _("Candidate"), _("Name"), _("Mission"), _("Position"), _("Status"), _("Eligible"), _("Ranking score"),
        _("Panel scores"), _("Panel mean"), _("Decision"), _("Decision status"), _("Proposed by"),
        _("Approved by"), _("Departures"), _("Justification"), _("Feedback")], rows)
    code_of = {n.pk: codes[n.officer_id] for n in nominations}
    panel_table = Table(_("Panel scores"), [_("Candidate"), _("Position"), _("Member"), _("Score"), _("Comment"),
                                            _("Submitted")],
                        [[code_of[s.nomination_id], next(n.call_position.position.title for n in nominations
                                                         if n.pk == s.nomination_id),
                          s.member.get_username(), s.score, s.comment, s.submitted_at.strftime("%Y-%m-%d %H:%M")]
                         for s in scores])
    run = AssignmentRun.objects.filter(call=call).select_related("created_by").order_by("-created_at", "-id").first()
    assignment_rows, constraint_rows = [], []
    if run is not None:
        titles = {cp.pk: f"{cp.position.title} ({cp.position.mission.acronym})" for cp in positions}
        by_id = {n.pk: n for n in nominations}
        for key, label in (("optimal", _("Optimal assignment")), ("greedy", _("Greedy baseline"))):
            side = run.result.get(key, {})
            for p in side.get("pairs", []):
                nomination = by_id.get(p["nomination"])
                name = who(nomination)[0] if nomination else candidate_label(p["candidate"])
                assignment_rows.append([run.pk, label, side.get("status"), titles.get(p["call_position"], ""),
                                        p["post"], name, p["score"]])
            for c in side.get("checks", []):
                cost = run.result.get("costs", {}).get(c["key"]) if key == "optimal" else None
                constraint_rows.append([run.pk, label, call_assignment.constraint_label(c["key"]), _yes_no(c["met"]),
                                        call_assignment.check_text(c), cost])
            for reason in side.get("infeasibility", []):
                constraint_rows.append([run.pk, label, _("Infeasible"), _("no"), call_assignment.reason_text(reason),
                                        None])
    assignment_table = Table(_("Assignment run"), [_("Run"), _("Method"), _("Status"), _("Position"), _("Post"),
                                              _("Nominee"), _("Score")], assignment_rows)
    constraint_table = Table(_("Constraints"), [_("Run"), _("Method"), _("Constraint"), _("Met"), _("Detail"),
                                                _("Cost")], constraint_rows)
    return [position_table, nominee_table, panel_table, assignment_table, constraint_table]


def report_officer_ids(call, *, viewer) -> list[int]:
    """The officers the report names for this reader (the others appear by pseudonym only)."""
    return sorted(Officer.objects.visible_to(viewer).filter(
        pk__in=Nomination.objects.filter(call_position__call=call).values("officer_id")).values_list("pk", flat=True))
