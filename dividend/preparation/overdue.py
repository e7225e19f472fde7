"""Checklist items overdue, for the duty-of-care board (`care`'s `register_overdue_source`) and this
app's own lists: an item not done whose due date has passed, on a secondment still being prepared
(selected or preparing). `today` is given by the caller (a fixed clock in tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from .models import Checklist, ChecklistItem


@dataclass(frozen=True)
class OverdueItem:
    item_id: int
    code: str
    title: str  # the medical item's title says nothing but that it is the medical item (yes/no)
    kind: str
    due_date: dt.date
    days_overdue: int
    secondment_id: int
    officer_id: int
    officer_name: str
    pool_id: int
    departure: dt.date
    url: str


def overdue_items(*, today: dt.date | None = None, user=None, secondment_ids=None) -> list[OverdueItem]:
    """Items overdue on `today` (default: the local date), oldest due date first, then by departure
    and officer; only the checklists `user` sees when a user is given (None: every checklist, for
    a system job such as the daily e-mail, which sorts them per desk officer itself). Two queries."""
    today = today or timezone.localdate()
    items = ChecklistItem.objects.overdue(today)
    if user is not None:
        items = items.filter(checklist__in=Checklist.objects.visible_to(user))
    if secondment_ids is not None:
        items = items.filter(checklist__secondment_id__in=list(secondment_ids))
    rows = (items.select_related("checklist__secondment__officer")
            .order_by("due_date", "checklist__secondment__start_date", "checklist__secondment__officer__last_name",
                      "order", "id"))
    return [OverdueItem(item_id=i.pk, code=i.code, title=i.title, kind=i.kind, due_date=i.due_date,
                        days_overdue=(today - i.due_date).days, secondment_id=i.checklist.secondment_id,
                        officer_id=i.checklist.secondment.officer_id,
                        officer_name=i.checklist.secondment.officer.full_name,
                        pool_id=i.checklist.secondment.officer.pool_id,
                        departure=i.checklist.secondment.start_date,
                        url=reverse("preparation:checklist", args=[i.checklist.secondment_id]))
            for i in rows]


def overdue_secondments(secondments, today: dt.date):
    """Those of `secondments` (a queryset) with checklist items overdue on `today`, annotated with
    how many (`overdue_items`): the duty-of-care board's source (care.board.register_overdue_source).
    Not evaluated; one query when it is."""
    overdue = ChecklistItem.objects.overdue(today)
    per_secondment = (overdue.filter(checklist__secondment_id=OuterRef("pk")).order_by()
                      .values("checklist__secondment_id").annotate(n=Count("id")).values("n"))
    return (secondments.filter(pk__in=overdue.values("checklist__secondment_id"))
            .annotate(overdue_items=Subquery(per_secondment)))
