"""Form fields shared by the apps."""

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
