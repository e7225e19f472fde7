from django import forms
from django.conf import settings

from .models import ApiGroup, ApiToken


class TokenForm(forms.Form):
    """A new API token: what it is for, how long it lasts, what it may do and where."""

    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'HR sync script'.")
    access = forms.ChoiceField(choices=ApiToken.Access.choices, initial=ApiToken.Access.READ,
                               widget=forms.RadioSelect)
    groups = forms.MultipleChoiceField(
        choices=ApiGroup.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Endpoint groups", help_text="None ticked: every group.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lifetime's bounds are settings: read them per form, not at import.
        limit = settings.DIVIDEND_API_TOKEN_MAX_DAYS
        self.fields["days"] = forms.IntegerField(min_value=1, max_value=limit, initial=settings.DIVIDEND_API_TOKEN_DAYS,
                                                 label="Valid for (days)", help_text=f"At most {limit}.")
        self.order_fields(["name", "days", "access", "groups"])
