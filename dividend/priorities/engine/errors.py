"""Exceptions of the priorities engine.

Everything a user can get wrong in a model file, at load time or at compute time, is raised as
:class:`ModelFileError` carrying *all* problems found, so a form can show them together.
"""

from __future__ import annotations

from dataclasses import dataclass


def gettext_noop(template: str) -> str:
    """Marks an English message template for the app's translation catalogues (Django's makemessages
    finds the call) and returns it unchanged: the engine imports nothing of Django."""
    return template


class Text(str):
    """A problem's message in English, which also keeps what it was made from: `template` (marked with
    `gettext_noop`, placeholders `%(name)s`) and `params`, so the app can say it in the reader's
    language (`priorities.messages.translated`). A param may itself be a Text (a hint)."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params = template, params
        return text


@dataclass(frozen=True)
class Problem:
    """One problem in a model file: where (tree path and YAML line) and what."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"

    def __iter__(self):  # allows `path, line, message = problem`
        return iter((self.path, self.line, self.message))


class ModelFileError(ValueError):
    """A model file is invalid (or cannot be computed); ``errors`` lists every problem found."""

    def __init__(self, errors: list[Problem]):
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} problem(s) in the model file:\n{lines}")

    @property
    def messages(self) -> list[str]:
        """``"path: message"`` strings, handy in tests and flash messages."""
        return [f"{e.path}: {e.message}" if e.path else e.message for e in self.errors]


class ComputeError(ModelFileError):
    """The model file is well-formed but the data make it impossible to compute (e.g. log of 0)."""


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an uploaded user dataset (line = CSV line / spreadsheet row, 1-based)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DatasetError(ValueError):
    """An uploaded dataset was rejected as a whole; ``errors`` lists every bad row."""

    def __init__(self, errors: list[RowProblem], *, truncated: bool = False):
        self.errors = list(errors)
        self.truncated = truncated  # the reading stopped at the first len(errors) problems
        shown = "\n".join(f"  - {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{self.count} bad row(s), nothing imported:\n{shown}{more}")

    @property
    def count(self) -> str:
        """The number of problems, "1000+" when the reading stopped there."""
        return f"{len(self.errors)}+" if self.truncated else str(len(self.errors))
