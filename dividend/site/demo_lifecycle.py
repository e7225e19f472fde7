"""Demo data for the secondment lifecycle (issue 11): what happens to secondments after selection,
made through the same workflows as the pages (so the audit log holds them too).

The generator's bulk rows already put secondments at every stage (selected, preparing, deployed,
returned, reintegrated, cut short); this adds the records a new user should find on a deployed
secondment's page: an extension, a promotion while deployed and a handover to the successor.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from dividend.reference.models import Rank
from dividend.secondments.models import Handover, Secondment
from dividend.secondments.services import extend, record_handover, record_promotion, start_preparing


def make_secondment_events(generator) -> dict[str, int]:
    """An extension, a promotion and (where the rotation allows one) a handover, in the home pool
    where the demo coordinator works; counts of what was made."""
    today = generator.today
    actor = get_user_model().objects.get(username="coordinator_national")
    deployed = list(Secondment.objects.filter(status=Secondment.Status.DEPLOYED, end_date__isnull=False,
                                              start_date__lte=today - dt.timedelta(days=30))
                    .select_related("officer__rank", "officer__pool").order_by("end_date", "id")[:40])
    made = {"extensions": 0, "promotions": 0, "handovers": 0}
    for secondment in deployed[:2]:
        new_end = secondment.end_date + dt.timedelta(days=182)
        if not Secondment.objects.filter(officer_id=secondment.officer_id).exclude(pk=secondment.pk).occupying() \
                .overlapping(secondment.end_date, new_end).exists():
            extend(actor=actor, secondment=secondment, end_date=new_end,
                   reason="Mandate renewed: the mission asked for six more months")
            made["extensions"] += 1
    ranks = list(Rank.objects.order_by("order"))
    for secondment in deployed[2:]:
        higher = [r for r in ranks if r.order == secondment.officer.rank.order + 1]
        if higher:
            record_promotion(actor=actor, secondment=secondment, rank=higher[0],
                             effective_on=today - dt.timedelta(days=14), reason="Promotion board of the home pool")
            made["promotions"] += 1
            break
    for secondment in deployed:
        successor = (Secondment.objects.filter(position_id=secondment.position_id, start_date__lte=today,
                                               status__in=(Secondment.Status.SELECTED, Secondment.Status.PREPARING,
                                                           Secondment.Status.DEPLOYED))
                     .exclude(pk=secondment.pk).exclude(officer_id=secondment.officer_id).order_by("start_date").first())
        if successor is not None and successor.start_date >= secondment.start_date:
            record_handover(actor=actor, secondment=secondment, successor=successor,
                            handed_over_on=max(successor.start_date, today - dt.timedelta(days=3)),
                            notes="Files, contacts in the host police and the open cases handed over in person.")
            made["handovers"] += 1
            break
    return made


def make_care_and_preparation(generator) -> dict[str, int]:
    """The home pool's duty of care and preparation, so the board and the checklists are populated:
    the pool's duty officer and head of unit; the demo coordinator as desk officer of every deployed
    officer of the pool, with weekly contacts (a few overdue, so the board and the escalations have
    something to show), a leave with its debriefing, a mission appraisal and a security incident;
    each preparing secondment's checklist, its first items ticked. Counts of what was made."""
    from dividend.care import services as care
    from dividend.care.models import Appraisal, Contact, SecurityIncident
    from dividend.preparation import services as preparation
    from dividend.preparation.loading import load_templates
    from dividend.preparation.models import Checklist

    from .demo_catalogue import HOME_POOL

    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["coordinator", "coordinator_national", "hr"])}
    desk, national, hr = users["coordinator"], users["coordinator_national"], users["hr"]
    today = generator.today
    rng = random.Random(f"{generator.seed}:care")  # noqa: S311 - seeded demo data, not security # nosec B311
    home = Secondment.objects.filter(officer__pool__code=HOME_POOL).select_related("officer__pool", "position")
    made = {"contacts": 0, "overdue": 0, "checklists": 0}
    pool = next(p for p in generator.pools if p.code == HOME_POOL)
    care.name_care_officers(actor=national, pool=pool, duty_officer=national, head_of_unit=hr)
    deployed = list(home.filter(status=Secondment.Status.DEPLOYED).order_by("start_date", "id"))
    for k, secondment in enumerate(deployed):
        care.assign_desk_officer(actor=desk, secondment=secondment, desk_officer=desk)
        # Weekly contacts since deployment (at most the last ten weeks); every fifth officer's stop 2-3
        # weeks ago: overdue on the board.
        gap = rng.randint(14, 21) if k % 5 == 0 else rng.randint(0, 6)
        last = today - dt.timedelta(days=gap)
        for week in range(min(10, max(1, (last - secondment.start_date).days // 7 + 1)) - 1, -1, -1):
            on = last - dt.timedelta(days=7 * week)
            if on >= secondment.start_date:
                care.log_contact(actor=desk, secondment=secondment, contact_on=on,
                                 channel=rng.choice(Contact.Channel.values),
                                 wellbeing=rng.choices(Contact.Wellbeing.values, weights=[85, 12, 3])[0],
                                 notes=rng.choice(CONTACT_NOTES))
                made["contacts"] += 1
        made["overdue"] += gap > 10
    if deployed:
        first = deployed[0]
        leave_start = max(first.start_date + dt.timedelta(days=30), today - dt.timedelta(days=60))
        if leave_start + dt.timedelta(days=10) < today:
            leave = care.record_leave(actor=desk, secondment=first, start_date=leave_start,
                                      end_date=leave_start + dt.timedelta(days=10))
            care.record_leave_debriefing(actor=desk, leave=leave, held_on=leave_start + dt.timedelta(days=2),
                                         content="Border crossings: new smuggling routes reported by the host police.")
        care.record_appraisal(actor=desk, secondment=first, kind=Appraisal.Kind.APPRAISAL,
                              dated_on=today - dt.timedelta(days=20), rating=4, reported_by="Head of mission's office",
                              summary="Mid-term appraisal: exceeds expectations in mentoring.")
        care.record_incident(actor=desk, secondment=deployed[-1], occurred_on=today - dt.timedelta(days=9),
                             kind=SecurityIncident.Kind.ROAD, severity=SecurityIncident.Severity.LOW,
                             description="Minor road accident on patrol; nobody hurt.")
    care.record_escalations(now=timezone.now())
    load_templates()
    # The pool's next departures start preparing (the move makes their checklists).
    for secondment in home.filter(status=Secondment.Status.SELECTED, start_date__gt=today,
                                  start_date__lte=today + dt.timedelta(days=150)).order_by("start_date", "id")[:3]:
        start_preparing(actor=desk, secondment=secondment, reason="Departure confirmed by the mission")
    for secondment in home.filter(status=Secondment.Status.PREPARING).order_by("start_date", "id"):
        checklist = Checklist.objects.filter(secondment=secondment).first()
        if checklist is None and preparation.template_for(secondment) is not None:  # none for "other" missions
            checklist = preparation.create_checklist(actor=desk, secondment=secondment)
        if checklist is None:
            continue
        for item in checklist.items.order_by("due_date", "id")[:rng.randint(1, 4)]:
            preparation.set_done(actor=desk, item=item, done=True)
        made["checklists"] += 1
    return made


# What a desk officer notes after a weekly contact (restricted: shown only with need-to-know).
CONTACT_NOTES = (
    "All well; busy with the mentoring programme.",
    "Tired after night patrols, otherwise fine.",
    "Asked about the leave dates; family well.",
    "Concerned about the security situation near the office.",
    "Settled in; good contact with the host police.",
)


def wipe_lifecycle() -> None:
    """Delete the lifecycle's records that protect secondments and officers (before the demo wipe
    deletes those): the duty-of-care records, placements and vacancies, backfills and handovers."""
    from dividend.care import models as care
    from dividend.careers import models as careers
    from dividend.preparation import models as preparation

    for model in (care.LeaveDebriefing, care.LeavePeriod, care.Escalation, care.Contact, care.Appraisal,
                  care.MisconductCase, care.SecurityIncident, careers.Placement, careers.Vacancy,
                  preparation.Backfill, Handover):
        model.objects.all().delete()
