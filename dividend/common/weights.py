"""Weights of a model whose parts combine into one figure (the selection's relevance, the dividend
scorecard): one check of a user's weights, so both refuse the same bad input with the same words,
and one form for setting them."""

from django import forms
from django.utils.translation import gettext_lazy as _


class WeightsError(ValueError):
    """Bad weights: ``problems`` is {part or "weights": message}."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def check_weights(weights, parts, max_weight: float) -> dict[str, float]:
    """The weights as {part: float}, or WeightsError naming every problem: each of `parts` present, a
    number from 0 to `max_weight` (0 leaves it out), at least one above 0, no unknown part."""
    if not isinstance(weights, dict):
        raise WeightsError({"weights": "must be an object of part: weight"})
    problems = {str(k): "unknown part (the parts: " + ", ".join(parts) + ")" for k in weights if k not in parts}
    clean = {}
    for part in parts:
        value = weights.get(part)
        if value is None:
            problems[part] = "missing"
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            problems[part] = "must be a number"
        elif not 0 <= value <= max_weight:
            problems[part] = f"must be from 0 to {max_weight}"
        else:
            clean[part] = float(value)
    if not problems and not any(clean.values()):
        problems["weights"] = "at least one weight must be above 0"
    if problems:
        raise WeightsError(problems)
    return clean


class WeightsForm(forms.Form):
    """A new version of a model's weights (0 to ``max_weight`` each, at least one above 0) and why.
    A subclass names its ``parts`` (in order), their ``labels`` and ``max_weight``; the pages and the
    API validate through it alike."""

    parts: tuple[str, ...] = ()
    labels: dict = {}
    max_weight: float = 1000
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = {part: forms.FloatField(label=self.labels[part], min_value=0, max_value=self.max_weight,
                                          widget=forms.NumberInput(attrs={"step": "any"})) for part in self.parts}
        self.fields = {**weights, "reason": self.fields["reason"]}  # the parts first, the reason last

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(p) for p in self.parts):
            raise forms.ValidationError(_("At least one weight must be above 0."))
        return data

    def weights(self) -> dict[str, float]:
        return {p: self.cleaned_data[p] for p in self.parts}
