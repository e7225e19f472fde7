"""Input boundary of the priorities app: model text, theme weights, datasets, runs, comparisons.

The API passes its JSON bodies through the same forms.
"""

from django import forms

from dividend.reference.taxonomy import THEME_NAMES

from .engine import THEMES
from .models import PriorityModel, PriorityRun
from .services import MAX_DRAWS, YEAR_RANGE

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ModelTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
                           strip=False)
    comment = forms.CharField(max_length=300, required=False)


class HomeCountryForm(forms.Form):
    home_country = forms.CharField(max_length=3, min_length=3,
                                   help_text="ISO3 code: BEL, NLD, DEU, SWE, FIN or any other.")


class ThemeWeightsForm(forms.Form):
    comment = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for theme in THEMES:
            self.fields[theme] = forms.FloatField(label=THEME_NAMES[theme], min_value=0, max_value=1000,
                                                  initial=(weights or {}).get(theme, 0.0))
        self.order_fields([*THEMES, "comment"])

    def weights(self) -> dict[str, float]:
        return {t: self.cleaned_data[t] for t in THEMES}


class DatasetUploadForm(forms.Form):
    name = forms.RegexField(regex=r"^[A-Za-z_][A-Za-z0-9_]*\Z", max_length=60,
                            help_text="Used in model files as dataset: NAME, column: value.",
                            error_messages={"invalid": "Use letters, digits and _ (not starting with a digit)."})
    description = forms.CharField(max_length=300, required=False)
    file = forms.FileField(help_text="CSV or XLSX with columns iso3, year, value.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:  # the API's JSON rows
            return upload
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


class RunForm(forms.Form):
    model = forms.ModelChoiceField(queryset=PriorityModel.objects.none(), to_field_name="name")
    version = forms.IntegerField(min_value=1, required=False, help_text="Empty: the current version.")
    home_country = forms.CharField(max_length=3, min_length=3, required=False,
                                   help_text="Empty: the model's home country.")
    year = forms.IntegerField(min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1], required=False,
                              help_text="Evaluate the model as of this year (latest data up to it); "
                                        "empty: the years in the model file.")
    draws = forms.IntegerField(min_value=0, max_value=MAX_DRAWS, initial=1000, required=False,
                               help_text=f"Monte Carlo draws, 0 to {MAX_DRAWS:,} (0: no robustness analysis).")
    method = forms.ChoiceField(choices=PriorityRun.Method.choices, initial=PriorityRun.Method.DIRICHLET,
                               required=False)
    seed = forms.IntegerField(min_value=0, max_value=2**62, required=False, help_text="Empty: random (stored).")
    label = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = PriorityModel.objects.visible_to(user).with_current()

    def clean(self):
        data = super().clean()
        model, number = data.get("model"), data.get("version")
        if model is not None:
            if number is None:
                data["model_version"] = model.current_version
            else:
                data["model_version"] = model.versions.filter(number=number).first()
                if data["model_version"] is None:
                    self.add_error("version", f"{model.name} has no version {number}.")
            if data.get("home_country"):
                data["home_country"] = data["home_country"].upper()
        data["draws"] = data.get("draws") or 0
        data["method"] = data.get("method") or PriorityRun.Method.DIRICHLET
        return data


class CompareForm(forms.Form):
    a = forms.IntegerField(label="Run A (before)")
    b = forms.IntegerField(label="Run B (after)")
