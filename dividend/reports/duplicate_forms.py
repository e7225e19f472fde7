"""The input boundary of the near-duplicate decision (web page and API alike)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import IdField

from .models import DuplicateDecision, FieldReport


class DuplicateDecisionForm(forms.Form):
    """`report` is a duplicate of `other`, or the two are not duplicates; `other` is any report
    the user may read but `report` itself."""

    other = IdField(FieldReport.objects.none(), label=_("Other report"), widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("Decision"), choices=DuplicateDecision.Verdict.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = FieldReport.objects.visible_to(user).exclude(pk=report.pk)
        self.fields["other"].error_messages["invalid_choice"] = _(
            "Not another report you may read: choose one of the suggested reports.")
