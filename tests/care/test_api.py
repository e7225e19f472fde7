"""The care API: a contact logged, restricted texts only for need-to-know, a misconduct decision
with repatriation, bad input refused with nothing changed."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.care import services
from dividend.care.models import Contact, MisconductCase
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_contact_logged_through_the_api(client, care):
    client.force_login(care["desk"])
    day = timezone.localdate() - dt.timedelta(days=2)
    response = post(client, f"/api/care/secondments/{care['secondment'].pk}/contacts",
                    {"contact_on": day.isoformat(), "channel": "phone", "wellbeing": "concern", "notes": "Tired."})
    assert response.status_code == 201
    body = response.json()
    assert (body["last_contact_on"], body["contacts"][0]["notes"], body["restricted_shown"]) == (
        day.isoformat(), "Tired.", True)


def test_a_contact_before_the_deployment_changes_nothing(client, care):
    client.force_login(care["desk"])
    response = post(client, f"/api/care/secondments/{care['secondment'].pk}/contacts",
                    {"contact_on": "2026-09-30", "channel": "phone", "wellbeing": "well"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"contact_on": [
        "The contact (2026-09-30) is before the deployment started (2026-10-01)."]}
    assert Contact.objects.count() == 0


def test_notes_are_null_without_need_to_know_and_the_read_is_audited(client, care):
    services.log_contact(actor=care["desk"], secondment=care["secondment"], contact_on=dt.date(2026, 11, 5),
                         channel="phone", wellbeing="well", notes="Hidden.")
    for who, notes in (("national", None), ("secondee", None), ("hr", "Hidden.")):
        client.force_login(care[who])
        body = client.get(f"/api/care/secondments/{care['secondment'].pk}").json()
        assert body["contacts"][0]["notes"] == notes, who
        entry = AuditEntry.objects.filter(action="read").order_by("-id").first()
        assert (entry.detail["officer_id"], "contact_notes" in entry.fields) == (care["officer"].pk, notes is not None)


def test_a_substantiated_case_with_repatriation_cuts_the_secondment_short(client, care):
    case = services.report_misconduct(actor=care["desk"], secondment=care["secondment"], category="sea",
                                      reported_on=dt.date(2026, 11, 2), allegation="Alleged.")
    client.force_login(care["desk"])
    response = post(client, f"/api/care/misconduct/{case.pk}/decision",
                    {"status": "substantiated", "decided_on": "2026-11-18", "outcome": "Upheld.",
                     "repatriated_on": "2026-11-19"})
    assert response.status_code == 200
    s = Secondment.objects.get(pk=care["secondment"].pk)
    assert (s.status, s.end_date, s.cut_short, s.cut_short_reason) == (
        "returned", dt.date(2026, 11, 19), True, "Repatriated before the end of the mission")
    assert Officer.objects.get(pk=care["officer"].pk).misconduct_recorded_on == dt.date(2026, 11, 18)
    assert MisconductCase.objects.get().status == "substantiated"


def test_a_repatriation_before_the_decision_is_refused(client, care):
    case = services.report_misconduct(actor=care["desk"], secondment=care["secondment"], category="sea",
                                      reported_on=dt.date(2026, 11, 2), allegation="Alleged.")
    client.force_login(care["desk"])
    response = post(client, f"/api/care/misconduct/{case.pk}/decision",
                    {"status": "substantiated", "decided_on": "2026-11-18", "outcome": "Upheld.",
                     "repatriated_on": "2026-11-10"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"repatriated_on": ["The repatriation is before the decision."]}
    assert Officer.objects.get(pk=care["officer"].pk).misconduct_recorded_on is None
    assert Secondment.objects.get(pk=care["secondment"].pk).status == "deployed"


def test_the_board_api_lists_the_overdue_contact(client, care):
    client.force_login(care["hr"])
    body = client.get("/api/care/board").json()
    contact = next(section for section in body["sections"] if section["key"] == "contact")
    assert (contact["count"], contact["rows"][0]["officer_id"]) == (1, care["officer"].pk)
    assert client.get(f"/api/care/board?pool={care['other'].pk}").status_code == 400
