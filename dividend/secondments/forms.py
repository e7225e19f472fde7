from django import forms

from dividend.common.fields import IdField
from dividend.missions.models import Position

from .models import Secondment
from .services import INITIAL_STATUSES


class SecondmentForm(forms.Form):
    """Record a secondment of one officer (planned, or past mission history)."""

    position = IdField(Position.objects.select_related("mission").order_by("mission__acronym", "title"))
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in INITIAL_STATUSES], initial=Secondment.Status.PLANNED)
    reason = forms.CharField(required=False, max_length=500, help_text="E.g. where the record comes from.")

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date is before the start date.")
        return data
