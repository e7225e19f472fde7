"""Exceptions of the selection engine: every problem found, each with the path of the value at fault."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a data structure: ``path`` like ``rules[2].min_level``, and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DataError(ValueError):
    """Invalid engine data; ``errors`` lists every problem found, so a form can show them together."""

    what = "data"

    def __init__(self, errors: list[Problem]):
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} problem(s) in the {self.what}:\n{lines}")

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


class RuleSetError(DataError):
    what = "eligibility rule set"


class WeightsError(DataError):
    what = "score weights"


class AssignmentInputError(DataError):
    what = "assignment problem"


def read_json(data, error: type[DataError]):
    """A dict from a dict, JSON text or a path to a JSON file; text that is not JSON raises `error`."""
    if isinstance(data, Path):
        data = data.read_text(encoding="utf-8")
    if isinstance(data, str):
        try:
            return json.loads(data)
        except json.JSONDecodeError as exc:
            raise error([Problem("", f"not valid JSON: {exc.msg} (line {exc.lineno})")]) from None
    return data
