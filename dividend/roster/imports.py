"""Officer import from CSV/XLSX: the same validation as the officer form, all or nothing.

Key: pool code + service number, so importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.db import transaction

from dividend.audit.services import record
from dividend.common.database import refresh_planner_statistics
from dividend.common.tabular import TabularFileError, read_rows

from . import access
from .facts import refresh_search_facts
from .forms import OfficerForm
from .models import Officer
from .parsing import RelatedValues
from .services import save_officer

COLUMNS = [
    "pool", "service_number", "first_name", "last_name", "rank", "gender", "date_of_birth", "email", "phone",
    "emergency_contact_name", "emergency_contact_phone", "available_from", "max_duration_months", "skills",
    "languages", "qualifications", "country_expertise", "thematic_expertise",
]
REQUIRED_COLUMNS = ["pool", "service_number", "first_name", "last_name", "rank", "gender", "date_of_birth"]
EXAMPLE_ROW = [
    "bpol", "BP-004711", "Anna", "Schmidt", "inspector", "female", "1985-04-12", "anna.schmidt@example.org",
    "+49 30 123456", "Jan Schmidt", "+49 30 654321", "2027-01-01", "12", "criminal_investigation:3; training:2",
    "en:C1; fr:B1/B2/A2", "passport:2020-01-01:2030-01-01; un_saat:2026-02-01:2028-02-01",
    "SRB; XKX", "organised_crime; trafficking_in_human_beings",
]


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _form_errors(form) -> list[str]:
    return [f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in form.errors.items()]


def import_officers(*, actor, filename: str, content: bytes) -> ImportReport:
    """Validate every row, then save all of them in one transaction, or none.

    Steps: 1. read the file; 2. check the header; 3. validate each row with the officer form and
    the related-value parsers, collecting (line, reason); 4. stop if anything is wrong; 5. save
    each officer with save_officer (which audits what changed); 6. refresh the search facts of the
    changed officers in one pass; 7. audit the import itself.
    """
    report = ImportReport()
    try:
        headers, rows = read_rows(filename, content)
    except TabularFileError as error:
        report.errors.append((1, str(error)))
        return report
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h and h not in COLUMNS]
    if missing:
        report.errors.append((1, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        report.errors.append((1, f"unknown column(s): {', '.join(unknown)}"))
    if not rows and not report.errors:
        report.errors.append((1, "the file has no data rows"))
    if report.errors:
        return report

    lookups = RelatedValues()
    existing = {(o.pool.code, o.service_number): o for o in Officer.objects.select_related("pool").filter(
        pool__code__in={r.get("pool", "") for _, r in rows})}
    seen: dict[tuple[str, str], int] = {}
    prepared = []
    for line, row in rows:
        if "__error__" in row:
            report.errors.append((line, row["__error__"]))
            continue
        problems = []
        key = (row.get("pool", ""), row.get("service_number", ""))
        if key in seen:
            problems.append(f"pool {key[0]} service number {key[1]} is already on line {seen[key]}")
        seen.setdefault(key, line)
        pool = lookups.pools.get(key[0])
        if pool is None:
            problems.append(f"pool: unknown pool code '{key[0]}'")
        elif not access.can_edit_officer(actor, Officer(pool=pool)):  # the check save_officer makes
            problems.append(f"pool: you may not import officers into pool '{key[0]}'")
        rank = lookups.ranks.get(row.get("rank", ""))
        if rank is None:
            problems.append(f"rank: unknown rank '{row.get('rank', '')}' (use one of {', '.join(lookups.ranks)})")
        relations = {}
        for column, parser, name in (("skills", lookups.skills_of, "skills"),
                                     ("languages", lookups.languages_of, "languages"),
                                     ("qualifications", lookups.qualifications_of, "qualifications"),
                                     ("country_expertise", lookups.countries_of, "countries"),
                                     ("thematic_expertise", lookups.themes_of, "themes")):
            if column in headers:
                try:
                    relations[name] = parser(row.get(column, ""))
                except ValueError as error:
                    problems.append(str(error))
        instance = existing.get(key)
        data = {name: row.get(name, "") for name in COLUMNS[:13]}
        data["pool"] = pool.pk if pool else ""
        data["rank"] = rank.pk if rank else ""
        if "countries" in relations:
            data["country_expertise"] = [c.pk for c in relations.pop("countries")]
        elif instance:
            data["country_expertise"] = list(instance.country_expertise.values_list("pk", flat=True))
        if "themes" in relations:
            data["thematic_expertise"] = [t.pk for t in relations.pop("themes")]
        elif instance:
            data["thematic_expertise"] = list(instance.thematic_expertise.values_list("pk", flat=True))
        if instance is not None:
            # Columns the file leaves out keep their stored values.
            for name in COLUMNS[:13]:
                if name not in headers and name not in ("pool", "rank"):
                    value = getattr(instance, name)
                    data[name] = "" if value is None else value
        form = OfficerForm(data=data, instance=instance)
        if pool is not None and rank is not None and not form.is_valid():
            problems.extend(_form_errors(form))
        if problems:
            report.errors.extend((line, problem) for problem in problems)
        else:
            prepared.append((line, form, relations, instance is not None))
    if report.errors:
        return report

    changed_ids = []
    with transaction.atomic():
        for _line, form, relations, is_update in prepared:
            officer = form.save(commit=False)
            saved, fields = save_officer(actor=actor, officer=officer,
                                         countries=form.cleaned_data["country_expertise"],
                                         themes=form.cleaned_data["thematic_expertise"], refresh_facts=False,
                                         **relations)
            if not fields:
                report.unchanged += 1
                continue
            changed_ids.append(saved.pk)
            if is_update:
                report.updated += 1
            else:
                report.created += 1
        refresh_search_facts(officer_ids=changed_ids)  # once for the whole file
        record(actor=actor, action="import", object_type="roster.officer", object_repr=filename[:200],
               detail={"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    if report.created > 1000:
        refresh_planner_statistics()
    return report
