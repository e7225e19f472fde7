"""Input boundary of the model tree editor: one weight, direction and transform field per node."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .editor import AS_WRITTEN, NO_TRANSFORM, SIMPLE_TRANSFORMS, TreeRow, fmt_number

DIRECTION_CHOICES = [("higher_is_more_relevant", _("Higher is more relevant")),
                     ("higher_is_less_relevant", _("Higher is less relevant"))]
TRANSFORM_NAMES = {NO_TRANSFORM: _("None"), "log10": _("Logarithm (log10)"),
                   "log10_plus_1": _("Logarithm of value + 1"), "sqrt": _("Square root")}


class TreeEditForm(forms.Form):
    """Fields named ``weight__ID``, ``direction__ID`` and ``transform__ID`` for the tree's nodes."""

    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, rows: list[TreeRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row.weight is not None:
                self.fields[f"weight__{row.id}"] = forms.FloatField(
                    label=_("Weight of %(node)s") % {"node": row.label}, min_value=0, max_value=1_000_000,
                    initial=fmt_number(row.weight), localize=False,
                    widget=forms.NumberInput(attrs={"step": "any", "min": "0", "class": "weight"}))
            if row.indicator:
                self.fields[f"direction__{row.id}"] = forms.ChoiceField(
                    label=_("Direction of %(node)s") % {"node": row.label}, choices=DIRECTION_CHOICES,
                    initial=row.direction)
                choices = [(name, TRANSFORM_NAMES[name]) for name in (NO_TRANSFORM, *SIMPLE_TRANSFORMS)]
                if row.transform == AS_WRITTEN:
                    choices.insert(0, (AS_WRITTEN, _("As written: %(text)s") % {"text": row.transform_text}))
                self.fields[f"transform__{row.id}"] = forms.ChoiceField(
                    label=_("Transform of %(node)s") % {"node": row.label}, choices=choices, initial=row.transform)

    def bound_rows(self):
        """(row, weight field, direction field, transform field) for the template, fields None where absent."""
        def field(name):
            return self[name] if name in self.fields else None

        return [(row, field(f"weight__{row.id}"), field(f"direction__{row.id}"), field(f"transform__{row.id}"))
                for row in self.rows]

    def edits(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {row.id: {"weight": data.get(f"weight__{row.id}"), "direction": data.get(f"direction__{row.id}"),
                         "transform": data.get(f"transform__{row.id}")} for row in self.rows}
