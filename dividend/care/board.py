"""The duty-of-care board's figures, and the hook through which higher apps add overdue items.

`register_overdue_source(name, label, function)` is called from a higher app's `AppConfig.ready()`
(preparation: checklist items overdue; reports: monthly report overdue). `function(secondments,
today)` receives a queryset of the secondments the reader sees on the board (already filtered by
pool) and returns `{secondment id: number of overdue items}` for those with any; it should run one
query. The board shows one section per source registered, in the order of registration.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from dividend.secondments.models import Secondment

from .models import care_secondments, ending_window_days, overdue_threshold


@dataclass(frozen=True)
class OverdueSource:
    name: str
    label: str  # shown as the section's title (mark it for translation: gettext_lazy)
    function: Callable[..., dict]  # function(secondments, today) -> {secondment id: overdue items}


_SOURCES: dict[str, OverdueSource] = {}


def register_overdue_source(name: str, label, function) -> None:
    """Add a section to the duty-of-care board (see the module's docstring). Registering a name
    again replaces it."""
    _SOURCES[name] = OverdueSource(name, label, function)


def unregister_overdue_source(name: str) -> None:
    _SOURCES.pop(name, None)


def overdue_sources() -> list[OverdueSource]:
    return list(_SOURCES.values())


def board_secondments(user, pool_id: int | None = None):
    """The secondments the user sees on the board: those of their care pools (not their own as a
    secondee: the board is staff work), optionally of one pool."""
    from . import access

    if not access.can_use_care(user):
        return Secondment.objects.none()
    secondments = care_secondments(user)
    pools = access.care_pools(user)
    if pools is not access.EVERY_POOL:
        secondments = secondments.filter(officer__pool__in=pools)
    if pool_id is not None:
        secondments = secondments.filter(officer__pool_id=pool_id)
    return secondments


def with_last_contact(secondments):
    """Annotates `counted_from`: the day a missed contact counts from (the last contact, else the
    deployment's start)."""
    return secondments.annotate(counted_from=Coalesce(F("care__last_contact_on"), F("start_date")))


def contact_overdue(secondments, today: dt.date, interval_days: int | None = None):
    """Deployed secondments without a contact for more than the interval, longest first."""
    threshold = overdue_threshold(today, interval_days)
    deployed = secondments.filter(status=Secondment.Status.DEPLOYED)
    overdue = deployed.filter(Q(care__last_contact_on__lt=threshold)
                              | Q(care__last_contact_on__isnull=True, start_date__lt=threshold))
    return with_last_contact(overdue).order_by("counted_from", "id")


def ending_soon(secondments, today: dt.date, days: int | None = None):
    """Deployed secondments ending from today to `days` ahead (default: the board's window), soonest first."""
    days = ending_window_days() if days is None else days
    return (secondments.filter(status=Secondment.Status.DEPLOYED)
            .ending_between(today, today + dt.timedelta(days=days)).order_by("end_date", "id"))
