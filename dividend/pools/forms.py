from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ApiGroup, ApiToken


class TokenForm(forms.Form):
    """A new API token: what it is for, how long it lasts, what it may do and where."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'HR sync script'."))
    access = forms.ChoiceField(label=_("Access"), choices=ApiToken.Access.choices, initial=ApiToken.Access.READ,
                               widget=forms.RadioSelect)
    groups = forms.MultipleChoiceField(
        choices=ApiGroup.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Endpoint groups"), help_text=_("None ticked: every group."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lifetime's bounds are settings: read them per form, not at import.
        limit = settings.DIVIDEND_API_TOKEN_MAX_DAYS
        self.fields["days"] = forms.IntegerField(min_value=1, max_value=limit, initial=settings.DIVIDEND_API_TOKEN_DAYS,
                                                 label=_("Valid for (days)"), help_text=f"At most {limit}.")
        self.order_fields(["name", "days", "access", "groups"])
