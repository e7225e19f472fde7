"""The care app's pages and the daily command: the board (sections, pool filter, registered overdue
sources, literal query count), the care page's restricted parts, a contact entered through the
form, the e-mails with a fixed clock."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Value
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.care import services
from dividend.care.board import register_overdue_source, unregister_overdue_source
from dividend.care.models import Contact, Escalation
from dividend.reports.models import FieldReport
from dividend.secondments.models import Secondment
from tests.factories import make_officer, make_position, make_secondment

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_pool_secondment(care):
    officer = make_officer(care["other"], last_name="Berg", first_name="Bo")
    return make_secondment(officer, make_position(care["mission"]), status=Secondment.Status.DEPLOYED,
                           start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))


def test_the_board_lists_overdue_contacts_of_the_users_pools(client, care, other_pool_secondment):
    client.force_login(care["desk"])
    body = client.get("/care/").content.decode()
    assert "Aalto" in body and "Berg" not in body
    client.force_login(care["national"])
    body = client.get(f"/care/?pool={care['other'].pk}").content.decode()
    assert "Berg" in body and "Aalto" not in body


def test_the_board_refuses_a_pool_outside_the_users_own(client, care):
    client.force_login(care["desk"])
    assert client.get(f"/care/?pool={care['other'].pk}").status_code == 400
    assert client.get("/care/?pool=x").status_code == 400


def test_the_board_shows_what_higher_apps_register(client, care):
    def monthly_reports(secondments, today):
        return secondments.filter(status=Secondment.Status.DEPLOYED).annotate(overdue_items=Value(2))

    register_overdue_source("test.monthly", "Monthly report overdue", monthly_reports)
    try:
        client.force_login(care["desk"])
        body = client.get("/care/").content.decode()
    finally:
        unregister_overdue_source("test.monthly")
    assert 'id="board-test.monthly"' in body and "Monthly report overdue" in body
    assert f'<a href="/care/secondments/{care["secondment"].pk}/">' in body.split('id="board-test.monthly"')[1]


def test_the_board_audits_the_officers_it_shows(client, care):
    client.force_login(care["desk"])
    client.get("/care/")
    entry = AuditEntry.objects.filter(action="list").order_by("-id").first()
    assert entry.detail["officer_ids"] == [care["officer"].pk]


def test_the_board_runs_a_fixed_number_of_queries(client, care, django_assert_num_queries):
    for n in range(5):
        make_secondment(make_officer(care["pool"]), make_position(care["mission"]), status=Secondment.Status.DEPLOYED,
                        start=dt.date(2026, 1, 1), end=timezone.localdate() + dt.timedelta(days=10 + n))
    client.force_login(care["desk"])
    client.get("/care/")  # warm the session
    # ...and one query per registered source (preparation: checklist items overdue; reports: monthly
    # report overdue), and one to show the rows of a source that has some (every monthly report here).
    with django_assert_num_queries(15):
        response = client.get("/care/")
    assert response.status_code == 200


def test_the_care_page_shows_notes_only_with_need_to_know(client, care):
    services.log_contact(actor=care["desk"], secondment=care["secondment"], contact_on=dt.date(2026, 11, 5),
                         channel="phone", wellbeing="concern", notes="Marker-notes-456")
    url = f"/care/secondments/{care['secondment'].pk}/"
    shown = {}
    for who in ("desk", "hr", "national", "secondee", "beta"):
        client.force_login(care[who])
        response = client.get(url)
        shown[who] = (response.status_code, "Marker-notes-456" in response.content.decode())
    assert shown == {"desk": (200, True), "hr": (200, True), "national": (200, False), "secondee": (200, False),
                     "beta": (404, False)}


def test_reading_the_care_page_with_notes_is_audited(client, care):
    client.force_login(care["desk"])
    client.get(f"/care/secondments/{care['secondment'].pk}/")
    entry = AuditEntry.objects.filter(action="read").order_by("-id").first()
    assert (entry.object_type, entry.detail["officer_id"]) == ("secondments.secondment", care["officer"].pk)
    assert "contact_notes" in entry.fields


def test_a_contact_entered_through_the_form(client, care):
    client.force_login(care["desk"])
    url = f"/care/secondments/{care['secondment'].pk}/contacts/"
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {"contact_on": day.isoformat(), "channel": "video", "wellbeing": "well",
                                 "notes": "Fine."})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.contact_on, contact.channel, contact.notes, contact.recorded_by) == (day, "video", "Fine.",
                                                                                         care["desk"])


def test_a_contact_before_the_deployment_is_refused_on_the_page(client, care):
    client.force_login(care["desk"])
    response = client.post(f"/care/secondments/{care['secondment'].pk}/contacts/",
                           {"contact_on": "2026-09-01", "channel": "video", "wellbeing": "well"})
    assert response.status_code == 400
    assert "before the deployment started (2026-10-01)" in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_national_coordinator_cannot_post_a_contact(client, care):
    client.force_login(care["national"])
    response = client.post(f"/care/secondments/{care['secondment'].pk}/contacts/",
                           {"contact_on": "2026-11-01", "channel": "video", "wellbeing": "well"})
    assert response.status_code == 403


# --- The daily command ---------------------------------------------------------------------------

@pytest.fixture
def escalating(care):
    services.assign_desk_officer(actor=care["hr"], secondment=care["secondment"], desk_officer=care["desk"])
    services.name_care_officers(actor=care["hr"], pool=care["pool"], duty_officer=care["duty"],
                                head_of_unit=care["head"])
    services.log_contact(actor=care["desk"], secondment=care["secondment"], contact_on=dt.date(2026, 11, 1),
                         channel="phone", wellbeing="well", notes="Secret-note", now=NOW)
    # October's monthly report is filed on time: only the missed contact is overdue (the reports app's
    # section of the board, tests/reports/test_monthly_overdue.py).
    FieldReport.objects.create(officer=care["officer"], mission=care["mission"], period_start=dt.date(2026, 10, 1),
                               period_end=dt.date(2026, 10, 31), kind=FieldReport.Kind.MONTHLY, title="October",
                               body="b", marking="green", credibility=2, reliability="B", draft_key="october",
                               submitted_at=NOW)
    return care


def test_the_daily_command_mails_the_desk_officer_their_overdue_items(escalating, settings):
    settings.DIVIDEND_CARE_CONTACT_DAYS = 10
    call_command("care_daily", "--now", "2026-11-12T07:00:00", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (message,) = mail.outbox
    assert message.to == ["desk@example.org"]
    assert message.subject == "Duty of care: 1 overdue item(s)"
    assert "Aino Aalto (Pool alpha), EUCARE: no contact for 11 days (last: 2026-11-01)" in message.body
    assert "Secret-note" not in message.body
    assert list(Escalation.objects.values_list("step", flat=True)) == ["desk_officer"]


def test_the_daily_command_tells_the_duty_officer_a_day_later_and_the_head_two_days_later(escalating, settings):
    settings.DIVIDEND_CARE_CONTACT_DAYS = 10
    for day in ("2026-11-12T07:00:00", "2026-11-13T07:00:00", "2026-11-14T07:00:00"):
        call_command("care_daily", "--now", day, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["desk@example.org"], "Duty of care: 1 overdue item(s)"),
        (["desk@example.org"], "Duty of care: 1 overdue item(s)"),
        (["duty@example.org"], "Duty of care: missed contact escalated to you (Duty officer)"),
        (["desk@example.org"], "Duty of care: 1 overdue item(s)"),
        (["head@example.org"], "Duty of care: missed contact escalated to you (Head of unit)")]
    assert "The contact was overdue on 2026-11-12 00:00; this step was due on 2026-11-14 00:00." in mail.outbox[-1].body


def test_the_daily_command_sends_nothing_when_nothing_is_overdue(escalating, settings):
    settings.DIVIDEND_CARE_CONTACT_DAYS = 10
    call_command("care_daily", "--now", "2026-11-11T23:59:59", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    assert Escalation.objects.count() == 0


def test_the_daily_command_refuses_a_bad_clock():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an ISO date and time"):
        call_command("care_daily", "--now", "yesterday")


def test_a_board_section_counts_all_its_rows_and_shows_the_first(care):
    from dividend.care.board import board_secondments, board_sections

    for n in range(4):
        make_secondment(make_officer(care["pool"]), make_position(care["mission"]), status=Secondment.Status.DEPLOYED,
                        start=dt.date(2026, 1, 1), end=timezone.localdate() + dt.timedelta(days=10 + n))
    sections = {s.key: s for s in board_sections(board_secondments(care["desk"]), timezone.localdate(), 2)}
    assert (sections["ending"].count, [s.end_date for s in sections["ending"].rows]) == (
        4, [timezone.localdate() + dt.timedelta(days=10), timezone.localdate() + dt.timedelta(days=11)])
