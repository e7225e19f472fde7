"""Mission performance (issue 14 §7): for each mission the country contributes to (a mission with a
secondment that took place, `Secondment.TOOK_PLACE`), indicators in the style of the UN's
Comprehensive Performance Assessment System (CPAS) with their periodic values, each with its source,
and the secondees' contributions to them; for border-management missions, the needs-assessment
baseline the EU concept for integrated border management (IBM) describes, later assessments and
the progress against the baseline.

Every change goes through `performance.services` (one function per move, audited).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.missions.models import Mission
from dividend.secondments.models import Secondment

from . import access

# The theme (dividend/data/thematic_areas.csv) that makes a mission a border-management mission.
BORDER_MANAGEMENT = "border_management"


def contributed_missions():
    """Missions the country contributes to: those with a secondment that took place."""
    took_place = Secondment.objects.filter(status__in=Secondment.TOOK_PLACE).values("position__mission_id")
    return Mission.objects.filter(pk__in=took_place)


def is_border_management(mission) -> bool:
    return mission.thematic_areas.filter(code=BORDER_MANAGEMENT).exists()


class ResultLevel(models.TextChoices):
    """CPAS's results chain: what the mission delivers, what changes because of it, and the lasting effect."""

    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of mission performance see the indicators of every mission the country contributes to."""
        if not access.can_read_performance(user):
            return self.none()
        return self.filter(mission__in=contributed_missions())


class Indicator(models.Model):
    """One CPAS-style indicator of a mission: its result level, what is measured, in which unit, the
    baseline, the target and which direction is better. Retired when the mission's framework drops
    it: its values stay, it takes no new ones."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    TRANSITIONS = {Status.ACTIVE: {Status.RETIRED}, Status.RETIRED: {Status.ACTIVE}}

    mission = models.ForeignKey("missions.Mission", on_delete=models.PROTECT, related_name="performance_indicators",
                                verbose_name=_("mission"))
    level = models.CharField(_("result level"), max_length=8, choices=ResultLevel.choices)
    text = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("What a value counts: %, cases, officers trained…"))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance indicator")
        ordering = ["mission_id", "level", "id"]
        constraints = [
            models.CheckConstraint(condition=(Q(direction="increase") & Q(target__gt=models.F("baseline")))
                                   | (Q(direction="decrease") & Q(target__lt=models.F("baseline"))),
                                   name="indicator_target_beyond_baseline"),
        ]

    def __str__(self):
        return self.text

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class IndicatorValueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(indicator__in=Indicator.objects.visible_to(user).values("pk"))


class IndicatorValue(models.Model):
    """The indicator's value for a period, with where it comes from (the mission's CPAS report of a
    quarter, a document reference, a link): a value without a source is refused."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("Where the value comes from: the mission's CPAS report of a quarter, a "
                                          "document reference or a link."))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        ordering = ["indicator_id", "period_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicator_value_period_once"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="indicator_value_period_in_order"),
            models.CheckConstraint(condition=~Q(source=""), name="indicator_value_has_source"),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period_start}–{self.period_end}: {self.value}"


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contributions name an officer: those of secondments the user sees (the roster's rule), on
        indicators the user reads."""
        return self.filter(indicator__in=Indicator.objects.visible_to(user).values("pk"),
                           secondment__in=Secondment.objects.visible_to(user).values("pk"))


class Contribution(models.Model):
    """What a secondee's secondment did for an indicator, optionally evidenced by their field reports
    on the mission."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="contributions")
    secondment = models.ForeignKey("secondments.Secondment", on_delete=models.CASCADE,
                                   related_name="performance_contributions")
    description = models.TextField(_("contribution"), max_length=2000)
    reports = models.ManyToManyField("reports.FieldReport", blank=True, related_name="+",
                                     verbose_name=_("field reports as evidence"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField()

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("secondee's contribution")
        ordering = ["indicator_id", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "secondment"], name="contribution_once")]

    def __str__(self):
        return f"{self.secondment_id} → {self.indicator_id}"


# --- Integrated border management: the needs assessment and progress against it ---------------

# The rating scale every area of an assessment uses; higher is better for each area (for threats:
# how far the threats, risks and vulnerabilities are known and contained).
RATING_MIN, RATING_MAX = 0, 4
RATING_SCALE = [
    (0, _("0 – absent: nothing in place")),
    (1, _("1 – initial: first elements, not working")),
    (2, _("2 – developing: partly in place, major gaps")),
    (3, _("3 – functioning: in place, minor gaps")),
    (4, _("4 – consolidated: meets EU IBM good practice")),
]


class Area(models.TextChoices):
    """What an IBM needs assessment covers (EU concept for CSDP support to IBM, 2013, §9.1): the five
    intervention areas, then absorption capacity, threats, stakeholders and the population's trust."""

    LEGISLATIVE = "legislative_framework", _("Legislative framework")
    INSTITUTIONAL = "institutional_framework", _("Institutional framework (incl. cooperation)")
    CAPACITY = "capacity_building", _("Capacity building (human resources and training)")
    OPERATIONAL = "operational_work", _("Operational work")
    INFRASTRUCTURE = "infrastructure_equipment", _("Infrastructure and equipment")
    ABSORPTION = "absorption_capacity", _("Absorption capacity")
    THREATS = "threats", _("Threats, risks and vulnerabilities")
    STAKEHOLDERS = "stakeholders", _("Stakeholders")
    TRUST = "population_trust", _("Population's trust in the border authorities")


INTERVENTION_AREAS = (Area.LEGISLATIVE, Area.INSTITUTIONAL, Area.CAPACITY, Area.OPERATIONAL, Area.INFRASTRUCTURE)

# What a rating says for each area (shown with the scale on the forms and the page).
AREA_GUIDANCE = {
    Area.LEGISLATIVE: _("National IBM legislation, regulations and strategy."),
    Area.INSTITUTIONAL: _("Border agencies' structures, mandates and cooperation within and between agencies "
                          "and with neighbours."),
    Area.CAPACITY: _("Recruitment, training and human resources of the border agencies."),
    Area.OPERATIONAL: _("Border checks, surveillance, risk analysis and investigation in practice."),
    Area.INFRASTRUCTURE: _("Border crossing points, communications and equipment, and whether they work."),
    Area.ABSORPTION: _("How much support the host country can take up and sustain."),
    Area.THREATS: _("How far threats, risks and vulnerabilities at the border are known and contained "
                    "(4: well contained)."),
    Area.STAKEHOLDERS: _("How far the relevant stakeholders (agencies, neighbouring states, international "
                         "organisations) are engaged and coordinated."),
    Area.TRUST: _("How far the population trusts the border authorities as legitimate entities of the state."),
}


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not access.can_read_performance(user):
            return self.none()
        return self.filter(mission__in=contributed_missions())


class Assessment(models.Model):
    """A needs assessment of a border-management mission at a date: the baseline (one per mission,
    rating every area) or a later assessment (rating the areas it revisits)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline (needs assessment)")
        FOLLOW_UP = "follow_up", _("Later assessment")

    mission = models.ForeignKey("missions.Mission", on_delete=models.PROTECT, related_name="border_assessments",
                                verbose_name=_("mission"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("border management assessment")
        ordering = ["mission_id", "assessed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mission"], condition=Q(kind="baseline"), name="assessment_one_baseline"),
            models.UniqueConstraint(fields=["mission", "assessed_on"], name="assessment_once_a_day"),
        ]

    def __str__(self):
        return f"{self.mission_id} {self.kind} {self.assessed_on}"


class AreaRating(models.Model):
    """One area of an assessment: its rating on the scale, what supports it, and the source."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=RATING_SCALE,
                                              validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)])
    narrative = models.TextField(_("narrative"), max_length=4000)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["assessment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="area_rating_once"),
            models.CheckConstraint(condition=Q(rating__gte=RATING_MIN) & Q(rating__lte=RATING_MAX),
                                   name="area_rating_on_scale"),
            models.CheckConstraint(condition=~Q(source=""), name="area_rating_has_source"),
        ]

    def __str__(self):
        return f"{self.area}: {self.rating}"
