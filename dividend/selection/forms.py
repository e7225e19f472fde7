"""The selection app's input boundary: the web pages, the position import and the API all validate
through these forms."""

import datetime as dt
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField, IdsField, SearchableSelectMultiple
from dividend.common.weights import WeightsForm
from dividend.missions.models import Burden, JobDescription, Mission, Position
from dividend.pools.access import EVERY_POOL
from dividend.pools.models import Pool
from dividend.reference.models import QualificationType, ThematicArea
from dividend.reference.names import name as reference_name
from dividend.roster.models import Officer

from . import access
from .criteria import refuse_when_locked, rule_set_problems
from .models import CALL_ORGANISATIONS, Call, Nomination, check_deadlines, criteria_of
from .relevance import ASSESSMENT_PARTS, MAX_WEIGHT, PART_LABELS, PARTS
from .services import new_position


def pools_for(user):
    """The pools a user may send a call to: their own as coordinator (every pool if national)."""
    pools = access.coordinator_pools(user)
    return Pool.objects.all() if pools is EVERY_POOL else Pool.objects.filter(pk__in=pools)


class CallForm(forms.Form):
    """A call for contributions: the organisation's facts, the national pre-deadline and the pools."""

    organisation = forms.ChoiceField(label=_("Organisation"), choices=[(o.value, o.label) for o in CALL_ORGANISATIONS])
    kind = forms.ChoiceField(label=_("Kind"), choices=Call.Kind.choices, initial=Call.Kind.REGULAR)
    reference = forms.CharField(label=_("Reference"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    published_on = DateField(label=_("Publication date"))
    organisation_deadline = DateField(label=_("Organisation's deadline"))
    national_deadline = DateField(label=_("National pre-deadline"),
                                  help_text=_("Nominations close here, before the organisation's deadline."))
    pools = IdsField(Pool.objects.none(), label=_("Pools"), widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, call: Call | None = None, **kwargs):
        if call is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(call, name) for name in
                                 ("organisation", "kind", "reference", "title", "published_on",
                                  "organisation_deadline", "national_deadline", "notes")}
            kwargs["initial"]["pools"] = call.pool_ids()
        super().__init__(*args, **kwargs)
        self.user, self.call = user, call
        allowed = pools_for(user)
        if call is not None:  # the call's own pools stay listed (and kept) for a pool coordinator
            allowed = Pool.objects.filter(pk__in=set(allowed.values_list("pk", flat=True)) | set(call.pool_ids()))
        self.fields["pools"].queryset = allowed.order_by("name")

    def clean_notes(self):
        # Browsers send a textarea's line breaks as CRLF: stored as written, with LF.
        return self.cleaned_data["notes"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        try:
            check_deadlines(data.get("published_on"), data.get("national_deadline"), data.get("organisation_deadline"))
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class CallStatusForm(forms.Form):
    """Move a call on: only the moves allowed from its status."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        moves = [s for s in Call.Status if s in Call.TRANSITIONS[call.status]]
        self.fields["status"].choices = [("", _("choose…"))] + [(s.value, s.label) for s in moves]


def positions_for(call: Call):
    return (Position.objects.filter(mission__organisation=call.organisation)
            .exclude(mission__status=Mission.Status.CLOSED).select_related("mission")
            .order_by("mission__acronym", "title", "id"))


class CallPositionForm(forms.Form):
    """A position offered in a call: an existing position of the registry, or a new one on a mission
    of the registry (from a catalogue job description, or with a title of its own). The position
    import validates every row with this form."""

    position = IdField(Position.objects.none(), label=_("Existing position"), required=False)
    mission = IdField(Mission.objects.none(), label=_("Or a new position on the mission"), required=False)
    job_description = IdField(JobDescription.objects.order_by("title"), label=_("Job description"), required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=150,
                            help_text=_("For a new position without a job description, or to name it otherwise."))
    reference = forms.CharField(label=_("Post number"), required=False, max_length=40)
    posts = forms.IntegerField(label=_("Posts"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["position"].queryset = positions_for(call)
        self.fields["mission"].queryset = (Mission.objects.filter(organisation=call.organisation)
                                           .exclude(status=Mission.Status.CLOSED).order_by("acronym"))
        self.fields["position"].error_messages["invalid_choice"] = _(
            "No such position on an open mission of the call's organisation.")
        self.fields["mission"].error_messages["invalid_choice"] = _(
            "No such mission of the call's organisation in the registry (or it is closed).")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        existing, mission = data.get("position"), data.get("mission")
        if existing is not None and mission is not None:
            raise forms.ValidationError(_("Choose an existing position or a new one on a mission, not both."))
        if existing is None and mission is None:
            raise forms.ValidationError(_("A position needs a mission: choose an existing position or a mission."))
        if existing is None and data.get("job_description") is None and not data.get("title"):
            self.add_error("title", _("A new position needs a job description or a title."))
            return data
        if existing is None:
            data["position"] = new_position(mission=mission, job_description=data.get("job_description"),
                                            title=data.get("title", ""), reference=data.get("reference", ""))
        return data


class CallPositionEditForm(forms.Form):
    posts = forms.IntegerField(label=_("Posts"), min_value=1, max_value=100)


class PositionImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


def nominable_officers(user, call: Call):
    """Officers of the call's pools whom the user may nominate (their own pools as coordinator)."""
    officers = Officer.objects.filter(pool__in=call.pool_ids()).select_related("pool")
    pools = access.coordinator_pools(user)
    if pools is not EVERY_POOL:
        officers = officers.filter(pool__in=pools)
    return officers.order_by("last_name", "first_name", "id")


class OfficerChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name} ({obj.pool.name}, {obj.service_number})"


class NominationForm(forms.Form):
    officer = OfficerChoice(Officer.objects.none(), label=_("Officer"))
    motivation = forms.CharField(label=_("Motivation"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = nominable_officers(user, call)
        self.fields["officer"].error_messages["invalid_choice"] = _(
            "Unknown officer, or not one of the call's pools that you coordinate.")


class OfficersChoice(IdsField):
    def label_from_instance(self, obj):
        return OfficerChoice.label_from_instance(self, obj)


class TeamForm(forms.Form):
    """A specialised team as one package: its members, its leader among them, its equipment list."""

    name = forms.CharField(label=_("Team name"), max_length=120)
    members = OfficersChoice(Officer.objects.none(), label=_("Members"), widget=SearchableSelectMultiple)
    leader = OfficerChoice(Officer.objects.none(), label=_("Team leader"))
    equipment = forms.CharField(label=_("Equipment list"), required=False, max_length=4000,
                                help_text=_("One item per line."), widget=forms.Textarea(attrs={"rows": 4}))
    motivation = forms.CharField(label=_("Motivation"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        officers = nominable_officers(user, call)
        for name in ("members", "leader"):
            self.fields[name].queryset = officers
            self.fields[name].error_messages["invalid_choice"] = _(
                "Unknown officer, or not one of the call's pools that you coordinate.")
        self.fields["members"].error_messages["invalid_choice"] = _(
            "Unknown officer %(value)s, or not one of the call's pools that you coordinate.")

    def clean(self):
        cleaned = super().clean()
        leader, members = cleaned.get("leader"), cleaned.get("members")
        if leader is not None and members is not None and leader not in members:
            self.add_error("leader", _("The team leader must be one of its members."))
        return cleaned


class InterestForm(forms.Form):
    motivation = forms.CharField(label=_("Motivation"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    """The line manager's decision: release, or refuse with a reason."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("", _("choose…")), ("release", _("Release")),
                                                               ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for refusing the release."))
        return data


class ReasonForm(forms.Form):
    """A move that needs a written reason (approval without release, withdrawal)."""

    reason = forms.CharField(label=_("Reason"), max_length=1000)


class OutcomeForm(forms.Form):
    """A proposed decision on a nominee: the outcome, the feedback they read and, when it departs from
    the ranked order or the optimal assignment, the justification (services.propose_decision)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("choose…"))] + [
        (s.value, s.label) for s in Nomination.OUTCOMES])
    feedback = forms.CharField(label=_("Feedback to the nominee"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = DateField(label=_("Secondment start"), required=False, help_text=_("For a selected officer."))
    end_date = DateField(label=_("Secondment end"), required=False,
                         help_text=_("Empty: the position's duration from the start."))
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the decision departs from the ranked order or the optimal assignment."))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Nomination.Status.SELECTED and not data.get("start_date") \
                and "start_date" not in self.errors:
            self.add_error("start_date", _("A selected officer's secondment needs its start date."))
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class CallListForm(forms.Form):
    """The calls board's filter: status (empty: the active calls)."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("active")), ("all", _("all"))] + Call.Status.choices)


class PanelScoreForm(forms.Form):
    """A panel member's score of one nominee: a whole number from 0 to 100 and a comment."""

    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DecisionReviewForm(forms.Form):
    """The second coordinator's answer to a proposed decision: approve, or reject with a reason."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("", _("choose…")), ("approve", _("Approve")),
                                                               ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejecting the decision."))
        return data


class AssignmentForm(forms.Form):
    """The constraints of an assignment run of a call (services.run_assignment): a maximum of
    officers per pool of the call, a minimum share of women (hard, or soft with a penalty per missing
    woman), the officers' stated preferences, every post filled, and where the scores come from."""

    score_source = forms.ChoiceField(label=_("Scores"), initial="ranking", choices=[
        ("ranking", _("The ranking's scores")), ("panel", _("The panel's mean scores"))])
    fill_all = forms.BooleanField(label=_("Every post must be filled"), required=False)
    min_women_percent = forms.IntegerField(label=_("Minimum share of women (%)"), required=False, min_value=0,
                                           max_value=100, help_text=_("Empty: no minimum. The UN asks for at least "
                                                                      "20%, the EU aims at 40%."))
    women_mode = forms.ChoiceField(label=_("The minimum share is"), initial="hard", choices=[
        ("hard", _("hard (must be met)")), ("soft", _("soft (a penalty per missing woman)"))])
    women_penalty = forms.FloatField(label=_("Penalty per missing woman"), required=False, min_value=0,
                                     max_value=1000)
    preferences = forms.ChoiceField(label=_("Officers' stated preferences"), initial="none", choices=[
        ("none", _("not taken into account")),
        ("only", _("only the positions they expressed interest in")),
        ("bonus", _("a bonus on the positions they expressed interest in"))])
    preference_bonus = forms.FloatField(label=_("Preference bonus"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.pool_fields = []
        for pool in call.pools.all().order_by("code"):
            name = f"pool_{pool.code}"
            self.fields[name] = forms.IntegerField(
                label=_("At most from %(pool)s") % {"pool": pool.name}, required=False, min_value=0, max_value=1000)
            self.pool_fields.append((pool.code, name))

    def clean(self):
        data = super().clean()
        if data.get("women_mode") == "soft" and data.get("min_women_percent") is not None \
                and not data.get("women_penalty"):
            self.add_error("women_penalty", _("A soft minimum needs a penalty above 0."))
        if data.get("preferences") == "bonus" and not data.get("preference_bonus"):
            self.add_error("preference_bonus", _("A preference bonus above 0 is needed."))
        return data

    @classmethod
    def describe(cls, parameters: dict, call: Call) -> list[tuple[str, str]]:
        """A stored run's parameters in words, with this form's labels: (label, value) per field set."""
        fields = cls(call=call).fields
        choice = {name: str(dict(fields[name].choices).get(parameters.get(name), parameters.get(name)))
                  for name in ("score_source", "women_mode", "preferences")}
        out = [(fields["score_source"].label, choice["score_source"]),
               (fields["fill_all"].label, str(_("yes") if parameters.get("fill_all") else _("no")))]
        share = parameters.get("min_women_share")
        if share is not None:
            out.append((fields["min_women_percent"].label, f"{round(share * 100)} % · {choice['women_mode']}"
                        + (f" · {fields['women_penalty'].label}: {float(parameters.get('women_penalty') or 0):g}"
                           if parameters.get("women_mode") == "soft" else "")))
        out.append((fields["preferences"].label, choice["preferences"]
                    + (f" · {fields['preference_bonus'].label}: {float(parameters.get('preference_bonus') or 0):g}"
                       if parameters.get("preferences") == "bonus" else "")))
        names = dict(call.pools.values_list("code", "name"))
        for code, most in sorted((parameters.get("pool_max") or {}).items()):
            out.append((str(_("At most from %(pool)s") % {"pool": names.get(code, code)}), str(most)))
        return [(str(label), value) for label, value in out]

    def parameters(self) -> dict:
        """The run's parameters as stored (a share of women from 0 to 1)."""
        data = self.cleaned_data
        percent = data.get("min_women_percent")
        return {"score_source": data["score_source"], "fill_all": bool(data.get("fill_all")),
                "pool_max": {code: data[name] for code, name in self.pool_fields if data.get(name) is not None},
                "min_women_share": None if percent is None else percent / 100,
                "women_mode": data["women_mode"], "women_penalty": data.get("women_penalty") or 0,
                "preferences": data["preferences"], "preference_bonus": data.get("preference_bonus") or 0}


class RuleSetForm(forms.Form):
    """A new version of an organisation's eligibility rule set, written as JSON (docs/selection.md
    "Rule sets as data"). Every problem the engine finds is shown with its path, all at once."""

    organisation = forms.ChoiceField(label=_("Organisation"), choices=[(o.value, o.label) for o in CALL_ORGANISATIONS])
    rules = forms.CharField(label=_("Rules (JSON)"), max_length=100_000,
                            widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("What changed and why (kept with the version)."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_rules(self):
        text = self.cleaned_data["rules"]
        try:
            data = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from error
        return data

    def clean(self):
        data = super().clean()
        if "rules" in data and data.get("organisation"):
            problems = rule_set_problems(data["organisation"], data["rules"])
            if problems:
                self.add_error("rules", [f"{p.path or _('(rule set)')}: {p.message}" for p in problems])
        return data


class CriteriaForm(forms.Form):
    """A call's ranking criteria: a weight per score part (0 leaves it out), the scoring settings and
    the planned deployment date. Refused once the criteria are locked."""

    PARTS = (("skills", _("Skills")), ("languages", _("Languages")),
             ("country_experience", _("Country or region experience")),
             ("thematic_experience", _("Thematic experience")), ("missions", _("Earlier missions")),
             ("validity_margin", _("Qualification validity margin")))

    missions_full_at = forms.IntegerField(label=_("Earlier missions for the full value"), min_value=1, max_value=20)
    margin_full_at_months = forms.IntegerField(label=_("Validity margin for the full value (months)"),
                                               min_value=1, max_value=120)
    margin_qualifications = forms.MultipleChoiceField(
        label=_("Qualifications whose validity margin counts"), required=False, widget=forms.CheckboxSelectMultiple)
    deployment_date = DateField(label=_("Planned deployment date"), required=False,
                                help_text=_("Eligibility is checked on this date. Empty: the organisation's deadline "
                                            "plus 60 days."))

    def __init__(self, *args, user, call: Call, **kwargs):
        self.user, self.call = user, call
        self.criteria = criteria_of(call)
        weights = self.criteria.weights
        settings = {"missions_full_at": 3, "margin_full_at_months": 12, "margin_qualifications": []}
        settings.update(weights.get("settings", {}))
        kwargs.setdefault("initial", {
            **{f"weight_{part}": weights.get("weights", {}).get(part, 0) for part, _label in self.PARTS},
            **settings, "deployment_date": self.criteria.deployment_date})
        super().__init__(*args, **kwargs)
        for part, label in reversed(self.PARTS):
            self.fields = {f"weight_{part}": forms.IntegerField(label=label, min_value=0, max_value=1000),
                           **self.fields}
        self.fields["margin_qualifications"].choices = [
            (code, reference_name(english)) for code, english in
            QualificationType.objects.filter(restricted=False).order_by("name").values_list("code", "name")]

    def clean(self):
        data = super().clean()
        if self.criteria.is_locked():
            try:
                refuse_when_locked(self.criteria, dt.date.today())
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        weights = [data.get(f"weight_{part}") for part, _label in self.PARTS]
        if all(w is not None for w in weights) and sum(weights) <= 0:
            self.add_error(None, _("At least one weight must be above 0."))
        deployment = data.get("deployment_date")
        if deployment is not None and deployment < self.call.national_deadline:
            self.add_error("deployment_date", _("The deployment cannot start before the national pre-deadline "
                                                "(%(day)s).") % {"day": f"{self.call.national_deadline:%Y-%m-%d}"})
        return data

    def weights_data(self) -> dict:
        """The engine's weights dict from the cleaned form."""
        data = self.cleaned_data
        return {"format": 1, "weights": {part: data[f"weight_{part}"] for part, _label in self.PARTS},
                "settings": {"missions_full_at": data["missions_full_at"],
                             "margin_full_at_months": data["margin_full_at_months"],
                             "margin_qualifications": sorted(data["margin_qualifications"])}}


# --- Strategic positions (docs/selection.md, "Strategic positions") ------------------------------

class RelevanceWeightsForm(WeightsForm):
    """The weights of a position's relevance parts (0–1000 each, at least one above 0), with the
    policy officer's reason. The API's PUT validates through it too."""

    parts, labels, max_weight = PARTS, PART_LABELS, MAX_WEIGHT


class PositionAssessmentForm(forms.Form):
    """A policy officer's strategic assessment of a position: the three assessments (0–1, empty =
    not assessed), a note, the burden of the duty station, the thematic tags and whether the
    position is strategic (followed over its rotations)."""

    international_commitments = forms.FloatField(label=PART_LABELS["international_commitments"], required=False,
                                                 min_value=0, max_value=1,
                                                 widget=forms.NumberInput(attrs={"step": "any"}))
    national_interests = forms.FloatField(label=PART_LABELS["national_interests"], required=False, min_value=0,
                                          max_value=1, widget=forms.NumberInput(attrs={"step": "any"}))
    mission_interests = forms.FloatField(label=PART_LABELS["mission_interests"], required=False, min_value=0,
                                         max_value=1, widget=forms.NumberInput(attrs={"step": "any"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    burden = forms.TypedChoiceField(label=_("Burden of the duty station"), required=False, coerce=int,
                                    empty_value=None, choices=[("", _("not assessed"))] + list(Burden.choices))
    thematic_tags = IdsField(ThematicArea.objects.all(), label=_("Thematic tags"), required=False,
                             widget=SearchableSelectMultiple)
    strategic = forms.BooleanField(label=_("Strategic position (followed over its rotations)"), required=False)

    def clean_note(self):
        return self.cleaned_data["note"].replace("\r\n", "\n")

    @classmethod
    def initial_for(cls, position) -> dict:
        assessment = getattr(position, "assessment", None)
        initial = {p: getattr(assessment, p) for p in ASSESSMENT_PARTS} if assessment else {}
        initial.update(note=assessment.note if assessment else "", burden=position.burden,
                       strategic=position.strategic, thematic_tags=[t.pk for t in position.thematic_tags.all()])
        return initial
