"""Missions (EU CSDP, UN, OSCE, bilateral), their positions and the catalogue of standard job descriptions."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dividend.reference.models import CEFR_LEVELS, SKILL_LEVELS


class Organisation(models.TextChoices):
    EU_CSDP = "eu_csdp", _("EU CSDP")
    UN = "un", _("United Nations")
    OSCE = "osce", _("OSCE")
    BILATERAL = "bilateral", _("Bilateral")
    OTHER = "other", _("Other")


class MissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Missions are public registry facts: any signed-in user sees them."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self

    def active(self):
        return self.filter(status=Mission.Status.ACTIVE)

    def matching(self, *, organisation="", status="", country=""):
        """The list's filters: organisation, status, host country (ISO3); empty means any."""
        missions = self
        if organisation:
            missions = missions.filter(organisation=organisation)
        if status:
            missions = missions.filter(status=status)
        if country:
            missions = missions.filter(host_countries__iso3=country.upper()).distinct()
        return missions


class Mission(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    acronym = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=12, choices=Organisation.choices)
    host_countries = models.ManyToManyField("reference.Country", related_name="missions")
    # Mandate types (a mission can have several): strengthening = monitoring, mentoring, advising,
    # training; substitution = executive powers; monitoring = observer missions.
    mandate_strengthening = models.BooleanField(default=False)
    mandate_executive = models.BooleanField(default=False)
    mandate_monitoring = models.BooleanField(default=False)
    thematic_areas = models.ManyToManyField("reference.ThematicArea", blank=True, related_name="missions")
    # Exact dates where the source gives them (UN); otherwise the years alone (EU, OSCE).
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    location = models.CharField(max_length=100, blank=True, help_text=_("Headquarters / main duty station."))
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    source = models.TextField(blank=True, help_text=_("Where the facts come from."))
    notes = models.TextField(blank=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "acronym"], name="mission_unique_acronym_per_organisation")
        ]

    def __str__(self):
        return self.acronym

    @property
    def mandate_types(self) -> list[str]:
        return [name for name, flag in (("strengthening", self.mandate_strengthening),
                                         ("executive", self.mandate_executive),
                                         ("monitoring", self.mandate_monitoring)) if flag]


class RequirementsMixin(models.Model):
    """What a post asks of an officer; shared by job descriptions and positions."""

    minimum_rank = models.ForeignKey("reference.Rank", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    duration_months = models.PositiveSmallIntegerField(default=12, validators=[MinValueValidator(1), MaxValueValidator(60)])
    armed = models.BooleanField(default=False)
    required_qualifications = models.ManyToManyField("reference.QualificationType", blank=True, related_name="+")
    # What the post itself works on (a border-management adviser, not the mission's every theme): the
    # one theme vocabulary (reference.ThematicArea). Positions made from a catalogue job description
    # copy its tags (selection.services.new_position).
    thematic_tags = models.ManyToManyField("reference.ThematicArea", blank=True, related_name="+",
                                           verbose_name=_("thematic tags"))

    class Meta:
        abstract = True


class SkillRequirement(models.Model):
    """A skill a post requires, at least at a level (1–4)."""

    skill = models.ForeignKey("reference.Skill", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(choices=SKILL_LEVELS)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.skill} ≥ {self.min_level}"


class LanguageRequirement(models.Model):
    """A language a post requires, at least at a CEFR level (1–6 = A1–C2)."""

    language = models.ForeignKey("reference.Language", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(choices=CEFR_LEVELS)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.language} ≥ {self.get_min_level_display()}"


class JobDescription(RequirementsMixin):
    """A reusable standard job description (like the EEAS Goalkeeper catalogue)."""

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=150)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class JobDescriptionSkill(SkillRequirement):
    job_description = models.ForeignKey(JobDescription, on_delete=models.CASCADE, related_name="required_skills")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job_description", "skill"], name="jd_skill_unique")]


class JobDescriptionLanguage(LanguageRequirement):
    job_description = models.ForeignKey(JobDescription, on_delete=models.CASCADE, related_name="required_languages")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job_description", "language"], name="jd_language_unique")]


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self

    def with_related(self):
        return self.select_related("mission", "minimum_rank", "job_description")


class Burden(models.IntegerChoices):
    """How hard a duty station is to live and work in. First missions should be accessible; heavier
    duty stations (and senior posts) come later in a career (docs/selection.md, "Burden")."""

    ACCESSIBLE = 1, _("1 · accessible")
    MODERATE = 2, _("2 · moderate")
    HARD = 3, _("3 · hard")
    VERY_HARD = 4, _("4 · very hard")


BURDEN_MEANINGS = {
    Burden.ACCESSIBLE: _("Family duty station or comparable: safe, services at hand, usual working conditions."),
    Burden.MODERATE: _("Some restrictions: security rules, limited services, long distances."),
    Burden.HARD: _("Non-family duty station: security incidents, curfews, basic living conditions."),
    Burden.VERY_HARD: _("Conflict area: armed escorts, confinement to compounds, high risk."),
}
# From this level on a duty station is heavy: not for a first mission.
HEAVY_BURDEN = Burden.HARD


class Position(RequirementsMixin):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="positions")
    job_description = models.ForeignKey(
        JobDescription, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    title = models.CharField(max_length=150)
    reference = models.CharField(max_length=40, blank=True, help_text=_("The organisation's post number."))
    duty_station = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    burden = models.PositiveSmallIntegerField(_("burden of the duty station"), choices=Burden.choices, null=True,
                                              blank=True, help_text=_("Empty: not assessed."))
    # A strategic position is followed over its rotations (selection's rotations page): who holds it,
    # until when, and whether a successor is found in time for a handover.
    strategic = models.BooleanField(_("strategic position"), default=False)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["mission__acronym", "title", "id"]

    def __str__(self):
        return f"{self.title} – {self.mission.acronym}"

    @property
    def burden_meaning(self) -> str:
        return str(BURDEN_MEANINGS[self.burden]) if self.burden else ""

    @property
    def heavy_duty_station(self) -> bool:
        return bool(self.burden) and self.burden >= HEAVY_BURDEN


class PositionSkill(SkillRequirement):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="required_skills")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["position", "skill"], name="position_skill_unique")]


class PositionLanguage(LanguageRequirement):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="required_languages")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["position", "language"], name="position_language_unique")]
