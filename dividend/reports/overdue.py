"""Monthly reports overdue: the reports app's section of the duty-of-care board (care.board).

A deployed secondee files a monthly report on their mission for each month (FieldReport.Kind.MONTHLY);
the report on a month is due by the GRACE_DAYS-th day of the next. A secondment deployed during the
month last due whose officer has filed no monthly report on the mission covering any day of that
month has it overdue.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Value

from dividend.secondments.models import Secondment

from .models import FieldReport

GRACE_DAYS = 10  # a month's report is due by the 10th of the next month


def month_due(today: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the latest month whose report is due by `today`."""
    first_of_this = today.replace(day=1)
    last = first_of_this - dt.timedelta(days=1)  # the end of the previous month
    if today.day <= GRACE_DAYS:  # the previous month's report is not due yet
        last = last.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def monthly_reports_overdue(secondments, today: dt.date):
    """Those of the board's secondments (a queryset) whose monthly report on the month last due is
    missing, annotated with `overdue_items` = 1 (care.board's protocol). A secondment counts if it was
    deployed during that month: deployed now or since returned (a selected, preparing or cancelled
    one never was). Not evaluated; one query when it is."""
    first, last = month_due(today)
    filed = FieldReport.objects.filter(officer_id=OuterRef("officer_id"), mission_id=OuterRef("position__mission_id"),
                                       kind=FieldReport.Kind.MONTHLY, period_start__lte=last, period_end__gte=first)
    # Written as ranges on the indexes (status, start_date) and (status, end_date); a returned one came
    # back by today, and the closed range lets SQLite's planner pick the end-date index. At 100,000
    # officers "not ended before the month" as one condition on every status took 40-60 ms on SQLite,
    # this 5 ms (bench/care.py's database, same process, interleaved).
    status = Secondment.Status
    deployed_then = (Q(status=status.DEPLOYED, start_date__lte=last)
                     | Q(status__in=(status.RETURNED, status.REINTEGRATED), end_date__range=(first, today),
                         start_date__lte=last))
    return secondments.filter(deployed_then).filter(~Exists(filed)).annotate(overdue_items=Value(1))
