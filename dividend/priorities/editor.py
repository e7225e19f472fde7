"""The model tree editor: a model file's nodes as editable rows, edits written back into the YAML text.

The YAML stays the exchange format. An edit replaces (or adds) one key of one node's mapping in the
text, found through the YAML parser's positions, so comments, layout and every other value stay as
written: changing one weight changes one number in the file. Validation is the engine's, as for text
saved in the YAML editor (services.save_version).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dividend.reference import names
from dividend.reference.names import country_name_of
from dividend.reference.taxonomy import THEME_NAMES

from . import services
from .engine import DIRECTIONS, IndexModel, ModelFileError
from .engine.model import Transform
from .models import PriorityModel, PriorityModelVersion

SIMPLE_TRANSFORMS = ("log10", "log10_plus_1", "sqrt")
NO_TRANSFORM = "none"
AS_WRITTEN = "as_written"  # a transform the tree cannot express (clip, winsorise, chains): kept as written


@dataclass(frozen=True)
class TreeRow:
    """One node of the tree as the editor shows it (pre-order, with its depth)."""

    id: str
    label: str
    depth: int
    indicator: bool
    weight: float | None  # None: the root, which has no weight
    direction: str | None
    transform: str | None  # NO_TRANSFORM, a SIMPLE_TRANSFORMS name or AS_WRITTEN
    transform_text: str = ""
    reference: bool = False  # uses another node's value (ref): no children of its own


def describe_transforms(transforms: tuple[Transform, ...]) -> str:
    parts = []
    for t in transforms:
        if t.kind == "clip":
            parts.append(f"clip {t.lower if t.lower is not None else ''}…{t.upper if t.upper is not None else ''}")
        elif t.kind == "winsorise":
            parts.append(f"winsorise {t.lower:g}–{t.upper:g}")
        else:
            parts.append(t.kind)
    return ", then ".join(parts)


def transform_choice(transforms: tuple[Transform, ...]) -> str:
    if not transforms:
        return NO_TRANSFORM
    if len(transforms) == 1 and transforms[0].kind in SIMPLE_TRANSFORMS:
        return transforms[0].kind
    return AS_WRITTEN


def tree_rows(model: IndexModel) -> list[TreeRow]:
    """Dimensions → categories → indicators, pre-order, with the values the editor can change."""
    rows = []

    def walk(node, depth):
        if node.is_indicator:
            rows.append(TreeRow(node.id, node.label, depth, True, node.weight, node.direction,
                                transform_choice(node.transforms), describe_transforms(node.transforms)))
            return
        rows.append(TreeRow(node.id, node.label, depth, False, None if depth == 0 else node.weight, None, None,
                            reference=node.is_reference))
        for child in node.children:
            walk(child, depth + 1)

    walk(model.root, 0)
    return rows


def node_values(model: IndexModel) -> dict[str, dict]:
    """node id → {label, weight, direction, transform}: what a version diff compares."""
    return {r.id: {"label": r.label, "weight": r.weight, "direction": r.direction,
                   "transform": r.transform_text if r.indicator else None} for r in tree_rows(model)}


def changed_values(before: IndexModel, after: IndexModel) -> list[dict]:
    """Per node and key, the values that differ between two models (added/removed nodes included)."""
    a, b = node_values(before), node_values(after)
    out = []
    for node_id in [*a, *(k for k in b if k not in a)]:
        old, new = a.get(node_id), b.get(node_id)
        if old is None or new is None:
            out.append({"id": node_id, "label": (new or old)["label"], "key": "node",
                        "before": None if old is None else "present", "after": None if new is None else "present"})
            continue
        for key in ("weight", "direction", "transform"):
            if old[key] != new[key]:
                out.append({"id": node_id, "label": new["label"], "key": key, "before": old[key], "after": new[key]})
    return out


def text_diff(before: str, after: str, *, names=("before", "after")) -> list[str]:
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), *names, lineterm="", n=2))


# ----------------------------------------------------------------------------------------------------
# Writing edits back into the text
# ----------------------------------------------------------------------------------------------------

def fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _mapping_nodes(text: str) -> dict[str, yaml.MappingNode]:
    """node id → its mapping in the composed YAML (the index and every child below it)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: dict[str, yaml.MappingNode] = {}

    def value_of(mapping, key):
        for k, v in mapping.value:
            if getattr(k, "value", None) == key:
                return v
        return None

    def walk(node):
        if not isinstance(node, yaml.MappingNode):
            return
        node_id = value_of(node, "id")
        if isinstance(node_id, yaml.ScalarNode):
            found.setdefault(node_id.value, node)
        children = value_of(node, "children")
        if isinstance(children, yaml.SequenceNode):
            for child in children.value:
                walk(child)

    index = value_of(root, "index") if isinstance(root, yaml.MappingNode) else None
    walk(index)
    return found


def _edit(text: str, mapping: yaml.MappingNode, key: str, value: str) -> tuple[int, int, str]:
    """(start, end, replacement) that sets ``key: value`` in ``mapping``."""
    for k, v in mapping.value:
        if getattr(k, "value", None) == key:
            start, end = k.end_mark.index, v.end_mark.index
            # A block value ends where the next key starts: keep the white space and comments before it.
            end = start + len(text[start:end].rstrip())
            return start, end, f": {value}"
    if mapping.flow_style:
        close = text.rindex("}", mapping.start_mark.index, mapping.end_mark.index)
        return close, close, f", {key}: {value}"
    first_key = mapping.value[0][0]
    line_end = text.find("\n", first_key.end_mark.index)
    line_end = len(text) if line_end < 0 else line_end
    return line_end, line_end, "\n" + " " * first_key.start_mark.column + f"{key}: {value}"


def apply_edits(text: str, model: IndexModel, edits: dict[str, dict]) -> str:
    """The text with ``edits`` (node id → {weight, direction, transform}) written in.

    Only values that differ from ``model`` (the parsed ``text``) are written, so an unchanged form gives
    the same text back. ``transform`` AS_WRITTEN keeps the file's transform. Raises KeyError for an
    unknown node id.
    """
    current = {r.id: r for r in tree_rows(model)}
    mappings = _mapping_nodes(text)
    changes = []
    for node_id, values in edits.items():
        row, mapping = current[node_id], mappings[node_id]
        weight = values.get("weight")
        if weight is not None and row.weight is not None and float(weight) != row.weight:
            changes.append(_edit(text, mapping, "weight", fmt_number(weight)))
        direction = values.get("direction")
        if row.indicator and direction and direction != row.direction:
            if direction not in DIRECTIONS:
                raise ValueError(f"{node_id}: unknown direction {direction!r}")
            changes.append(_edit(text, mapping, "direction", direction))
        transform = values.get("transform")
        if row.indicator and transform and transform not in (AS_WRITTEN, row.transform):
            written = "[]" if transform == NO_TRANSFORM else transform
            changes.append(_edit(text, mapping, "transform", written))
    # From the end backwards, so earlier positions stay valid; inserts at one place keep their order.
    ordered = sorted(enumerate(changes), key=lambda ic: (ic[1][0], ic[0]), reverse=True)
    for start, end, replacement in (change for _index, change in ordered):
        text = text[:start] + replacement + text[end:]
    return text


# ----------------------------------------------------------------------------------------------------
# Adding and removing nodes
# ----------------------------------------------------------------------------------------------------

NODE_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}\Z")


@dataclass(frozen=True)
class NewNode:
    """An indicator to add under ``parent`` (a dimension or category), optionally in a new category
    (``category_id``, ``category_label``) made under ``parent`` for it."""

    parent: str
    id: str
    label: str
    dataset: str
    column: str
    weight: float = 1.0
    direction: str = "higher_is_more_relevant"
    category_id: str = ""
    category_label: str = ""


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _value_of(mapping: yaml.MappingNode, key: str):
    for k, v in mapping.value:
        if getattr(k, "value", None) == key:
            return v
    return None


def _children_of(mappings: dict[str, yaml.MappingNode], node_id: str) -> yaml.SequenceNode:
    children = _value_of(mappings[node_id], "children")
    if not isinstance(children, yaml.SequenceNode) or not children.value:
        raise ValidationError(_("%(node)s has no list of children to change.") % {"node": node_id})
    return children


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _parent_of(model: IndexModel, node_id: str):
    for node in model.walk():
        if not node.is_indicator and any(child.id == node_id for child in node.children):
            return node
    return None


def add_node_text(text: str, model: IndexModel, new: NewNode) -> str:
    """The text with ``new`` appended to its parent's children, as a one-line flow mapping in the
    sequence's own style. ValidationError for a parent that takes no children or an id in use."""
    ids = {n.id for n in model.walk()}
    for node_id in filter(None, (new.id, new.category_id)):
        if not NODE_ID.match(node_id):
            raise ValidationError(_("%(id)s is not a node id: lower-case letters, digits and _, starting with a "
                                    "letter.") % {"id": node_id})
        if node_id in ids:
            raise ValidationError(_("The model has a node %(id)s already: choose another id.") % {"id": node_id})
    if new.id == new.category_id:
        raise ValidationError(_("The category and the indicator need different ids."))
    try:
        parent = model.node(new.parent)
    except KeyError:
        raise ValidationError(_("The model has no node %(id)s; reload the page.") % {"id": new.parent}) from None
    if parent.is_indicator or parent.is_reference:
        raise ValidationError(_("%(node)s is an indicator: add nodes to a dimension or category.") % {
            "node": parent.label})
    indicator = (f"{{id: {new.id}, label: {_quoted(new.label)}, dataset: {_quoted(new.dataset)}, "
                 f"column: {_quoted(new.column)}, direction: {new.direction}")
    if new.category_id:
        item = (f"{{id: {new.category_id}, label: {_quoted(new.category_label or new.category_id)}, "
                f"weight: {fmt_number(new.weight)}, children: [{indicator}}}]}}")
    else:
        item = f"{indicator}, weight: {fmt_number(new.weight)}}}"
    children = _children_of(_mapping_nodes(text), new.parent)
    if children.flow_style:
        close = text.rindex("]", children.start_mark.index, children.end_mark.index)
        return text[:close] + ", " + item + text[close:]
    last = children.value[-1]
    start = _line_start(text, last.start_mark.index)
    prefix = text[start:last.start_mark.index]
    if prefix.strip() != "-":
        prefix = " " * max(last.start_mark.column - 2, 0) + "- "
    end = last.end_mark.index
    if end == 0 or text[end - 1] != "\n":
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    before = text[:end] if text[:end].endswith("\n") else text[:end] + "\n"
    return before + prefix + item + "\n" + text[end:]


def remove_node_text(text: str, model: IndexModel, node_id: str) -> str:
    """The text without node ``node_id`` (and what is below it). Refused (ValidationError, saying why)
    for the index itself, for a node that another node or a theme refers to, and for the only child of
    its parent."""
    try:
        node = model.node(node_id)
    except KeyError:
        raise ValidationError(_("The model has no node %(id)s; reload the page.") % {"id": node_id}) from None
    if node is model.root:
        raise ValidationError(_("The index itself cannot be removed."))
    below = {n.id for n in _subtree(node)}
    users = [n.label for n in model.walk() if n.is_reference and n.target in below and n.id not in below]
    users += [_("the theme “%(theme)s”") % {"theme": names.name(THEME_NAMES.get(theme, theme))}
              for theme, links in model.theme_links.items() if any(link.target in below for link in links)]
    if users:
        raise ValidationError(_("%(node)s cannot be removed: it is used by %(users)s. Change or remove that "
                                "first.") % {"node": node.label, "users": ", ".join(users)})
    parent = _parent_of(model, node_id)
    if parent is None or len(parent.children) == 1:
        raise ValidationError(_("%(node)s is the only node of %(parent)s: remove %(parent)s instead, or add "
                                "another node to it first.") % {"node": node.label,
                                                                "parent": parent.label if parent else ""})
    mappings = _mapping_nodes(text)  # one composition: its nodes are compared by identity below
    children = _children_of(mappings, parent.id)
    item = mappings[node_id]
    position = next(i for i, child in enumerate(children.value) if child is item)
    if children.flow_style:
        if position:
            start = text.rindex(",", children.value[position - 1].end_mark.index, item.start_mark.index)
            end = item.end_mark.index
        else:
            start = item.start_mark.index
            end = text.index(",", item.end_mark.index) + 1
            end += len(text[end:]) - len(text[end:].lstrip(" "))
        return text[:start] + text[end:]
    start = _line_start(text, item.start_mark.index)
    end = item.end_mark.index
    if end == 0 or text[end - 1] != "\n":
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    return text[:start] + text[end:]


def _subtree(node) -> list:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        if not n.is_indicator:
            stack.extend(n.children)
    return out


# ----------------------------------------------------------------------------------------------------
# Workflows
# ----------------------------------------------------------------------------------------------------

def edited_text(*, model: PriorityModel, edits: dict[str, dict]) -> str:
    """The current version's text with the tree's edits, validated by the engine like the YAML editor's
    text (ModelFileError names every node with a problem; ValidationError for an unknown node)."""
    text = model.current_version.text
    parsed = services.validate_model_text(text)
    try:
        new_text = apply_edits(text, parsed, edits)
    except KeyError as exc:
        raise ValidationError(_("The model has no node %(id)s; reload the page.") % {"id": repr(exc.args[0])}) from None
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    services.validate_model_text(new_text)
    return new_text


def save_tree_edits(*, actor, model: PriorityModel, edits: dict[str, dict], comment: str = ""
                    ) -> PriorityModelVersion:
    """Save the tree editor's values as a new version of the model file.

    Steps: 1. check the actor may edit; 2. write the edits into the current text and validate it
    (ModelFileError/ValidationError: nothing saved); 3. save it through services.save_version, which
    locks the model, numbers the version, makes it current and audits; an unchanged text returns the
    current version (no new version).
    """
    services._require_editor(actor)
    text = edited_text(model=model, edits=edits)
    return services.save_version(actor=actor, model=model, text=text, comment=comment or "Edited in the tree")


def add_tree_node(*, actor, model: PriorityModel, node: NewNode, comment: str = "") -> PriorityModelVersion:
    """Add an indicator (in a new category, if asked) to the model tree as a new version.

    Steps: 1. check the actor may edit; 2. write the node into the current text and validate it with
    the engine (ValidationError/ModelFileError naming the node: nothing saved); 3. save it through
    services.save_version (locks the model, numbers the version, makes it current, audits).
    """
    services._require_editor(actor)
    text = PriorityModel.objects.select_related("current_version").get(pk=model.pk).current_version.text
    new_text = add_node_text(text, services.validate_model_text(text), node)
    services.validate_model_text(new_text)
    return services.save_version(actor=actor, model=model, text=new_text,
                                 comment=comment or f"Added {node.category_id or node.id} in the tree")


def remove_tree_node(*, actor, model: PriorityModel, node_id: str, comment: str = "") -> PriorityModelVersion:
    """Remove a node (and what is below it) from the model tree as a new version.

    Steps: 1. check the actor may edit; 2. refuse a node others refer to (remove_node_text), take it
    out of the current text and validate the result with the engine (nothing saved on a problem);
    3. save it through services.save_version.
    """
    services._require_editor(actor)
    text = PriorityModel.objects.select_related("current_version").get(pk=model.pk).current_version.text
    new_text = remove_node_text(text, services.validate_model_text(text), node_id)
    services.validate_model_text(new_text)
    return services.save_version(actor=actor, model=model, text=new_text,
                                 comment=comment or f"Removed {node_id} in the tree")


@dataclass(frozen=True)
class RankChange:
    iso3: str
    name: str
    before: int | None
    after: int | None

    @property
    def shift(self) -> int | None:
        """Places moved up (positive) or down (negative)."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


def preview_tree_edits(*, actor, model: PriorityModel, edits: dict[str, dict]) -> tuple[str, list[RankChange]]:
    """Compute the edited model beside the current version, storing nothing.

    Steps: 1. check the actor may edit; 2. write and validate the edits (as save_tree_edits);
    3. compute both texts for the model's home country (no Monte Carlo); 4. return the new text and
    one row per country, by its new rank.
    """
    services._require_editor(actor)
    text = edited_text(model=model, edits=edits)
    before = services.compute_run(text=model.current_version.text, home_country=model.home_country)
    after = before if text == model.current_version.text else services.compute_run(
        text=text, home_country=model.home_country)
    old = {c.iso3: c.rank for c in before.countries}
    rows = [RankChange(c.iso3, country_name_of(c.iso3), old.get(c.iso3), c.rank) for c in after.countries]
    rows.sort(key=lambda r: (r.after is None, r.after or 0, r.iso3))
    return text, rows


def version_changes(version: PriorityModelVersion) -> tuple[PriorityModelVersion | None, list[dict], list[str]]:
    """The version before ``version``, the node values that changed and the text diff (unified)."""
    previous = (PriorityModelVersion.objects.filter(model_id=version.model_id, number__lt=version.number)
                .order_by("-number").first())
    if previous is None:
        return None, [], []
    try:
        values = changed_values(services.validate_model_text(previous.text), services.validate_model_text(version.text))
    except ModelFileError:
        values = []  # a dataset the old version used is gone: the text diff still tells
    return previous, values, text_diff(previous.text, version.text,
                                       names=(f"v{previous.number}", f"v{version.number}"))
