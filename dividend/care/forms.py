"""The care app's input boundary: the pages and the API validate through these forms, then call the
services, which check again on their own path to the tables."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField
from dividend.pools.models import Pool, Role, RoleAssignment, Scope

from .models import Appraisal, Contact, MisconductCase, SecurityIncident


class UserChoice(IdField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


def pool_coordinators(pool_id):
    """Active users holding the coordinator role for the pool by a pool-scoped assignment."""
    return get_user_model().objects.filter(
        is_active=True, pk__in=RoleAssignment.objects.filter(role=Role.COORDINATOR, scope=Scope.POOLS,
                                                             pools=pool_id).values("user_id"))


def _dates_in_order(form, start, end, message):
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, message)


class BoardFilterForm(forms.Form):
    pool = IdField(Pool.objects.none(), required=False, label=_("Pool"))

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools


class ContactForm(forms.Form):
    contact_on = DateField(label=_("Date of contact"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices)
    wellbeing = forms.ChoiceField(label=_("Wellbeing"), choices=Contact.Wellbeing.choices)
    notes = forms.CharField(label=_("Notes (restricted)"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))


class DeskOfficerForm(forms.Form):
    desk_officer = UserChoice(get_user_model().objects.none(), required=False, label=_("Desk officer"),
                              help_text=_("A coordinator of the officer's pool."))

    def __init__(self, *args, secondment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk_officer"].queryset = pool_coordinators(secondment.officer.pool_id)


class CareOfficersForm(forms.Form):
    duty_officer = UserChoice(get_user_model().objects.filter(is_active=True), required=False,
                              label=_("Duty officer"))
    head_of_unit = UserChoice(get_user_model().objects.filter(is_active=True), required=False,
                              label=_("Head of unit"))


class LeaveForm(forms.Form):
    start_date = DateField(label=_("From"))
    end_date = DateField(label=_("To"))

    def clean(self):
        super().clean()
        _dates_in_order(self, "start_date", "end_date", _("The leave ends before it starts."))
        return self.cleaned_data


class DebriefingForm(forms.Form):
    held_on = DateField(label=_("Held on"))
    content = forms.CharField(label=_("Content (restricted)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))


class AppraisalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Appraisal.Kind.choices)
    dated_on = DateField(label=_("Dated"))
    rating = forms.TypedChoiceField(label=_("Rating"), choices=[("", "—"), *Appraisal.RATINGS], coerce=int,
                                    empty_value=None, required=False)
    reported_by = forms.CharField(label=_("Reported by (mission)"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary (restricted)"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Appraisal.Kind.APPRAISAL and data.get("rating") is None and "rating" not in self.errors:
            self.add_error("rating", _("An appraisal's rating is a whole number from 1 to 5."))
        if data.get("kind") == Appraisal.Kind.UNDERPERFORMANCE and data.get("rating") is not None:
            self.add_error("rating", _("Underperformance is reported without a rating."))
        return data


class MisconductForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=MisconductCase.Category.choices)
    reported_on = DateField(label=_("Reported on"))
    allegation = forms.CharField(label=_("Allegation (restricted)"), max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class MisconductDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=[(MisconductCase.Status.SUBSTANTIATED.value,
                                                             MisconductCase.Status.SUBSTANTIATED.label),
                                                            (MisconductCase.Status.UNSUBSTANTIATED.value,
                                                             MisconductCase.Status.UNSUBSTANTIATED.label)])
    decided_on = DateField(label=_("Decided on"))
    outcome = forms.CharField(label=_("Decision and sanction (restricted)"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    repatriated_on = DateField(label=_("Repatriated on"), required=False,
                               help_text=_("Only where a substantiated case led to repatriation."))

    def clean(self):
        super().clean()
        _dates_in_order(self, "decided_on", "repatriated_on", _("The repatriation is before the decision."))
        return self.cleaned_data


class IncidentForm(forms.Form):
    occurred_on = DateField(label=_("Occurred on"))
    kind = forms.ChoiceField(label=_("Type"), choices=SecurityIncident.Kind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=SecurityIncident.Severity.choices)
    hurt = forms.BooleanField(label=_("The secondee was hurt"), required=False)
    description = forms.CharField(label=_("What happened"), max_length=4000, required=False,
                                  help_text=_("No medical details: whether the secondee was hurt, not how."),
                                  widget=forms.Textarea(attrs={"rows": 3}))


class LeaderChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.officer.full_name} – {obj.position.title}"


class ContingentLeaderForm(forms.Form):
    leader = LeaderChoice(None, required=False, label=_("Contingent leader"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = members
