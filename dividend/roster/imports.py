"""Officer import from CSV/XLSX: the same validation as the officer form, all or nothing.

Key: pool code + service number, so importing the same file twice changes nothing the second time.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from dividend.audit.services import record
from dividend.common.tabular import TabularFileError, read_rows
from dividend.pools import access
from dividend.pools.models import Pool
from dividend.reference.models import (
    CEFR_BY_NAME,
    Country,
    Language,
    QualificationType,
    Rank,
    Skill,
    ThematicArea,
)

from .forms import OfficerForm
from .models import Officer
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


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _date(text: str, what: str):
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{what}: '{text}' is not a date (YYYY-MM-DD)") from error


class _Lookups:
    def __init__(self):
        self.pools = {p.code: p for p in Pool.objects.all()}
        self.ranks = {r.code: r for r in Rank.objects.all()}
        self.skills = {s.code: s for s in Skill.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.qualification_types = {q.code: q for q in QualificationType.objects.all()}
        self.countries = {c.iso3: c for c in Country.objects.all()}
        self.themes = {t.code: t for t in ThematicArea.objects.all()}

    def skills_of(self, text):
        result = []
        for part in _split(text):
            code, _, level = part.partition(":")
            if code not in self.skills:
                raise ValueError(f"skills: unknown skill '{code}'")
            if level not in {"1", "2", "3", "4"}:
                raise ValueError(f"skills: level of '{code}' must be 1–4, not '{level}'")
            result.append((self.skills[code], int(level)))
        if len({s.pk for s, _ in result}) != len(result):
            raise ValueError("skills: a skill is listed twice")
        return result

    def languages_of(self, text):
        result = []
        for part in _split(text):
            code, _, levels = part.partition(":")
            if code not in self.languages:
                raise ValueError(f"languages: unknown language code '{code}'")
            parts = [p.strip().upper() for p in levels.split("/")] if levels else []
            if len(parts) == 1:
                parts = parts * 3
            if len(parts) != 3 or any(p not in CEFR_BY_NAME for p in parts):
                raise ValueError(f"languages: '{part}' needs a CEFR level (A1–C2), or speaking/reading/writing")
            result.append((self.languages[code], *[CEFR_BY_NAME[p] for p in parts]))
        return result

    def qualifications_of(self, text):
        result = []
        for part in _split(text):
            code, *rest = [p.strip() for p in part.split(":")]
            if code not in self.qualification_types:
                raise ValueError(f"qualifications: unknown qualification '{code}'")
            rest += [""] * (3 - len(rest))
            issued = _date(rest[0], f"qualifications: issue date of {code}")
            expires = _date(rest[1], f"qualifications: expiry date of {code}")
            if issued and expires and expires < issued:
                raise ValueError(f"qualifications: {code} expires before it was issued")
            result.append((self.qualification_types[code], issued, expires, rest[2]))
        return result

    def countries_of(self, text):
        unknown = [c for c in _split(text) if c.upper() not in self.countries]
        if unknown:
            raise ValueError(f"country_expertise: unknown ISO 3166 alpha-3 code(s) {', '.join(unknown)}")
        return [self.countries[c.upper()] for c in _split(text)]

    def themes_of(self, text):
        unknown = [t for t in _split(text) if t not in self.themes]
        if unknown:
            raise ValueError(f"thematic_expertise: unknown theme(s) {', '.join(unknown)}")
        return [self.themes[t] for t in _split(text)]


def _form_errors(form) -> list[str]:
    return [f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in form.errors.items()]


def import_officers(*, actor, filename: str, content: bytes) -> ImportReport:
    """Validate every row, then save all of them in one transaction, or none.

    Steps: 1. read the file; 2. check the header; 3. validate each row with the officer form and
    the related-value parsers, collecting (line, reason); 4. stop if anything is wrong; 5. save
    each officer with save_officer (which audits what changed); 6. audit the import itself.
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

    lookups = _Lookups()
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
        elif not (access.is_national(actor) or pool.pk in access.pool_ids(actor)):
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

    with transaction.atomic():
        for _line, form, relations, is_update in prepared:
            officer = form.save(commit=False)
            _, fields = save_officer(actor=actor, officer=officer, countries=form.cleaned_data["country_expertise"],
                                     themes=form.cleaned_data["thematic_expertise"], **relations)
            if not fields:
                report.unchanged += 1
            elif is_update:
                report.updated += 1
            else:
                report.created += 1
        record(actor=actor, action="import", object_type="roster.officer", object_repr=filename[:200],
               detail={"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    return report
