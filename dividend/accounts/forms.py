from django import forms
from django.core.validators import RegexValidator


class CodeField(forms.CharField):
    """Six digits; spaces are dropped (apps show "123 456")."""

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class CodeForm(forms.Form):
    """A code from the authenticator app."""

    code = CodeField(label="Code from your authenticator app", max_length=12,
                     validators=[RegexValidator(r"^\d{6}$", "Enter the 6 digits your app shows.")],
                     widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                   "autofocus": True}))
