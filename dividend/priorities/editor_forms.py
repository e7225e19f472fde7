"""Input boundary of the model tree editor: one weight, direction and transform field per node."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup

from .editor import AS_WRITTEN, NO_TRANSFORM, SIMPLE_TRANSFORMS, NewNode, TreeRow, fmt_number

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


class AddNodeForm(forms.Form):
    """An indicator to add under a dimension or category of the tree, optionally in a new category."""

    parent = forms.ChoiceField(label=_("Under"))
    node_id = forms.RegexField(label=_("Id"), regex=r"^[a-z][a-z0-9_]*\Z", max_length=60,
                               error_messages={"invalid": _("Lower-case letters, digits and _, starting with a letter.")})
    label = forms.CharField(label=_("Label"), max_length=120, validators=[no_markup])
    dataset = forms.CharField(label=_("Dataset"), max_length=80)
    column = forms.CharField(label=_("Column"), max_length=120)
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=1_000_000, initial=1, localize=False,
                              widget=forms.NumberInput(attrs={"step": "any", "min": "0"}))
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTION_CHOICES, initial="higher_is_more_relevant")
    category_id = forms.RegexField(label=_("New category: id"), regex=r"^[a-z][a-z0-9_]*\Z", max_length=60,
                                   required=False,
                                   help_text=_("Leave empty to add the indicator directly under the node chosen."),
                                   error_messages={"invalid": _("Lower-case letters, digits and _, starting with a "
                                                                "letter.")})
    category_label = forms.CharField(label=_("New category: label"), max_length=120, required=False,
                                     validators=[no_markup])

    def __init__(self, *args, rows: list[TreeRow], **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(row.id, "· " * row.depth + row.label) for row in rows
                                         if not row.indicator and not row.reference]

    def new_node(self) -> NewNode:
        data = self.cleaned_data
        return NewNode(parent=data["parent"], id=data["node_id"], label=data["label"], dataset=data["dataset"],
                       column=data["column"], weight=data["weight"], direction=data["direction"],
                       category_id=data["category_id"], category_label=data["category_label"])
