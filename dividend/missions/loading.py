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


class UnknownCode(ValueError):
    """A registry record names a code the reference data lack; nothing of the load is kept."""


def _known(rows: dict, codes, what: str, where: str) -> list:
    """The reference rows for the codes; UnknownCode naming the first code missing and where it came from."""
    for code in codes:
        if code not in rows:
            raise UnknownCode(f"{where}: unknown {what} {code!r}; it is not in the reference data "
                              f"(run load_reference_data, or correct the registry file).")
    return [rows[code] for code in codes]


@transaction.atomic
def load_mission_registry() -> dict[str, int]:
    """Create or update every mission of the registry and the job descriptions. Idempotent.

    Steps: 1. read cleaned records (missions.registry); 2. upsert each mission by organisation +
    acronym, with host countries and thematic areas; 3. upsert job descriptions with requirements.
    A code missing from the reference data raises UnknownCode and rolls the whole load back.
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
        where = f"mission {record['acronym']} ({record['source']})"
        mission.host_countries.set(_known(countries, hosts, "country", where))
        mission.thematic_areas.set(_known(themes, record.get("thematic_areas") or [], "thematic area", where))
    load_job_descriptions()
    return {"missions": Mission.objects.count(), "job_descriptions": JobDescription.objects.count()}


def load_job_descriptions():
    skills = {s.code: s for s in Skill.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    qualification_types = {q.code: q for q in QualificationType.objects.all()}
    ranks = {r.code: r for r in Rank.objects.all()}
    themes = {t.code: t for t in ThematicArea.objects.all()}
    for record in registry.load_job_descriptions():
        where = f"job description {record['code']} ({registry.JOBS_CSV.name})"
        rank = record.get("minimum_rank")
        job, _ = JobDescription.objects.update_or_create(
            code=record["code"],
            defaults={
                "title": record["title"],
                "summary": record.get("summary", ""),
                "minimum_rank": _known(ranks, [rank], "rank", where)[0] if rank else None,
                "duration_months": record.get("duration_months") or 12,
                "armed": bool(record.get("armed")),
            },
        )
        required = record.get("required_skills", {})
        job.required_skills.all().delete()
        JobDescriptionSkill.objects.bulk_create(
            JobDescriptionSkill(job_description=job, skill=skill, min_level=required[skill.code])
            for skill in _known(skills, list(required), "skill", where))
        spoken = record.get("languages", {})
        job.required_languages.all().delete()
        JobDescriptionLanguage.objects.bulk_create(
            JobDescriptionLanguage(job_description=job, language=language, min_level=CEFR_BY_NAME[spoken[language.code]])
            for language in _known(languages, list(spoken), "language", where))
        job.required_qualifications.set(
            _known(qualification_types, record.get("qualifications", []), "qualification type", where))
        job.thematic_tags.set(_known(themes, record.get("thematic_tags", []), "thematic area", where))
