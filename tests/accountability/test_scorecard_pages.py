"""The scorecard's pages, export and model edit on the known dataset (conftest): who sees what,
figures on the page and in the CSV, versions of the weights, query counts."""

import pytest

from dividend.accountability.models import ScorecardModel
from dividend.accountability.scorecard import DEFAULT_WEIGHTS, PARTS
from dividend.audit.models import AuditEntry

from . import scorecard_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return scorecard_data.build()


def test_the_liaison_reads_consolidated_figures_without_names(known, client):
    client.force_login(known["users"]["liaison"])
    page = client.get("/accountability/scorecard/").content.decode()
    assert "EUKNOWN" in page and "Aalto" not in page and "by=secondment" not in page
    mission = client.get(f"/accountability/scorecard/missions/{known['mission'].pk}/").content.decode()
    assert "MISSING" in mission and "Aalto" not in mission and "Berg" not in mission
    assert client.get(f"/accountability/scorecard/secondments/{known['sa'].pk}/").status_code == 403
    assert client.get("/accountability/scorecard/export.csv?by=secondment").status_code == 403


def test_a_pool_coordinator_sees_their_pools_secondment_only(known, client):
    client.force_login(known["users"]["coordinator_a"])
    page = client.get(f"/accountability/scorecard/secondments/{known['sa'].pk}/").content.decode()
    assert "54.63 / 100" in page and "1 part missing" in page
    assert client.get(f"/accountability/scorecard/secondments/{known['sb'].pk}/").status_code == 404
    mission = client.get(f"/accountability/scorecard/missions/{known['mission'].pk}/").content.decode()
    assert "Aalto" in mission and "Berg" not in mission


def test_an_analyst_has_no_scorecard(known, client):
    client.force_login(known["users"]["analyst"])
    assert client.get("/accountability/scorecard/").status_code == 403


def test_the_csv_per_year(known, client):
    client.force_login(known["users"]["auditor"])
    response = client.get("/accountability/scorecard/export.csv?by=year")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("\ufeffyear,secondments,Priority relevance of the position (%),")
    cells = lines[-1].split(",")
    assert cells[:4] == ["2024", "1", "80.0", "Selection: the position's relevance to national priorities: present for 1 of 1 secondments"]
    assert cells[-3:] == ["54.63", "1", "90.0"]
    assert "MISSING" in lines[-1]


def test_the_csv_per_secondment_names_officers(known, client):
    client.force_login(known["users"]["policy"])
    body = b"".join(client.get("/accountability/scorecard/export.csv?by=secondment").streaming_content).decode()
    assert '"Aalto, Aino"' in body and '"Berg, Bo"' in body


def test_a_policy_officer_sets_a_new_version_of_the_weights(known, client):
    client.force_login(known["users"]["policy"])
    data = {**{p: str(v) for p, v in DEFAULT_WEIGHTS.items()}, "skills_used": "40", "reason": "Skills matter more"}
    assert client.post("/accountability/scorecard/model/", data).status_code == 302
    row = ScorecardModel.objects.get()
    assert (row.version, row.weights["skills_used"], row.set_by) == (1, 40.0, known["users"]["policy"])
    entry = AuditEntry.objects.get(object_type="accountability.scorecardmodel")
    assert entry.detail["changes"]["weights"]["new"]["skills_used"] == 40.0
    page = client.get(f"/accountability/scorecard/secondments/{known['sa'].pk}/").content.decode()
    assert "model version 1" in page


def test_saving_the_weights_unchanged_writes_nothing(known, client):
    client.force_login(known["users"]["admin"])
    data = {**{p: str(v) for p, v in DEFAULT_WEIGHTS.items()}, "reason": "Same"}
    assert client.post("/accountability/scorecard/model/", data).status_code == 302
    assert ScorecardModel.objects.count() == 0


def test_bad_weights_are_refused(known, client):
    client.force_login(known["users"]["policy"])
    data = {**{p: "0" for p in PARTS}, "reason": "None"}
    response = client.post("/accountability/scorecard/model/", data)
    assert response.status_code == 400 and "At least one weight must be above 0." in response.content.decode()
    data = {**{p: "10" for p in PARTS}, "relevance": "-5", "reason": "Negative"}
    assert client.post("/accountability/scorecard/model/", data).status_code == 400
    assert ScorecardModel.objects.count() == 0


def test_a_coordinator_reads_the_model_but_does_not_set_it(known, client):
    client.force_login(known["users"]["coordinator_a"])
    assert client.get("/accountability/scorecard/model/").status_code == 200
    data = {**{p: "10" for p in PARTS}, "reason": "Mine"}
    assert client.post("/accountability/scorecard/model/", data).status_code == 403


def test_the_index_reads_a_fixed_number_of_queries(known, client, django_assert_num_queries):
    client.force_login(known["users"]["policy"])
    client.get("/accountability/scorecard/")
    with django_assert_num_queries(21):
        client.get("/accountability/scorecard/")


def test_the_mission_page_reads_a_fixed_number_of_queries(known, client, django_assert_num_queries):
    client.force_login(known["users"]["policy"])
    url = f"/accountability/scorecard/missions/{known['mission'].pk}/"
    client.get(url)
    with django_assert_num_queries(27):
        client.get(url)
