"""Input boundary of the roster: search, officer edit, self-service, qualifications, import rows."""

import datetime as dt
import functools

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dividend.common.collation import rules_for, sort_key
from dividend.common.fields import DateField, IdField, IdsField, LevelRowsField, SearchableSelectMultiple
from dividend.common.tabular import TabularFileError, check_upload
from dividend.pools.access import EVERY_POOL
from dividend.pools.models import Pool
from dividend.reference import names
from dividend.reference.models import (
    CEFR_BY_NAME,
    CEFR_LEVELS,
    SKILL_LEVELS,
    Country,
    Language,
    QualificationType,
    Rank,
    Skill,
    ThematicArea,
)

from . import access
from .models import GENDER_CHOICES, Officer, excess_restricted_data
from .parsing import RelatedValues
from .search import SORTS, RosterQuery

MAX_PAIRS = 10
# What the sort menu says for each of the search's orders (a new order needs its words here).
SORT_LABELS = {
    "name": _("Name A–Z"),
    "-name": _("Name Z–A"),
    "rank": _("Rank, lowest first"),
    "-rank": _("Rank, highest first"),
    "pool": _("Pool"),
    "available": _("Available soonest"),
    "service_number": _("Service number"),
}


def parse_pairs(values, levels, *, model, field_label, max_level, level_names=None, known=None):
    """Turn `id:level` strings (or ids with a parallel list of levels) into [(id, level)].

    Level names (e.g. CEFR "B2") are accepted where `level_names` maps them. `known`: the valid ids,
    when the caller has them already (else they are read from `model`).
    """
    pairs, errors = [], []
    if known is None:
        known = set(model.objects.values_list("id", flat=True))
    for index, raw in enumerate(v for v in values if str(v).strip()):
        raw = str(raw).strip()
        item, _, level = raw.partition(":")
        if not level:
            level = levels[index] if index < len(levels) and str(levels[index]).strip() else "1"
        level = str(level).strip()
        if level_names and level.upper() in level_names:
            level = level_names[level.upper()]
        try:
            item_id, level_value = int(item), int(level)
        except (TypeError, ValueError):
            errors.append(f"{field_label} '{raw}' is not of the form id:level.")
            continue
        if item_id not in known:
            errors.append(f"Unknown {field_label.lower()} {item_id}.")
        elif not 1 <= level_value <= max_level:
            errors.append(f"{field_label} level must be between 1 and {max_level}, not {level_value}.")
        else:
            pairs.append((item_id, level_value))
    if len(pairs) > MAX_PAIRS:
        errors.append(f"At most {MAX_PAIRS} {field_label.lower()} filters.")
    if errors:
        raise ValidationError(errors)
    return pairs


def region_choices():
    """UN M49 regions and subregions; cached, they change only with the reference data."""

    def load():
        regions = set(Country.objects.exclude(region="").values_list("region", flat=True))
        subregions = set(Country.objects.exclude(subregion="").values_list("subregion", flat=True))
        return [(r, r) for r in regions | subregions]

    # "any" and the names outside the cache: they are said (and sorted) in the reader's language.
    return [("", _("any"))] + names.sorted_by_name(cache.get_or_set("dividend:regions", load, 600))


def country_choices():
    """(id, name) of every country, named and sorted in the reader's language; cached like the regions
    (the English names: each reader's are made from them)."""
    stored = cache.get_or_set("dividend:country-choices", lambda: list(Country.objects.values_list("id", "name")), 600)
    return names.sorted_by_name(stored, translate=names.country_name)


def search_reference_choices() -> dict[str, list[tuple]]:
    """Skills, languages, themes, qualification types and ranks for the search form, in one query
    (each would be a round trip, about half a millisecond on PostgreSQL, on every search).

    {"skill": [(id, name)], "language": [...], "theme": [...], "qualification": [(id, name, restricted)],
    "rank": [(order, name)]}: names in the reader's language, ranks by their order, the others by
    name in the rules of that language (common.collation).
    """
    def part(model, kind, *, sort=None, flag=None):
        return model.objects.order_by().values_list(
            Value(kind, output_field=CharField()), "id", "name", sort or Value("", output_field=CharField()),
            flag or Value(0, output_field=IntegerField()))

    rows = part(Skill, "skill", sort="kind").union(
        part(Language, "language"), part(ThematicArea, "theme"),
        part(QualificationType, "qualification", flag=Cast("restricted", IntegerField())), part(Rank, "rank", flag="order"), all=True)
    return {kind: list(choices) for kind, choices in _grouped_choices(tuple(rows), get_language()).items()}


@functools.lru_cache(maxsize=16)
def _grouped_choices(rows: tuple, language: str) -> dict[str, tuple]:
    # Named and sorted once per set of rows and language: every search translated and collated the
    # 150 reference names anew (1.0 ms of the roster page's CPU, profiled 4 December).
    grouped: dict[str, list[tuple]] = {"skill": [], "language": [], "theme": [], "qualification": [], "rank": []}
    rules = rules_for(language)
    shown = [(kind, pk, names.name(name), flag) for kind, pk, name, _sort, flag in rows]

    def order(row):  # ranks by their order, the others by name
        kind, pk, name, flag = row
        return kind, flag if kind == "rank" else 0, sort_key(name, rules), pk

    for kind, pk, name, flag in sorted(shown, key=order):
        if kind == "qualification":
            grouped[kind].append((pk, name, bool(flag)))
        elif kind == "rank":
            grouped[kind].append((flag, name))
        else:
            grouped[kind].append((pk, name))
    return {kind: tuple(choices) for kind, choices in grouped.items()}


class RosterSearchForm(forms.Form):
    text = forms.CharField(required=False, max_length=200, label=_("Free text"))
    country = IdsField(Country.objects.all(), required=False, label=_("Country expertise"))
    region = forms.ChoiceField(required=False, label=_("Region expertise"))
    # Choices set from search_reference_choices: checked without a query of their own.
    theme = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("Thematic expertise"))
    available_from = DateField(required=False, label=_("Available from"))
    available_to = DateField(required=False, label=_("Until"))
    min_months = forms.IntegerField(required=False, min_value=1, max_value=60, label=_("For at least (months)"))
    available_since = DateField(required=False, label=_("Became available since"))
    qualification = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("Qualifications valid"))
    qualified_on = DateField(required=False,
                                   label=_("Valid on"))
    pool = IdsField(Pool.objects.all(), required=False, label=_("Pool"))
    gender = forms.MultipleChoiceField(choices=GENDER_CHOICES, required=False, label=_("Gender"))
    min_rank = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Minimum rank"))
    sort = forms.ChoiceField(choices=[(k, SORT_LABELS[k]) for k in SORTS], required=False, label=_("Sort by"))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = search_reference_choices()
        self.fields["region"].choices = region_choices()
        self.fields["min_rank"].choices = [("", _("any"))] + choices["rank"]
        self.fields["theme"].choices = choices["theme"]
        # Filtering on medical or clearance validity would reveal restricted data.
        restricted_ok = user is None or access.has_need_to_know_in_all_pools(user)
        self.fields["qualification"].choices = [(pk, name) for pk, name, restricted in choices["qualification"]
                                                if restricted_ok or not restricted]
        if user is not None:
            self.fields["pool"].queryset = Pool.objects.visible_to(user)
        self.skill_choices = choices["skill"]
        self.language_choices = choices["language"]

    def clean(self):
        data = super().clean()
        raw = self.data
        getlist = raw.getlist if hasattr(raw, "getlist") else (lambda k: raw.get(k, []) if isinstance(
            raw.get(k, []), list) else [raw.get(k)])
        try:
            data["skills"] = parse_pairs(getlist("skill"), getlist("skill_level"), model=Skill,
                                         field_label="Skill", max_level=4, known={pk for pk, _ in self.skill_choices})
        except ValidationError as error:
            self.add_error(None, error)
        try:
            data["languages"] = parse_pairs(getlist("language"), getlist("language_level"), model=Language,
                                            field_label="Language", max_level=6, level_names=CEFR_BY_NAME,
                                            known={pk for pk, _ in self.language_choices})
        except ValidationError as error:
            self.add_error(None, error)
        start, end = data.get("available_from"), data.get("available_to")
        if end and not start:
            self.add_error("available_from", _("Give the start of the period too."))
        if start and end and end < start:
            self.add_error("available_to", _("The end of the period is before its start."))
        months = data.get("min_months")
        if months and not start:
            self.add_error("available_from", _("Give the date from which the officer must be available."))
        if months and start and end:
            from .models import add_months

            if add_months(start, months) > end:
                self.add_error("min_months", _("The period %(start)s – %(end)s is shorter than %(months)s months.")
                               % {"start": start, "end": end, "months": months})
        return data

    def to_query(self) -> RosterQuery:
        data = self.cleaned_data
        return RosterQuery(
            text=data.get("text") or "",
            skills=data.get("skills", []),
            languages=data.get("languages", []),
            countries=[c.id for c in data.get("country") or []],
            region=data.get("region") or "",
            themes=list(data.get("theme") or []),
            available_from=data.get("available_from"),
            available_to=data.get("available_to"),
            min_months=data.get("min_months"),
            available_since=data.get("available_since"),
            qualifications=list(data.get("qualification") or []),
            qualified_on=data.get("qualified_on"),
            pools=[p.id for p in data.get("pool") or []],
            genders=data.get("gender") or [],
            min_rank_order=data.get("min_rank"),
            sort=data.get("sort") or "name",
        )


class CrisisQueryForm(forms.Form):
    within_days = forms.IntegerField(min_value=0, max_value=365, initial=14, label=_("Deploy within (days)"))
    duration_months = forms.IntegerField(min_value=1, max_value=24, initial=3, label=_("For (months)"))
    theme = IdField(ThematicArea.objects.all(), required=False, label=_("Thematic expertise"))
    country = IdField(Country.objects.all(), required=False, label=_("Country expertise"))
    region = forms.ChoiceField(required=False, label=_("Region expertise"))
    skill = IdField(Skill.objects.all(), required=False, label=_("Skill"))
    language = IdField(Language.objects.all(), required=False, label=_("Language"))
    language_level = forms.TypedChoiceField(choices=CEFR_LEVELS, coerce=int, initial=4, required=False,
                                            label=_("Language level"))
    # Medical fitness and clearance too: the query answers only whether each is valid on departure,
    # never its dates.
    required_qualification = IdsField(
        QualificationType.objects.all(), required=False, label=_("Also required (valid on departure)"),
        help_text=_("Only whether each is valid on the departure date counts; no dates are shown."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("theme", "country", "region", "skill")):
            raise ValidationError(_("Say what the deployment is for: a theme, a country, a region or a skill."))
        return data


# The officer's fields as people call them (the model's field names are not translated).
OFFICER_LABELS = {
    "pool": _("Pool"), "service_number": _("Service number"), "first_name": _("First name"),
    "last_name": _("Last name"), "rank": _("Rank"), "gender": _("Gender"), "date_of_birth": _("Date of birth"),
    "service_start": _("Police service since"),
    "misconduct_recorded_on": _("Substantiated misconduct finding (earlier mission) on record since"),
    "email": _("Email"), "phone": _("Phone"), "emergency_contact_name": _("Emergency contact: name"),
    "emergency_contact_phone": _("Emergency contact: phone"), "available_from": _("Available from"),
    "max_duration_months": _("Longest secondment (months)"), "country_expertise": _("Country expertise"),
    "thematic_expertise": _("Thematic expertise"), "skills": _("Skills"), "languages": _("Languages"),
}
def skill_rows_field():
    """Skills as rows of a skill and its level (1–4)."""
    return LevelRowsField(queryset=Skill.objects.order_by("name"), columns=[("level", _("Level"))],
                          levels=SKILL_LEVELS, item_label=_("Skill"), add_label=_("Add a skill"), label=_("Skills"))


def language_rows_field():
    """Languages as rows of a language and its CEFR levels for speaking, reading and writing."""
    return LevelRowsField(
        queryset=Language.objects.order_by("name"),
        columns=[("speaking", _("Speaking")), ("reading", _("Reading")), ("writing", _("Writing"))],
        levels=CEFR_LEVELS, item_label=_("Language"), add_label=_("Add a language"), label=_("Languages"))


def skill_rows(officer) -> list[tuple]:
    return [(s.skill_id, s.level) for s in officer.skills.order_by("skill__name")]


def language_rows(officer) -> list[tuple]:
    return [(lang.language_id, lang.speaking, lang.reading, lang.writing)
            for lang in officer.languages.order_by("language__name")]


class OfficerForm(forms.ModelForm):
    """Create or edit an officer (coordinators, HR). Used by the import too, row by row.

    Skills and languages are rows of selects (common.fields.LevelRowsField); left out (None in
    cleaned_data) they are not changed. The import checks its rows with OfficerImportForm.
    """

    skills = skill_rows_field()
    languages = language_rows_field()

    class Meta:
        model = Officer
        fields = ["pool", "service_number", "first_name", "last_name", "rank", "gender", "date_of_birth",
                  "service_start", "email", "phone", "emergency_contact_name", "emergency_contact_phone",
                  "misconduct_recorded_on", "available_from", "max_duration_months", "country_expertise",
                  "thematic_expertise"]
        field_classes = {"date_of_birth": DateField, "service_start": DateField, "misconduct_recorded_on": DateField,
                         "available_from": DateField, "pool": IdField, "rank": IdField, "country_expertise": IdsField,
                         "thematic_expertise": IdsField}
        labels = OFFICER_LABELS
        widgets = {"country_expertise": SearchableSelectMultiple, "thematic_expertise": SearchableSelectMultiple}

    def __init__(self, *args, user=None, reference: RelatedValues | None = None, **kwargs):
        """`reference`: reference records read once for many forms of one user (the import's rows);
        the choices are then checked against it, by the same rules, without a query per form. A
        caller passing it checks the (pool, service number) key of its rows itself."""
        super().__init__(*args, **kwargs)
        self.reference = reference
        pools = access.editor_pools(user) if user is not None else EVERY_POOL
        if pools is not EVERY_POOL:
            self.fields["pool"].queryset = Pool.objects.filter(id__in=pools)
        if not self.shows_restricted(user, self.instance):
            for name in Officer.RESTRICTED_FIELDS:
                self.fields.pop(name, None)
        if reference is not None:
            for name in ("pool", "rank", "country_expertise", "thematic_expertise"):
                self.fields[name].known = reference.choices(name, self.fields[name].queryset)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("skills", skill_rows(self.instance))
            self.initial.setdefault("languages", language_rows(self.instance))

    @staticmethod
    def shows_restricted(user, instance) -> bool:
        """Whether the form for this user and officer has the restricted fields."""
        if user is None:
            return True
        # A new record's pool is not chosen yet: need-to-know in every pool the user works with.
        return access.can_see_restricted(user, instance) if instance.pk else access.has_need_to_know_in_all_pools(user)

    def validate_another(self, data, instance: Officer) -> bool:
        """Validate another row with this bound form: same user, same fields (same shows_restricted),
        same rules and messages. Why: an import validates 10,000 rows, and building a form per row
        spent most of the time copying the form's fields; cleaned_data and errors are new objects
        for each row, so a caller may keep them."""
        self.data, self.instance = data, instance
        self._errors = None  # the bound fields stay: they read self.data afresh
        return self.is_valid()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.reference is not None:
            # Pool and rank were checked against the reference records (the fields' known choices),
            # which spares the model's query per row; with them goes the (pool, service number)
            # uniqueness check, which a caller passing `reference` makes itself for all rows at once.
            exclude |= {"pool", "rank"}
        return exclude

    def validate_unique(self):
        if self.reference is not None:
            # The only constraint is (pool, service number) unique, which the caller checks for all
            # rows at once (see __init__); skipping the walk over the model's constraints spared
            # about a tenth of the import's validation time (profiled at 10,000 rows).
            return
        super().validate_unique()

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value > dt.date.today() - dt.timedelta(days=365 * 17):
            raise ValidationError(_("An officer must be at least 17 years old."))
        if value and value < dt.date(1930, 1, 1):
            raise ValidationError(_("Check the date of birth: it is before 1930."))
        return value


class OfficerImportForm(OfficerForm):
    """The officer form for one row of an import file, where skills and languages are written in
    the compact text form (roster.parsing); left out (None in cleaned_data) they are not changed."""

    skills = forms.CharField(required=False)
    languages = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_of_birth", "service_start", "misconduct_recorded_on", "available_from"):
            if name not in self.fields:  # a restricted field the user may not change
                continue
            # A file's dates are ISO (yyyy-mm-dd), as the template and the qualifications column: never
            # the page's language (en-gb would read 01/02/1990 as 1 February, another as 2 January).
            self.fields[name].input_formats = ["%Y-%m-%d"]

    def _related(self, name, parser):
        if name not in self.data:
            return None
        try:
            return parser(self.cleaned_data[name] or "")
        except ValueError as error:
            raise ValidationError(str(error).split(": ", 1)[-1]) from error

    def clean_skills(self):
        return self._related("skills", (self.reference or RelatedValues()).skills_of)

    def clean_languages(self):
        return self._related("languages", (self.reference or RelatedValues()).languages_of)


class OwnProfileForm(forms.ModelForm):
    """What a secondee may change on their own profile: contacts, availability, languages."""

    languages = language_rows_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("languages", language_rows(self.instance))

    class Meta:
        model = Officer
        fields = list(Officer.SELF_EDITABLE_FIELDS)
        field_classes = {"available_from": DateField}
        labels = OFFICER_LABELS


class QualificationForm(forms.Form):
    """Add a qualification to an officer, or (with `qualification`) correct one.

    Medical fitness and clearance are offered only to whom may see them for this officer.
    """

    qualification_type = IdField(QualificationType.objects.all(), label=_("Qualification"))
    issued_on = DateField(required=False, label=_("Issued on"))
    expires_on = DateField(required=False, label=_("Expires on"))
    level = forms.CharField(required=False, max_length=40, label=_("Level"))
    reference = forms.CharField(required=False, max_length=80, label=_("Reference"))

    def __init__(self, *args, user=None, officer=None, qualification=None, **kwargs):
        if qualification is not None:
            officer = qualification.officer
            kwargs.setdefault("initial", {name: getattr(qualification, name) for name in (
                "issued_on", "expires_on", "level", "reference")} | {"qualification_type": qualification.qualification_type_id})
        super().__init__(*args, **kwargs)
        self.user, self.officer, self.qualification = user, officer, qualification
        if user is not None and officer is not None and not access.can_see_restricted(user, officer):
            # Medical and clearance records are need-to-know: not even offered to others.
            self.fields["qualification_type"].queryset = QualificationType.objects.filter(restricted=False)

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("The expiry date is before the issue date."))
        data["level"] = (data.get("level") or "").strip().lower() if (
            data.get("qualification_type") and data["qualification_type"].restricted) else data.get("level", "")
        for name, message in excess_restricted_data(data.get("qualification_type"), level=data.get("level", ""),
                                                    reference=data.get("reference", "")).items():
            self.add_error(name, message)
        return data


class DecisionForm(forms.Form):
    confirm = forms.TypedChoiceField(choices=[("1", _("Confirm")), ("0", _("Reject"))], coerce=lambda v: v == "1",
                                     label=_("Decision"))
    reason = forms.CharField(required=False, max_length=500, label=_("Reason"))


class ExpiringForm(forms.Form):
    """The expiring qualifications list: how far ahead to look."""

    days = forms.IntegerField(required=False, min_value=1, max_value=366, label=_("Expiring within (days)"))
    page = forms.IntegerField(required=False, min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV (UTF-8) or XLSX, one officer per row; see the template for columns."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        try:
            check_upload(name, upload)
        except TabularFileError as error:
            raise ValidationError(str(error)) from error
        return upload
