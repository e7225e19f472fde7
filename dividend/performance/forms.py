"""The performance app's input boundary: the web pages and the API validate through these forms, and
the services check again on their own path to the tables. Bad input (a period in the wrong order, a
value with no source, a rating outside the scale, a target on the wrong side of the baseline) is a
clear error on the field at fault, and nothing is saved."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField

from .models import (
    AREA_GUIDANCE,
    RATING_MAX,
    RATING_MIN,
    RATING_SCALE,
    Area,
    Assessment,
    Direction,
    Indicator,
    IndicatorValue,
    ResultLevel,
)
from .services import (
    contribution_secondments,
    evidence_reports,
    validate_indicator,
    validate_ratings,
    validate_value,
)

NUMBER = {"max_digits": 14, "decimal_places": 2}


def to_form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else the form's own."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class IndicatorForm(forms.Form):
    level = forms.ChoiceField(label=_("Result level"), choices=ResultLevel.choices,
                              help_text=_("Output: what the mission delivers; outcome: what changes because of it; "
                                          "impact: the lasting effect."))
    text = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline = forms.DecimalField(label=_("Baseline"), **NUMBER)
    baseline_date = DateField(label=_("Baseline date"))
    target = forms.DecimalField(label=_("Target"), **NUMBER)
    target_date = DateField(label=_("Target date"), required=False)

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(indicator, name) for name in (
                "level", "text", "unit", "direction", "baseline", "baseline_date", "target", "target_date")}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            return validate_indicator(**{name: data.get(name) for name in (
                "level", "text", "unit", "baseline", "baseline_date", "target", "target_date", "direction")})
        except ValidationError as error:
            to_form_errors(self, error)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Indicator.Status.choices)


class ValueForm(forms.Form):
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    value = forms.DecimalField(label=_("Value"), **NUMBER)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=IndicatorValue._meta.get_field("source").help_text)

    def __init__(self, *args, indicator: Indicator, existing: IndicatorValue | None = None, **kwargs):
        if existing is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(existing, name) for name in ("period_start", "period_end", "value",
                                                                            "source")}
        super().__init__(*args, **kwargs)
        self.indicator, self.existing = indicator, existing

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in ("period_start", "period_end", "value")):
            if not (data.get("source") or "").strip():  # say everything that is wrong at once
                self.add_error("source", gettext("Name the source of the value: the mission's CPAS report of the "
                                                 "quarter, a document reference or a link."))
            return data
        try:
            return validate_value(indicator=self.indicator, existing=self.existing,
                                  **{name: data.get(name) for name in ("period_start", "period_end", "value", "source")})
        except ValidationError as error:
            to_form_errors(self, error)
        return data


class SecondmentChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.officer.full_name} – {obj.position.title} ({obj.start_date.isoformat()})"


class ReportChoices(IdsField):
    def label_from_instance(self, obj):
        # The report's reference, period and kind: a coordinator who may not read reports sees no content.
        return gettext("Field report #%(id)s, %(start)s – %(end)s (%(kind)s)") % {
            "id": obj.pk, "start": obj.period_start.isoformat(), "end": obj.period_end.isoformat(),
            "kind": obj.get_kind_display()}


class ContributionForm(forms.Form):
    secondment = SecondmentChoice(queryset=None, label=_("Secondee"))
    description = forms.CharField(label=_("Contribution"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reports = ReportChoices(queryset=None, required=False, label=_("Field reports as evidence"),
                            help_text=_("The secondee's own reports on the mission that show the contribution."))

    def __init__(self, *args, indicator: Indicator, secondments, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        choices = contribution_secondments(indicator).filter(pk__in=secondments.values("pk")).exclude(
            performance_contributions__indicator=indicator).select_related("officer", "position")
        self.fields["secondment"].queryset = choices
        self.fields["secondment"].error_messages["invalid_choice"] = _(
            "Choose a secondment of your pool on the indicator's mission that has no contribution to it yet.")
        from dividend.reports.models import FieldReport

        self.fields["reports"].queryset = FieldReport.objects.filter(
            mission_id=indicator.mission_id, officer__secondments__in=choices).distinct().order_by("period_start", "id")

    def clean(self):
        data = super().clean()
        secondment, reports = data.get("secondment"), data.get("reports") or []
        if secondment is not None and reports:
            own = set(evidence_reports(secondment).values_list("pk", flat=True))
            wrong = [r.pk for r in reports if r.pk not in own]
            if wrong:
                self.add_error("reports", gettext("Not the officer's own reports on the mission: %(ids)s.") % {
                    "ids": ", ".join(f"#{pk}" for pk in wrong)})
        data["reports"] = list(reports)
        return data


def _rating_field(area) -> str:
    return f"{area}_rating"


class AssessmentForm(forms.Form):
    """An assessment's date and kind, then per area a rating on the scale, a narrative and a source
    (an area left entirely blank is not rated: a later assessment may revisit only some)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Assessment.Kind.choices)
    assessed_on = DateField(label=_("Assessed on"))
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, assessment: Assessment | None = None, **kwargs):
        if assessment is not None and "initial" not in kwargs:
            initial = {"kind": assessment.kind, "assessed_on": assessment.assessed_on, "note": assessment.note}
            for r in assessment.ratings.all():
                initial |= {_rating_field(r.area): r.rating, f"{r.area}_narrative": r.narrative,
                            f"{r.area}_source": r.source}
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        scale = "; ".join(str(label) for _value, label in RATING_SCALE)
        for area in Area:
            self.fields[_rating_field(area.value)] = forms.TypedChoiceField(
                label=area.label, choices=[("", "—"), *RATING_SCALE], coerce=int, required=False, empty_value=None,
                help_text=f"{AREA_GUIDANCE[area]} {scale}",
                error_messages={"invalid_choice": gettext("%(area)s: the rating is %(min)s to %(max)s on the scale.")
                                % {"area": area.label, "min": RATING_MIN, "max": RATING_MAX}})
            self.fields[f"{area.value}_narrative"] = forms.CharField(
                label=gettext("%(area)s: narrative") % {"area": area.label}, max_length=4000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{area.value}_source"] = forms.CharField(
                label=gettext("%(area)s: source") % {"area": area.label}, max_length=300, required=False)

    @classmethod
    def from_api(cls, payload: dict, **kwargs):
        """The API's {kind, assessed_on, note, ratings: {area: {rating, narrative, source}}}: an unknown
        area is an error, as a rating outside the scale."""
        data = {"kind": payload.get("kind") or "", "assessed_on": payload.get("assessed_on") or "",
                "note": payload.get("note") or ""}
        for area, row in (payload.get("ratings") or {}).items():
            row = row or {}
            data |= {_rating_field(area): "" if row.get("rating") is None else str(row["rating"]),
                     f"{area}_narrative": row.get("narrative") or "", f"{area}_source": row.get("source") or ""}
        form = cls(data=data, **kwargs)
        form.unknown_areas = sorted(a for a in (payload.get("ratings") or {}) if a not in Area.values)
        return form

    def area_rows(self):
        """(area, its rating, narrative and source fields) for the template's table."""
        return [(area, self[_rating_field(area.value)], self[f"{area.value}_narrative"], self[f"{area.value}_source"])
                for area in Area]

    def clean(self):
        data = super().clean()
        unknown = getattr(self, "unknown_areas", [])
        if unknown:
            raise ValidationError(gettext("Unknown areas: %(areas)s.") % {"areas": ", ".join(unknown)})
        ratings = {}
        for area in Area.values:
            rating = data.get(_rating_field(area))
            narrative, source = data.get(f"{area}_narrative") or "", data.get(f"{area}_source") or ""
            if _rating_field(area) in self.errors:
                continue
            if rating is None and not narrative.strip() and not source.strip():
                continue  # not rated in this assessment
            ratings[area] = (rating, narrative, source)
        if self.errors:
            return data
        try:
            data["ratings"] = validate_ratings(ratings, kind=data.get("kind"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(_rating_field(field) if field in Area.values else None, messages)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "assessed_on": data["assessed_on"], "note": data.get("note", ""),
                "ratings": data["ratings"]}
