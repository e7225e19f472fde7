"""Input boundary of the priorities app: model text, theme weights, datasets, runs, comparisons.

The API passes its JSON bodies through the same forms.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import MAX_ID
from dividend.common.tabular import TabularFileError, check_upload
from dividend.common.validators import no_markup
from dividend.pools.models import Pool
from dividend.reference import names
from dividend.reference.taxonomy import THEME_NAMES

from .access import EVERY_POOL, adoptable_pools, can_adopt_ranking
from .engine import THEMES
from .models import PriorityModel, PriorityRun
from .services import SYNC_DRAWS, YEAR_RANGE


class ModelTextForm(forms.Form):
    text = forms.CharField(label=_("Model file"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
                           strip=False)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def clean_text(self):
        # Browsers send a textarea's lines ending in CR LF; the stored files end them in LF, so an
        # unchanged file would otherwise become a new version.
        return self.cleaned_data["text"].replace("\r\n", "\n")


class HomeCountryForm(forms.Form):
    home_country = forms.CharField(label=_("Home country"), max_length=3, min_length=3,
                                   help_text=_("ISO3 code: BEL, NLD, DEU, SWE, FIN or any other."))


class ThemeWeightsForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for theme in THEMES:
            self.fields[theme] = forms.FloatField(label=names.name(THEME_NAMES[theme]), min_value=0, max_value=1000,
                                                  initial=(weights or {}).get(theme, 0.0))
        self.order_fields([*THEMES, "comment"])

    def weights(self) -> dict[str, float]:
        return {t: self.cleaned_data[t] for t in THEMES}


def checked_upload(upload):
    """A dataset file of a readable kind and size (None: no file, e.g. the API's JSON rows)."""
    if upload is None:
        return upload
    if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
    try:
        check_upload(upload.name, upload)
    except TabularFileError as error:
        raise forms.ValidationError(str(error)) from error
    return upload


class DatasetUploadForm(forms.Form):
    name = forms.RegexField(label=_("Name"), regex=r"^[A-Za-z_][A-Za-z0-9_]*\Z", max_length=60,
                            help_text=_("Used in model files as dataset: NAME, column: value."),
                            error_messages={"invalid": _("Use letters, digits and _ (not starting with a digit).")})
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file = forms.FileField(label=_("File"), help_text=_("CSV or XLSX with columns iso3, year, value."))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


class DatasetEditForm(forms.Form):
    """A dataset's description, and optionally a file that replaces its rows."""

    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file = forms.FileField(label=_("File"), required=False, help_text=_("Optional: CSV or XLSX with columns iso3, year, value; "
                                                     "replaces every row. Empty: the rows stay."))

    def __init__(self, *args, dataset, user=None, **kwargs):
        super().__init__(*args, initial={"description": dataset.description}, **kwargs)
        self.dataset, self.user = dataset, user

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


class RunForm(forms.Form):
    model = forms.ModelChoiceField(label=_("Model"), queryset=PriorityModel.objects.none(), to_field_name="name")
    version = forms.IntegerField(label=_("Version"), min_value=1, required=False, help_text=_("Empty: the current version."))
    home_country = forms.CharField(label=_("Home country"), max_length=3, min_length=3, required=False,
                                   help_text=_("Empty: the model's home country."))
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1], required=False,
                              help_text=_("Evaluate the model as of this year (latest data up to it); "
                                        "empty: the years in the model file."))
    # The page and the API compute in the request: SYNC_DRAWS is their limit (the command goes further).
    draws = forms.IntegerField(
        min_value=0, max_value=SYNC_DRAWS, initial=1000, required=False, label=_("Draws"),
        help_text=format_lazy(_("Monte Carlo draws, 0 to {} (0: no robustness analysis)."), f"{SYNC_DRAWS:,}"),
        error_messages={"max_value": format_lazy(_("At most {} draws here; for more use the command "
                                                   "manage.py rank_countries --mc N."), f"{SYNC_DRAWS:,}")})
    method = forms.ChoiceField(label=_("Method"), choices=PriorityRun.Method.choices, initial=PriorityRun.Method.DIRICHLET,
                               required=False)
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**62, required=False, help_text=_("Empty: random (stored)."))
    label = forms.CharField(label=_("Label"), max_length=200, required=False, validators=[no_markup])

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
                    self.add_error("version", _("%(model)s has no version %(number)s.") % {"model": model.name, "number": number})
            if data.get("home_country"):
                data["home_country"] = data["home_country"].upper()
        data["draws"] = data.get("draws") or 0
        data["method"] = data.get("method") or PriorityRun.Method.DIRICHLET
        return data


class CompareForm(forms.Form):
    """Two runs; a run page links here with run A only, and the page then asks for run B."""

    a = forms.IntegerField(label=_("Run A (before)"), min_value=1, max_value=MAX_ID)
    b = forms.IntegerField(label=_("Run B (after)"), min_value=1, max_value=MAX_ID, required=False)


NATIONAL = ""  # the agency choice of the national reference ranking


class AdoptionForm(forms.Form):
    """Which agency's reference ranking (national or a pool the user adopts for) and why."""

    agency = forms.ChoiceField(required=False, label=_("Agency"), help_text=_("National: the reference the agencies are compared with."))
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             label=_("Reason"), help_text=_("Why this run is the reference (kept with the decision and in the audit log)."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = adoptable_pools(user)
        pools = Pool.objects.all() if ids is EVERY_POOL else Pool.objects.filter(pk__in=ids or ())
        choices = [(NATIONAL, _("National reference"))] if can_adopt_ranking(user, None) else []
        self.pools = {p.code: p for p in pools}
        self.fields["agency"].choices = choices + [(p.code, p.name) for p in pools]

    def clean_agency(self):
        code = self.cleaned_data["agency"]
        return None if code == NATIONAL else self.pools[code]


class WithdrawAdoptionForm(forms.Form):
    reason = forms.CharField(max_length=2000,
                             label=_("Reason"), help_text=_("Why the agency has no reference ranking from now on."))
