"""Bad formulas, references and ratios through the model page and the API: 400 with path and line, nothing
saved, never a server error."""

import json

import pytest

from dividend.priorities.models import PriorityModelVersion

from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db

MARKETS = "      weight: 2\n      children:\n"
FRAGILITY = "      label: Fragility\n      children:\n"
SECURITY = "normalisation: {method: goalposts, min: 0, max: 10}}\n        - {id: refugees"

CASES = [
    # (replace, with, path, the text of the line the problem is on, message)
    (MARKETS, MARKETS.replace("children", 'missing_when: "thb > 5"\n      children'), "index/markets",
     'missing_when: "thb > 5"', "missing_when error: comparison '>' with a value that may be missing (thb); "
                                "test it first, e.g. not is_missing(thb) and ... at position 5"),
    (FRAGILITY, FRAGILITY.replace("children", 'formula: "if(is_missing(law), security)"\n      children'),
     "index/fragility", "formula: \"if(", "formula error: if() needs a condition, a value and an else value: "
                                           "if(condition, then, else); got 2 argument(s) at position 1"),
    (MARKETS, MARKETS + "        - {id: loop, ref: relevance}\n", "index/markets/loop", "ref: relevance",
     "reference cycle: relevance → markets → loop → relevance (a value cannot depend on itself)"),
    (MARKETS, MARKETS + "        - {id: elsewhere, ref: nowhere}\n", "index/markets/elsewhere", "ref: nowhere",
     "ref 'nowhere': unknown node or indicator id"),
    (SECURITY, SECURITY.replace("max: 10}}", "max: 10},\n               per: {dataset: fsi, column: Population}}"),
     "index/fragility/security", "per: {dataset: fsi", "unknown column 'Population' in dataset 'fsi'"),
]


def bad_text(old, new):
    assert SMALL_MODEL.count(old) == 1
    return SMALL_MODEL.replace(old, new)


def line_of(text, fragment):
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize("old, new, path, fragment, message", CASES)
def test_api_refuses_with_path_and_line(client, small_model, policy, old, new, path, fragment, message):
    client.force_login(policy)
    text = bad_text(old, new)
    response = client.post("/api/priorities/models/small/versions", json.dumps({"text": text}),
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"] == [{"path": path, "line": line_of(text, fragment), "message": message}]
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


@pytest.mark.parametrize("old, new, path, fragment, message", CASES)
def test_model_page_refuses_with_path_and_line(client, small_model, policy, old, new, path, fragment, message):
    client.force_login(policy)
    text = bad_text(old, new)
    response = client.post(f"/priorities/models/{small_model.name}/", {"text": text, "comment": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "1 problem, nothing was saved" in html
    assert f"<td>{line_of(text, fragment)}</td><td><code>{path}</code></td>" in html
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_a_model_using_the_new_language_is_saved_and_computed(client, small_model, policy):
    client.force_login(policy)
    text = SMALL_MODEL.replace('version: "1"', 'version: "2"').replace(
        MARKETS, MARKETS.replace("children", 'aggregation: reverse_mean\n      children')
    ).replace("themes:", "aggregations:\n  reverse_mean: {each: \"10 - x\", combine: weighted_mean, "
                         "result: \"10 - x\"}\nthemes:").replace(
        FRAGILITY, FRAGILITY + "        - {id: markets_again, ref: markets, weight: 0.5}\n")
    response = client.post("/api/priorities/models/small/versions", json.dumps({"text": text}),
                           content_type="application/json")
    assert response.status_code in (200, 201), response.content
    response = client.post("/api/priorities/runs", json.dumps({"model": "small", "draws": 50, "seed": 1}),
                           content_type="application/json")
    assert response.status_code in (200, 201, 202), response.content
