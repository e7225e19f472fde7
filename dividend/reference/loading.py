"""Load the reference data (countries from ISO 3166 with UN M49 regions, and the taxonomies)."""

import csv

import pycountry
from django.conf import settings
from django.db import transaction

from . import taxonomy
from .models import Country, Language, QualificationType, Rank, Skill, ThematicArea

# Codes that UNHCR/UNSD data use and pycountry knows under another record, or that pycountry lacks.
EXTRA_COUNTRIES = [("XKX", "XK", "", "Kosovo", "Europe", "Southern Europe")]


def unsd_regions() -> dict[str, tuple[str, str]]:
    """ISO3 → (UNSD region, UNSD subregion), from UNHCR's country table (which carries the M49 scheme)."""
    path = settings.DATA_DIR / "unhcr_countries.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["iso_code"]: (row["unsd_region"], row["unsd_subregion"])
            for row in csv.DictReader(handle)
            if row["iso_code"]
        }


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update every reference record. Idempotent; returns counts per kind."""
    regions = unsd_regions()
    for country in pycountry.countries:
        region, subregion = regions.get(country.alpha_3, ("", ""))
        Country.objects.update_or_create(
            iso3=country.alpha_3,
            defaults={
                "iso2": country.alpha_2,
                "numeric": country.numeric,
                "name": getattr(country, "common_name", None) or country.name,
                "region": region,
                "subregion": subregion,
            },
        )
    for iso3, iso2, numeric, name, region, subregion in EXTRA_COUNTRIES:
        Country.objects.update_or_create(
            iso3=iso3, defaults={"iso2": iso2, "numeric": numeric, "name": name, "region": region,
                                 "subregion": subregion})
    for code, name, kind in taxonomy.SKILLS:
        Skill.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    for code, name in taxonomy.THEMATIC_AREAS:
        ThematicArea.objects.update_or_create(code=code, defaults={"name": name})
    for code, name in taxonomy.LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, validity, has_level, restricted in taxonomy.QUALIFICATION_TYPES:
        QualificationType.objects.update_or_create(
            code=code, defaults={"name": name, "validity_months": validity, "has_level": has_level,
                                 "restricted": restricted})
    for code, name, order in taxonomy.RANKS:
        Rank.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    return {
        "countries": Country.objects.count(),
        "skills": Skill.objects.count(),
        "thematic_areas": ThematicArea.objects.count(),
        "languages": Language.objects.count(),
        "qualification_types": QualificationType.objects.count(),
        "ranks": Rank.objects.count(),
    }
