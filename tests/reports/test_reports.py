"""Field reports (issue 12, sections 1–4 in part): filing by a deployed secondee, the refusal of
classified content with nothing stored, requirements and their coverage, triage, the API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import ThematicArea
from dividend.reports import services
from dividend.reports.models import (
    FieldReport,
    InformationRequirement,
    SourceReliability,
    current_reliability,
)
from dividend.secondments.models import Secondment

from ..factories import (
    complete_sign_in,
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_secondment,
    make_user,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def world():
    alpha, beta = make_pool("alpha", name="Alpha Police"), make_pool("beta", name="Beta Police")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aalto")
    officer = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino")
    mission = make_mission("EUTEST", countries=("MLI",), themes=("border_management",))
    other = make_mission("OTHER", countries=("SRB",))
    make_secondment(officer, make_position(mission), status=Secondment.Status.DEPLOYED,
                    start=TODAY - dt.timedelta(days=90), end=TODAY + dt.timedelta(days=200))
    users = {"secondee": secondee,
             "analyst": make_user(Role.ANALYST, pools=[alpha], username="ana"),
             "analyst_beta": make_user(Role.ANALYST, pools=[beta], username="anab"),
             "national_analyst": make_user(Role.ANALYST, national=True, username="anan"),
             "coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord")}
    border = ThematicArea.objects.get(code="border_management")
    requirements = {
        "mission": InformationRequirement.objects.create(title="Checkpoints", description="Who runs them",
                                                         mission=mission),
        "region": InformationRequirement.objects.create(title="Smuggling routes", description="Routes north",
                                                        region="Sub-Saharan Africa"),
        "theme": InformationRequirement.objects.create(title="Border posts", description="Staffing", theme=border),
        "elsewhere": InformationRequirement.objects.create(title="Elsewhere", description="Not here", mission=other),
    }
    return {"users": users, "officer": officer, "mission": mission, "other": other, "req": requirements,
            "pools": (alpha, beta)}


def fields(world, **overrides):
    return {"mission": world["mission"], "period_start": TODAY - dt.timedelta(days=6), "period_end": TODAY,
            "kind": "weekly", "title": "Week at the northern border", "body": "Two new checkpoints opened.",
            "places": "Gao; Timbuktu", "marking": "green", "credibility": 2, "reliability": "B"} | overrides


def file(world, key="draft-0001", **overrides):
    return services.file_report(actor=world["users"]["secondee"], officer=world["officer"], draft_key=key,
                                **fields(world, **overrides))


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def form_data(world, **overrides):
    data = fields(world, **overrides)
    data["mission"] = world["mission"].pk
    return data | {"draft_key": "draft-web-1"}


def test_a_deployed_secondee_files_a_report_and_it_is_audited_without_its_text(world):
    report = file(world)
    assert (report.status, report.officer, report.place_list) == ("new", world["officer"], ["Gao", "Timbuktu"])
    entry = AuditEntry.objects.get(object_type="reports.fieldreport", action="create")
    assert "Two new checkpoints" not in json.dumps(entry.detail) + entry.object_repr + json.dumps(entry.fields)


def test_the_same_draft_sent_twice_files_one_report(world):
    first, second = file(world), file(world)
    assert first.pk == second.pk
    assert FieldReport.objects.count() == 1


def test_a_mission_the_secondee_is_not_deployed_to_is_refused(world):
    with pytest.raises(ValidationError) as error:
        file(world, mission=world["other"])
    assert error.value.message_dict == {"mission": ["You are not deployed to OTHER now."]}
    assert FieldReport.objects.count() == 0


def test_only_the_secondee_files_their_own_reports(world):
    with pytest.raises(PermissionDenied):
        services.file_report(actor=world["users"]["analyst"], officer=world["officer"], draft_key="x" * 10,
                             **fields(world))


def test_requirements_apply_by_mission_region_and_theme(world):
    seen = InformationRequirement.objects.visible_to(world["users"]["secondee"])
    assert sorted(r.title for r in seen) == ["Border posts", "Checkpoints", "Smuggling routes"]


def test_a_requirement_of_another_mission_is_refused(world):
    with pytest.raises(ValidationError) as error:
        file(world, requirements=[world["req"]["elsewhere"]])
    assert error.value.message_dict == {"requirements": ["Not a requirement of EUTEST: Elsewhere."]}


def test_the_reliability_given_is_kept_as_history_and_prefills_the_next_report(world):
    assert current_reliability(world["officer"]) == "F"
    file(world, reliability="C")
    assert current_reliability(world["officer"]) == "C"
    services.set_reliability(actor=world["users"]["analyst"], officer=world["officer"], grade="B",
                             reason="Accurate over six months")
    assert current_reliability(world["officer"]) == "B"
    assert SourceReliability.objects.filter(officer=world["officer"]).count() == 2


@pytest.mark.parametrize("field, text, marking", [
    ("body", "Annex: RESTREINT UE/EU RESTRICTED", "RESTREINT UE, EU RESTRICTED"),
    ("title", "ЅЕСRЕТ briefing", "SECRET"),
    ("places", "Gao; NATO S\u200bECRET", "NATO SECRET"),
])
def test_classified_content_is_refused_and_nothing_is_stored(world, field, text, marking):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        file(world, **{field: text})
    assert error.value.message_dict[field] == [
        f"Classified content is not accepted: this text carries the marking {marking}. Dividend holds unclassified "
        "information only; send classified information through your accredited channel."]
    assert (FieldReport.objects.count(), AuditEntry.objects.count()) == (0, entries)


def test_benign_look_alikes_are_accepted(world):
    report = file(world, body="The secretariat discussed the secret of good policing near the restricted area.")
    assert report.pk is not None


def test_the_form_refuses_classified_content_stores_nothing_and_logs_no_text(client, world, caplog):
    signed_in(client, world["users"]["secondee"])
    response = client.post("/reports/new/", form_data(world, body="CONFIDENTIEL UE — the minister said"))
    assert response.status_code == 400
    assert "Classified content is not accepted" in response.content.decode()
    assert FieldReport.objects.count() == 0
    assert "the minister said" not in caplog.text


def test_the_form_files_a_report(client, world):
    signed_in(client, world["users"]["secondee"])
    assert client.get("/reports/new/").status_code == 200
    response = client.post("/reports/new/", form_data(world, requirements=[world["req"]["mission"].pk]))
    assert response.status_code == 302
    report = FieldReport.objects.get()
    assert list(report.requirements.values_list("title", flat=True)) == ["Checkpoints"]


def test_the_form_refuses_a_period_that_ends_before_it_starts(client, world):
    signed_in(client, world["users"]["secondee"])
    response = client.post("/reports/new/", form_data(world, period_end=TODAY - dt.timedelta(days=10)))
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_the_form_refuses_a_classification_as_marking(client, world):
    signed_in(client, world["users"]["secondee"])
    response = client.post("/reports/new/", form_data(world, marking="SECRET"))
    assert response.status_code == 400
    assert "Classified information is not accepted." in response.content.decode()


def test_analysts_see_their_pools_reports_and_others_do_not(world):
    report = file(world)
    users = world["users"]
    assert [FieldReport.objects.visible_to(users[name]).filter(pk=report.pk).exists()
            for name in ("secondee", "analyst", "analyst_beta", "national_analyst", "coordinator")] == [
        True, True, False, True, False]


def test_triage_moves_a_report_and_a_filed_one_needs_a_reason(world):
    report = file(world)
    analyst = world["users"]["analyst"]
    services.change_report_status(actor=analyst, report=report, status="in_review")
    with pytest.raises(ValidationError) as error:
        services.change_report_status(actor=analyst, report=report, status="filed")
    assert error.value.message_dict == {"reason": ["Say why: the author reads it."]}
    services.change_report_status(actor=analyst, report=report, status="accepted")
    assert AuditEntry.objects.filter(object_type="reports.fieldreport", action="status").count() == 2


def test_a_move_outside_the_table_is_refused(world):
    report = file(world)
    analyst = world["users"]["analyst"]
    services.change_report_status(actor=analyst, report=report, status="accepted")
    with pytest.raises(ValidationError) as error:
        services.change_report_status(actor=analyst, report=report, status="needs_information", reason="x")
    assert error.value.messages == ["A report that is accepted cannot be moved to needs information."]


def test_an_analyst_of_another_pool_cannot_triage(world):
    report = file(world)
    with pytest.raises(PermissionDenied):
        services.change_report_status(actor=world["users"]["analyst_beta"], report=report, status="in_review")


def test_the_queue_runs_a_fixed_number_of_queries(client, world):
    signed_in(client, world["users"]["analyst"])
    client.get("/reports/")
    for n in range(5):
        file(world, key=f"draft-{n:04d}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/")
    assert response.status_code == 200
    assert response.content.decode().count('<td><a href="/reports/') == 5
    for n in range(5, 15):
        file(world, key=f"draft-{n:04d}")
    with CaptureQueriesContext(connection) as more:
        client.get("/reports/")
    # The same whatever the number of reports on the page (no query per row).
    assert (len(queries), len(more)) == (10, 10)


def test_requirement_coverage_counts_reports_per_month(client, world):
    file(world, requirements=[world["req"]["mission"], world["req"]["theme"]])
    file(world, key="draft-0002", requirements=[world["req"]["mission"]])
    signed_in(client, world["users"]["analyst"])
    page = client.get("/reports/requirements/").content.decode()
    row = page.split("<strong>Checkpoints</strong>")[1].split("</tr>")[0]
    assert row.rstrip().endswith("<td>2</td>")


def test_an_analyst_sets_a_requirement_and_one_without_a_target_is_refused(client, world):
    signed_in(client, world["users"]["analyst"])
    response = client.post("/reports/requirements/", {"title": "Trafficking", "description": "Routes"})
    assert response.status_code == 400
    assert "Say what the requirement is for: a mission, a region or a theme." in response.content.decode()
    response = client.post("/reports/requirements/", {"title": "Trafficking", "description": "Routes",
                                                      "region": "Sub-Saharan Africa"})
    assert response.status_code == 302
    assert InformationRequirement.objects.filter(title="Trafficking", region="Sub-Saharan Africa").exists()


def test_an_unknown_region_is_refused(client, world):
    signed_in(client, world["users"]["analyst"])
    response = client.post("/reports/requirements/", {"title": "T", "description": "D", "region": "Atlantis"})
    assert response.status_code == 400
    assert "Unknown region" in response.content.decode()


def api_body(world, **overrides):
    return {"draft_key": "api-draft-0001", "mission": world["mission"].pk, "period_start": str(TODAY - dt.timedelta(days=6)),
            "period_end": str(TODAY), "kind": "weekly", "title": "Week", "body": "Quiet week.", "marking": "amber",
            "credibility": 3, "reliability": "C"} | overrides


def test_the_api_files_once_per_draft(client, world):
    signed_in(client, world["users"]["secondee"])
    first = client.post("/api/reports", data=json.dumps(api_body(world)), content_type="application/json")
    again = client.post("/api/reports", data=json.dumps(api_body(world)), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_the_api_refuses_classified_content_naming_the_field(client, world):
    signed_in(client, world["users"]["secondee"])
    response = client.post("/api/reports", data=json.dumps(api_body(world, body="s e c r e t  u e")),
                           content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]
    assert FieldReport.objects.count() == 0


def test_the_api_triage_and_read(client, world):
    report = file(world)
    signed_in(client, world["users"]["analyst"])
    response = client.post(f"/api/reports/{report.pk}/status", data=json.dumps({"status": "accepted"}),
                           content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    assert client.get(f"/api/reports/{report.pk}").json()["places"] == ["Gao", "Timbuktu"]


def test_the_triage_form_offers_only_the_moves_the_table_allows(client, world):
    report = file(world)
    services.change_report_status(actor=world["users"]["analyst"], report=report, status="accepted")
    page = signed_in(client, world["users"]["analyst"]).get(f"/reports/{report.pk}/").content.decode()
    triage = page.split('id="triage"')[1].split("</form>")[0]
    assert '<option value="in_review">In review</option>' in triage
    assert triage.count("<option") == 1


def test_the_only_mission_the_secondee_is_deployed_to_is_chosen_already(client, world):
    page = signed_in(client, world["users"]["secondee"]).get("/reports/new/").content.decode()
    assert f'<option value="{world["mission"].pk}" selected>' in page
