from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField
from dividend.missions.models import Position
from dividend.roster.access import can_manage_secondments

from .models import Secondment
from .services import INITIAL_STATUSES


def positions():
    return Position.objects.select_related("mission").order_by("mission__acronym", "title")


class SecondmentListForm(forms.Form):
    """The secondment list's filters: a status, and an end date within N days (ending soon)."""

    status = forms.ChoiceField(choices=[("", _("all"))] + Secondment.Status.choices, required=False,
                               label=_("Status"))
    ends_within = forms.IntegerField(required=False, min_value=0, max_value=366, label=_("Ending within (days)"))
    page = forms.IntegerField(required=False, min_value=1)


class SecondmentForm(forms.Form):
    """Record a secondment of one officer (planned, or past mission history)."""

    position = IdField(positions())
    start_date = DateField()
    end_date = DateField(required=False)
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in INITIAL_STATUSES], initial=Secondment.Status.PLANNED)
    reason = forms.CharField(required=False, max_length=500, help_text="E.g. where the record comes from.")

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date is before the start date.")
        return data


class SecondmentEditForm(forms.Form):
    """Correct a secondment's position and dates; its status moves only through StatusChangeForm."""

    position = IdField(positions())
    start_date = DateField()
    end_date = DateField(required=False)
    reason = forms.CharField(required=False, max_length=500, help_text="Why the record changes (kept in the audit log).")

    def __init__(self, *args, secondment: Secondment, user, **kwargs):
        initial = {"position": secondment.position_id, "start_date": secondment.start_date,
                   "end_date": secondment.end_date}
        super().__init__(*args, initial=initial, **kwargs)
        self.secondment, self.user = secondment, user

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date is before the start date.")
        return data


class StatusChangeForm(forms.Form):
    """Move one secondment on: only the moves allowed from its current status, none chosen in advance."""

    status = forms.ChoiceField(label="New status")
    reason = forms.CharField(max_length=500)

    def __init__(self, *args, secondment: Secondment, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_{secondment.pk}_%s")
        super().__init__(*args, **kwargs)
        self.secondment, self.user = secondment, user
        moves = [s for s in Secondment.Status if s in Secondment.TRANSITIONS[secondment.status]]
        self.fields["status"].choices = [("", "choose…")] + [(s.value, s.label) for s in moves]
        self.fields["reason"].widget.attrs["placeholder"] = "reason"

    @classmethod
    def for_user(cls, secondment: Secondment, user, *args, **kwargs):
        """The form, or None when the user may not change this secondment or it cannot move any more."""
        if not Secondment.TRANSITIONS[secondment.status] or not can_manage_secondments(user, secondment.officer):
            return None
        return cls(*args, secondment=secondment, user=user, **kwargs)
