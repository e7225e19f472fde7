"""The priorities API: models and versions, runs and results, datasets; 400 (never 500) on bad input."""

import json

import pytest

from dividend.priorities import services
from dividend.priorities.models import PriorityModelVersion, PriorityRun, UserDataset

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_models_and_versions(client, small_model, analyst):
    client.force_login(analyst)
    models = client.get("/api/priorities/models").json()
    assert {m["name"] for m in models} >= {"small", "internal_security_default"}
    small = next(m for m in models if m["name"] == "small")
    assert (small["current_version"], small["versions"], small["home_country"]) == (1, 1, "BEL")
    detail = client.get("/api/priorities/models/small").json()
    assert detail["theme_weights"]["trafficking_in_human_beings"] == 2
    assert [v["number"] for v in detail["version_list"]] == [1]
    assert client.get("/api/priorities/models/small/versions/1").json()["text"] == small_model.current_version.text
    assert client.get("/api/priorities/models/nope").status_code == 404


def test_create_version(client, small_model, policy, small_text):
    client.force_login(policy)
    response = post(client, "/api/priorities/models/small/versions",
                    {"text": small_text.replace("id: small", "id: small2"), "comment": "renamed"})
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["author"]) == (2, policy.username)


@pytest.mark.parametrize("old,new,path,line,message", [
    ("weight: 2\n", "weight: -2\n", "index/markets", 14, "weight must be >= 0"),
    ("dataset: fsi, column: C1", "dataset: fsx, column: C1", "index/fragility/security", 22, "unknown dataset 'fsx'"),
    ("column: Cocaine trade", "column: Cocain", "index/markets/cocaine", 17, "unknown column 'Cocain' in dataset 'goci'"),
    ("index:\n", "index: [\n", "", 10, "invalid YAML"),
])
def test_invalid_version_is_400_with_path_and_line(client, small_model, policy, small_text, old, new, path, line,
                                                    message):
    client.force_login(policy)
    response = post(client, "/api/priorities/models/small/versions", {"text": small_text.replace(old, new, 1)})
    assert response.status_code == 400
    body = response.json()
    assert "nothing was saved" in body["detail"]
    assert list(body["errors"]) == ["text"]
    assert any(e["path"] == path and e["line"] == line and message in e["message"] for e in body["problems"]), body
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_log_of_non_positive_values_is_400_on_run(client, small_model, policy, small_text):
    client.force_login(policy)
    response = post(client, "/api/priorities/datasets", {"name": "cases", "rows": [
        {"iso3": "COL", "year": 2023, "value": 0}, {"iso3": "MEX", "year": 2023, "value": 5}]})
    assert response.status_code == 201
    text = small_text.replace(
        "        - {id: thb,",
        "        - {id: cases, dataset: cases, column: value, transform: log10, normalisation: min_max}\n"
        "        - {id: thb,")
    assert post(client, "/api/priorities/models/small/versions", {"text": text}).status_code == 201
    response = post(client, "/api/priorities/runs", {"model": "small"})
    assert response.status_code == 400
    (error,) = response.json()["problems"]
    assert error["path"] == "index/markets/cases" and error["line"] == 16
    assert "transform log10 needs values > 0; not so for COL" in error["message"]
    assert PriorityRun.objects.count() == 0


def test_runs_and_results(client, small_model, policy, analyst):
    client.force_login(policy)
    response = post(client, "/api/priorities/runs", {"model": "small", "draws": 200, "seed": 5, "label": "api"})
    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["model"], run["version"], run["home_country"], run["draws"], run["seed"]) == ("small", 1, "BEL", 200, 5)
    client.force_login(analyst)
    page = client.get("/api/priorities/runs").json()
    assert page["count"] == 1 and page["items"][0]["id"] == run["id"]
    assert client.get(f"/api/priorities/runs/{run['id']}").json()["label"] == "api"
    ranking = client.get(f"/api/priorities/runs/{run['id']}/ranking").json()
    assert [r["rank"] for r in ranking] == list(range(1, 13))
    assert set(ranking[0]["dimension_scores"]) == {"markets", "fragility"}
    by_score = client.get(f"/api/priorities/runs/{run['id']}/ranking?sort=score").json()
    assert by_score[0]["iso3"] == ranking[-1]["iso3"]
    country = client.get(f"/api/priorities/runs/{run['id']}/countries/{ranking[0]['iso3']}").json()
    assert country["rank"] == 1 and country["nodes"][0]["id"] == "relevance"
    thb = next(n for n in country["nodes"] if n["id"] == "thb")
    assert thb["year"] == 2023 and thb["source"] == "goci / Human trafficking" and thb["raw_value"] >= 1
    robust = client.get(f"/api/priorities/runs/{run['id']}/robustness").json()
    assert len(robust) == 12 and robust[0]["p05_rank"] <= robust[0]["median_rank"] <= robust[0]["p95_rank"]
    assert client.get(f"/api/priorities/runs/{run['id']}/countries/ZZZ").status_code == 404


@pytest.mark.parametrize("payload,field", [
    ({"model": "small", "draws": -1}, "draws"),
    ({"model": "small", "draws": "many"}, "draws"),
    ({"model": "small", "draws": 10001}, "draws"),
    ({"model": "small", "home_country": "XXX"}, "home_country"),
    ({"model": "small", "home_country": 12}, "home_country"),
    ({"model": "nope"}, "model"),
    ({}, "model"),
    ({"model": "small", "version": 9}, "version"),
    ({"model": "small", "year": "2023a"}, "year"),
    ({"model": "small", "method": "magic"}, "method"),
    ({"model": ["small"]}, "model"),
])
def test_bad_run_input_is_400(client, small_model, policy, payload, field):
    client.force_login(policy)
    response = post(client, "/api/priorities/runs", payload)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert PriorityRun.objects.count() == 0


def test_permissions(client, small_model, small_text, analyst, secondee):
    client.force_login(analyst)
    assert client.get("/api/priorities/models").status_code == 200
    assert post(client, "/api/priorities/models/small/versions", {"text": small_text}).status_code == 403
    assert post(client, "/api/priorities/runs", {"model": "small"}).status_code == 403
    assert post(client, "/api/priorities/datasets", {"name": "x", "rows": []}).status_code == 403
    client.force_login(secondee)
    for url in ["/api/priorities/models", "/api/priorities/runs", "/api/priorities/datasets",
                "/api/priorities/models/small"]:
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get("/api/priorities/models").status_code == 401


def test_dataset_upload_json_and_file(client, policy):
    client.force_login(policy)
    response = post(client, "/api/priorities/datasets", {"name": "bad", "rows": [
        {"iso3": "COL", "year": 2020, "value": 1}, {"iso3": "XXQ", "year": 2020, "value": 1},
        {"iso3": "MEX", "year": "20x", "value": "1,5"}]})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rows"]
    problems = response.json()["problems"]
    assert [(e["line"], e["message"]) for e in problems] == [
        (2, "unknown country code 'XXQ'"), (3, "year '20x' is not a whole number"),
        (3, "value '1,5' is not a number (use a dot as decimal separator)")]
    assert not UserDataset.objects.exists()
    upload = client.post("/api/priorities/datasets/upload", {
        "name": "cases", "description": "cases", "file": _file("iso3;year;value\nCOL;2020;3.5\nMEX;2021;4\n")})
    assert upload.status_code == 201, upload.content
    assert upload.json()["row_count"] == 2
    assert UserDataset.objects.get(name="cases").rows == [["COL", 2020, 3.5], ["MEX", 2021, 4.0]]
    assert post(client, "/api/priorities/datasets", {"name": "goci", "rows": [
        {"iso3": "COL", "year": 2020, "value": 1}]}).status_code == 400
    assert post(client, "/api/priorities/datasets", {"name": "1x", "rows": []}).status_code == 400


def _file(text, name="cases.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_theme_weights_service_for_other_features(small_model, policy):
    services.update_theme_weights(actor=policy, model=small_model, weights={"drugs": 2, "trafficking_in_human_beings": 0})
    small_model.refresh_from_db()
    assert services.current_theme_weights(small_model)["drugs"] == 2
