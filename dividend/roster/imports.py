"""Officer import from CSV/XLSX: the same validation as the officer form, all or nothing.

Key: pool code + service number, so importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.db import transaction

from dividend.audit.services import record
from dividend.common.bulk import cyclic_gc_paused
from dividend.common.database import analyze_after_load
from dividend.common.tabular import TabularFileError, read_rows

from . import access
from .forms import OfficerImportForm
from .models import Officer, Qualification
from .parsing import RelatedValues
from .services import RELATION_TABLES, OfficerChange, save_officers

COLUMNS = [
    "pool", "service_number", "first_name", "last_name", "rank", "gender", "date_of_birth", "email", "phone",
    "emergency_contact_name", "emergency_contact_phone", "available_from", "max_duration_months", "skills",
    "languages", "qualifications", "country_expertise", "thematic_expertise", "service_start",
    "misconduct_recorded_on",
]
REQUIRED_COLUMNS = ["pool", "service_number", "first_name", "last_name", "rank", "gender", "date_of_birth"]
EXAMPLE_ROW = [
    "bpol", "BP-004711", "Anna", "Schmidt", "inspector", "female", "1985-04-12", "anna.schmidt@example.org",
    "+49 30 123456", "Jan Schmidt", "+49 30 654321", "2027-01-01", "12", "criminal_investigation:3; training:2",
    "en:C1; fr:B1/B2/A2", "passport:2020-01-01:2030-01-01; un_saat:2026-02-01:2028-02-01",
    "SRB; XKX", "organised_crime; trafficking_in_human_beings", "2006-09-01", "",
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


# The officer's own columns; the others are related records (the two last columns came later).
ROW_FIELDS = [*COLUMNS[:13], "service_start", "misconduct_recorded_on"]
EXISTING_CHUNK = 2000
# What an import writes, analysed after a large one (the roster search's plans depend on them).
IMPORTED_TABLES = [Officer._meta.db_table, Qualification._meta.db_table,
                   *(table for table, _ in RELATION_TABLES.values())]  # keys per query when reading the officers a file updates


def _existing_officers(keys: set[tuple[str, str]], pools: dict) -> dict[tuple[str, str], Officer]:
    """The stored officers the file's keys name, read in chunks of service numbers."""
    numbers = sorted({number for code, number in keys if code in pools})
    existing = {}
    for start in range(0, len(numbers), EXISTING_CHUNK):
        for officer in Officer.objects.select_related("pool").filter(
                pool__code__in={code for code, _ in keys if code in pools},
                service_number__in=numbers[start:start + EXISTING_CHUNK]):
            existing[(officer.pool.code, officer.service_number)] = officer
    return {key: officer for key, officer in existing.items() if key in keys}


def _stored_expertise(officers) -> dict[int, tuple[list[int], list[int]]]:
    """{officer id: (country ids, theme ids)}: what a file without those columns keeps."""
    ids = [o.pk for o in officers]
    result = {pk: ([], []) for pk in ids}
    for start in range(0, len(ids), EXISTING_CHUNK):
        chunk = ids[start:start + EXISTING_CHUNK]
        for officer_id, country_id in Officer.country_expertise.through.objects.filter(
                officer_id__in=chunk).values_list("officer_id", "country_id"):
            result[officer_id][0].append(country_id)
        for officer_id, theme_id in Officer.thematic_expertise.through.objects.filter(
                officer_id__in=chunk).values_list("officer_id", "thematicarea_id"):
            result[officer_id][1].append(theme_id)
    return result


def import_officers(*, actor, filename: str, content: bytes) -> ImportReport:
    """Validate every row, then save all of them in one transaction, or none.

    An import changes only what its columns carry (a missing column keeps the stored values;
    qualifications are merged: see services.merge_qualifications) and only what its user may
    change (each row is checked with the OfficerImportForm built for the user; restricted columns and
    qualification types are refused for users without need-to-know).

    Steps: 1. read the file; 2. check the header; 3. read reference data and the officers the
    file names once; 4. validate each row with the officer form and the related-value parsers,
    collecting (line, reason); 5. stop if anything is wrong; 6. save every officer with
    save_officers (bulk writes, search facts refreshed once, one audit entry per officer created
    or changed); 7. audit the import itself.
    """
    with cyclic_gc_paused():
        return _import(actor=actor, filename=filename, content=content)


def _import(*, actor, filename: str, content: bytes) -> ImportReport:
    """import_officers' work (with the cyclic garbage collector paused around it)."""
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

    reference = RelatedValues()
    restricted_columns = [c for c in COLUMNS if c in headers and c in Officer.RESTRICTED_FIELDS]
    existing = _existing_officers({(r.get("pool", ""), r.get("service_number", "")) for _, r in rows
                                   if "__error__" not in r}, reference.pools)
    kept_expertise = (_stored_expertise(existing.values())
                      if not {"country_expertise", "thematic_expertise"} <= set(headers) else {})
    may_edit: dict[int, bool] = {}
    new_officer_restricted: dict[int, bool] = {}

    def may_see_restricted(instance, pool) -> bool:
        """Need-to-know for this row's officer (for a new officer: per pool, asked once)."""
        if instance is not None:
            return access.can_see_restricted(actor, instance)
        if pool.pk not in new_officer_restricted:
            new_officer_restricted[pool.pk] = access.can_see_restricted(actor, Officer(pool=pool))
        return new_officer_restricted[pool.pk]

    restricted_refused: set[str] = set()  # pools whose restricted data the user may not change
    seen: dict[tuple[str, str], int] = {}
    changes, creating = [], []
    forms: dict[bool, OfficerImportForm] = {}  # one form per kind of row: see OfficerImportForm.validate_another
    for line, row in rows:
        if "__error__" in row:
            report.errors.append((line, row["__error__"]))
            continue
        problems = []
        key = (row.get("pool", ""), row.get("service_number", ""))
        if key in seen:
            problems.append(f"pool {key[0]} service number {key[1]} is already on line {seen[key]}")
        seen.setdefault(key, line)
        instance = existing.get(key)
        pool = reference.pools.get(key[0])
        if pool is None:
            problems.append(f"pool: unknown pool code '{key[0]}'")
        else:
            if pool.pk not in may_edit:  # the check save_officers makes, per pool
                may_edit[pool.pk] = access.can_edit_officer(actor, Officer(pool=pool))
            if not may_edit[pool.pk]:
                problems.append(f"pool: you may not import officers into pool '{key[0]}'")
            elif restricted_columns and not may_see_restricted(instance, pool):
                restricted_refused.add(pool.code)
        rank = reference.ranks.get(row.get("rank", ""))
        if rank is None:
            problems.append(f"rank: unknown rank '{row.get('rank', '')}' (use one of {', '.join(reference.ranks)})")
        related, related_problems = {}, []
        for column, parser in (("qualifications", reference.qualifications_of),
                               ("country_expertise", reference.countries_of),
                               ("thematic_expertise", reference.themes_of)):
            if column in headers:
                try:
                    related[column] = parser(row.get(column, ""))
                except ValueError as error:
                    related_problems.append(str(error))
        refused = sorted(q_type.code for q_type, *_ in related.get("qualifications", []) if q_type.restricted
                         and pool is not None and not may_see_restricted(instance, pool))
        if refused:
            related_problems.append(f"qualifications: you may not change restricted qualifications ({', '.join(refused)})")
        if instance is not None:
            # Columns the file leaves out keep their stored values.
            data = {name: "" if (value := getattr(instance, name)) is None else value for name in ROW_FIELDS
                    if name not in ("pool", "rank")}
            countries, themes = kept_expertise.get(instance.pk, ([], []))
            data["country_expertise"], data["thematic_expertise"] = countries, themes
        else:
            data = {name: "" for name in ROW_FIELDS}
        data.update({name: row.get(name, "") for name in ROW_FIELDS if name in headers})
        data.update({name: row[name] for name in ("skills", "languages") if name in headers})
        data["pool"] = pool.pk if pool else ""
        data["rank"] = rank.pk if rank else ""
        for name in ("country_expertise", "thematic_expertise"):
            if name in related:
                data[name] = [obj.pk for obj in related[name]]
        if pool is not None and rank is not None and may_edit[pool.pk]:
            officer = instance or Officer()
            shows_restricted = OfficerImportForm.shows_restricted(actor, officer)
            form = forms.get(shows_restricted)
            if form is None:
                form = forms[shows_restricted] = OfficerImportForm(data=data, instance=officer, user=actor,
                                                             reference=reference)
            if not form.validate_another(data, officer):
                problems.extend(_form_errors(form))
        problems += related_problems
        if problems:
            report.errors.extend((line, problem) for problem in problems)
        else:
            creating.append(instance is None)
            changes.append(OfficerChange(
                officer=form.instance, skills=form.cleaned_data.get("skills"),
                languages=form.cleaned_data.get("languages"),
                countries=list(form.cleaned_data["country_expertise"]) if "country_expertise" in headers else None,
                themes=list(form.cleaned_data["thematic_expertise"]) if "thematic_expertise" in headers else None,
                qualifications=related.get("qualifications")))
    if restricted_refused:
        report.errors.insert(0, (1, f"column(s) {', '.join(restricted_columns)}: restricted data (emergency "
                                    f"contact, misconduct finding) that you may not change for officers of pool(s) "
                                    f"{', '.join(sorted(restricted_refused))}; remove the column(s) and import again"))
    if report.errors:
        return report

    with transaction.atomic():
        changed = save_officers(actor=actor, changes=changes)
        for new, fields in zip(creating, changed, strict=True):
            if not fields:
                report.unchanged += 1
            elif new:
                report.created += 1
            else:
                report.updated += 1
        record(actor=actor, action="import", object_type="roster.officer", object_repr=filename[:200],
               detail={"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    if report.created > 1000:
        analyze_after_load(IMPORTED_TABLES)
    return report
