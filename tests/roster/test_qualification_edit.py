"""Correcting a qualification: who may, what changes, and that bad input changes nothing."""

import datetime as dt

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import QualificationType
from dividend.roster.models import Qualification

from ..factories import make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_officer(make_pool(), qualifications=[("un_saat", dt.date(2024, 5, 1), dt.date(2027, 5, 1)),
                                                     ("medical_fitness", dt.date(2026, 1, 1), dt.date(2027, 1, 1))])


def qualification(officer, code):
    return officer.qualifications.get(qualification_type__code=code)


def test_coordinator_corrects_a_qualification(client, officer):
    client.force_login(make_user(Role.COORDINATOR, pools=[officer.pool]))
    saat = qualification(officer, "un_saat")
    url = f"/roster/qualifications/{saat.pk}/edit/"
    assert '<input type="date" name="expires_on" value="2027-05-01"' in client.get(url).content.decode()
    response = client.post(url, {"qualification_type": saat.qualification_type_id, "issued_on": "2024-05-01",
                                 "expires_on": "2028-05-01", "level": "", "reference": "SAAT-77"})
    assert response.status_code == 302 and response["Location"] == f"/roster/officers/{officer.pk}/"
    saat.refresh_from_db()
    assert (saat.expires_on, saat.reference, saat.status) == (dt.date(2028, 5, 1), "SAAT-77", "confirmed")
    entry = AuditEntry.objects.get(action="update")
    assert (entry.object_type, entry.object_id, entry.fields) == (
        "roster.qualification", str(saat.pk), ["expires_on", "reference"])
    assert entry.detail == {"officer_id": officer.pk, "changes": {
        "expires_on": {"old": "2027-05-01", "new": "2028-05-01"}, "reference": {"old": "", "new": "SAAT-77"}}}


def test_qualification_edit_refuses_bad_dates_and_changes_nothing(client, officer):
    client.force_login(make_user(Role.COORDINATOR, pools=[officer.pool]))
    saat = qualification(officer, "un_saat")
    for bad, message in (({"expires_on": "2023-01-01"}, "The expiry date is before the issue date."),
                         ({"issued_on": "2024-13-01"}, "Enter a valid date (year-month-day, e.g. 2027-03-01).")):
        data = {"qualification_type": saat.qualification_type_id, "issued_on": "2024-05-01",
                "expires_on": "2027-05-01"} | bad
        response = client.post(f"/roster/qualifications/{saat.pk}/edit/", data)
        assert response.status_code == 400 and message in response.content.decode(), bad
    saat.refresh_from_db()
    assert (saat.issued_on, saat.expires_on) == (dt.date(2024, 5, 1), dt.date(2027, 5, 1))
    assert not AuditEntry.objects.filter(action="update").exists()


def test_restricted_qualifications_are_edited_only_by_need_to_know_roles(client, officer):
    medical = qualification(officer, "medical_fitness")
    administrator = make_user(Role.ADMINISTRATOR, pools=[officer.pool])
    client.force_login(administrator)
    assert client.get(f"/roster/qualifications/{medical.pk}/edit/").status_code == 403
    saat = qualification(officer, "un_saat")
    page = client.get(f"/roster/qualifications/{saat.pk}/edit/").content.decode()
    restricted = QualificationType.objects.get(code="medical_fitness")
    assert f'<option value="{restricted.pk}"' not in page
    response = client.post(f"/roster/qualifications/{saat.pk}/edit/", {
        "qualification_type": restricted.pk, "issued_on": "2024-05-01", "expires_on": "2027-05-01"})
    assert response.status_code == 400
    saat.refresh_from_db()
    assert saat.qualification_type.code == "un_saat"


def test_qualification_edit_is_for_editors_of_the_officer(client, officer):
    saat = qualification(officer, "un_saat")
    client.force_login(make_user(Role.PANEL_MEMBER, pools=[officer.pool]))
    assert client.get(f"/roster/qualifications/{saat.pk}/edit/").status_code == 403
    client.force_login(make_user(Role.COORDINATOR, pools=[make_pool()]))
    assert client.get(f"/roster/qualifications/{saat.pk}/edit/").status_code == 404
    assert Qualification.objects.filter(pk=saat.pk, expires_on=dt.date(2027, 5, 1)).exists()
