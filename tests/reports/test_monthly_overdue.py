"""Monthly reports overdue on the duty-of-care board (the reports app's registered source): the month
last due, and which deployed secondees have not filed their monthly report on it."""

import datetime as dt

import pytest
from django.utils import timezone

from dividend.care.board import overdue_sources
from dividend.reports.models import FieldReport
from dividend.reports.overdue import month_due, monthly_reports_overdue
from dividend.secondments.models import Secondment
from tests.factories import make_mission, make_officer, make_pool, make_position, make_secondment


@pytest.mark.parametrize("today,expected", [
    (dt.date(2026, 12, 10), (dt.date(2026, 10, 1), dt.date(2026, 10, 31))),  # November's is due by the 10th
    (dt.date(2026, 12, 11), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
    (dt.date(2027, 1, 5), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
    (dt.date(2027, 3, 31), (dt.date(2027, 2, 1), dt.date(2027, 2, 28))),
])
def test_the_month_last_due(today, expected):
    assert month_due(today) == expected


def test_the_board_has_a_monthly_report_section():
    assert "reports.monthly" in [source.name for source in overdue_sources()]


def _report(officer, mission, kind, start, end):
    return FieldReport.objects.create(
        officer=officer, mission=mission, period_start=start, period_end=end, kind=kind, title="t", body="b",
        marking="green", credibility=2, reliability="B", draft_key=f"k{start}{kind}", submitted_at=timezone.now())


@pytest.mark.django_db
def test_deployed_secondees_without_the_months_report_are_overdue():
    pool, mission, other = make_pool(), make_mission("EUMR"), make_mission("EUOT")
    deployed = Secondment.Status.DEPLOYED
    filed, missing, wrong_kind, elsewhere, arrived_later = (
        make_secondment(make_officer(pool), make_position(mission), status=deployed, start=dt.date(2026, 6, 1), end=None)
        for _ in range(5))
    Secondment.objects.filter(pk=arrived_later.pk).update(start_date=dt.date(2026, 12, 1))
    _report(filed.officer, mission, FieldReport.Kind.MONTHLY, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    _report(wrong_kind.officer, mission, FieldReport.Kind.WEEKLY, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    _report(elsewhere.officer, other, FieldReport.Kind.MONTHLY, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    overdue = monthly_reports_overdue(Secondment.objects.all(), dt.date(2026, 12, 15))
    assert dict(overdue.values_list("pk", "overdue_items")) == {missing.pk: 1, wrong_kind.pk: 1, elsewhere.pk: 1}


@pytest.mark.django_db
def test_only_secondments_deployed_during_the_month_owe_its_report():
    pool, mission = make_pool(), make_mission("EUMR")
    status = Secondment.Status
    cases = {
        "returned during November": (status.RETURNED, dt.date(2026, 3, 1), dt.date(2026, 11, 20)),
        "returned on the month's first day": (status.REINTEGRATED, dt.date(2026, 3, 1), dt.date(2026, 11, 1)),
        "deployed past its planned end": (status.DEPLOYED, dt.date(2025, 3, 1), dt.date(2026, 10, 15)),
        "returned in October": (status.RETURNED, dt.date(2026, 3, 1), dt.date(2026, 10, 31)),
        "cancelled": (status.CANCELLED, dt.date(2026, 10, 1), dt.date(2027, 10, 1)),
        "still preparing after its planned start": (status.PREPARING, dt.date(2026, 11, 2), dt.date(2027, 11, 1)),
    }
    made = {name: make_secondment(make_officer(pool), make_position(mission), status=s, start=start, end=end)
            for name, (s, start, end) in cases.items()}
    overdue = set(monthly_reports_overdue(Secondment.objects.all(), dt.date(2026, 12, 15)).values_list("pk", flat=True))
    assert {name for name, s in made.items() if s.pk in overdue} == {
        "returned during November", "returned on the month's first day", "deployed past its planned end"}


@pytest.mark.django_db
def test_the_desk_officers_daily_mail_names_the_missing_monthly_report(settings):
    from django.core import mail
    from django.core.management import call_command

    from dividend.care import services
    from dividend.pools.models import Role
    from tests.factories import make_user

    settings.DIVIDEND_CARE_CONTACT_DAYS = 10
    pool = make_pool()
    desk = make_user(Role.COORDINATOR, pools=[pool], username="desk", email="desk@example.org")
    secondment = make_secondment(make_officer(pool, first_name="Aino", last_name="Aalto"),
                                 make_position(make_mission("EUMR")), status=Secondment.Status.DEPLOYED,
                                 start=dt.date(2026, 10, 1), end=None)
    services.assign_desk_officer(actor=desk, secondment=secondment, desk_officer=desk)
    services.log_contact(actor=desk, secondment=secondment, contact_on=dt.date(2026, 11, 10), channel="phone",
                         wellbeing="well")
    call_command("care_daily", "--now", "2026-11-12T07:00:00", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (message,) = mail.outbox
    assert message.subject == "Duty of care: 1 overdue item(s)"
    assert "Monthly report overdue" in message.body
