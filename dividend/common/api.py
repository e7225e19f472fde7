"""Shared pieces of the JSON API: pagination and the one error body every endpoint answers with."""

import datetime as dt
import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import models
from ninja import Field, Path, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from .fields import MAX_ID, DateField

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
NULL_CHARACTER = "null_character"


def _no_null_character(value: str) -> str:
    """PostgreSQL cannot hold or compare a text with NUL (a DataError: 500): refused as the forms do."""
    if "\x00" in value:
        raise PydanticCustomError(NULL_CHARACTER, "Null characters are not allowed.")
    return value


def Text(max_length: int, *, min_length: int | None = None, where=Field):  # noqa: N802 - used as a type
    """A string input of at most `max_length` characters, without NUL: the limit is declared in the
    OpenAPI document (maxLength: the fuzzer generates within and beyond it) and both are enforced
    before a form or a query reads it (400 naming the field; 404 in a path: it names nothing).
    `where`: `Field` (a body's field, a query parameter), or `Path`."""
    return Annotated[str, where(min_length=min_length, max_length=max_length), AfterValidator(_no_null_character)]


QueryText = Text(MAX_QUERY_TEXT)


def max_length_of(source, field: str) -> int:
    """The max_length of a model's field (`Officer`, "first_name") or of a form's (`MoveForm`,
    "reason": the limit of a TextField is its form's): what the API declares for that input."""
    found = source._meta.get_field(field) if issubclass(source, models.Model) else source.base_fields[field]
    if found.max_length is None:
        raise ValueError(f"{source.__name__}.{field} has no max_length: name the limit in its form")
    return found.max_length


def text_of(source, field: str):
    """`Text` of a model's or form's field's max_length."""
    return Text(max_length_of(source, field))

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    """The API's dates are ISO 8601 (yyyy-mm-dd) only, as the OpenAPI document says (format: date):
    pydantic would also take a number (seconds since 1970) or a date with a time of day."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise PydanticCustomError("date_format", DateField.default_error_messages["invalid"])


# A date in a query parameter or a request body: yyyy-mm-dd, else 400 naming the field with the web
# forms' message. Web forms keep their own (localized) input: this is the API's boundary only.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

# Status codes of the error contract (docs/operations.md, "API"); nothing else answers an error.
INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED = 400, 401, 403, 404, 405


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
