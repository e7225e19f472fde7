"""Input boundary of the audit log pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField


class AuditFilterForm(forms.Form):
    """The date range of the audit log's filters (the other filters are free text or closed lists)."""

    since = DateField(required=False, label="From")
    until = DateField(required=False, label="to")
    restricted = forms.BooleanField(required=False, label=_("Only reads of restricted data"))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end of the range is before its start.")
        return data
