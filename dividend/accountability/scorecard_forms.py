"""Accountability's input boundary for the scorecard's model and portfolio planning (the pages and
the API validate through these forms alike)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.common.weights import WeightsForm

from .scorecard import MAX_WEIGHT, PART_LABELS, PARTS

ORGANISATION_FLOORS = (("un", _("At least so many posts in UN missions")),
                       ("eu_csdp", _("At least so many posts in EU CSDP missions")),
                       ("osce", _("At least so many posts in OSCE missions")))


class ScorecardModelForm(WeightsForm):
    """A new version of the scorecard's weights (0–1000 each, at least one above 0) and why."""

    parts, labels, max_weight = PARTS, PART_LABELS, MAX_WEIGHT


class PortfolioForm(forms.Form):
    """A portfolio planning run's parameters: the budget and what a post costs, and the targets as
    constraints (empty: no such constraint)."""

    label = forms.CharField(label=_("Label"), max_length=120, required=False, validators=[no_markup])
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=14, decimal_places=2,
                                help_text=_("For the posts chosen, over their months."))
    cost_per_person_month = forms.DecimalField(label=_("Cost per person-month"), min_value=0, max_digits=12,
                                               decimal_places=2)
    months_per_post = forms.IntegerField(label=_("Months per post"), min_value=1, max_value=60, initial=12)
    max_total = forms.IntegerField(label=_("At most so many posts in all"), min_value=0, max_value=100_000,
                                   required=False)
    min_women = forms.IntegerField(label=_("At least so many women deployable"), min_value=0, max_value=100_000,
                                   required=False,
                                   help_text=_("The chosen positions must leave room to deploy that many women "
                                               "among the officers likely available for them."))
    min_un = forms.IntegerField(label=ORGANISATION_FLOORS[0][1], min_value=0, max_value=100_000, required=False)
    min_eu_csdp = forms.IntegerField(label=ORGANISATION_FLOORS[1][1], min_value=0, max_value=100_000, required=False)
    min_osce = forms.IntegerField(label=ORGANISATION_FLOORS[2][1], min_value=0, max_value=100_000, required=False)

    def parameters(self) -> dict:
        d = self.cleaned_data
        return {"label": d.get("label") or "", "budget": float(d["budget"]),
                "cost_per_person_month": float(d["cost_per_person_month"]), "months_per_post": d["months_per_post"],
                "max_total": d.get("max_total"), "min_women": d.get("min_women"),
                "min_per_organisation": {org: d.get(f"min_{org}") for org, _label in ORGANISATION_FLOORS
                                         if d.get(f"min_{org}")}}
