"""The accountability pages' input boundary: the dashboard's filters and the report's period (also
read by the API and the `parliament_report` command)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField
from dividend.pools.access import EVERY_POOL
from dividend.pools.models import Pool

from . import access
from .dashboard import Scope, default_period
from .periods import Period

MAX_DAYS = 366 * 10 + 3  # ten years of months on one page at most


class DashboardForm(forms.Form):
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)
    pool = forms.ModelChoiceField(label=_("Pool"), queryset=Pool.objects.none(), required=False,
                                  empty_label=_("every pool"))

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        pools = access.figure_pools(user)
        self.fields["pool"].queryset = (Pool.objects.order_by("name") if pools is EVERY_POOL
                                        else Pool.objects.filter(pk__in=pools).order_by("name"))
        default = default_period(today)
        self.fields["start"].widget.attrs["placeholder"] = default.start.isoformat()
        self.fields["end"].widget.attrs["placeholder"] = default.end.isoformat()

    def clean(self):
        data = super().clean()
        default = default_period(self.today)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            raise ValidationError({"end": _("The period ends before it starts: the end date must be on or after "
                                            "the start date.")})
        if (end - start).days > MAX_DAYS:
            raise ValidationError({"end": _("The period is longer than ten years: choose a shorter one.")})
        data["period"] = Period.between(start, end)
        return data

    def scope(self) -> Scope:
        return Scope(user=self.user, period=self.cleaned_data["period"], pool=self.cleaned_data.get("pool"),
                     today=self.today)


class ParliamentForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20,
                             help_text=_("A quarter (2026Q3) or a year (2026)."))

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error
