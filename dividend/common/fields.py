"""Form fields shared by the apps."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

# Databases store ids as signed 64-bit integers; a larger number is not an id (and SQLite raises
# OverflowError rather than "no such row" when asked for it).
MAX_ID = 2**63 - 1


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that answers out-of-range ids with a field error, not a server error."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                continue  # the parent reports it as an invalid choice
            if not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
        return super()._check_values(value)


class IdField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except (TypeError, ValueError):
                number = None
            if number is not None and not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
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

