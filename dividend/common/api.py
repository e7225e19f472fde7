"""Shared pieces of the JSON API: pagination and form-error responses."""

from django.core.exceptions import ValidationError
from ninja import Schema

MAX_LIMIT = 500


class Page(Schema):
    count: int
    limit: int
    offset: int


def paginate(queryset, *, limit: int, offset: int):
    """Validate limit/offset and slice; returns (count, items)."""
    errors = {}
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = [f"limit must be between 1 and {MAX_LIMIT}."]
    if offset < 0:
        errors["offset"] = ["offset must not be negative."]
    if errors:
        raise ValidationError(errors)
    return queryset.count(), list(queryset[offset:offset + limit])


def form_errors(form) -> ValidationError:
    return ValidationError({name: list(messages) for name, messages in form.errors.items()})
