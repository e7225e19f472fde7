"""The preparation pages and API: the checklist page with its briefing topics and returnees, ticking
in place (htmx), the edit forms, the backfill pages, the API's answers and refusals."""

import datetime as dt
import json

import pytest

from dividend.audit.models import AuditEntry
from dividend.preparation import services
from dividend.preparation.models import Backfill, Checklist, ChecklistItem
from dividend.preparation.topics import briefing_topics, suggest_returnees
from dividend.reports.models import InformationRequirement
from dividend.secondments.models import Secondment

from ..factories import make_mission, make_officer, make_position, make_secondment
from .conftest import DEPARTURE, signed_in

pytestmark = pytest.mark.django_db


def make(prep):
    return services.create_checklist(actor=prep["users"]["coordinator"], secondment=prep["secondment"])


# --- Briefing topics and returnees ----------------------------------------------------------------

def test_the_briefing_lists_the_national_priorities_with_the_missions_themes_first(prep):
    briefing = briefing_topics(prep["mission"])
    priorities = [t for t in briefing.topics if t.kind == "priority"]
    # Border management, the mission's other theme, is no priority theme (dividend/data/thematic_areas.csv).
    assert [(t.title, t.on_mission, t.weight) for t in priorities] == [
        ("Migrant smuggling and irregular migration", True, 3.0), ("Drugs", False, 3.0),
        ("Organised crime", False, 3.0), ("Terrorism and violent extremism", False, 3.0),
        ("Trafficking in human beings", False, 3.0), ("Arms trafficking", False, 2.0), ("Cybercrime", False, 2.0),
        ("Financial crime", False, 2.0), ("Environmental crime", False, 1.0)]
    assert "nothing adopted" in briefing.priorities_source


def test_the_briefing_lists_the_missions_standing_information_requirements(prep):
    other = make_mission("OTHER", countries=("SRB",))
    InformationRequirement.objects.create(title="Smuggling routes", description="Routes north", region="Sub-Saharan Africa")
    InformationRequirement.objects.create(title="Checkpoints", description="Who runs them", mission=prep["mission"])
    InformationRequirement.objects.create(title="Elsewhere", description="Not here", mission=other)
    InformationRequirement.objects.create(title="Retired", description="Old", mission=prep["mission"], active=False)
    requirements = [(t.title, t.on_mission) for t in briefing_topics(prep["mission"]).topics if t.kind == "requirement"]
    assert requirements == [("Checkpoints", True), ("Smuggling routes", False)]


def test_reading_the_briefing_installs_nothing(prep, django_assert_max_num_queries):
    from dividend.priorities.models import PriorityModel

    briefing_topics(prep["mission"])
    assert PriorityModel.objects.count() == 0


def test_returnees_from_the_same_mission_or_region_most_recent_first(prep):
    alpha = prep["pools"][0]
    coordinator = prep["users"]["coordinator"]
    niger = make_mission("EUCAPN", countries=("NER",))  # Sub-Saharan Africa too
    serbia = make_mission("EUSRB", countries=("SRB",))
    same = make_officer(alpha, last_name="Mali")
    region = make_officer(alpha, last_name="Niger")
    far = make_officer(alpha, last_name="Serbia")
    still = make_officer(alpha, last_name="Still")
    make_secondment(same, make_position(prep["mission"]), status=Secondment.Status.RETURNED,
                    start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    make_secondment(region, make_position(niger), status=Secondment.Status.REINTEGRATED,
                    start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30))
    make_secondment(far, make_position(serbia), status=Secondment.Status.RETURNED,
                    start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    make_secondment(still, make_position(prep["mission"]), status=Secondment.Status.DEPLOYED,
                    start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    found = suggest_returnees(prep["secondment"], coordinator)
    assert [(r.officer.last_name, r.same_mission) for r in found] == [("Niger", False), ("Mali", True)]


def test_returnees_are_only_officers_the_reader_sees(prep):
    make_secondment(prep["berg"], make_position(prep["mission"]), status=Secondment.Status.RETURNED,
                    start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert suggest_returnees(prep["secondment"], prep["users"]["coordinator"]) == []
    assert [r.officer.last_name for r in suggest_returnees(prep["secondment"], prep["users"]["national"])] == ["Berg"]


# --- Pages ---------------------------------------------------------------------------------------

def test_the_checklist_page_shows_items_topics_returnees_and_backfill(client, prep):
    make(prep)
    response = signed_in(client, prep["users"]["coordinator"]).get(f"/preparation/secondments/{prep['secondment'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for anchor in ('id="checklist"', 'id="security-briefing"', 'id="returnees"', 'id="backfill"', 'id="caveats"',
                   "EU CSDP core course"):
        assert anchor in body


def test_the_secondee_sees_their_checklist_without_the_backfill_or_tick_buttons(client, prep):
    make(prep)
    body = signed_in(client, prep["users"]["secondee"]).get(
        f"/preparation/secondments/{prep['secondment'].pk}/").content.decode()
    assert 'id="checklist"' in body and 'id="backfill"' not in body and "tick-form" not in body


def test_the_page_offers_to_make_a_missing_checklist_and_makes_it(client, prep):
    signed_in(client, prep["users"]["coordinator"])
    url = f"/preparation/secondments/{prep['secondment'].pk}/"
    assert 'action="/preparation/secondments/' in client.get(url).content.decode()
    assert client.post(url + "start/").status_code == 302
    assert Checklist.objects.filter(secondment=prep["secondment"]).count() == 1


def test_ticking_in_place_answers_the_row(client, prep):
    checklist = make(prep)
    visa = ChecklistItem.objects.get(checklist=checklist, code="visa")
    response = signed_in(client, prep["users"]["coordinator"]).post(
        f"/preparation/items/{visa.pk}/tick/", {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<tr id="item-{visa.pk}"')
    visa.refresh_from_db()
    assert visa.done


def test_a_bad_tick_answers_400_in_place_and_changes_nothing(client, prep):
    checklist = make(prep)
    visa = ChecklistItem.objects.get(checklist=checklist, code="visa")
    response = signed_in(client, prep["users"]["coordinator"]).post(
        f"/preparation/items/{visa.pk}/tick/", {"done": "maybe"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    visa.refresh_from_db()
    assert not visa.done


def test_the_national_coordinator_gets_no_tick_button_on_the_medical_item(client, prep):
    checklist = make(prep)
    medical = ChecklistItem.objects.get(checklist=checklist, code="medical")
    signed_in(client, prep["users"]["national"])
    body = client.get(f"/preparation/secondments/{prep['secondment'].pk}/").content.decode()
    row = body[body.index(f'<tr id="item-{medical.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "tick-form" not in row and "need-to-know" in row
    assert client.post(f"/preparation/items/{medical.pk}/tick/", {"done": "1"}).status_code == 403


def test_the_item_form_refuses_a_due_date_after_departure(client, prep):
    checklist = make(prep)
    visa = ChecklistItem.objects.get(checklist=checklist, code="visa")
    response = signed_in(client, prep["users"]["coordinator"]).post(
        f"/preparation/items/{visa.pk}/edit/", {"due_date": "2027-03-05", "note": ""})
    assert response.status_code == 400
    assert "after departure on 2027-03-01" in response.content.decode()
    visa.refresh_from_db()
    assert visa.due_date == dt.date(2027, 1, 30)


def test_the_medical_item_form_has_no_note(client, prep):
    checklist = make(prep)
    medical = ChecklistItem.objects.get(checklist=checklist, code="medical")
    body = signed_in(client, prep["users"]["coordinator"]).get(f"/preparation/items/{medical.pk}/edit/").content.decode()
    assert 'name="due_date"' in body and 'name="note"' not in body


def test_the_backfill_form_records_a_promotion_by_service_number(client, prep):
    koski = make_officer(prep["pools"][0], last_name="Koski", rank_code="constable")
    response = signed_in(client, prep["users"]["coordinator"]).post(
        f"/preparation/secondments/{prep['secondment'].pk}/backfill/",
        {"arrangement": "promotion", "promoted": koski.service_number, "start_date": "2027-03-01",
         "end_date": "2027-08-31", "funding": "central", "funding_note": "", "cost_figure": ""})
    assert response.status_code == 302
    assert Backfill.objects.get().promoted == koski


def test_the_backfill_form_refuses_an_end_before_the_start(client, prep):
    koski = make_officer(prep["pools"][0], last_name="Koski", rank_code="constable")
    response = signed_in(client, prep["users"]["coordinator"]).post(
        f"/preparation/secondments/{prep['secondment'].pk}/backfill/",
        {"arrangement": "promotion", "promoted": koski.service_number, "start_date": "2027-03-01",
         "end_date": "2027-02-01", "funding": "none"})
    assert response.status_code == 400
    assert "The backfill ends (2027-02-01) before it starts (2027-03-01)." in response.content.decode()
    assert Backfill.objects.count() == 0


def test_the_pool_page_lists_absences_with_their_cost_in_a_fixed_number_of_queries(client, prep,
                                                                                     django_assert_num_queries):
    alpha = prep["pools"][0]
    for n in range(3):
        officer = make_officer(alpha, last_name=f"Extra{n}")
        make_secondment(officer, make_position(prep["mission"]), status=Secondment.Status.DEPLOYED,
                        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    signed_in(client, prep["users"]["coordinator"])
    client.get(f"/preparation/backfill/pools/{alpha.pk}/")  # warm the session
    # Session, user, second factor, roles; the pool, its absences, their backfills, the daily costs,
    # the roster; the audit entry (savepoint, chain head, insert, head update, release).
    with django_assert_num_queries(14):
        response = client.get(f"/preparation/backfill/pools/{alpha.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('data-secondment="') == 4


def test_the_preparation_list_in_a_fixed_number_of_queries(client, prep, django_assert_num_queries):
    make(prep)
    alpha = prep["pools"][0]
    for n in range(3):
        officer = make_officer(alpha, last_name=f"Extra{n}")
        make_secondment(officer, make_position(prep["mission"]), status=Secondment.Status.SELECTED,
                        start=DEPARTURE, end=None)
    signed_in(client, prep["users"]["coordinator"])
    client.get("/preparation/")
    # Session, user, second factor, roles; the count and the page (progress counted in the query);
    # the audit entry (savepoint, chain head, insert, head update, release).
    with django_assert_num_queries(11):
        response = client.get("/preparation/")
    assert response.content.decode().count('/preparation/secondments/') == 4


def test_another_pools_pool_page_is_not_found(client, prep):
    beta = prep["pools"][1]
    assert signed_in(client, prep["users"]["coordinator"]).get(f"/preparation/backfill/pools/{beta.pk}/").status_code == 404


# --- API -----------------------------------------------------------------------------------------

def api(client, method, path, body=None):
    return client.generic(method, f"/api/preparation{path}", data=json.dumps(body) if body is not None else "",
                          content_type="application/json")


def test_the_api_gives_the_checklist_with_the_medical_item_as_yes_no(client, prep):
    make(prep)
    signed_in(client, prep["users"]["coordinator"])
    response = api(client, "GET", f"/secondments/{prep['secondment'].pk}/checklist")
    assert response.status_code == 200
    data = response.json()
    medical = next(i for i in data["items"] if i["code"] == "medical")
    assert (medical["done"], medical["note"], data["departure"]) == (False, "", "2027-03-01")


def test_the_api_changes_items_all_or_nothing(client, prep):
    checklist = make(prep)
    signed_in(client, prep["users"]["coordinator"])
    url = f"/secondments/{prep['secondment'].pk}/checklist/items"
    response = api(client, "POST", url, {"items": [{"code": "visa", "done": True}, {"code": "nope", "done": True}]})
    assert response.status_code == 400
    assert response.json()["errors"] == {"items": ["No such item on this checklist: nope."]}
    assert not ChecklistItem.objects.get(checklist=checklist, code="visa").done
    response = api(client, "POST", url, {"items": [{"code": "visa", "done": True}, {"code": "heat",
                                                                                     "due_date": "2027-02-01"}]})
    assert response.status_code == 200
    assert {i["code"]: (i["done"], i["due_date"]) for i in response.json()["items"]}["heat"] == (False, "2027-02-01")


def test_the_api_makes_a_checklist_once(client, prep):
    signed_in(client, prep["users"]["coordinator"])
    url = f"/secondments/{prep['secondment'].pk}/checklist"
    assert api(client, "GET", url).status_code == 404
    assert api(client, "POST", url).status_code == 201
    response = api(client, "POST", url)
    assert (response.status_code, response.json()["errors"]) == (
        400, {"__all__": ["This secondment has its checklist already."]})


def test_the_api_records_a_backfill_and_refuses_a_contradiction(client, prep):
    signed_in(client, prep["users"]["coordinator"])
    url = f"/secondments/{prep['secondment'].pk}/backfill"
    bad = {"arrangement": "vacant", "start_date": "2027-04-01", "end_date": "2027-03-01"}
    assert api(client, "PUT", url, bad).status_code == 400
    assert Backfill.objects.count() == 0
    response = api(client, "PUT", url, {"arrangement": "vacant", "funding": "unit", "cost_figure": 5000})
    assert (response.status_code, response.json()["cost_figure"]) == (200, 5000.0)
    assert api(client, "GET", url).json()["arrangement"] == "vacant"


def test_the_api_lists_overdue_items_and_audits_the_officers(client, prep):
    checklist = make(prep)
    ChecklistItem.objects.filter(checklist=checklist, code="visa").update(due_date=dt.date.today() - dt.timedelta(days=3))
    signed_in(client, prep["users"]["coordinator"])
    rows = api(client, "GET", "/overdue").json()
    assert [(r["code"], r["days_overdue"]) for r in rows] == [("visa", 3)]
    entry = AuditEntry.objects.filter(action="list", object_type="preparation.checklistitem").get()
    assert entry.detail["officer_ids"] == [prep["officer"].pk]


def test_the_api_gives_a_pools_backfill(client, prep):
    signed_in(client, prep["users"]["hr"])
    data = api(client, "GET", f"/pools/{prep['pools'][0].pk}/backfill").json()
    assert [(a["officer"], a["days"], a["cost_basis"], a["arrangement"]) for a in data["absences"]] == [
        ("Aino Aalto", 365, "no_rate", "")]


def test_the_checklist_page_runs_a_fixed_number_of_queries(client, prep, django_assert_num_queries):
    checklist = make(prep)
    services.set_done(actor=prep["users"]["coordinator"], item=checklist.items.get(code="visa"), done=True)
    for n in range(3):  # returnees to suggest
        officer = make_officer(prep["pools"][0], last_name=f"Back{n}")
        make_secondment(officer, make_position(prep["mission"]), status=Secondment.Status.RETURNED,
                        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    signed_in(client, prep["users"]["coordinator"])
    url = f"/preparation/secondments/{prep['secondment'].pk}/"
    client.get(url)
    # Session, user, second factor, roles; the secondment, its checklist, the template, the items;
    # the topics (adoption, default model, mission themes, theme names, requirements); the mission's
    # sub-regions and the returnees;
    # the backfill, the daily costs; the audit entry (savepoint, chain head, insert, head update, release).
    with django_assert_num_queries(22):
        response = client.get(url)
    assert response.content.decode().count('<span class="badge">same mission</span>') == 3


def test_the_secondments_page_links_the_checklist(client, prep):
    body = signed_in(client, prep["users"]["coordinator"]).get(
        f"/secondments/{prep['secondment'].pk}/").content.decode()
    assert f'href="/preparation/secondments/{prep["secondment"].pk}/"' in body
