"""Input boundary of the audit log pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField
from dividend.pools.models import object_type_label


def object_type_choices() -> list[tuple[str, str]]:
    """The kinds of records the audit log names, in words ("Officer"), for its filter: the product's
    models and user accounts, plus the operators' words (a database restore, retention)."""
    from django.apps import apps

    kinds = {model._meta.label_lower for model in apps.get_models()
             if model.__module__.startswith("dividend.") or model._meta.label_lower == "auth.user"}
    kinds |= {"database", "retention"}
    return [("", _("all"))] + sorted(((kind, object_type_label(kind)) for kind in kinds), key=lambda c: c[1].lower())


class AuditFilterForm(forms.Form):
    """The date range of the audit log's filters (the other filters are free text or closed lists)."""

    object_type = forms.ChoiceField(required=False, label=_("Record"))
    since = DateField(required=False, label=_("From"))
    until = DateField(required=False, label=_("to"))
    restricted = forms.BooleanField(required=False, label=_("Only reads of restricted data"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = object_type_choices()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the range is before its start."))
        return data
