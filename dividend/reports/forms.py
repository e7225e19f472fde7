"""The reports app's input boundary: the web pages and the API validate through these forms.

Classified content is refused field by field here (`services.refuse_classified`), before any
model is touched; the services check again on their own path to the table.
"""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField, SearchableSelectMultiple
from dividend.missions.models import Mission
from dividend.reference.models import Country, ThematicArea

from .attachments import AttachmentsField
from .models import (
    CREDIBILITY,
    RELIABILITY,
    Audience,
    Breadth,
    FieldReport,
    InformationRequirement,
    Marking,
    Product,
    ReportFeedback,
    deployed_missions,
)
from .services import refuse_classified


class MissionChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.acronym} – {obj.name}"


class RequirementsChoice(IdsField):
    def label_from_instance(self, obj):
        return obj.title


class FieldReportForm(forms.Form):
    mission = MissionChoice(Mission.objects.none(), label=_("Mission"))
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    kind = forms.ChoiceField(label=_("Type"), choices=FieldReport.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Report"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    requirements = RequirementsChoice(InformationRequirement.objects.none(), required=False,
                                      label=_("Information requirements answered"),
                                      widget=forms.CheckboxSelectMultiple)
    themes = IdsField(ThematicArea.objects.all(), required=False, label=_("Themes"), widget=SearchableSelectMultiple)
    countries = IdsField(Country.objects.all(), required=False, label=_("Countries"), widget=SearchableSelectMultiple)
    places = forms.CharField(label=_("Places"), max_length=500, required=False,
                             help_text=_("Cities and places, separated by semicolons."))
    marking = forms.ChoiceField(label=_("Handling marking (TLP)"), choices=Marking.choices,
                                error_messages={"invalid_choice": _(
                                    "Choose a TLP marking (CLEAR, GREEN, AMBER, AMBER+STRICT, RED). Classified "
                                    "information is not accepted.")})
    credibility = forms.TypedChoiceField(label=_("Credibility of the information"), choices=CREDIBILITY, coerce=int)
    reliability = forms.ChoiceField(label=_("Reliability of the source"), choices=RELIABILITY)
    draft_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    attachments = AttachmentsField()  # checked, text extracted and classification-checked (reports/attachments.py)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        missions = deployed_missions(user)
        self.fields["mission"].queryset = missions
        if not self.is_bound and "mission" not in self.initial and len(only := list(missions[:2])) == 1:
            self.initial["mission"] = only[0].pk  # deployed to one mission: that one
        self.fields["mission"].error_messages["invalid_choice"] = _("Choose a mission you are deployed to now.")
        self.fields["requirements"].queryset = InformationRequirement.objects.for_missions(list(missions)).filter(
            active=True)
        if not self.is_bound:
            self.initial.setdefault("draft_key", secrets.token_urlsafe(24))

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        try:
            refuse_classified(title=data.get("title"), body=data.get("body"), places=data.get("places"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=FieldReport.Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, report: FieldReport | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if report is not None:  # the page offers only the moves the table allows from here
            allowed = FieldReport.TRANSITIONS.get(report.status, set())
            self.fields["status"].choices = [(v, label) for v, label in FieldReport.Status.choices if v in allowed]


class RequirementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What to look out for"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    mission = MissionChoice(Mission.objects.filter(status=Mission.Status.ACTIVE), required=False, label=_("Mission"))
    region = forms.ChoiceField(label=_("Region"), required=False, help_text=_("A UN M49 sub-region."),
                               error_messages={"invalid_choice": _("Unknown region: choose a UN M49 sub-region.")})
    theme = IdField(ThematicArea.objects.all(), required=False, label=_("Theme"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Country.objects.exclude(subregion="").values_list("subregion", flat=True).distinct()
        self.fields["region"].choices = [("", "—")] + sorted((r, gettext(r)) for r in regions)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("mission") or data.get("region") or data.get("theme")):
            raise ValidationError(_("Say what the requirement is for: a mission, a region or a theme."))
        return data


# --- Products, audiences, feedback --------------------------------------------------------------

MARKING_REQUIRED = _("Nothing leaves without a TLP marking: choose CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")


class MarkingField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Handling marking (TLP)"))
        super().__init__(choices=Marking.choices, error_messages={"required": MARKING_REQUIRED,
                                                                  "invalid_choice": MARKING_REQUIRED}, **kwargs)


class UsersChoice(IdsField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AudienceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    breadth = forms.ChoiceField(label=_("Breadth"), choices=Breadth.choices,
                                help_text=_("How far the list reaches: it receives products up to the TLP marking "
                                            "that may be shared that far."))
    members = UsersChoice(get_user_model().objects.filter(is_active=True).order_by("username"), required=False,
                          label=_("Members"), widget=SearchableSelectMultiple)


class ProductForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Product.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    mission = MissionChoice(Mission.objects.all(), required=False, label=_("Mission"))
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    marking = MarkingField()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        try:
            refuse_classified(title=data.get("title"), summary=data.get("summary"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class CitedReportsChoice(IdsField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_marking_display()})"


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(label=_("Analysis"), max_length=20000, required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    reports = CitedReportsChoice(FieldReport.objects.none(), required=False, label=_("Cited reports"),
                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any report the user reads is a valid value (the service explains one that is not accepted);
        # the page offers the accepted ones.
        self.fields["reports"].queryset = FieldReport.objects.visible_to(user)
        self.fields["reports"].error_messages["invalid_choice"] = _("Not a report you may read.")
        self.accepted = FieldReport.objects.visible_to(user).filter(
            status=FieldReport.Status.ACCEPTED).select_related("mission")[:200]

    def clean(self):
        data = super().clean()
        try:
            refuse_classified(heading=data.get("heading"), text=data.get("text"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class AudiencesForm(forms.Form):
    audiences = IdsField(Audience.objects.all(), required=False, label=_("Distribution lists"),
                         widget=forms.CheckboxSelectMultiple)


class ProductMarkingForm(forms.Form):
    marking = MarkingField()


class ProductMoveForm(forms.Form):
    MOVES = [("submit", _("Submit for approval")), ("publish", _("Approve and publish")),
             ("return", _("Return to the author")), ("withdraw", _("Withdraw"))]
    move = forms.ChoiceField(label=_("Move"), choices=MOVES)
    marking = forms.ChoiceField(label=_("Marking on publication"), choices=[("", "—"), *Marking.choices],
                                required=False, error_messages={"invalid_choice": MARKING_REQUIRED})
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=ReportFeedback.Verdict.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
