"""The monthly digest per secondee (issue 12 §6): Django's e-mail backend, a fixed clock."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from dividend.pools.models import Role
from dividend.reports import services
from dividend.reports.models import Audience, FieldReport, Product, ReportFeedback

from ..factories import make_user
from .test_reports import file

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def at(day: str):
    return timezone.make_aware(dt.datetime.fromisoformat(day))


@pytest.fixture
def october(world):
    """Aalto's report filed, accepted, marked useful and cited in a published flash report, all in
    October 2026; a second report filed in September."""
    world["users"]["secondee"].email = "aalto@example.org"
    world["users"]["secondee"].save()
    analyst = world["users"]["analyst"]
    report = file(world, key="oct")
    services.change_report_status(actor=analyst, report=report, status="accepted")
    services.give_feedback(actor=analyst, report=report, verdict="useful", note="Confirmed by the patrol.")
    product = services.create_product(actor=analyst, kind="flash", title="F", marking="green", period_start=TODAY,
                                      period_end=TODAY)
    services.add_section(actor=analyst, product=product, heading="H", text="T", reports=[report])
    services.set_audiences(actor=analyst, product=product,
                           audiences=[Audience.objects.create(name="Org", breadth="organisation")])
    services.submit_product(actor=analyst, product=product)
    services.publish_product(actor=make_user(Role.ANALYST, pools=[world["pools"][0]]), product=product)
    FieldReport.objects.filter(pk=report.pk).update(submitted_at=at("2026-10-05T10:00"),
                                                    status_changed_at=at("2026-10-06T10:00"))
    ReportFeedback.objects.update(given_at=at("2026-10-07T10:00"))
    Product.objects.update(published_at=at("2026-10-20T10:00"))
    old = file(world, key="sep", title="September")
    FieldReport.objects.filter(pk=old.pk).update(submitted_at=at("2026-09-10T10:00"),
                                                 status_changed_at=at("2026-09-10T10:00"))
    return {"product": product}


def test_the_digest_tells_the_secondee_what_became_of_last_months_reports(october):
    call_command("reports_digest", now="2026-11-01T06:00")
    (message,) = mail.outbox
    reference = october["product"].reference
    assert (message.to, message.subject) == (["aalto@example.org"], "Your field reports in 2026-10")
    assert message.body.splitlines() == [
        "What became of your field reports in 2026-10:", "",
        "- Reports you filed: 1.",
        "- “Week at the northern border”: accepted.",
        "- “Week at the northern border” was marked useful by an analyst. Confirmed by the patrol.",
        f"- Your report was used in {reference}."]


def test_a_month_with_nothing_to_tell_sends_nothing(october):
    call_command("reports_digest", now="2026-08-15T06:00")
    assert mail.outbox == []


def test_a_secondee_without_an_e_mail_address_gets_nothing(october, world):
    world["users"]["secondee"].email = ""
    world["users"]["secondee"].save()
    call_command("reports_digest", month="2026-10")
    assert mail.outbox == []


def test_a_bad_month_is_a_clear_error():
    with pytest.raises(CommandError, match="--month: not a month"):
        call_command("reports_digest", month="October")
