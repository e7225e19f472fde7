"""YAML read with line numbers, and generic checks that collect problems with their path and line."""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import ModelFileError, Problem

# ----------------------------------------------------------------------------------------------------
# YAML with line numbers
# ----------------------------------------------------------------------------------------------------

def compose_with_lines(text: str) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML into plain data plus a map from data path (keys/indices) to 1-based line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        raise ModelFileError([Problem("", line, f"invalid YAML: {what}")]) from exc
    if root is None:
        raise ModelFileError([Problem("", 1, "the model file is empty")])
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    constructor = SafeConstructor()

    def build(node: yaml.Node, path: tuple, active: set[int]) -> Any:
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in active:
            problems.append(Problem(plain_path(path), node.start_mark.line + 1,
                                    "cycle: this part of the file contains itself (YAML alias)"))
            return None
        if isinstance(node, yaml.MappingNode):
            active = active | {id(node)}
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | float | bool) or key is None:
                    problems.append(Problem(plain_path(path), key_node.start_mark.line + 1, "keys must be plain text"))
                    continue
                key = str(key)
                if key in out:
                    problems.append(Problem(plain_path(path), key_node.start_mark.line + 1, f"duplicate key {key!r}"))
                lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = build(value_node, path + (key,), active)
            return out
        if isinstance(node, yaml.SequenceNode):
            active = active | {id(node)}
            return [build(v, path + (i,), active) for i, v in enumerate(node.value)]
        return constructor.construct_object(node)

    data = build(root, (), set())
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
                hint = f" (did you mean {near[0]!r}?)" if near else f" (allowed: {', '.join(allowed)})"
                self.err(path, where + (k,), f"unknown key {k!r}{hint}")

    def number(self, value: Any, name: str, path: str, where: tuple, *, minimum: float | None = None,
               maximum: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.err(path, where, f"{name} must be a number, not {value!r}")
            return None
        if value != value:
            self.err(path, where, f"{name} must be a number, not NaN")
            return None
        if minimum is not None and value < minimum:
            self.err(path, where, f"{name} must be >= {minimum:g}")
            return None
        if maximum is not None and value > maximum:
            self.err(path, where, f"{name} must be <= {maximum:g}")
            return None
        return float(value)

    def integer(self, value: Any, name: str, path: str, where: tuple) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(path, where, f"{name} must be a whole number, not {value!r}")
            return None
        return value

    def choice(self, value: Any, name: str, allowed: tuple[str, ...], path: str, where: tuple,
               aliases: dict[str, str] | None = None) -> str | None:
        if isinstance(value, str):
            value = (aliases or {}).get(value, value)
            if value in allowed:
                return value
        near = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        self.err(path, where, f"unknown {name} {value!r}{hint}; allowed: {', '.join(allowed)}")
        return None

    def mapping(self, value: Any, name: str, path: str, where: tuple) -> dict | None:
        if not isinstance(value, dict):
            self.err(path, where, f"{name} must be a mapping (key: value lines)")
            return None
        return value

    # -- parts ----------------------------------------------------------------------------------------
