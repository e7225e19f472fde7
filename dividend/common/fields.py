"""Form fields shared by the apps."""

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
