"""The alerts app's input boundary: the web pages and the API validate through these forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField
from dividend.missions.models import Position
from dividend.roster.models import Officer

from .models import Recipient
from .services import MAX_RECIPIENTS


class PositionChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.title} – {obj.mission.acronym}"


class OfficersChoice(IdsField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name} ({obj.pool.name})"


class AlertForm(forms.Form):
    """A new alert. `candidates`: the officers the page offers (the crisis query's result); without
    it (the API), any officer the user sees; the workflow checks the user may alert each."""

    title = forms.CharField(label=_("Title"), max_length=200)
    message = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What happened, where, what is needed: the recipients read this."))
    position = PositionChoice(Position.objects.filter(status=Position.Status.OPEN).select_related("mission"),
                              required=False, label=_("Mission position"),
                              help_text=_("When the alert names a position, deploying creates the secondment."))
    start_date = DateField(label=_("Departure"))
    end_date = DateField(label=_("Return"), required=False)
    officers = OfficersChoice(Officer.objects.none(), label=_("Send to"), widget=forms.CheckboxSelectMultiple,
                              error_messages={"required": _("Choose at least one officer to alert.")})

    def __init__(self, *args, user, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        officers = Officer.objects.visible_to(user).select_related("pool")
        if candidates is not None:
            officers = officers.filter(pk__in=[o.pk for o in candidates])
        self.fields["officers"].queryset = officers

    def clean_officers(self):
        officers = self.cleaned_data["officers"]
        if len(officers) > MAX_RECIPIENTS:
            raise ValidationError(_("An alert goes to at most %(max)s officers.") % {"max": MAX_RECIPIENTS})
        return officers

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The return is before the departure."))
        return data


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                               choices=[(Recipient.Answer.AVAILABLE, _("Available")),
                                        (Recipient.Answer.NOT_AVAILABLE, _("Not available"))],
                               error_messages={"required": _("Answer available or not available."),
                                               "invalid_choice": _("Answer available or not available.")})
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("E.g. when you could leave at the earliest."))


class DeployForm(forms.Form):
    officers = OfficersChoice(Officer.objects.none(), label=_("Deploy"), widget=forms.CheckboxSelectMultiple,
                              error_messages={"required": _("Choose at least one officer to deploy.")})
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, alert, **kwargs):
        super().__init__(*args, **kwargs)
        # Any recipient is a valid choice here: the workflow names those who did not answer available.
        self.fields["officers"].queryset = Officer.objects.filter(alert_recipients__alert=alert).select_related("pool")


class StandDownForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why the alert is stood down: the recipients read it.")})
