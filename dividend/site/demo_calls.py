"""Demo calls for contributions: realistic EU, UN and OSCE calls on active missions of the registry,
their positions (catalogue job descriptions first) and nominations at every step of the release and
outcome, so the calls board, a call's page, the releases page and the demo secondee's own page show
work in progress.

Seeding, not a user's change: written directly, without audit entries (as the rest of the demo).
Deterministic: the generator's seeded random numbers, rows read in a fixed order.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from dividend.missions.models import Mission, Position
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment
from dividend.selection.models import Call, CallPosition, Nomination, PositionAssessment

from .demo_catalogue import HOME_POOL

User = get_user_model()

# (organisation, kind, reference pattern, title pattern, status, days from today to the national
# pre-deadline, days between the pre-deadline and the organisation's deadline)
CALLS = [
    ("eu_csdp", Call.Kind.REGULAR, "EEAS/CPCC/{year}/{n:02d}", "{acronym}: call for contributions, rotation {n}",
     Call.Status.OPEN, 18, 14),
    ("eu_csdp", Call.Kind.SHORT_NOTICE, "EEAS/CPCC/{year}/SN{n:02d}", "{acronym}: short-notice call",
     Call.Status.OPEN, 4, 7),
    ("eu_csdp", Call.Kind.PLANNING_TEAM, "EEAS/CPCC/{year}/MPT{n:02d}", "{acronym}: mission planning team",
     Call.Status.DRAFT, 25, 10),
    ("un", Call.Kind.REGULAR, "UN/DPO/PD/{year}/{n:03d}", "{acronym}: individual police officers and specialists",
     Call.Status.OPEN, 30, 21),
    ("un", Call.Kind.HEADQUARTERS, "UN/DPO/PD/HQ/{year}/{n:02d}", "Police Division headquarters post ({acronym})",
     Call.Status.NATIONAL_SELECTION, -3, 12),
    ("osce", Call.Kind.REGULAR, "OSCE/VNA/{year}/{n:03d}", "{acronym}: seconded police experts",
     Call.Status.OPEN, 12, 14),
    ("osce", Call.Kind.REGULAR, "OSCE/VNA/{year}/{n:03d}", "{acronym}: seconded police experts",
     Call.Status.CLOSED, -60, 14),
]

FEEDBACK = {
    Nomination.Status.RESERVE: "Strong profile; you are first reserve should the selected candidate withdraw.",
    Nomination.Status.NOT_SELECTED: "The organisation selected a candidate with more mission experience in "
                                    "the region. Your application is kept for the next rotation.",
}


def make_calls(generator) -> list[Call]:
    """The demo's calls, their positions and nominations (run after the officers and users)."""
    rng, today = generator.rng, generator.today
    pools = sorted(generator.pools, key=lambda p: p.code)
    home = next(p for p in pools if p.code == HOME_POOL)
    now = timezone.now()
    missions = {organisation: list(Mission.objects.filter(organisation=organisation, status=Mission.Status.ACTIVE)
                                   .order_by("acronym"))
                for organisation in ("eu_csdp", "un", "osce")}
    secondee_officer = Officer.objects.filter(user__username="secondee").first()
    calls = []
    for n, (organisation, kind, reference, title, status, to_deadline, gap) in enumerate(CALLS, start=1):
        candidates = [m for m in missions[organisation] if Position.objects.filter(mission=m).exists()]
        if not candidates:
            continue
        mission = rng.choice(candidates)
        national_deadline = today + dt.timedelta(days=to_deadline)
        call = Call.objects.create(
            organisation=organisation, kind=kind,
            reference=reference.format(year=national_deadline.year, n=n), title=title.format(acronym=mission.acronym, n=n),
            published_on=national_deadline - dt.timedelta(days=rng.randint(10, 30)),
            national_deadline=national_deadline, organisation_deadline=national_deadline + dt.timedelta(days=gap),
            status=status, status_changed_at=now, status_reason="demo data")
        sent_to = [home] + rng.sample([p for p in pools if p != home], k=min(4, len(pools) - 1))
        call.pools.set(sent_to)
        # Catalogue job descriptions first: the positions a call typically offers.
        positions = list(Position.objects.filter(mission=mission).order_by("job_description_id", "reference", "id"))
        positions.sort(key=lambda p: (p.job_description_id is None, p.reference))
        offered = [CallPosition.objects.create(call=call, position=p, posts=rng.choice([1, 1, 2, 3]))
                   for p in positions[:rng.randint(2, 4)]]
        if status != Call.Status.DRAFT:
            _nominate(generator, call, offered, sent_to, now, secondee_officer)
        calls.append(call)
    _strategic_positions(generator, calls, now)
    return calls


def _strategic_positions(generator, calls, now):
    """A few strategic positions with their holders at every state of the rotation (at risk, a
    successor planned in time, no successor yet, vacant), and a policy officer's assessment of
    them and of the positions offered in the calls (the relevance pages show every part)."""
    rng, today = generator.rng, generator.today
    policy = User.objects.filter(username="policy").first()
    held = list(Secondment.objects.filter(status=Secondment.Status.DEPLOYED, end_date__isnull=False)
                .order_by("end_date", "id").values_list("position_id", "end_date"))
    planned = set(Secondment.objects.filter(status__in=(Secondment.Status.SELECTED, Secondment.Status.PREPARING)).values_list("position_id", flat=True))
    soon = [pid for pid, end in held if end <= today + dt.timedelta(days=90)][:3]
    followed = [pid for pid, _ in held if pid in planned][:2]
    later = [pid for pid, end in held if end > today + dt.timedelta(days=180)][:3]
    offered = [cp.position_id for call in calls for cp in call.positions.all()]
    vacant = [pid for pid in offered if pid not in {p for p, _ in held}][:2]
    strategic = list(dict.fromkeys(soon + followed + later + vacant))
    Position.objects.filter(pk__in=strategic).update(strategic=True)
    for position_id in dict.fromkeys(strategic + offered):
        PositionAssessment.objects.update_or_create(position_id=position_id, defaults={
            "international_commitments": rng.choice([0.4, 0.6, 0.8, 1.0]),
            "national_interests": rng.choice([0.2, 0.5, 0.7, 0.9]),
            "mission_interests": rng.choice([None, 0.5, 0.8]),
            "note": "Demo assessment.", "set_by": policy, "set_at": now})


def _nominate(generator, call, offered, pools, now, secondee_officer):
    """Nominations at the step the call has reached."""
    rng = generator.rng
    officers = list(Officer.objects.filter(pool__in=pools).exclude(user__username="secondee")
                    .order_by("pool__code", "service_number")[:400])
    for index, cp in enumerate(offered):
        chosen = rng.sample(officers, k=min(len(officers), rng.randint(1, 3)))
        if index == 0 and secondee_officer is not None and secondee_officer.pool_id in {p.pk for p in pools}:
            chosen.append(secondee_officer)
        for officer in chosen:
            nominated_at = now - dt.timedelta(days=rng.randint(2, 20))
            status, decided, reason, feedback = _step(rng, call.status)
            Nomination.objects.create(
                call_position=cp, officer=officer,
                origin=Nomination.Origin.INTEREST if officer == secondee_officer else Nomination.Origin.COORDINATOR,
                nominated_at=nominated_at, status=status, status_changed_at=now, status_reason=reason,
                release_decided_at=nominated_at + dt.timedelta(days=decided) if decided is not None else None,
                feedback=feedback)


def _step(rng, call_status):
    """(status, days the release took or None, reason, feedback) for a nomination of a call in `call_status`."""
    if call_status == Call.Status.OPEN:
        status = rng.choice([Nomination.Status.AWAITING_RELEASE, Nomination.Status.AWAITING_RELEASE,
                             Nomination.Status.RELEASED, Nomination.Status.REFUSED])
    elif call_status == Call.Status.NATIONAL_SELECTION:
        status = rng.choice([Nomination.Status.RELEASED, Nomination.Status.RELEASED, Nomination.Status.REFUSED])
    else:
        status = rng.choice([Nomination.Status.RESERVE, Nomination.Status.NOT_SELECTED])
    if status == Nomination.Status.AWAITING_RELEASE:
        return status, None, "coordinator", ""
    reason = "Operational needs of the unit during the summer period." if status == Nomination.Status.REFUSED else ""
    return status, rng.randint(1, 9), reason, FEEDBACK.get(status, "")
