"""What needs a user's attention among secondments today, for the start page: counted from the same
`visible_to` queryset and filters as the secondment list the items link to."""

import datetime as dt
from dataclasses import dataclass

from dividend.roster.search import name_ordering

from .models import Secondment

ENDING_WITHIN_DAYS = 60  # a deployed officer's secondment ending this soon needs a return plan
PREVIEW_SIZE = 5


def deployed_now(user):
    return Secondment.objects.visible_to(user).deployed()


def ending_soon(user, *, today: dt.date, days: int = ENDING_WITHIN_DAYS):
    """Deployed officers whose secondment ends from today to `days` days ahead, soonest first (then by
    name in the reader's language)."""
    return deployed_now(user).ending_between(today, today + dt.timedelta(days=days)).order_by(
        "end_date", *name_ordering("officer__"), "id")


@dataclass
class DeploymentItems:
    deployed_count: int
    ending: list  # the first PREVIEW_SIZE, soonest first
    ending_count: int
    ending_days: int = ENDING_WITHIN_DAYS


def deployment_items(user, *, today: dt.date) -> DeploymentItems:
    """Officers deployed now, and those whose secondment ends soon (with the first few): three queries."""
    ending = ending_soon(user, today=today)
    return DeploymentItems(deployed_count=deployed_now(user).count(),
                           ending=list(ending.with_related()[:PREVIEW_SIZE]), ending_count=ending.count())
