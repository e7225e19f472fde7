"""The model tree editor: tree → YAML round trip, bad input next to the field, preview, versions and diff."""

import pytest
from django.core.exceptions import ValidationError

from dividend.audit.models import AuditEntry
from dividend.priorities import editor, services
from dividend.priorities.models import PriorityModelVersion

from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db


def parsed(text=SMALL_MODEL):
    return services.validate_model_text(text)


def changed_lines(before, after):
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]


def test_tree_rows_are_dimensions_categories_indicators_in_order():
    rows = editor.tree_rows(parsed())
    assert [(r.id, r.depth, r.indicator, r.weight) for r in rows] == [
        ("relevance", 0, False, None), ("markets", 1, False, 2.0), ("thb", 2, True, 1.0),
        ("cocaine", 2, True, 2.0), ("heroin", 2, True, 1.0), ("fragility", 1, False, 1.0),
        ("security", 2, True, 1.0), ("refugees", 2, True, 1.0), ("law", 2, True, 1.0)]
    assert rows[-1].direction == "higher_is_less_relevant"
    assert rows[2].transform == editor.NO_TRANSFORM


def test_editing_a_weight_changes_only_that_weight():
    text = editor.apply_edits(SMALL_MODEL, parsed(), {"cocaine": {"weight": 3.5}})
    assert changed_lines(SMALL_MODEL, text) == [(
        "        - {id: cocaine, label: Cocaine trade, dataset: goci, column: Cocaine trade, weight: 2}",
        "        - {id: cocaine, label: Cocaine trade, dataset: goci, column: Cocaine trade, weight: 3.5}")]
    assert editor.changed_values(parsed(), parsed(text)) == [
        {"id": "cocaine", "label": "Cocaine trade", "key": "weight", "before": 2.0, "after": 3.5}]


def test_adding_keys_to_flow_and_block_mappings():
    text = editor.apply_edits(SMALL_MODEL, parsed(), {
        "thb": {"weight": 4, "direction": "higher_is_less_relevant", "transform": "sqrt"},
        "fragility": {"weight": 0.5}})
    assert "- {id: thb, label: Human trafficking, dataset: goci, column: Human trafficking, " \
           "weight: 4, direction: higher_is_less_relevant, transform: sqrt}" in text
    assert "    - id: fragility\n      weight: 0.5\n      label: Fragility\n" in text
    values = [(v["id"], v["key"], v["after"]) for v in editor.changed_values(parsed(), parsed(text))]
    assert values == [("thb", "weight", 4.0), ("thb", "direction", "higher_is_less_relevant"),
                      ("thb", "transform", "sqrt"), ("fragility", "weight", 0.5)]


def test_unchanged_values_give_the_same_text():
    model = parsed()
    edits = {r.id: {"weight": r.weight, "direction": r.direction, "transform": r.transform}
             for r in editor.tree_rows(model)}
    assert editor.apply_edits(SMALL_MODEL, model, edits) == SMALL_MODEL


def test_saving_unchanged_creates_no_version(small_model, policy):
    rows = editor.tree_rows(parsed())
    edits = {r.id: {"weight": r.weight, "direction": r.direction, "transform": r.transform} for r in rows}
    version = editor.save_tree_edits(actor=policy, model=small_model, edits=edits)
    assert version.number == 1
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_saving_a_weight_makes_a_version_with_its_diff(small_model, policy):
    version = editor.save_tree_edits(actor=policy, model=small_model, edits={"markets": {"weight": 5}},
                                     comment="More weight on markets")
    assert (version.number, version.comment) == (2, "More weight on markets")
    previous, values, lines = editor.version_changes(version)
    assert previous.number == 1
    assert values == [{"id": "markets", "label": "Criminal markets", "key": "weight", "before": 2.0, "after": 5.0}]
    assert [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-      weight: 2", "+      weight: 5"]
    entry = AuditEntry.objects.filter(action="update").latest("id")
    assert (entry.object_type, entry.actor_label) == ("priorities.prioritymodel", policy.username)
    assert entry.detail["changes"] == {"version": {"old": 1, "new": 2}}


def test_a_node_the_model_does_not_have_saves_nothing(small_model, policy):
    with pytest.raises(ValidationError):
        editor.save_tree_edits(actor=policy, model=small_model, edits={"nowhere": {"weight": 1}})
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_preview_lists_rank_changes_and_stores_nothing(small_model, policy):
    from dividend.priorities.models import PriorityRun

    text, rows = editor.preview_tree_edits(actor=policy, model=small_model,
                                           edits={"markets": {"weight": 0}, "fragility": {"weight": 5}})
    assert "weight: 0" in text
    assert len(rows) == 12
    assert [r.after for r in rows] == list(range(1, 13))
    assert any(r.shift for r in rows)
    assert PriorityRun.objects.count() == 0
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


# --- the page ------------------------------------------------------------------------------------

def post_data(**changes):
    rows = editor.tree_rows(parsed())
    data = {}
    for r in rows:
        if r.weight is not None:
            data[f"weight__{r.id}"] = str(r.weight)
        if r.indicator:
            data[f"direction__{r.id}"] = r.direction
            data[f"transform__{r.id}"] = r.transform
    data.update(changes)
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("weight__cocaine", "-1", "Ensure this value is greater than or equal to 0."),
    ("weight__markets", "heavy", "Enter a number."),
    ("weight__markets", "inf", "Enter a number."),
    ("direction__law", "sideways", "Select a valid choice. sideways is not one of the available choices."),
    ("transform__thb", "cube", "Select a valid choice. cube is not one of the available choices."),
])
def test_bad_input_is_shown_next_to_the_field_and_saves_nothing(client, small_model, policy, field, value, message):
    client.force_login(policy)
    response = client.post("/priorities/models/small/tree/", post_data(**{field: value}, save="1"))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<div class="error" id="error-{field}">{message}</div>' in html
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_page_previews_then_saves_and_shows_the_diff(client, small_model, policy):
    client.force_login(policy)
    assert client.get("/priorities/models/small/tree/").status_code == 200
    response = client.post("/priorities/models/small/tree/", post_data(weight__markets="0", preview="1"))
    assert response.status_code == 200
    assert 'id="preview"' in response.content.decode()
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1
    response = client.post("/priorities/models/small/tree/", post_data(weight__markets="0", save="1"))
    assert response.status_code == 302
    assert response["Location"] == "/priorities/models/small/versions/2/changes/"
    html = client.get(response["Location"]).content.decode()
    assert "<td>Criminal markets <small class=\"muted\">markets</small></td><td>Weight</td><td>2</td><td>0</td>" \
        in html
    # The same values again: no new version.
    response = client.post("/priorities/models/small/tree/", post_data(weight__markets="0", save="1"))
    assert (response.status_code, response["Location"]) == (302, "/priorities/models/small/tree/")
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 2


@pytest.mark.parametrize("name", ["internal_security_default", "inform_style", "goci_2023"])
def test_shipped_models_round_trip(name):
    from dividend.priorities.engine import MODEL_DIR

    text = (MODEL_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    model = parsed(text)
    rows = editor.tree_rows(model)
    same = {r.id: {"weight": r.weight, "direction": r.direction, "transform": r.transform} for r in rows}
    assert editor.apply_edits(text, model, same) == text
    first_indicator = next(r for r in rows if r.indicator)
    edited = editor.apply_edits(text, model, {first_indicator.id: {"weight": first_indicator.weight + 1.5}})
    assert len(changed_lines(text, edited)) == 1
    assert editor.changed_values(model, parsed(edited)) == [
        {"id": first_indicator.id, "label": first_indicator.label, "key": "weight",
         "before": first_indicator.weight, "after": first_indicator.weight + 1.5}]
