"""The input boundary of the monthly mission report and the intelligence debriefing pages (web and
API alike). The forms know their user: the missions, officers, groups and reports offered are the
ones the user may use; anything else is refused with a message, and nothing is stored."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField
from dividend.missions.models import Mission
from dividend.pools.access import EVERY_POOL
from dividend.roster.models import Officer

from . import access
from .forms import MarkingField, MissionChoice
from .models import Audience, Breadth, FieldReport
from .monthly import TEXT_FIELDS, check_month
from .services import refuse_classified

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month as YYYY-MM (the browser's month input); cleaned to its first day."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Give the month as YYYY-MM, e.g. 2026-11.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        match = MONTH.match(str(value).strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class MonthlyReportNewForm(forms.Form):
    mission = MissionChoice(Mission.objects.all(), label=_("Mission"),
                            error_messages={"invalid_choice": _("Unknown mission: choose one from the list.")})
    month = MonthField(label=_("Month"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_month(self):
        month = self.cleaned_data["month"]
        try:
            return check_month(month)
        except ValidationError as error:
            raise ValidationError(error.message_dict["month"]) from None


class MonthlyReportForm(forms.Form):
    security_assessment = forms.CharField(label=_("Security assessment"), max_length=20000,
                                          widget=forms.Textarea(attrs={"rows": 10}))
    political_update = forms.CharField(label=_("Political update"), max_length=20000,
                                       widget=forms.Textarea(attrs={"rows": 8}))
    contingent_work = forms.CharField(label=_("Work of the national contingent"), max_length=20000,
                                      widget=forms.Textarea(attrs={"rows": 6}))
    marking = MarkingField(help_text=_("At least as strict as the strictest field report the text cites (FR-…)."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in TEXT_FIELDS:
            self.fields[name].error_messages["required"] = _("Write this section; it may be short.")

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            if data.get(name):
                data[name] = data[name].replace("\r\n", "\n")
        try:
            refuse_classified(**{name: data.get(name) for name in TEXT_FIELDS})
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class MonthlyMoveForm(forms.Form):
    MOVES = [("submit", _("Submit for approval")), ("approve", _("Approve")), ("return", _("Return to the author"))]
    move = forms.ChoiceField(label=_("Decision"), choices=MOVES,
                             error_messages={"invalid_choice": _("Choose submit, approve or return.")})
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


# --- Intelligence debriefings (§8) ----------------------------------------------------------------


class OfficerChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name} ({obj.pool.code})"


class GroupChoice(IdField):
    def label_from_instance(self, obj):
        return obj.name


class LinkedReportsChoice(IdsField):
    def label_from_instance(self, obj):
        return f"FR-{obj.pk} {obj.title}"


def debriefing_officers(user):
    """Officers whose debriefing the user may record: those of the pools whose reports they read."""
    pools = access.analyst_pools(user)
    officers = Officer.objects.select_related("pool")
    if pools is EVERY_POOL:
        return officers.all()
    return officers.filter(pool__in=pools)


class DebriefingForm(forms.Form):
    officer = OfficerChoice(Officer.objects.none(), label=_("Officer"),
                            error_messages={"invalid_choice": _("Unknown officer: choose one from the list.")})
    group = GroupChoice(Audience.objects.none(), label=_("Named group"),
                        help_text=_("Only the members of this group read the debriefing."),
                        error_messages={"invalid_choice": _("Choose a named group you are a member of.")})
    held_on = DateField(label=_("Held on"))
    content = forms.CharField(label=_("What was taken"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                              error_messages={"required": _("Write what was taken.")})
    reports = LinkedReportsChoice(FieldReport.objects.none(), required=False, label=_("Earlier field reports"),
                                  error_messages={"invalid_choice": _("Not a report you may read.")})
    careers_debriefing = IdField(None, required=False, label=_("End-of-mission debriefing (id)"),
                                 error_messages={"invalid_choice": _("Unknown end-of-mission debriefing.")})

    def __init__(self, *args, user, **kwargs):
        from dividend.careers.models import Debriefing

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["officer"].queryset = debriefing_officers(user)
        self.fields["group"].queryset = Audience.objects.filter(breadth=Breadth.NAMED, members=user)
        self.fields["reports"].queryset = FieldReport.objects.visible_to(user)
        self.fields["careers_debriefing"].queryset = Debriefing.objects.all()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("A debriefing is recorded once it has been held: the date is in the future."))
        return held_on

    def clean_content(self):
        return self.cleaned_data["content"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        try:
            refuse_classified(content=data.get("content"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data

