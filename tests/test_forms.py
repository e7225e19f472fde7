"""Rules every form of the product follows, checked over all of them so a later form cannot regress."""

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError

import dividend
from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.common.validators import no_markup
from dividend.pools.models import Role
from dividend.reference.models import QualificationType, Rank
from dividend.roster.forms import SORT_LABELS, CrisisQueryForm, OfficerForm
from dividend.roster.models import Officer
from dividend.roster.search import SORTS

from .factories import make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db


def product_form_classes() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in Dividend's modules (all of them imported first)."""
    for module in pkgutil.walk_packages(dividend.__path__, "dividend."):
        if ".migrations" not in module.name and ".engine" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("dividend."):
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def date_fields(form_class):
    """(name, field) of each date or datetime field, declared or added when the form is built."""
    fields = dict(form_class.base_fields)
    try:
        fields.update(form_class().fields)  # fields added in __init__ (most forms build without arguments)
    except TypeError:
        pass
    return [(name, f) for name, f in fields.items() if isinstance(f, forms.DateField | forms.DateTimeField)]


def test_the_walk_finds_the_product_forms():
    names = {cls.__qualname__ for cls in product_form_classes()}
    assert {"OfficerForm", "OwnProfileForm", "QualificationForm", "RosterSearchForm", "SecondmentForm",
            "RunForm"} <= names


@pytest.mark.parametrize("form_class", product_form_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_date_input_renders_the_iso_format_browsers_accept(form_class):
    # The site's locale (en-gb) would write dd/mm/yyyy, which <input type="date"> discards.
    for name, field in date_fields(form_class):
        if isinstance(field, forms.DateTimeField):
            html = field.widget.render(name, dt.datetime(2027, 3, 1, 9, 30))
            assert 'type="datetime-local"' in html and 'value="2027-03-01T09:30"' in html, (name, html)
        else:
            html = field.widget.render(name, dt.date(2027, 3, 1))
            assert 'type="date"' in html and 'value="2027-03-01"' in html, (name, html)
        assert field.clean("2027-03-01" if not isinstance(field, forms.DateTimeField) else "2027-03-01T09:30")


def test_templates_write_no_date_input_of_their_own():
    # Hand-written date inputs escape the form check above: every date input comes from a form field.
    offenders = [str(path) for path in Path(dividend.__file__).parent.rglob("*.html")
                 if re.search(r"type=[\"']?(date|datetime-local)\b", path.read_text())]
    assert offenders == []


# --- Dates as the browser receives them ------------------------------------------------------------

def test_officer_edit_form_writes_dates_the_date_input_keeps(client):
    pool = make_pool()
    officer = make_officer(pool, date_of_birth=dt.date(1984, 2, 29), available_from=dt.date(2027, 3, 1))
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    html = client.get(f"/roster/officers/{officer.pk}/edit/").content.decode()
    assert '<input type="date" name="date_of_birth" value="1984-02-29"' in html
    assert '<input type="date" name="available_from" value="2027-03-01"' in html


def test_a_date_the_form_cannot_read_is_a_clear_error_and_changes_nothing(client):
    pool = make_pool()
    officer = make_officer(pool, available_from=dt.date(2027, 3, 1))
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    form = OfficerForm(instance=officer)
    data = {name: form[name].value() for name in form.fields}
    data |= {"pool": pool.pk, "rank": officer.rank_id, "date_of_birth": "1985-01-01", "available_from": "31.02.2027",
             "skills": "", "languages": "", "country_expertise": [], "thematic_expertise": []}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(f"/roster/officers/{officer.pk}/edit/", data)
    assert response.status_code == 400
    assert "Enter a valid date (year-month-day, e.g. 2027-03-01)." in response.content.decode()
    assert '<input type="text" name="available_from" value="31.02.2027"' in response.content.decode()
    officer.refresh_from_db()
    assert officer.available_from == dt.date(2027, 3, 1)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_audit_filter_refuses_an_unreadable_date_instead_of_showing_everything(client):
    record(actor=None, action="read", object_type="roster.officer", object_id="1")
    client.force_login(make_user(Role.AUDITOR, national=True))
    response = client.get("/audit/?since=2026-13-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "From: Enter a valid date (year-month-day, e.g. 2027-03-01)." in html
    assert "No entries." in html
    assert client.get("/audit/?since=2026-01-01&until=2025-01-01").status_code == 400
    assert '<input type="date" name="since" value="2026-01-01"' in client.get("/audit/?since=2026-01-01").content.decode()


# --- Names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Anna<b>", "x > y", 'Say "hi"', "{{ 7*7 }}",
                                  "Jo&amp;", "back\\slash", "tab\there"])
def test_markup_in_a_name_is_refused(name):
    with pytest.raises(ValidationError) as error:
        no_markup(name)
    assert error.value.code == "markup"


@pytest.mark.parametrize("name", ["Müller-Lüdenscheidt", "O'Brien", "Jean-Luc", "Anne Marie", "Łukasz", "Ng (Wei)",
                                  "Bundespolizei & Zoll", "Ørsted", "Smith, Jr."])
def test_ordinary_names_pass(name):
    no_markup(name)


def test_officer_form_refuses_markup_in_names_and_saves_nothing(client):
    pool = make_pool()
    officer = make_officer(pool, first_name="Aino")
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    response = client.post(f"/roster/officers/{officer.pk}/edit/", {
        "pool": pool.pk, "service_number": officer.service_number, "first_name": "<img src=x onerror=alert(1)>",
        "last_name": officer.last_name, "rank": officer.rank_id, "gender": "female", "date_of_birth": "1985-01-01"})
    assert response.status_code == 400
    assert "no &lt; &gt; &quot; ` { } \\ or entities such as &amp;amp;." in response.content.decode()
    officer.refresh_from_db()
    assert officer.first_name == "Aino"


def test_api_refuses_markup_in_an_officer_name(client):
    pool = make_pool()
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    response = client.post("/api/officers", {
        "pool": pool.pk, "service_number": "M-1", "first_name": "Eva", "last_name": "Lind<script>",
        "rank": Rank.objects.get(code="inspector").pk, "gender": "female", "date_of_birth": "1985-01-01"},
        content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"last_name"}
    assert not Officer.objects.exists()


@pytest.mark.parametrize("model_field", ["pools.Pool.name", "pools.ApiToken.name", "priorities.PriorityModel.title",
                                         "priorities.PriorityRun.label", "roster.Officer.emergency_contact_name"])
def test_name_and_label_fields_carry_the_markup_validator(model_field):
    from django.apps import apps

    app, model, field = model_field.split(".")
    assert no_markup in apps.get_model(app, model)._meta.get_field(field).validators


# --- Pages ---------------------------------------------------------------------------------------

def test_forbidden_page_says_why(client):
    client.force_login(make_user(Role.SECONDEE))
    response = client.get("/roster/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<div class="card error" role="alert" id="reason"><p>Your role does not work with the roster.</p></div>' in html
    assert "<header class=\"top\">" in html  # inside the site's layout, with its navigation


def test_sort_menu_speaks_words_not_codes(client):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    html = client.get("/roster/").content.decode()
    assert '<option value="-name">Name Z–A</option>' in html
    assert '<option value="name">Name A–Z</option>' in html
    assert set(SORT_LABELS) == set(SORTS)


def test_crisis_query_offers_medical_fitness_and_clearance(client):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    field = CrisisQueryForm().fields["required_qualification"]
    names = {qt.code for qt in field.queryset}
    assert {"medical_fitness", "security_clearance"} <= names
    html = client.get("/roster/crisis/").content.decode()
    for qt in QualificationType.objects.filter(restricted=True):
        assert f'<option value="{qt.pk}">{qt.name}</option>' in html
