from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class CodeField(forms.CharField):
    """Six digits; spaces are dropped (apps show "123 456")."""

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class CodeForm(forms.Form):
    """A code from the authenticator app."""

    code = CodeField(label=_("Code from your authenticator app"), max_length=12,
                     validators=[RegexValidator(r"^\d{6}$", _("Enter the 6 digits your app shows."))],
                     widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                   "autofocus": True}))
