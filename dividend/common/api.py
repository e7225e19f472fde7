"""Shared pieces of the JSON API: pagination and the one error body every endpoint answers with."""

from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Path, Schema

from .fields import MAX_ID

MAX_LIMIT = 500
# Far beyond any table, far below the engines' 64-bit bound: a larger offset would reach the database
# and fail there (a 500), not here (a 400).
MAX_OFFSET = 10**12

# An object id in a query filter (`?mission=12`): a larger number cannot name a row, and the database
# driver would fail on it (OverflowError on SQLite, out of range on PostgreSQL).
IdFilter = Annotated[int, Field(ge=1, le=MAX_ID, description="An object id.")]
# The same in a path (`/officers/12`): out of range it names no object, so it answers 404.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An object id.")]
# Declared in the OpenAPI document (the fuzzer keeps to them) and enforced (400 beyond them).
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Items to skip.")]
MAX_QUERY_TEXT = 200  # characters of a free-text or code filter
MAX_REPEATS = 100  # values of a repeatable filter (`?pool=1&pool=2...`)
QueryText = Annotated[str, Field(max_length=MAX_QUERY_TEXT)]

# Status codes of the error contract (docs/operations.md, "API"); nothing else answers an error.
INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND = 400, 401, 403, 404


class Problem(Schema):
    """One problem inside a submitted file: where in it (path, 1-based line) and what."""
    path: str = ""
    line: int | None = None
    message: str


class Error(Schema):
    """The body of every error answer: a sentence, the messages per input field (`__all__` for the
    input as a whole) and, for a submitted file, its problems located in it."""
    detail: str
    errors: dict[str, list[str]] = {}
    problems: list[Problem] = []


class ApiError(Exception):
    """An error answer with the contract's body, for cases the Django exceptions do not name."""

    def __init__(self, status: int, detail: str, *, errors: dict | None = None, problems: list | None = None):
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors, self.problems = errors or {}, problems or []

    def body(self) -> dict:
        return {"detail": self.detail, "errors": self.errors, "problems": self.problems}


def error_responses(*statuses: int) -> dict:
    """`response=` entries documenting the given error statuses with the contract's body."""
    return {status: Error for status in statuses}


class Page(Schema):
    count: int
    limit: int
    offset: int


def paginate(queryset, *, limit: int, offset: int):
    """Validate limit/offset and slice; returns (count, items)."""
    errors = {}
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = [f"limit must be between 1 and {MAX_LIMIT}."]
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = [f"offset must be between 0 and {MAX_OFFSET:,}."]
    if errors:
        raise ValidationError(errors)
    return queryset.count(), list(queryset[offset:offset + limit])


def form_errors(form) -> ValidationError:
    return ValidationError({name: list(messages) for name, messages in form.errors.items()})
