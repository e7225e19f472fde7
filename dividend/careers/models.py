"""Careers: what a secondment is for and what came of it (issue 11 §2 objectives, §5–7).

Per secondment: the learning plan (3 to 6 learning objectives, each a skill of the reference
taxonomy with a target level, and a career plan) agreed by the officer and a supervisor; the
end-of-mission debriefing (its operational content restricted, referenced by id by later apps);
skills appraisals (self and supervisor, before and after the mission) and, six months after return,
which new skills the officer used. Then domestic vacancies, the matching of returnees to them with a
transparent score, and placements, which reintegrate the secondment.

Every change goes through `careers.services` (one function per move, audited).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.access import EVERY_POOL
from dividend.reference.models import SKILL_LEVELS
from dividend.secondments.models import Secondment

from . import access

MIN_OBJECTIVES, MAX_OBJECTIVES = 3, 6
RATINGS = SKILL_LEVELS  # every rating uses the taxonomy's skill levels, 1 to 4
RATING_MIN, RATING_MAX = 1, 4

# Secondments whose officer is back home: the returnees (issue 11 §1 states).
RETURNED, REINTEGRATED = Secondment.Status.RETURNED, Secondment.Status.REINTEGRATED
RETURNEE_STATUSES = (RETURNED, REINTEGRATED)

# The fixed list of skills appraised for every secondment, besides its learning objectives.
SOFT, HARD = "soft", "hard"
APPRAISAL_ITEMS = [
    ("leadership", _("Leadership"), SOFT),
    ("intercultural_competence", _("Intercultural competence"), SOFT),
    ("responsibility", _("Responsibility"), SOFT),
    ("investigation_methods", _("Investigation methods"), HARD),
    ("transnational_crime", _("Transnational crime"), HARD),
    ("country_knowledge", _("Country knowledge"), HARD),
]
APPRAISAL_ITEM_CODES = tuple(code for code, _label, _kind in APPRAISAL_ITEMS)
APPRAISAL_ITEM_LABELS = {code: label for code, label, _kind in APPRAISAL_ITEMS}


def careers_secondments(user):
    """Secondments whose careers records the user sees: their pools' (national: all), and their own."""
    if user is None or not user.is_authenticated:
        return Secondment.objects.none()
    pools = access.manager_pools(user)
    if pools is EVERY_POOL:
        return Secondment.objects.all()
    condition = Q(officer__user=user)
    if pools:
        condition |= Q(officer__pool__in=pools)
    return Secondment.objects.filter(condition)


class SecondmentRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(secondment__in=careers_secondments(user).values("pk"))


class LearningPlan(models.Model):
    """What the officer means to learn on the secondment, and where their career goes next. Agreed
    when both the officer and a supervisor have confirmed this version; a change to the objectives
    or the plan asks both to confirm again."""

    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.CASCADE,
                                      related_name="learning_plan")
    career_plan = models.TextField(_("career plan"), max_length=4000)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    officer_confirmed_at = models.DateTimeField(null=True, blank=True)
    officer_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    supervisor_confirmed_at = models.DateTimeField(null=True, blank=True)
    supervisor_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+")

    objects = SecondmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning plan")

    def __str__(self):
        return f"{self.secondment_id}"

    @property
    def agreed(self) -> bool:
        return self.officer_confirmed_at is not None and self.supervisor_confirmed_at is not None


class LearningObjective(models.Model):
    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="objectives")
    skill = models.ForeignKey("reference.Skill", on_delete=models.PROTECT, related_name="+")
    target_level = models.PositiveSmallIntegerField(choices=SKILL_LEVELS,
                                                    validators=[MinValueValidator(1), MaxValueValidator(4)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "skill"], name="objective_skill_once")]

    def __str__(self):
        return f"{self.skill} → {self.target_level}"


class PlanReview(models.Model):
    """A review of the learning plan during the deployment or after it."""

    class Stage(models.TextChoices):
        DURING = "during", _("During the deployment")
        AFTER = "after", _("After the deployment")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=6, choices=Stage.choices)
    note = models.TextField(_("review"), max_length=4000)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self):
        return f"{self.plan_id} {self.stage}"


class Debriefing(models.Model):
    """The end-of-mission debriefing. Its operational content (mandate implementation, host-country
    context, networks built, lessons learned) is restricted personal data: need-to-know only
    (`access.can_see_debriefing`); other readers learn only that it exists. Later apps (reports)
    reference it by id. `contacts` is what the officer agrees to share with colleagues: the
    organisations and functions they can put people in touch with (the returnee pool searches it)."""

    RESTRICTED_FIELDS = ("mandate_implementation", "host_country_context", "networks_built", "lessons_learned")

    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.CASCADE, related_name="debriefing")
    mandate_implementation = models.TextField(_("mandate implementation"), max_length=8000)
    host_country_context = models.TextField(_("host-country context"), max_length=8000)
    networks_built = models.TextField(_("networks built"), max_length=8000)
    lessons_learned = models.TextField(_("lessons learned"), max_length=8000)
    contacts = models.CharField(_("network contacts to share"), max_length=500, blank=True, validators=[no_markup],
                                help_text=_("Organisations and functions a colleague may be put in touch with, "
                                            "separated by semicolons; no personal details."))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = SecondmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("debriefing")

    def __str__(self):
        return f"{self.secondment_id}"


class Appraisal(models.Model):
    """One rating sheet: the officer's own or the supervisor's, before or after the mission; a rating
    (1–4) of each learning objective and each item of APPRAISAL_ITEMS."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before the mission")
        AFTER = "after", _("After the mission")

    class Rater(models.TextChoices):
        SELF = "self", _("Self")
        SUPERVISOR = "supervisor", _("Supervisor")

    secondment = models.ForeignKey("secondments.Secondment", on_delete=models.CASCADE,
                                   related_name="skills_appraisals")
    stage = models.CharField(max_length=6, choices=Stage.choices)
    rater = models.CharField(max_length=10, choices=Rater.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField()

    objects = SecondmentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["secondment_id", "-stage", "rater"]
        constraints = [models.UniqueConstraint(fields=["secondment", "stage", "rater"], name="appraisal_once")]

    def __str__(self):
        return f"{self.secondment_id} {self.stage} {self.rater}"


class AppraisalRating(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(LearningObjective, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="ratings")
    item = models.CharField(max_length=30, blank=True, choices=[(c, label) for c, label, _k in APPRAISAL_ITEMS])
    rating = models.PositiveSmallIntegerField(choices=RATINGS, validators=[MinValueValidator(RATING_MIN),
                                                                           MaxValueValidator(RATING_MAX)])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=(Q(objective__isnull=True) & ~Q(item=""))
                                   | (Q(objective__isnull=False) & Q(item="")), name="rating_one_subject"),
            models.CheckConstraint(condition=Q(rating__gte=RATING_MIN) & Q(rating__lte=RATING_MAX),
                                   name="rating_in_range"),
        ]

    def __str__(self):
        return f"{self.objective_id or self.item}: {self.rating}"


class FollowUp(models.Model):
    """Six months after return: which new skills did you use in your post? (codes of the
    objectives' skills and of APPRAISAL_ITEMS; empty: none)."""

    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.CASCADE, related_name="follow_up")
    skills_used = models.JSONField(default=list)
    note = models.TextField(_("how you used them"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField()

    objects = SecondmentRecordQuerySet.as_manager()

    def __str__(self):
        return f"{self.secondment_id}"


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not access.can_see_vacancies(user):
            return self.none()
        pools = access.vacancy_pools(user)
        return self if pools is EVERY_POOL else self.filter(pool__in=pools)


class Vacancy(models.Model):
    """A domestic post a returnee may fill: the post, unit, location, the skills it needs (with a
    level) and the country or thematic knowledge that helps."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    pool = models.ForeignKey("pools.Pool", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("pool"))
    post = models.CharField(_("post"), max_length=200, validators=[no_markup])
    unit = models.CharField(_("unit"), max_length=200, validators=[no_markup])
    location = models.CharField(_("location"), max_length=120, validators=[no_markup])
    countries = models.ManyToManyField("reference.Country", blank=True, related_name="+", verbose_name=_("countries"))
    themes = models.ManyToManyField("reference.ThematicArea", blank=True, related_name="+", verbose_name=_("themes"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.post} ({self.unit})"


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("reference.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=SKILL_LEVELS, validators=[MinValueValidator(1),
                                                                              MaxValueValidator(4)])

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancy_skill_once")]

    def __str__(self):
        return f"{self.skill}: {self.level}"


class Placement(models.Model):
    """A returnee placed on a vacancy: the score's components when they were chosen, and whether
    their new skills counted (the KPI "taken into account")."""

    vacancy = models.OneToOneField(Vacancy, on_delete=models.PROTECT, related_name="placement")
    secondment = models.OneToOneField("secondments.Secondment", on_delete=models.PROTECT, related_name="placement")
    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField(_("starts on"))
    score = models.JSONField(default=dict)
    skills_considered = models.BooleanField(default=False)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField()

    objects = SecondmentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.officer_id} → {self.vacancy_id}"
