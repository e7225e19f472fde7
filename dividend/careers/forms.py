"""The careers app's input boundary: the web pages and the API validate through these forms, and
the services check again on their own path to the tables."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField, LevelRowsField, SearchableSelectMultiple
from dividend.pools.access import EVERY_POOL
from dividend.pools.models import Pool
from dividend.reference.models import SKILL_LEVELS, Country, Language, Skill, ThematicArea
from dividend.roster.forms import region_choices

from . import access
from .models import (
    APPRAISAL_ITEM_LABELS,
    MAX_OBJECTIVES,
    MIN_OBJECTIVES,
    RATING_MAX,
    RATING_MIN,
    RATINGS,
    Debriefing,
    LearningPlan,
    PlanReview,
    Vacancy,
)
from .services import appraisal_subjects, follow_up_choices, validate_objectives


def objective_rows_field(label=_("Learning objectives"), column=_("Target level")):
    return LevelRowsField(queryset=Skill.objects.order_by("name"), columns=[("level", column)], levels=SKILL_LEVELS,
                          item_label=_("Skill"), add_label=_("Add an objective"), label=label, required=True)


def _to_form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class LearningPlanForm(forms.Form):
    objectives = objective_rows_field()
    career_plan = forms.CharField(label=_("Career plan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Where the officer's career goes after the secondment, and how the "
                                              "objectives serve it."))

    def __init__(self, *args, user, plan: LearningPlan | None = None, **kwargs):
        if plan is not None and "initial" not in kwargs:
            kwargs["initial"] = {"career_plan": plan.career_plan,
                                 "objectives": [(o.skill, o.target_level) for o in plan.objectives.all()]}
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["objectives"].help_text = _("%(min)s to %(max)s objectives, each a skill with its target level.") % {
            "min": MIN_OBJECTIVES, "max": MAX_OBJECTIVES}

    def clean_career_plan(self):
        return self.cleaned_data["career_plan"].replace("\r\n", "\n").strip()

    def clean_objectives(self):
        rows = self.cleaned_data["objectives"]
        try:
            validate_objectives(rows)
        except ValidationError as error:
            raise ValidationError(error.message_dict["objectives"]) from None
        return rows


class ConfirmForm(forms.Form):
    side = forms.ChoiceField(label=_("Confirm as"), choices=[("officer", _("the officer")),
                                                             ("supervisor", _("the supervisor"))])


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=PlanReview.Stage.choices)
    note = forms.CharField(label=_("Review"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, secondment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if secondment is not None:  # the page offers the stage the secondment is in
            stages = self.stages_for(secondment)
            self.fields["stage"].choices = [(v, label) for v, label in PlanReview.Stage.choices if v in stages]

    @staticmethod
    def stages_for(secondment) -> set:
        from .models import RETURNEE_STATUSES

        if secondment.status == "deployed":
            return {PlanReview.Stage.DURING}
        return {PlanReview.Stage.AFTER} if secondment.status in RETURNEE_STATUSES else set()


class DebriefingForm(forms.ModelForm):
    class Meta:
        model = Debriefing
        fields = [*Debriefing.RESTRICTED_FIELDS, "contacts"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in Debriefing.RESTRICTED_FIELDS}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in Debriefing.RESTRICTED_FIELDS:
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        return {k: (v.replace("\r\n", "\n").strip() if isinstance(v, str) else v) for k, v in data.items()}


RATING_ERROR = _("A rating is %(min)s to %(max)s.") % {"min": RATING_MIN, "max": RATING_MAX}


def _field_name(key: str) -> str:
    return key.replace(":", "_")


class AppraisalForm(forms.Form):
    """One select per subject: each learning objective, then the fixed items. Keys as the API's:
    "objective:<id>" and the item codes."""

    def __init__(self, *args, secondment, user, stored: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.secondment = user, secondment
        plan = LearningPlan.objects.filter(secondment=secondment).first()
        objectives = {} if plan is None else {o.pk: o for o in plan.objectives.select_related("skill")}
        self.keys = appraisal_subjects(secondment)
        for key in self.keys:
            if key.startswith("objective:"):
                o = objectives[int(key.split(":")[1])]
                label = gettext("Objective: %(skill)s (target %(level)s)") % {"skill": o.skill, "level": o.target_level}
            else:
                label = APPRAISAL_ITEM_LABELS[key]
            self.fields[_field_name(key)] = forms.TypedChoiceField(
                label=label, choices=[("", "—"), *RATINGS], coerce=int,
                error_messages={"invalid_choice": RATING_ERROR, "required": _("Give a rating.")})
            if stored and key in stored:
                self.initial[_field_name(key)] = stored[key]

    @classmethod
    def from_api(cls, ratings: dict, **kwargs):
        """The API's {key: rating}: an unknown key is an error, a value out of range too."""
        data = {_field_name(str(k)): ("" if v is None else str(v)) for k, v in ratings.items()}
        form = cls(data=data, **kwargs)
        form.extra_keys = sorted(k for k in ratings if str(k) not in form.keys)
        return form

    def clean(self):
        data = super().clean()
        extra = getattr(self, "extra_keys", [])
        if extra:
            raise ValidationError(gettext("Not rated in this appraisal: %(keys)s.") % {"keys": ", ".join(extra)})
        return data

    def ratings(self) -> dict:
        return {key: self.cleaned_data[_field_name(key)] for key in self.keys}


class FollowUpForm(forms.Form):
    skills_used = forms.MultipleChoiceField(label=_("Which new skills did you use in your post?"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("How you used them"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, secondment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        names = dict(Skill.objects.values_list("code", "name"))
        self.fields["skills_used"].choices = [
            (code, APPRAISAL_ITEM_LABELS.get(code) or gettext(names.get(code, code)))
            for code in follow_up_choices(secondment)]


class PoolChoice(IdField):
    def label_from_instance(self, obj):
        return obj.name


class VacancyForm(forms.Form):
    pool = PoolChoice(Pool.objects.none(), label=_("Pool"))
    post = forms.CharField(label=_("Post"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=120)
    skills = objective_rows_field(label=_("Required skills"), column=_("Level"))
    countries = IdsField(Country.objects.all(), required=False, label=_("Country knowledge"),
                         widget=SearchableSelectMultiple)
    themes = IdsField(ThematicArea.objects.all(), required=False, label=_("Thematic knowledge"),
                      widget=SearchableSelectMultiple)

    def __init__(self, *args, user, vacancy: Vacancy | None = None, **kwargs):
        if vacancy is not None and "initial" not in kwargs:
            kwargs["initial"] = {"pool": vacancy.pool_id, "post": vacancy.post, "unit": vacancy.unit,
                                 "location": vacancy.location,
                                 "skills": [(s.skill, s.level) for s in vacancy.skills.select_related("skill")],
                                 "countries": [c.pk for c in vacancy.countries.all()],
                                 "themes": [t.pk for t in vacancy.themes.all()]}
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["skills"].required = False
        pools = access.manager_pools(user)
        self.fields["pool"].queryset = Pool.objects.all() if pools is EVERY_POOL else Pool.objects.filter(pk__in=pools)

    def clean(self):
        data = super().clean()
        data["skills"] = data.get("skills") or []
        for name in ("post", "unit", "location"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        return data


class ReturneeChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.officer.full_name} – {obj.position.mission.acronym}"


class PlacementForm(forms.Form):
    secondment = ReturneeChoice(queryset=None, label=_("Returnee"))
    start_date = DateField(label=_("Starts on"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secondment"].queryset = candidates
        self.fields["secondment"].error_messages["invalid_choice"] = _(
            "Choose a returnee from the list of candidates.")

    def clean(self):
        data = super().clean()
        secondment, start = data.get("secondment"), data.get("start_date")
        if secondment and start and secondment.end_date and start < secondment.end_date:
            self.add_error("start_date", _("The placement starts on %(start)s, before the return on %(end)s.") % {
                "start": start.isoformat(), "end": secondment.end_date.isoformat()})
        return data


class ReturneeSearchForm(forms.Form):
    country = IdField(Country.objects.all(), required=False, label=_("Country"))
    region = forms.ChoiceField(label=_("Region"), required=False,
                               error_messages={"invalid_choice": _("Unknown region: choose a UN M49 region.")})
    theme = IdField(ThematicArea.objects.all(), required=False, label=_("Theme"))
    language = IdField(Language.objects.all(), required=False, label=_("Language"))
    contacts = forms.CharField(label=_("Network contacts"), required=False, max_length=100)
    within_years = forms.TypedChoiceField(label=_("Back within"), required=False, coerce=int, empty_value=None,
                                          choices=[("", _("any time")), (1, _("1 year")), (2, _("2 years")),
                                                   (5, _("5 years")), (10, _("10 years"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # the roster search's, kept in the cache
