"""The search form of the reports (issue 12 §9): the one input boundary of the search page and the
search API. Free text is never refused for its syntax (reports.search.terms keeps its words)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField
from dividend.missions.models import Mission
from dividend.reference.models import Country, ThematicArea

from .models import FieldReport, Marking
from .search import SearchFilters

MAX_TEXT = 1000
MAX_PAGE = 10000


class ReportSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=MAX_TEXT, strip=True)
    themes = forms.ModelMultipleChoiceField(ThematicArea.objects.order_by("name"), label=_("Themes"), required=False)
    countries = forms.ModelMultipleChoiceField(Country.objects.order_by("name"), label=_("Countries"),
                                               required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    mission = forms.ModelChoiceField(Mission.objects.order_by("acronym"), label=_("Mission"), required=False)
    period_from = DateField(label=_("Period from"), required=False)
    period_to = DateField(label=_("Period to"), required=False)
    marking = forms.MultipleChoiceField(choices=Marking.choices, label=_("Handling marking"), required=False)
    status = forms.MultipleChoiceField(choices=FieldReport.Status.choices, label=_("Status"), required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The period ends before it starts."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(themes=[t.pk for t in data.get("themes") or []],
                             countries=[c.pk for c in data.get("countries") or []],
                             place=data.get("place") or "", mission=data["mission"].pk if data.get("mission") else None,
                             period_from=data.get("period_from"), period_to=data.get("period_to"),
                             markings=list(data.get("marking") or []), statuses=list(data.get("status") or []))
