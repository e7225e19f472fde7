"""Reference data shared by every app: countries, skills, languages, qualifications, ranks, themes.

Administered in the Django admin; loaded by `manage.py load_reference_data`. Each record keeps its
English `name`; `str(record)` is the name in the reader's language (`reference.names`), which is what
pages and forms show.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .names import country_name
from .names import name as translated


class Country(models.Model):
    """An ISO 3166 country with its UN M49 (UNSD) region and subregion."""

    iso3 = models.CharField(max_length=3, unique=True)
    iso2 = models.CharField(max_length=2, unique=True)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=50, blank=True, db_index=True)
    subregion = models.CharField(max_length=60, blank=True, db_index=True)

    sort_by_label = True  # forms list them by the translated name (common.fields.IdField)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return country_name(self.name)


class ThematicArea(models.Model):
    """A national thematic priority (trafficking in human beings, terrorism, ...)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    sort_by_label = True  # forms list them by the translated name (common.fields.IdField)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return translated(self.name)


class Skill(models.Model):
    HARD = "hard"
    SOFT = "soft"
    KIND_CHOICES = [(HARD, "Hard skill"), (SOFT, "Soft skill")]

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=4, choices=KIND_CHOICES)
    description = models.TextField(blank=True)

    sort_by_label = True  # forms list them by the translated name (common.fields.IdField)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return translated(self.name)


class Language(models.Model):
    """A language by ISO 639-1 code."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=60)

    sort_by_label = True  # forms list them by the translated name (common.fields.IdField)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return translated(self.name)


class QualificationType(models.Model):
    """A certificate or check an officer holds: UN SAAT, pre-deployment course, clearance, passport...

    `restricted` marks personal data only need-to-know roles may see (medical, clearance).
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Default validity from the issue date; empty means no standard expiry.")
    )
    has_level = models.BooleanField(default=False, help_text=_("The qualification carries a level (e.g. clearance)."))
    restricted = models.BooleanField(default=False)

    sort_by_label = True  # forms list them by the translated name (common.fields.IdField)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return translated(self.name)


class Rank(models.Model):
    """A step on the national rank ladder; `order` lets rules say 'at least inspector'."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return translated(self.name)


CEFR_LEVELS = [(1, "A1"), (2, "A2"), (3, "B1"), (4, "B2"), (5, "C1"), (6, "C2")]
CEFR_BY_NAME = {name: value for value, name in CEFR_LEVELS}
CEFR_BY_VALUE = dict(CEFR_LEVELS)
SKILL_LEVELS = [(1, _("1 – basic")), (2, _("2 – working")), (3, _("3 – advanced")), (4, _("4 – expert"))]
