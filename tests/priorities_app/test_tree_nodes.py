"""The model tree editor adds and removes nodes (issue 9, §3): each change is one new, validated version
whose text differs by the node's lines only; a node that another node or a theme uses is not removed,
and the refusal says why; nothing is saved on a problem."""

import pytest
from django.core.exceptions import ValidationError

from dividend.priorities import editor, services
from dividend.priorities.engine import ModelFileError

from ..factories import complete_sign_in
from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db

ARMS = editor.NewNode(parent="markets", id="arms", label="Arms trafficking", dataset="goci",
                      column="Arms trafficking")


def parsed(text=SMALL_MODEL):
    return services.validate_model_text(text)


def added_lines(before, after):
    old = before.splitlines()
    return [line for line in after.splitlines() if line not in old]


def test_an_indicator_is_added_as_the_last_child_of_its_parent():
    text = editor.add_node_text(SMALL_MODEL, parsed(), ARMS)
    assert added_lines(SMALL_MODEL, text) == [
        '        - {id: arms, label: "Arms trafficking", dataset: "goci", column: "Arms trafficking", '
        "direction: higher_is_more_relevant, weight: 1}"]
    assert [r.id for r in editor.tree_rows(parsed(text))][:6] == ["relevance", "markets", "thb", "cocaine", "heroin",
                                                                  "arms"]


def test_an_indicator_in_a_new_category_is_added_under_the_index():
    node = editor.NewNode(parent="relevance", id="arms", label="Arms", dataset="goci", column="Arms trafficking",
                          weight=0.5, category_id="weapons", category_label="Weapons")
    rows = editor.tree_rows(parsed(editor.add_node_text(SMALL_MODEL, parsed(), node)))
    assert [(r.id, r.depth, r.weight) for r in rows[-2:]] == [("weapons", 1, 0.5), ("arms", 2, 1.0)]


@pytest.mark.parametrize(("node", "message"), [
    (editor.NewNode(parent="markets", id="cocaine", label="x", dataset="goci", column="Arms trafficking"),
     "The model has a node cocaine already: choose another id."),
    (editor.NewNode(parent="thb", id="arms", label="x", dataset="goci", column="Arms trafficking"),
     "Human trafficking is an indicator: add nodes to a dimension or category."),
    (editor.NewNode(parent="nowhere", id="arms", label="x", dataset="goci", column="Arms trafficking"),
     "The model has no node nowhere; reload the page."),
])
def test_a_new_node_the_tree_cannot_take_is_refused(node, message):
    with pytest.raises(ValidationError) as refused:
        editor.add_node_text(SMALL_MODEL, parsed(), node)
    assert refused.value.messages == [message]


def test_a_column_the_dataset_does_not_have_is_refused_by_the_engine_naming_the_node(small_model, policy):
    node = editor.NewNode(parent="markets", id="arms", label="Arms", dataset="goci", column="No such column")
    with pytest.raises(ModelFileError) as refused:
        editor.add_tree_node(actor=policy, model=small_model, node=node)
    assert [p.path for p in refused.value.errors] == ["index/markets/arms"]
    assert small_model.versions.count() == 1


def test_removing_an_indicator_takes_out_its_line_only():
    text = editor.remove_node_text(SMALL_MODEL, parsed(), "security")
    lines = SMALL_MODEL.splitlines()
    start = next(i for i, line in enumerate(lines) if "{id: security," in line)
    assert text.splitlines() == lines[:start] + lines[start + 2:]  # the node's two lines
    assert "security" not in [r.id for r in editor.tree_rows(parsed(text))]


def test_removing_a_dimension_takes_out_what_is_below_it():
    text = editor.remove_node_text(SMALL_MODEL, parsed(), "fragility")
    assert [r.id for r in editor.tree_rows(parsed(text))] == ["relevance", "markets", "thb", "cocaine", "heroin"]


@pytest.mark.parametrize(("node_id", "message"), [
    ("cocaine", "Cocaine trade cannot be removed: it is used by the theme “Drugs”. Change or remove that first."),
    ("markets", "Criminal markets cannot be removed: it is used by the theme “Trafficking in human beings”, "
                "the theme “Drugs”. Change or remove that first."),
    ("relevance", "The index itself cannot be removed."),
])
def test_a_node_in_use_is_not_removed_and_the_refusal_says_why(node_id, message):
    with pytest.raises(ValidationError) as refused:
        editor.remove_node_text(SMALL_MODEL, parsed(), node_id)
    assert refused.value.messages == [message]


def test_a_node_another_node_refers_to_is_not_removed():
    text = SMALL_MODEL.replace("{id: heroin, label: Heroin trade, dataset: goci, column: Heroin trade}",
                               "{id: law_again, ref: law}").replace("drugs: [cocaine, heroin]", "drugs: [cocaine]")
    with pytest.raises(ValidationError) as refused:
        editor.remove_node_text(text, parsed(text), "law")
    assert refused.value.messages == [
        "Law enforcement cannot be removed: it is used by law_again. Change or remove that first."]


def test_the_only_child_of_a_category_is_not_removed():
    text = editor.remove_node_text(SMALL_MODEL, parsed(), "security")
    text = editor.remove_node_text(text, parsed(text), "refugees")
    with pytest.raises(ValidationError) as refused:
        editor.remove_node_text(text, parsed(text), "law")
    assert refused.value.messages == [
        "Law enforcement is the only node of Fragility: remove Fragility instead, or add another node to it first."]


def test_adding_and_removing_save_new_versions_with_their_diff(small_model, policy):
    added = editor.add_tree_node(actor=policy, model=small_model, node=ARMS)
    removed = editor.remove_tree_node(actor=policy, model=small_model, node_id="arms")
    assert (added.number, removed.number, removed.comment) == (2, 3, "Removed arms in the tree")
    assert removed.text == SMALL_MODEL
    assert editor.version_changes(added)[1] == [
        {"id": "arms", "label": "Arms trafficking", "key": "node", "before": None, "after": "present"}]


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_the_page_adds_a_node_and_shows_the_new_versions_diff(client, small_model, policy):
    response = signed_in(client, policy).post(f"/priorities/models/{small_model.name}/tree/", {
        "add": "1", "add-parent": "markets", "add-node_id": "arms", "add-label": "Arms trafficking",
        "add-dataset": "goci", "add-column": "Arms trafficking", "add-weight": "1",
        "add-direction": "higher_is_more_relevant", "add-category_id": "", "add-category_label": ""})
    assert (response.status_code, response["Location"]) == (302, f"/priorities/models/{small_model.name}/versions/2/changes/")
    small_model.refresh_from_db()
    assert "arms" in [r.id for r in editor.tree_rows(parsed(small_model.current_version.text))]


def test_the_page_refuses_a_removal_in_use_with_its_reason_and_saves_nothing(client, small_model, policy):
    response = signed_in(client, policy).post(f"/priorities/models/{small_model.name}/tree/", {"remove": "cocaine"},
                                              HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Cocaine trade kann nicht entfernt werden: es wird verwendet von dem Thema „Drogen“." in \
        response.content.decode()
    assert small_model.versions.count() == 1
