"""Load the real mission registry (UN, EU CSDP, OSCE) and the job-description catalogue into the database."""

from django.db import transaction

from dividend.reference.models import (
    CEFR_BY_NAME,
    Country,
    Language,
    QualificationType,
    Rank,
    Skill,
    ThematicArea,
)

from . import registry
from .models import JobDescription, JobDescriptionLanguage, JobDescriptionSkill, Mission

# The registry's framework tells EU CSDP missions from EU projects outside CSDP (EUBAM Moldova-Ukraine).
ORGANISATION_BY_FRAMEWORK = {
    "un_peacekeeping": "un",
    "csdp_civilian": "eu_csdp",
    "eu_non_csdp": "other",
    "osce_field_operation": "osce",
}


@transaction.atomic
def load_mission_registry() -> dict[str, int]:
    """Create or update every mission of the registry and the job descriptions. Idempotent.

    Steps: 1. read cleaned records (missions.registry); 2. upsert each mission by organisation +
    acronym, with host countries and thematic areas; 3. upsert job descriptions with requirements.
    """
    countries = {c.iso3: c for c in Country.objects.all()}
    themes = {t.code: t for t in ThematicArea.objects.all()}
    for record in registry.load_all_missions():
        if record.get("aggregate_of") or record.get("duplicate_of"):
            # Umbrella rows (UNOSOM for UNOSOM I and II) and duplicates would count a mission twice.
            continue
        mandates = set(record.get("mandate_types") or [])
        mission, _ = Mission.objects.update_or_create(
            organisation=ORGANISATION_BY_FRAMEWORK[record["framework"]],
            acronym=record["acronym"],
            defaults={
                "name": record["name"],
                "start_date": record.get("start_date"),
                "end_date": record.get("end_date"),
                "start_year": record.get("start_year"),
                "end_year": record.get("end_year"),
                "status": record["status"],
                "location": record.get("location") or "",
                "latitude": record.get("latitude"),
                "longitude": record.get("longitude"),
                "mandate_strengthening": "strengthening" in mandates,
                "mandate_executive": "executive" in mandates,
                "mandate_monitoring": "monitoring" in mandates,
                "source": record.get("source") or "",
                # Facts worth knowing; the registry's cleaning notes (what was corrected in a source
                # row) are for its maintainers and stay in the registry.
                "notes": record.get("notes") or "",
            },
        )
        # Kosovo has no ISO 3166 code; the registry gives SRB plus host_territory XKX (user-assigned code).
        hosts = [record["host_territory"]] if record.get("host_territory") else record["host_country_iso3"]
        mission.host_countries.set([countries[code] for code in hosts if code in countries])
        mission.thematic_areas.set([themes[code] for code in record.get("thematic_areas") or [] if code in themes])
    load_job_descriptions()
    return {"missions": Mission.objects.count(), "job_descriptions": JobDescription.objects.count()}


def load_job_descriptions():
    skills = {s.code: s for s in Skill.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    qualification_types = {q.code: q for q in QualificationType.objects.all()}
    ranks = {r.code: r for r in Rank.objects.all()}
    for record in registry.load_job_descriptions():
        job, _ = JobDescription.objects.update_or_create(
            code=record["code"],
            defaults={
                "title": record["title"],
                "summary": record.get("summary", ""),
                "minimum_rank": ranks.get(record.get("minimum_rank") or ""),
                "duration_months": record.get("duration_months") or 12,
                "armed": bool(record.get("armed")),
            },
        )
        job.required_skills.all().delete()
        JobDescriptionSkill.objects.bulk_create(
            JobDescriptionSkill(job_description=job, skill=skills[code], min_level=level)
            for code, level in record.get("required_skills", {}).items() if code in skills)
        job.required_languages.all().delete()
        JobDescriptionLanguage.objects.bulk_create(
            JobDescriptionLanguage(job_description=job, language=languages[code], min_level=CEFR_BY_NAME[level])
            for code, level in record.get("languages", {}).items() if code in languages)
        job.required_qualifications.set(
            [qualification_types[code] for code in record.get("qualifications", []) if code in qualification_types])
