"""Priority models (versioned YAML model files), user datasets and stored runs with their results.

The engine (``engine/``) computes; these models keep what was computed, so result pages read stored
rows instead of recomputing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.models import Pool
from dividend.reference.names import country_name_of

DEFAULT_MODEL = "internal_security_default"
identifier = RegexValidator(r"^[A-Za-z_][A-Za-z0-9_]*\Z",
                            "Use letters, digits and _ (not starting with a digit).")
iso3_code = RegexValidator(r"^[A-Z]{3}\Z", "Give an ISO3 code of three capital letters, e.g. BEL.")


def installation_home_country() -> str:
    """The installation's home country (settings.DIVIDEND_HOME_COUNTRY), the default of every model."""
    return settings.DIVIDEND_HOME_COUNTRY


class _VisibleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone with a priorities reading role sees every row (the data are not personal)."""
        from .access import can_read_priorities

        return self if can_read_priorities(user) else self.none()


class PriorityModelQuerySet(_VisibleQuerySet):
    def with_current(self):
        return self.select_related("current_version", "current_version__author")


class PriorityModel(models.Model):
    """A country-prioritisation model: a named, versioned model file plus its home-country setting."""

    name = models.CharField(max_length=80, unique=True, validators=[identifier],
                            help_text=_("Identifier, e.g. internal_security_default."))
    title = models.CharField(max_length=200, validators=[no_markup])
    description = models.TextField(blank=True)
    home_country = models.CharField(max_length=3, default=installation_home_country, validators=[iso3_code],
                                    help_text=_("ISO3 of the country running the secondments (BEL, NLD, DEU, SWE, FIN…)."))
    current_version = models.ForeignKey("PriorityModelVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    shipped = models.BooleanField(default=False, help_text=_("Installed from the model files shipped with Dividend."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PriorityModelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.title or self.name

    @property
    def home_country_name(self) -> str:
        return country_name_of(self.home_country)


class PriorityModelVersion(models.Model):
    """One saved text of a model file. Immutable: a change is a new version."""

    model = models.ForeignKey(PriorityModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    comment = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = _VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["model", "-number"]
        constraints = [models.UniqueConstraint(fields=["model", "number"], name="priority_version_unique_number")]

    def __str__(self):
        return f"{self.model.name} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Model file versions are immutable; save a new version instead.")
        super().save(*args, **kwargs)


class UserDataset(models.Model):
    """An uploaded indicator (iso3, year, value rows), usable in model files as ``dataset: NAME, column: value``."""

    name = models.CharField(max_length=60, unique=True, validators=[identifier])
    description = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.JSONField(default=list, help_text=_("[[iso3, year, value], …]"))
    row_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = _VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PriorityRun(models.Model):
    """One computation of a model version (plus optional Monte Carlo), with its results stored."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        DIRICHLET = "dirichlet", _("Dirichlet around the weights")
        UNIFORM = "uniform", _("Uniform ± spread")
        NONE = "none", _("No weight perturbation")

    model_version = models.ForeignKey(PriorityModelVersion, on_delete=models.PROTECT, related_name="runs")
    label = models.CharField(max_length=200, blank=True, validators=[no_markup])
    year = models.PositiveIntegerField(null=True, blank=True,
                                       help_text=_("Evaluate the model as of this year (empty: years of the model file)."))
    home_country = models.CharField(max_length=3, validators=[iso3_code])
    draws = models.PositiveIntegerField(default=0, help_text=_("Monte Carlo draws (0 = none)."))
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.DIRICHLET)
    seed = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.FloatField(default=0.0)
    country_count = models.PositiveIntegerField(default=0)
    # Tree of the model as computed: [{id, label, parent, depth, indicator, weight, dataset, column}], pre-order.
    tree = models.JSONField(default=list)
    dimensions = models.JSONField(default=list, help_text=_("[{id, label}] of the root's children."))
    theme_weights = models.JSONField(default=dict)
    mc_timings = models.JSONField(default=dict)

    objects = _VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label or f"Run {self.pk}"

    @property
    def home_country_name(self) -> str:
        return country_name_of(self.home_country)

    @property
    def title(self):
        """What the run's pages are headed with: model, version, home country, year, run, in words."""
        version = self.model_version
        params = {"model": version.model, "number": version.number, "country": self.home_country_name,
                  "year": self.year, "run": self.pk}
        if self.year:
            return gettext("%(model)s v%(number)s · %(country)s, as of %(year)s · run %(run)s") % params
        return gettext("%(model)s v%(number)s · %(country)s · run %(run)s") % params


class RunCountry(models.Model):
    """One country's results in a run: rank, score, reliability, dimension scores, robustness; details in JSON."""

    run = models.ForeignKey(PriorityRun, on_delete=models.CASCADE, related_name="countries")
    iso3 = models.CharField(max_length=3)
    name = models.CharField(max_length=100)
    rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    reliability = models.FloatField()
    missing_count = models.PositiveIntegerField()
    dimension_scores = models.JSONField(default=dict)
    median_rank = models.FloatField(null=True, blank=True)
    p05_rank = models.FloatField(null=True, blank=True)
    p95_rank = models.FloatField(null=True, blank=True)
    mean_abs_shift = models.FloatField(null=True, blank=True)
    # node_scores, contributions, raw_values, value_years, themes (dicts keyed by node/indicator id)

    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "rank", "iso3"]
        constraints = [models.UniqueConstraint(fields=["run", "iso3"], name="priority_run_country_unique")]
        indexes = [models.Index(fields=["run", "rank"])]

    def __str__(self):
        return f"{self.iso3} in run {self.run_id}"

    @property
    def country_name(self) -> str:
        """The country's name in the reader's language (`name` is the engine's, in English)."""
        return country_name_of(self.iso3)


class AdoptionQuerySet(_VisibleQuerySet):
    def current(self):
        """The adoptions in force: one per agency at most (the national one has no pool)."""
        return self.filter(ended_at__isnull=True)

    def for_agency(self, pool):
        """The adoptions of one agency (``None``: the national reference)."""
        return self.filter(pool__isnull=True) if pool is None else self.filter(pool=pool)


class Adoption(models.Model):
    """A policy officer's decision that a run is the reference ranking of an agency, or the national one.

    An agency is a pool (a seconding organisation, which already scopes the policy officers' roles);
    ``pool`` empty = the national reference, which agencies' rankings are compared with. Adopting
    another run ends the adoption in force (``ended_at``) and keeps it as history; rows are never
    deleted. At most one adoption per agency is in force (the partial unique constraint).
    """

    run = models.ForeignKey(PriorityRun, on_delete=models.PROTECT, related_name="adoptions")
    pool = models.ForeignKey(Pool, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The agency; empty: the national reference ranking.")
    reason = models.TextField(max_length=2000)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    adopted_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Replaced or withdrawn at.")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    end_reason = models.TextField(max_length=2000, blank=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_at", "-id"]
        constraints = [
            # Coalesce: NULL (the national agency) is never equal to NULL in a unique index.
            models.UniqueConstraint(Coalesce("pool", models.Value(0)),
                                    condition=models.Q(ended_at__isnull=True), name="priority_one_adoption_in_force"),
        ]

    def __str__(self):
        return f"{self.agency_name}: run {self.run_id} since {self.adopted_at:%Y-%m-%d}"

    @property
    def agency_name(self) -> str:
        return self.pool.name if self.pool_id else "National"

    @property
    def ranking_name(self) -> str:
        """"the national reference ranking", "the reference ranking of Royal Marechaussee"."""
        if self.pool_id:
            return gettext("the reference ranking of %(agency)s") % {"agency": self.pool.name}
        return gettext("the national reference ranking")
