"""Form fields shared by the apps."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

# Databases store ids as signed 64-bit integers; a larger number is not an id (and SQLite raises
# OverflowError rather than "no such row" when asked for it).
MAX_ID = 2**63 - 1


def _id_or_none(value):
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that answers out-of-range ids with a field error, not a server error.

    `known`: {id: object} of the queryset, read once by a caller validating many forms (an import);
    then the choices are checked against it instead of the database, with the same messages.
    """

    known: dict | None = None

    def clean(self, value):
        if self.known is not None and not self.required and not self.prepare_value(value):
            # The parent answers an empty choice with queryset.none(), which compiles a query each
            # time it is read: 1.4 s of a 10,000-row import (profiled) for rows without expertise.
            return []
        return super().clean(value)

    def _check_values(self, value):
        for pk in value:
            number = _id_or_none(pk)
            if number is None:
                continue  # the parent reports it as an invalid choice
            if not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
        if self.known is None:
            return super()._check_values(value)
        objects = []
        for pk in dict.fromkeys(value):
            number = _id_or_none(pk)
            if number is None:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
            if number not in self.known:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
            objects.append(self.known[number])
        return objects


class IdField(forms.ModelChoiceField):
    """ModelChoiceField with the same out-of-range guard and `known` as IdsField."""

    known: dict | None = None

    def to_python(self, value):
        if value not in self.empty_values:
            number = _id_or_none(value)
            if number is not None and not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            if self.known is not None:
                if number not in self.known:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": value})
                return self.known[number]
        return super().to_python(value)


# <input type="date"> takes and shows only ISO dates (yyyy-mm-dd); Django would write the locale's
# first input format (en-gb: dd/mm/yyyy), which the browser discards: the field looks empty and a
# save erases it. Every date and datetime input of the product uses these widgets.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not _is_iso_date(shown):
            # Sent back with an error: a date input would show it empty, and saving again would then
            # erase the date. A text input keeps what was typed in sight, to correct.
            context["widget"]["type"] = "text"
        return context


def _is_iso_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)


class DateField(forms.DateField):
    """A date typed in the browser's date picker (ISO), with a message that says what is expected."""

    widget = DateInput
    default_error_messages = {"invalid": "Enter a valid date (year-month-day, e.g. 2027-03-01)."}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_error_messages = {"invalid": "Enter a valid date and time (e.g. 2027-03-01 09:30)."}

