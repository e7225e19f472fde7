"""Demo data for preparation (issue 11 §2), made through the preparation's workflows (so the audit
log holds them too): daily costs per rank, a checklist on every secondment being prepared with the
items done that a careful unit would have done by now (a few left overdue, for the duty-of-care
board), and the backfill of some home posts (a substitute from the pool's backfill roster, a
temporary promotion, or vacant)."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dividend.preparation import access, services
from dividend.preparation.loading import load_templates
from dividend.preparation.models import Checklist, DailyCost
from dividend.reference.models import Rank
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment

# What a day of an officer of each rank costs the home unit (salary and overheads), in euros.
DAILY_COSTS = {"constable": "240", "sergeant": "285", "inspector": "330", "chief_inspector": "385",
               "superintendent": "450", "chief_superintendent": "520", "commissioner": "610"}
MAX_CHECKLISTS = 40


def make_preparation(generator) -> dict[str, int]:
    """Counts of what was made."""
    rng = random.Random(generator.seed + 8)  # noqa: S311 - seeded for reproducible demo data, not for security # nosec B311
    today = generator.today
    actor = get_user_model().objects.get(username="coordinator_national")
    load_templates()
    for rank in Rank.objects.all():
        if rank.code in DAILY_COSTS:
            DailyCost.objects.get_or_create(rank=rank, defaults={"amount": Decimal(DAILY_COSTS[rank.code])})
    made = {"checklists": 0, "items done": 0, "backfills": 0}
    preparing = list(Secondment.objects.filter(status=Secondment.Status.PREPARING)
                     .exclude(pk__in=Checklist.objects.values("secondment_id"))
                     .select_related("officer__rank", "officer__pool", "position__mission")
                     .order_by("start_date", "id")[:MAX_CHECKLISTS])
    for secondment in preparing:
        try:
            checklist = services.create_checklist(actor=actor, secondment=secondment)
        except ValidationError:  # an organisation without a template (bilateral, other)
            continue
        made["checklists"] += 1
        # The medical item is answered by a need-to-know coordinator of the pool: left to them.
        done = [{"code": item.code, "done": True} for item in checklist.items.order_by("due_date", "id")
                if item.due_date < today and rng.random() < 0.75
                and access.can_tick_item(actor, item, secondment.officer)]
        if done:
            services.update_items(actor=actor, checklist=checklist, updates=done)
            made["items done"] += len(done)
        made["backfills"] += _backfill(rng, actor, secondment)
    return made


def _backfill(rng, actor, secondment) -> int:
    officer = secondment.officer
    colleagues = list(Officer.objects.filter(pool_id=officer.pool_id).exclude(pk=officer.pk)
                      .exclude(secondments__status__in=(Secondment.Status.PREPARING, Secondment.Status.DEPLOYED))
                      .select_related("rank").order_by("id")[:200])
    choice = rng.random()
    funding = rng.choice(["none", "unit", "central", "organisation"])
    try:
        if choice < 0.35 and colleagues:
            substitute = rng.choice(colleagues)
            if not substitute.backfill_entries.filter(pool_id=officer.pool_id).exists():
                services.add_to_roster(actor=actor, pool=officer.pool, officer=substitute, note="Available for cover")
            services.record_backfill(actor=actor, secondment=secondment, arrangement="substitute",
                                     substitute=substitute, start_date=secondment.start_date,
                                     end_date=secondment.end_date, funding=funding)
        elif choice < 0.65:
            juniors = [c for c in colleagues if c.rank.order < officer.rank.order]
            if not juniors:
                return 0
            services.record_backfill(actor=actor, secondment=secondment, arrangement="promotion",
                                     promoted=rng.choice(juniors), start_date=secondment.start_date,
                                     end_date=secondment.end_date or secondment.start_date + dt.timedelta(days=364),
                                     funding=funding, funding_note="Acting allowance for the period")
        elif choice < 0.85:
            services.record_backfill(actor=actor, secondment=secondment, arrangement="vacant", funding="none")
        else:
            return 0  # not recorded yet: the pool's page shows it
    except ValidationError:  # e.g. the junior officer is acting up for someone else already
        return 0
    return 1
