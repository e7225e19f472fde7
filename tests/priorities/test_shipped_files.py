"""Shipped model files are valid against the published JSON Schema and the engine; the schema rejects junk."""

import json

import jsonschema
import pytest
import yaml

from dividend.priorities.engine import SCHEMA_PATH, shipped_model, shipped_model_names


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_models_listed():
    assert set(shipped_model_names()) >= {"goci_2021", "goci_2023", "inform_style", "internal_security_default"}


@pytest.mark.parametrize("name", ["goci_2021", "goci_2023", "inform_style", "internal_security_default"])
def test_shipped_model_valid(validator, name):
    from dividend.priorities.engine import MODEL_DIR
    data = yaml.safe_load((MODEL_DIR / f"{name}.yaml").read_text())
    assert list(validator.iter_errors(data)) == []
    shipped_model(name)  # and the engine's own, stricter checks


@pytest.mark.parametrize("patch", [
    {"format_version": 2},
    {"index": {"id": "r", "children": [{"id": "x", "dataset": "goci", "column": "c", "weight": -1}]}},
    # Any identifier may name an aggregation of the aggregations section (the engine checks that it does).
    {"index": {"id": "r", "aggregation": "geometric mean", "children": [{"id": "x", "dataset": "goci", "column": "c"}]}},
    {"index": {"id": "r", "children": [{"id": "x", "ref": "y", "dataset": "goci"}]}},
    {"aggregations": {"m": {"each": "x"}}},
    {"themes": {"weights": {"piracy": 1}}},
])
def test_schema_rejects_bad_files(validator, patch):
    data = {"format_version": 1, "id": "m", "name": "m", "version": "1",
            "index": {"id": "r", "children": [{"id": "x", "dataset": "goci", "column": "c"}]}}
    data.update(patch)
    assert list(validator.iter_errors(data))


def test_example_in_the_documentation_runs():
    import re
    from pathlib import Path

    from dividend.priorities.engine import compute, load_model, theme_scores

    doc = (Path(__file__).resolve().parents[2] / "docs" / "priorities.md").read_text()
    section = doc[doc.index("### 2.10"):]
    text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    result = compute(load_model(text))
    assert "NLD" not in result.countries and len(result.ranking()) == 192
    assert len(theme_scores(result).themes) == 2
