"""The one input boundary of the targets app (pages, API and the take_snapshots command)."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import IdField
from dividend.pools.models import Pool

from . import access
from .models import FIRST_YEAR, LAST_YEAR, Bound, Kind, Measure, Target, target_problems


class PoolChoice(IdField):
    def label_from_instance(self, obj):
        return obj.name


def _to_form_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    pool = PoolChoice(Pool.objects.none(), required=False, label=_("Pool"),
                      empty_label=_("National (every pool)"))
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices,
                                help_text=_("A share is a percentage of: the police service's headcount for officers "
                                            "deployed; the officers at command level deployed for women at command "
                                            "level; the officers deployed for the others."))
    bound = forms.ChoiceField(label=_("Bound"), choices=Bound.choices)
    value = forms.DecimalField(label=_("Value"), max_digits=9, decimal_places=2,
                               error_messages={"max_digits": _("A target has at most 7 digits before the point.")})
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, target: Target | None = None, **kwargs):
        if target is not None and "initial" not in kwargs:
            kwargs["initial"] = {"year": target.year, "pool": target.pool_id, "kind": target.kind,
                                 "measure": target.measure, "bound": target.bound, "value": target.value,
                                 "note": target.note}
        super().__init__(*args, **kwargs)
        pools = access.setter_pools(user)
        self.fields["pool"].queryset = Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(
            pk__in=pools)
        if pools is not access.EVERY_POOL:
            self.fields["pool"].required = True
            self.fields["pool"].empty_label = None

    def clean(self):
        data = super().clean()
        for name, message in target_problems(year=data.get("year"), measure=data.get("measure"),
                                             value=data.get("value")).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.Field):
    """A month as YYYY-MM (an <input type="month">); cleaned to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "maxlength": "7"})

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        match = MONTH.match(str(value).strip()[:8])
        if not match or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            raise ValidationError(_("Give a month as YYYY-MM (e.g. 2026-03), from %(first)s to %(last)s.")
                                  % {"first": FIRST_YEAR, "last": LAST_YEAR})
        return dt.date(int(match[1]), int(match[2]), 1)


class MonthRangeForm(forms.Form):
    first_month = MonthField(label=_("From month"))
    last_month = MonthField(label=_("To month"))

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month %(last)s is before the first, %(first)s.")
                           % {"last": f"{last:%Y-%m}", "first": f"{first:%Y-%m}"})
        return data


class SnapshotFilterForm(MonthRangeForm):
    """The snapshot list's filters: a range of months (both optional) and a pool."""

    first_month = MonthField(label=_("From month"), required=False)
    last_month = MonthField(label=_("To month"), required=False)
    pool = PoolChoice(Pool.objects.none(), required=False, label=_("Pool"), empty_label=_("Any"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pools = access.figure_pools(user)
        self.fields["pool"].queryset = Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(
            pk__in=pools)


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             help_text=_("Which records were corrected, and why the snapshot should follow them."))
