"""The checklist's overdue items on the duty-of-care board and in the desk officer's daily e-mail
(care.board.register_overdue_source), and the preparation's part of the subject access report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from dividend.care.board import overdue_sources
from dividend.care.notifications import send_daily
from dividend.care.services import assign_desk_officer
from dividend.preparation import services
from dividend.preparation.models import ChecklistItem
from dividend.preparation.overdue import overdue_secondments
from dividend.roster.subject_access import subject_access_report
from dividend.secondments.models import Secondment

from ..factories import make_officer
from .conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 2, 10)


def test_the_checklist_is_a_source_of_the_duty_of_care_board():
    assert "preparation.checklist" in [s.name for s in overdue_sources()]


def test_overdue_secondments_per_secondment_on_a_fixed_clock(prep, django_assert_num_queries):
    services.create_checklist(actor=prep["users"]["coordinator"], secondment=prep["secondment"])
    with django_assert_num_queries(1):
        counts = dict(overdue_secondments(Secondment.objects.all(), TODAY).values_list("pk", "overdue_items"))
    assert counts == {prep["secondment"].pk: 7}
    assert not overdue_secondments(Secondment.objects.filter(officer=prep["berg"]), TODAY).exists()


def test_the_board_shows_the_checklist_section(client, prep):
    checklist = services.create_checklist(actor=prep["users"]["coordinator"], secondment=prep["secondment"])
    ChecklistItem.objects.filter(checklist=checklist).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    body = signed_in(client, prep["users"]["coordinator"]).get("/care/").content.decode()
    assert 'id="board-preparation.checklist"' in body and "Checklist items overdue" in body
    assert "Aino Aalto" in body


def test_the_desk_officer_is_emailed_the_overdue_checklist_items(prep):
    coordinator = prep["users"]["coordinator"]
    coordinator.email = "desk@example.org"
    coordinator.save()
    checklist = services.create_checklist(actor=coordinator, secondment=prep["secondment"])
    assign_desk_officer(actor=coordinator, secondment=prep["secondment"], desk_officer=coordinator)
    today = timezone.localdate()
    ChecklistItem.objects.filter(checklist=checklist, code__in=["visa", "heat"]).update(
        due_date=today - dt.timedelta(days=2))
    ChecklistItem.objects.filter(checklist=checklist).exclude(code__in=["visa", "heat"]).update(
        due_date=today + dt.timedelta(days=2))
    send_daily()
    (message,) = [m for m in mail.outbox if m.to == ["desk@example.org"]]
    assert "- Aino Aalto (Alpha Police), EUCAP: Checklist items overdue: 2" in message.body


def test_the_subject_access_report_holds_the_checklist_the_caveats_and_the_backfill(prep):
    coordinator = prep["users"]["coordinator"]
    checklist = services.create_checklist(actor=coordinator, secondment=prep["secondment"])
    services.set_done(actor=coordinator, item=checklist.items.get(code="medical"), done=True)
    services.set_caveats(actor=coordinator, checklist=checklist, caveats="No executive tasks")
    junior = make_officer(prep["pools"][0], last_name="Koski", rank_code="constable")
    services.record_backfill(actor=coordinator, secondment=prep["secondment"], arrangement="promotion",
                             promoted=junior, start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 8, 31),
                             funding="central", cost_figure=Decimal("1000"))
    report = subject_access_report(actor=prep["users"]["secondee"], officer=prep["officer"])
    sections = {s.title: s.rows for s in report.sections}
    medical = [r for r in sections["Pre-deployment checklists"] if r[1].startswith("Medical")]
    assert [(r[0], r[3], r[5]) for r in medical] == [("EUCAP", "yes", "")]
    assert sections["National caveats"] == [["EUCAP", "No executive tasks"]]
    assert [r[:2] for r in sections["Backfill of the home post"]] == [
        ["EUCAP", "Temporary promotion of a junior officer"]]
    covering = {s.title: s.rows for s in subject_access_report(actor=coordinator, officer=junior).sections}
    assert covering["Covering a post"][0][:2] == ["Temporary promotion of a junior officer", "Alpha Police"]
    # Neither report names the other officer.
    assert "Koski" not in repr(report.sections) and "Aalto" not in repr(covering["Covering a post"])
