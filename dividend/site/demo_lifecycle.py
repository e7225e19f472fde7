"""Demo data for the secondment lifecycle (issue 11): what happens to secondments after selection,
made through the same workflows as the pages (so the audit log holds them too).

The generator's bulk rows already put secondments at every stage (selected, preparing, deployed,
returned, reintegrated, cut short); this adds the records a new user should find on a deployed
secondment's page: an extension, a promotion while deployed and a handover to the successor.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from dividend.reference.models import Rank
from dividend.secondments.models import Secondment
from dividend.secondments.services import extend, record_handover, record_promotion


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
