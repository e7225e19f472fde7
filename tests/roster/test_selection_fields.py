"""The roster facts selection rules read: the start of police service (a plain field) and a
substantiated misconduct finding (restricted: need-to-know only, like medical records)."""

import datetime as dt

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.roster.forms import OfficerForm
from dividend.roster.imports import import_officers
from dividend.roster.models import Officer

from ..factories import complete_sign_in, make_officer, make_pool, make_user, rank

pytestmark = pytest.mark.django_db


def form_data(officer, **changes):
    data = {"pool": officer.pool_id, "service_number": officer.service_number, "first_name": officer.first_name,
            "last_name": officer.last_name, "rank": officer.rank_id, "gender": officer.gender,
            "date_of_birth": officer.date_of_birth.isoformat(), "email": officer.email}
    data.update(changes)
    return data


def test_the_form_checks_the_start_of_service_and_the_finding_date():
    pool = make_pool("alpha")
    officer = make_officer(pool, date_of_birth=dt.date(1990, 5, 1))
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    form = OfficerForm(data=form_data(officer, service_start="2006-04-30", misconduct_recorded_on=future),
                       instance=officer)
    assert not form.is_valid()
    assert form.errors["service_start"] == ["The start of police service is before the officer's 16th birthday."]
    assert form.errors["misconduct_recorded_on"] == ["The misconduct finding's date is in the future."]
    form = OfficerForm(data=form_data(officer, service_start=future), instance=officer)
    assert not form.is_valid()
    assert form.errors["service_start"] == ["The start of police service is in the future."]
    form = OfficerForm(data=form_data(officer, service_start="2006-05-01"), instance=officer)
    assert form.is_valid(), form.errors


def test_only_need_to_know_roles_get_the_misconduct_field_and_its_value(client):
    alpha = make_pool("alpha")
    officer = make_officer(alpha, service_start=dt.date(2010, 9, 1), misconduct_recorded_on=dt.date(2021, 3, 4))
    coordinator = make_user(Role.COORDINATOR, pools=[alpha])
    national = make_user(Role.ADMINISTRATOR, national=True)
    assert "misconduct_recorded_on" in OfficerForm(instance=officer, user=coordinator).fields
    assert "misconduct_recorded_on" not in OfficerForm(instance=officer, user=national).fields
    for user, expected in ((coordinator, "2021-03-04"), (national, None)):
        client.force_login(user)
        complete_sign_in(client, user)
        body = client.get(f"/api/officers/{officer.pk}").json()
        assert (body["service_start"], body["misconduct_recorded_on"]) == ("2010-09-01", expected)
        page = client.get(f"/roster/officers/{officer.pk}/").content.decode()
        assert "<dt>Police service since</dt><dd>1 Sep 2010</dd>" in page
        assert ("on record since" in page) is (expected is not None)
        client.logout()


def test_an_administrator_saving_the_form_keeps_the_finding_and_the_log_names_it_only_as_changed():
    alpha = make_pool("alpha")
    officer = make_officer(alpha, misconduct_recorded_on=dt.date(2021, 3, 4))
    national = make_user(Role.ADMINISTRATOR, national=True)
    form = OfficerForm(data=form_data(officer, service_start="2008-01-02"), instance=officer, user=national)
    assert form.is_valid(), form.errors
    from dividend.roster.services import save_officer

    _, fields = save_officer(actor=national, officer=form.save(commit=False))
    assert fields == ["service_start"]
    officer.refresh_from_db()
    assert (officer.service_start, officer.misconduct_recorded_on) == (dt.date(2008, 1, 2), dt.date(2021, 3, 4))
    coordinator = make_user(Role.COORDINATOR, pools=[alpha])
    form = OfficerForm(data=form_data(officer, service_start="2008-01-02"), instance=officer, user=coordinator)
    assert form.is_valid(), form.errors
    save_officer(actor=coordinator, officer=form.save(commit=False))
    entry = AuditEntry.objects.filter(object_id=str(officer.pk), action="update").latest("id")
    assert "2021-03-04" not in str(entry.detail)
    assert Officer.objects.get(pk=officer.pk).misconduct_on_record is False


def test_the_import_reads_the_start_of_service():
    alpha = make_pool("alpha")
    rank("inspector")
    coordinator = make_user(Role.COORDINATOR, pools=[alpha])
    content = (b"pool,service_number,first_name,last_name,rank,gender,date_of_birth,service_start\n"
               b"alpha,A-1,Anna,Schmidt,inspector,female,1985-04-12,2005-09-01\n"
               b"alpha,A-2,Bert,Jansen,inspector,male,1985-04-12,01/09/2005\n")
    report = import_officers(actor=coordinator, filename="o.csv", content=content)
    assert report.errors == [(3, "service_start: Enter a valid date (year-month-day, e.g. 2027-03-01).")]
    content = content.replace(b"01/09/2005", b"2004-09-01")
    report = import_officers(actor=coordinator, filename="o.csv", content=content)
    assert report.errors == []
    assert sorted(Officer.objects.values_list("service_number", "service_start")) == [
        ("A-1", dt.date(2005, 9, 1)), ("A-2", dt.date(2004, 9, 1))]
