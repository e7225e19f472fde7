"""The triage's input boundary (pages and API alike): the triage form, assignment, comments, bulk
actions, suggestions for a text, and the MISP taxonomy upload."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import IdField, IdsField, SearchableSelectMultiple
from dividend.reference.models import Country, ThematicArea

from .models import FieldReport
from .services import refuse_classified
from .triage import MAX_BULK, analysts


class AnalystChoice(IdField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def _refuse(form, **texts):
    try:
        refuse_classified(**texts)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            form.add_error(name, messages)


class TriageForm(forms.Form):
    """Themes, countries and places (the suggestions accepted or edited) and a move of the status."""

    themes = IdsField(ThematicArea.objects.all(), required=False, label=_("Themes"), widget=SearchableSelectMultiple)
    countries = IdsField(Country.objects.all(), required=False, label=_("Countries"), widget=SearchableSelectMultiple)
    places = forms.CharField(label=_("Places"), max_length=500, required=False,
                             help_text=_("Cities and places, separated by semicolons."))
    status = forms.ChoiceField(label=_("Move to"), required=False, choices=[])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed for “filed” and “needs information”: the author reads it."))

    def __init__(self, *args, report: FieldReport, **kwargs):
        bound = (args and args[0] is not None) or kwargs.get("data") is not None
        if not bound:
            kwargs.setdefault("initial", {"themes": [t.pk for t in report.themes.all()],
                                          "countries": [c.pk for c in report.countries.all()],
                                          "places": report.places, "status": ""})
        super().__init__(*args, **kwargs)
        self.report = report
        allowed = FieldReport.TRANSITIONS.get(report.status, set())
        self.fields["status"].choices = [("", _("Keep: %(status)s") % {"status": report.get_status_display()})] + [
            (v, label) for v, label in FieldReport.Status.choices if v in allowed]

    def clean(self):
        data = super().clean()
        _refuse(self, places=data.get("places"), reason=data.get("reason"))
        return data


class AssignForm(forms.Form):
    analyst = AnalystChoice(None, required=False, label=_("Assign to"), empty_label=_("Nobody"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analyst"].queryset = analysts()
        self.fields["analyst"].error_messages["invalid_choice"] = _("Choose an analyst.")


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    for_author = forms.BooleanField(label=_("Show this comment to the report's author"), required=False,
                                    help_text=_("Otherwise only the analysts who triage the report read it."))

    def clean(self):
        data = super().clean()
        _refuse(self, text=data.get("text"))
        return data


class BulkForm(forms.Form):
    ACTIONS = [("assign", _("Assign to")), ("status", _("Move to"))]
    reports = IdsField(FieldReport.objects.none(), label=_("Reports"),
                       error_messages={"required": _("Choose at least one report.")})
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    analyst = AnalystChoice(None, required=False, label=_("Analyst"), empty_label=_("Nobody"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *FieldReport.Status.choices])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reports"].queryset = FieldReport.objects.visible_to(user).with_related()
        self.fields["reports"].error_messages["invalid_choice"] = _("Not a report you may read: %(value)s.")
        self.fields["analyst"].queryset = analysts()
        self.fields["analyst"].error_messages["invalid_choice"] = _("Choose an analyst.")

    def clean_reports(self):
        reports = self.cleaned_data["reports"]
        if len(reports) > MAX_BULK:
            raise ValidationError(_("Choose at most %(count)s reports at once.") % {"count": MAX_BULK})
        return reports

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the status to move the reports to."))
        _refuse(self, reason=data.get("reason"))
        return data


class SuggestForm(forms.Form):
    """A text to suggest themes and places for (the filing form's title and body, its mission)."""

    title = forms.CharField(required=False, max_length=200)
    body = forms.CharField(required=False, max_length=20000)
    mission = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class TaxonomyImportForm(forms.Form):
    file = forms.FileField(label=_("MISP taxonomy (machinetag.json)"))
