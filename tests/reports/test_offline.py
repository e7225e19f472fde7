"""Offline drafts (issue 12 §3), on the server's side: a draft sent again, through the web form or
the API, with or without an Idempotency-Key, perhaps after the secondee's mission ended, files
nothing twice and answers with the report filed the first time; the service worker and the web app
manifest that keep the form on the phone."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.pools.models import Role
from dividend.reports import services
from dividend.reports.models import FieldReport
from dividend.secondments.models import Secondment

from ..factories import make_officer, make_position, make_secondment, make_user
from .test_reports import TODAY, api_body, fields, form_data, signed_in

pytestmark = pytest.mark.django_db


def _post_api(client, body, **headers):
    return client.post("/api/reports", data=json.dumps(body), content_type="application/json", headers=headers)


def test_the_web_form_sent_twice_files_one_report_and_shows_it(client, world):
    signed_in(client, world["users"]["secondee"])
    first = client.post("/reports/new/", form_data(world))
    again = client.post("/reports/new/", form_data(world), follow=True)
    report = FieldReport.objects.get()
    assert (first.status_code, first["Location"]) == (302, f"/reports/{report.pk}/")
    assert again.redirect_chain == [(f"/reports/{report.pk}/", 302)]
    assert "This draft was filed already: here is the report." in again.content.decode()


def test_a_draft_sent_again_after_the_mission_ended_answers_with_its_report(client, world):
    signed_in(client, world["users"]["secondee"])
    client.post("/reports/new/", form_data(world))
    Secondment.objects.update(status=Secondment.Status.RETURNED, end_date=TODAY - dt.timedelta(days=1))
    again = client.post("/reports/new/", form_data(world))
    assert (again.status_code, again["Location"]) == (302, f"/reports/{FieldReport.objects.get().pk}/")


def test_another_secondees_draft_key_files_a_report_of_ones_own(client, world):
    other = make_user(Role.SECONDEE, pools=[world["pools"][0]], username="berg")
    officer = make_officer(world["pools"][0], user=other, last_name="Berg")
    make_secondment(officer, make_position(world["mission"]), status=Secondment.Status.DEPLOYED,
                    start=TODAY - dt.timedelta(days=30), end=TODAY + dt.timedelta(days=30))
    services.file_report(actor=other, officer=officer, draft_key="draft-web-1", **fields(world))
    signed_in(client, world["users"]["secondee"])
    answer = client.post("/reports/new/", form_data(world))
    own = FieldReport.objects.get(officer=world["officer"])
    assert (answer["Location"], FieldReport.objects.count()) == (f"/reports/{own.pk}/", 2)


def test_the_api_answers_a_resent_draft_with_the_first_report_even_with_another_body(client, world):
    signed_in(client, world["users"]["secondee"])
    first = _post_api(client, api_body(world))
    again = _post_api(client, api_body(world, title="Edited on the phone after sending"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert list(FieldReport.objects.values_list("title", flat=True)) == ["Week"]


def test_the_api_answers_a_resent_draft_after_the_mission_ended(client, world):
    signed_in(client, world["users"]["secondee"])
    first = _post_api(client, api_body(world))
    Secondment.objects.update(status=Secondment.Status.RETURNED, end_date=TODAY - dt.timedelta(days=1))
    again = _post_api(client, api_body(world))
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert FieldReport.objects.count() == 1


def test_the_api_with_the_drafts_idempotency_key_replays_the_first_answer(client, world):
    signed_in(client, world["users"]["secondee"])
    first = _post_api(client, api_body(world), **{"Idempotency-Key": "draft-api-draft-0001"})
    again = _post_api(client, api_body(world), **{"Idempotency-Key": "draft-api-draft-0001"})
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json() == first.json()
    assert FieldReport.objects.count() == 1


def test_a_refused_draft_is_filed_when_sent_again_corrected_with_the_same_keys(client, world):
    signed_in(client, world["users"]["secondee"])
    headers = {"Idempotency-Key": "draft-api-draft-0001"}
    refused = _post_api(client, api_body(world, body="SECRET UE"), **headers)
    filed = _post_api(client, api_body(world), **headers)
    assert (refused.status_code, filed.status_code) == (400, 201)
    assert FieldReport.objects.get().body == "Quiet week."


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sends=st.lists(st.sampled_from(["draft-aaaa-1", "draft-bbbb-2", "draft-cccc-3"]), min_size=1, max_size=8))
def test_any_sequence_of_sends_files_one_report_per_draft(client, world, sends):
    FieldReport.objects.all().delete()
    signed_in(client, world["users"]["secondee"])
    ids = {}
    for key in sends:
        answer = _post_api(client, api_body(world, draft_key=key, title=f"Report {key}"))
        assert answer.status_code == (201 if key not in ids else 200)
        assert ids.setdefault(key, answer.json()["id"]) == answer.json()["id"]
    assert sorted(FieldReport.objects.values_list("draft_key", flat=True)) == sorted(set(sends))


def test_the_service_worker_keeps_the_form_and_its_files(client):
    answer = client.get("/reports/sw.js")
    body = answer.content.decode()
    assert (answer.status_code, answer["Content-Type"], answer["Service-Worker-Allowed"]) == (
        200, "text/javascript; charset=utf-8", "/reports/")
    assert 'const PAGE = "/reports/new/";' in body
    assert ('const ASSETS = ["/static/dividend/dividend.css", "/static/dividend/dividend.js", '
            '"/static/dividend/favicon.svg", "/static/reports/drafts.js"];') in body


def test_the_manifest_opens_the_form(client):
    answer = client.get("/reports/manifest.webmanifest")
    manifest = answer.json()
    assert (answer.status_code, answer["Content-Type"]) == (200, "application/manifest+json")
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/reports/new/", "/reports/",
                                                                               "standalone")


def test_the_form_page_links_the_manifest_and_the_drafts_script(client, world):
    signed_in(client, world["users"]["secondee"])
    page = client.get("/reports/new/").content.decode()
    assert '<link rel="manifest" href="/reports/manifest.webmanifest">' in page
    assert '<script src="/static/reports/drafts.js" defer></script>' in page
    assert 'data-api="/api/reports"' in page
    assert "htmx.min.js" not in page  # the form uses none: the page stays light
