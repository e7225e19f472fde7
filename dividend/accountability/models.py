"""Accountability's records: the dividend scorecard's model (its weights, versioned) and the stored
portfolio planning runs. Dashboards and the report to parliament store nothing of their own.

docs/accountability.md, "The dividend scorecard" and "Portfolio planning".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup

from . import scorecard_access as access


class ScorecardModelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The model's weights are no personal data: every scorecard reader sees them."""
        return self if access.can_read_scorecards(user) else self.none()

    def in_force(self):
        """The newest version (None: the defaults of `scorecard.DEFAULT_WEIGHTS`, version 0)."""
        return self.order_by("-version").first()


class ScorecardModel(models.Model):
    """One version of how the scorecard's parts combine: a weight per part (`scorecard.PARTS`, 0 to
    1000; 0 leaves a part out). Versions are never changed: each edit by a policy officer or an
    administrator adds the next one with who, when and why (audited); the newest is in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"))
    reason = models.TextField(_("reason"), max_length=2000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField()

    objects = ScorecardModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard model")
        verbose_name_plural = _("scorecard models")
        ordering = ["-version"]

    def __str__(self):
        return f"Scorecard model v{self.version}"


class PortfolioRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs hold positions and counts, no personal data: every portfolio reader sees them."""
        return self if access.can_read_portfolios(user) else self.none()


class PortfolioRun(models.Model):
    """One solved portfolio plan, stored as it was shown: the parameters (budget, cost per
    person-month, months per post, targets), the candidates as the solver saw them and its answer
    (chosen positions, objective, bound, gap, time, marginal values, budget ±10 %). Infeasible
    constraints are answered with the conflicting ones and store nothing."""

    label = models.CharField(_("label"), max_length=120, blank=True, validators=[no_markup])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    parameters = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=20)
    objective = models.FloatField(null=True)
    result = models.JSONField(default=dict)

    objects = PortfolioRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio run")
        verbose_name_plural = _("portfolio runs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Portfolio run #{self.pk}"
