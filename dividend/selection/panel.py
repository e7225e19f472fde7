"""The panel's view of a call: anonymised candidate summaries and the blind rule on scores.

The panel works from summaries that identify nobody: a pseudonym stable per call ("Candidate C-3",
numbered in the order the officers were first nominated to the call), the position, skills and
languages at their levels, declared country and thematic expertise, earlier missions (count and
months), whole years of police service on the deployment, and for each
qualification the position requires (and the passport)
only whether it is valid through the deployment (from the call's deployment date for the
position's duration): yes/no. No name, pool, gender, service number, rank,
date of birth, contact or motivation text (which might name the officer).

The blind rule: a panel member sees the other members' scores on a nominee only once they have
submitted their own on that nominee; the call's coordinators (who do not score) see them all.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, Prefetch
from django.utils.translation import gettext as _

from dividend.reference.models import CEFR_BY_VALUE
from dividend.roster.models import Qualification
from dividend.secondments.models import Secondment

from .models import Nomination, PanelScore, criteria_of

# Nominations the panel scores: those still in the running (awaiting release included: the panel may
# start before the line managers decide).
SCORED = (Nomination.Status.AWAITING_RELEASE, Nomination.Status.RELEASED, Nomination.Status.APPROVED,
          Nomination.Status.RESERVE, Nomination.Status.SELECTED, Nomination.Status.NOT_SELECTED)
# What the panel's anonymised summaries read of each nominee (no name, pool or gender): the audit
# log's record of the panel's reads.
PANEL_FIELDS = ["skills", "languages", "country_expertise", "thematic_expertise", "missions", "qualification_validity",
                "panel_scores"]
SERVICE_STATUSES = tuple(Secondment.TOOK_PLACE)


def pseudonyms(call) -> dict[int, str]:
    """officer id → "C-n": the officers in the order they were first nominated to the call (stable:
    nominations are never deleted, a new nominee gets the next number)."""
    first = (Nomination.objects.filter(call_position__call=call).values("officer_id")
             .annotate(first=Min("id")).order_by("first", "officer_id"))
    return {row["officer_id"]: f"C-{k}" for k, row in enumerate(first, 1)}


def candidate_label(code: str) -> str:
    return _("Candidate %(code)s") % {"code": code}


def deployment_window(call_position, start: dt.date) -> tuple[dt.date, dt.date]:
    """When a nominee would serve, for qualification validity: from the call's deployment date (its
    criteria's, by default 60 days after the organisation's deadline) for the position's duration."""
    from .services import add_months

    return start, add_months(start, call_position.position.duration_months)


def deployment_date(call) -> dt.date:
    return criteria_of(call).effective_deployment_date


@dataclass
class Summary:
    nomination_id: int
    code: str  # "C-3"
    label: str  # "Candidate C-3"
    call_position_id: int
    position: str
    mission: str
    status: str
    skills: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    missions: int = 0
    mission_months: int = 0
    service_years: int | None = None
    qualifications: list[tuple[str, bool]] = field(default_factory=list)
    own_score: PanelScore | None = None
    scores: list[PanelScore] | None = None  # None: hidden (blind rule)
    score_count: int = 0
    mean: float | None = None

    def as_dict(self) -> dict:
        return {"nomination_id": self.nomination_id, "candidate": self.code, "label": self.label,
                "call_position_id": self.call_position_id, "position": self.position, "mission": self.mission,
                "status": self.status,
                "skills": [{"skill": s, "level": lvl} for s, lvl in self.skills],
                "languages": [{"language": lang, "level": lvl} for lang, lvl in self.languages],
                "country_expertise": self.countries, "thematic_expertise": self.themes,
                "earlier_missions": self.missions, "mission_months": self.mission_months,
                "service_years": self.service_years,
                "qualifications": [{"qualification": q, "valid": ok} for q, ok in self.qualifications],
                "own_score": None if self.own_score is None else score_dict(self.own_score),
                "scores_visible": self.scores is not None, "score_count": self.score_count,
                "scores": None if self.scores is None else [score_dict(s) for s in self.scores],
                "mean": self.mean}


def score_dict(score: PanelScore) -> dict:
    return {"id": score.pk, "nomination_id": score.nomination_id, "member": score.member.get_username(),
            "score": score.score, "comment": score.comment, "submitted_at": score.submitted_at}


def _full_years(since, on) -> int | None:
    if since is None:
        return None
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def _months(start, end) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0))


def panel_nominations(call):
    """Every nomination of the call the panel scores, with what the summaries read (a fixed number of
    queries however many nominees)."""
    return (Nomination.objects.filter(call_position__call=call, status__in=SCORED)
            .select_related("call_position__call", "call_position__position__mission", "officer")
            .prefetch_related("officer__skills__skill", "officer__languages__language",
                              "officer__country_expertise", "officer__thematic_expertise",
                              Prefetch("officer__qualifications",
                                       queryset=Qualification.objects.confirmed().select_related("qualification_type")),
                              Prefetch("officer__secondments",
                                       queryset=Secondment.objects.filter(status__in=SERVICE_STATUSES)),
                              "call_position__position__required_qualifications",
                              Prefetch("panel_scores", queryset=PanelScore.objects.select_related("member")))
            .order_by("call_position_id", "id"))


def summarise(nomination, code: str, *, viewer, sees_all: bool, deploy: dt.date | None = None) -> Summary:
    officer, cp = nomination.officer, nomination.call_position
    start, end = deployment_window(cp, deploy or deployment_date(cp.call))
    skills = sorted((str(s.skill), s.level) for s in officer.skills.all())
    languages = sorted((str(lang.language), CEFR_BY_VALUE[min(lang.speaking, lang.reading, lang.writing)])
                       for lang in officer.languages.all())
    held = {}
    for q in officer.qualifications.all():
        held.setdefault(q.qualification_type.code, []).append(q)
    required = list(cp.position.required_qualifications.all())
    wanted = [(qt.code, str(qt)) for qt in required]
    if "passport" not in {code for code, _ in wanted}:
        wanted.append(("passport", _("Passport")))
    qualifications = []
    for code_, label in wanted:
        valid = any((q.issued_on is None or q.issued_on <= start) and (q.expires_on is None or q.expires_on >= end)
                    for q in held.get(code_, []))
        qualifications.append((label, valid))
    missions = [s for s in officer.secondments.all() if s.start_date and s.start_date <= dt.date.today()]
    months = sum(_months(s.start_date, min(s.end_date or dt.date.today(), dt.date.today())) for s in missions)
    scores = list(nomination.panel_scores.all())
    own = next((s for s in scores if s.member_id == viewer.pk), None)
    visible = sees_all or own is not None
    return Summary(
        nomination_id=nomination.pk, code=code, label=candidate_label(code), call_position_id=cp.pk,
        position=cp.position.title, mission=cp.position.mission.acronym, status=nomination.get_status_display(),
        skills=skills, languages=languages, countries=sorted(str(c) for c in officer.country_expertise.all()),
        themes=sorted(str(t) for t in officer.thematic_expertise.all()), missions=len(missions),
        mission_months=months, service_years=_full_years(officer.service_start, start),
        qualifications=qualifications, own_score=own, scores=scores if visible else None,
        score_count=len(scores),
        mean=round(sum(s.score for s in scores) / len(scores), 1) if visible and scores else None)


def panel_summaries(call, *, viewer, sees_all: bool) -> list[Summary]:
    names, deploy = pseudonyms(call), deployment_date(call)
    return [summarise(n, names[n.officer_id], viewer=viewer, sees_all=sees_all, deploy=deploy)
            for n in panel_nominations(call)]


def visible_scores(call, *, viewer, sees_all: bool) -> list[PanelScore]:
    """The panel scores of the call the viewer may read under the blind rule: all (coordinators), or
    on each nominee only once the viewer has scored them (their own always)."""
    scores = PanelScore.objects.for_call(call).select_related("member").order_by("nomination_id", "submitted_at", "id")
    if sees_all:
        return list(scores)
    scored = set(PanelScore.objects.for_call(call).filter(member=viewer).values_list("nomination_id", flat=True))
    return [s for s in scores if s.nomination_id in scored]
