"""YAML read with line numbers, and generic checks that collect problems with their path and line."""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import ModelFileError, Problem, Text, gettext_noop

# ----------------------------------------------------------------------------------------------------
# YAML with line numbers
# ----------------------------------------------------------------------------------------------------

# Bounds on what a model file may make the reader do (docs/operations.md, "Limits"). The shipped models
# have at most 15,000 characters, 11 levels of nesting and 1,600 YAML nodes; anything far beyond is an
# accident or an attack ("billion laughs": a few aliases that expand to billions of nodes; thousands of
# nested brackets, which the recursive YAML composer turns into a RecursionError).
MAX_MODEL_CHARS = 200_000
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 50_000  # after alias expansion, i.e. as the model is read


# libyaml (C) when installed: about 20 times faster than the pure Python reader, which would need seconds
# for a file at MAX_MODEL_CHARS.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooBig(Exception):
    """Raised inside the build to stop at the first bound exceeded."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _invalid_yaml(exc: yaml.YAMLError) -> ModelFileError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc)
    if "nesting depth" in what:  # libyaml's own bound, far beyond ours
        return ModelFileError([Problem("", line, _too_deep())])
    return ModelFileError([Problem("", line, Text(gettext_noop("invalid YAML: %(problem)s"), problem=what))])


def _too_deep(aliases: bool = False) -> Text:
    if aliases:
        return Text(gettext_noop("the model file nests deeper than %(limit)s levels (the limit; YAML aliases count "
                                 "where they are used)"), limit=MAX_YAML_DEPTH)
    return Text(gettext_noop("the model file nests deeper than %(limit)s levels (the limit)"), limit=MAX_YAML_DEPTH)


def check_size(text: str) -> None:
    """Refuse a model file beyond the size and nesting bounds before it is composed.

    The nesting is measured on the parser's event stream (libyaml when available: iterative, no Python
    recursion), so the recursive composer only ever sees files of bounded depth.
    """
    if len(text) > MAX_MODEL_CHARS:
        raise ModelFileError([Problem("", None, Text(gettext_noop("the model file has %(count)s characters; the "
                                                                  "limit is %(limit)s"), count=f"{len(text):,}",
                                                     limit=f"{MAX_MODEL_CHARS:,}"))])
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise ModelFileError([Problem("", line, _too_deep())])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        # Reported here, not by the composer: libyaml stops at its own nesting bound (1,000 levels),
        # which the recursive composer would not survive.
        raise _invalid_yaml(exc) from exc


def compose_with_lines(text: str) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML into plain data plus a map from data path (keys/indices) to 1-based line.

    Refuses (ModelFileError) a file beyond MAX_MODEL_CHARS or MAX_YAML_DEPTH, and one whose aliases
    expand to more than MAX_YAML_NODES nodes or nest deeper than MAX_YAML_DEPTH.
    """
    check_size(text)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise _invalid_yaml(exc) from exc
    if root is None:
        raise ModelFileError([Problem("", 1, Text(gettext_noop("the model file is empty")))])
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    constructor = SafeConstructor()
    built = 0

    def build(node: yaml.Node, path: tuple, active: set[int]) -> Any:
        nonlocal built
        built += 1
        if built > MAX_YAML_NODES:
            raise _TooBig(Problem(plain_path(path[:8]), node.start_mark.line + 1,
                                  Text(gettext_noop("the model file expands to more than %(limit)s values (the "
                                                    "limit; YAML aliases count each time they are used)"),
                                       limit=f"{MAX_YAML_NODES:,}")))
        if len(path) > MAX_YAML_DEPTH:
            raise _TooBig(Problem(plain_path(path[:8]), node.start_mark.line + 1,
                                  _too_deep(aliases=True)))
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in active:
            problems.append(Problem(plain_path(path), node.start_mark.line + 1,
                                    Text(gettext_noop("cycle: this part of the file contains itself (YAML alias)"))))
            return None
        if isinstance(node, yaml.MappingNode):
            active = active | {id(node)}
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | float | bool) or key is None:
                    problems.append(Problem(plain_path(path), key_node.start_mark.line + 1,
                                            Text(gettext_noop("keys must be plain text"))))
                    continue
                key = str(key)
                if key in out:
                    problems.append(Problem(plain_path(path), key_node.start_mark.line + 1,
                                            Text(gettext_noop("duplicate key %(key)s"), key=repr(key))))
                lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = build(value_node, path + (key,), active)
            return out
        if isinstance(node, yaml.SequenceNode):
            active = active | {id(node)}
            return [build(v, path + (i,), active) for i, v in enumerate(node.value)]
        return constructor.construct_object(node)

    try:
        data = build(root, (), set())
    except _TooBig as exc:
        raise ModelFileError([exc.problem]) from None
    if problems:
        raise ModelFileError(problems)
    return data, lines


def plain_path(path: tuple) -> str:
    return "/".join(str(p) for p in path)


# ----------------------------------------------------------------------------------------------------
# Generic checks
# ----------------------------------------------------------------------------------------------------

class Checker:
    """Collects problems, each with its path and line, while reading plain data (generic checks)."""

    def __init__(self, lines: dict[tuple, int]):
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, where: tuple) -> int | None:
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get(())

    def err(self, path: str, where: tuple, message: str) -> None:
        self.problems.append(Problem(path, self.line(where), message))

    # -- small typed readers ------------------------------------------------------------------------
    def keys(self, d: dict, allowed: tuple[str, ...], path: str, where: tuple) -> None:
        for k in d:
            if k not in allowed:
                near = difflib.get_close_matches(k, allowed, n=1)
                hint = (Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near
                        else Text(gettext_noop(" (allowed: %(allowed)s)"), allowed=", ".join(allowed)))
                self.err(path, where + (k,), Text(gettext_noop("unknown key %(key)s%(hint)s"), key=repr(k), hint=hint))

    def number(self, value: Any, name: str, path: str, where: tuple, *, minimum: float | None = None,
               maximum: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.err(path, where, Text(gettext_noop("%(name)s must be a number, not %(value)s"), name=name,
                                       value=repr(value)))
            return None
        if value != value:
            self.err(path, where, Text(gettext_noop("%(name)s must be a number, not NaN"), name=name))
            return None
        if minimum is not None and value < minimum:
            self.err(path, where, Text(gettext_noop("%(name)s must be >= %(minimum)s"), name=name,
                                       minimum=f"{minimum:g}"))
            return None
        if maximum is not None and value > maximum:
            self.err(path, where, Text(gettext_noop("%(name)s must be <= %(maximum)s"), name=name,
                                       maximum=f"{maximum:g}"))
            return None
        return float(value)

    def integer(self, value: Any, name: str, path: str, where: tuple) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(path, where, Text(gettext_noop("%(name)s must be a whole number, not %(value)s"), name=name,
                                       value=repr(value)))
            return None
        return value

    def choice(self, value: Any, name: str, allowed: tuple[str, ...], path: str, where: tuple,
               aliases: dict[str, str] | None = None) -> str | None:
        if isinstance(value, str):
            value = (aliases or {}).get(value, value)
            if value in allowed:
                return value
        near = difflib.get_close_matches(str(value), allowed, n=1)
        hint = Text(gettext_noop(" (did you mean %(near)s?)"), near=repr(near[0])) if near else ""
        self.err(path, where, Text(gettext_noop("unknown %(name)s %(value)s%(hint)s; allowed: %(allowed)s"),
                                   name=name, value=repr(value), hint=hint, allowed=", ".join(allowed)))
        return None

    def mapping(self, value: Any, name: str, path: str, where: tuple) -> dict | None:
        if not isinstance(value, dict):
            self.err(path, where, Text(gettext_noop("%(name)s must be a mapping (key: value lines)"), name=name))
            return None
        return value

    # -- parts ----------------------------------------------------------------------------------------
