"""Validators shared by the apps' models and forms."""

import re

from django.core.exceptions import ValidationError

# Characters that start markup or script in HTML, templates and spreadsheets, plus control characters
# and HTML entities: a name never needs them, and refusing them keeps names inert wherever they are shown.
_MARKUP = re.compile(r"[<>\"`{}\\\x00-\x1f\x7f]|&#?\w+;")


def no_markup(value: str) -> None:
    """A person's name or a label: letters, digits, spaces and ordinary punctuation, no markup."""
    if value and _MARKUP.search(value):
        raise ValidationError('Use letters, digits, spaces and ordinary punctuation: no < > " ` { } \\ or '
                              "entities such as &amp;.", code="markup")
