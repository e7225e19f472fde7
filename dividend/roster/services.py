"""Workflows on officer records. Every change and every full read writes the audit log."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record, record_many
from dividend.common.database import insert_rows
from dividend.reference.models import Country, Language, QualificationType, Skill, ThematicArea

from . import access
from .facts import facts_line, refresh_search_facts
from .models import (
    Officer,
    OfficerLanguage,
    OfficerSkill,
    Qualification,
    check_officer_dates,
    search_document,
)

# Fields of the officer row that the audit log names when they change.
OFFICER_FIELDS = (
    "pool_id", "service_number", "first_name", "last_name", "rank_id", "gender", "date_of_birth", "service_start",
    "email", "phone", "emergency_contact_name", "emergency_contact_phone", "misconduct_recorded_on", "available_from",
    "max_duration_months",
)


def snapshot(officer: Officer) -> dict:
    """The officer's full record as comparable values: row fields plus skills, languages, expertise."""
    values = {name: getattr(officer, name) for name in OFFICER_FIELDS}
    if officer.pk:
        values["skills"] = sorted((s.skill_id, s.level) for s in officer.skills.all())
        values["languages"] = sorted(
            (lang.language_id, lang.speaking, lang.reading, lang.writing) for lang in officer.languages.all())
        values["country_expertise"] = sorted(c.pk for c in officer.country_expertise.all())
        values["thematic_expertise"] = sorted(t.pk for t in officer.thematic_expertise.all())
        values["qualifications"] = sorted(
            (q.qualification_type_id, str(q.issued_on), str(q.expires_on), q.level, q.status)
            for q in officer.qualifications.all())
    return values


def changed_fields(before: dict, after: dict) -> list[str]:
    return sorted(name.removesuffix("_id") for name in after if before.get(name) != after.get(name))


# Changes the audit log records only as "changed", never with their values.
RESTRICTED_CHANGES = (*Officer.RESTRICTED_FIELDS, "restricted_qualifications")


def audit_changes(before: dict, after: dict, restricted_types: set[int] | None = None) -> dict:
    """{field: (old, new)} of what changed between two snapshots, for the audit log: qualifications
    of restricted types (medical, clearance) are split out as "restricted_qualifications", which
    record() stores only as changed (with `restricted=RESTRICTED_CHANGES`). `restricted_types`
    (ids) is read when qualifications changed and the caller did not give it."""
    changes = {}
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name == "qualifications":
            if restricted_types is None:
                restricted_types = set(QualificationType.objects.filter(restricted=True).values_list("pk", flat=True))
            for key, restricted in (("qualifications", False), ("restricted_qualifications", True)):
                old_part = [q for q in old or [] if (q[0] in restricted_types) is restricted]
                new_part = [q for q in new or [] if (q[0] in restricted_types) is restricted]
                if old_part != new_part:
                    changes[key] = (old_part, new_part)
        else:
            changes[name.removesuffix("_id")] = (old, new)
    return changes


def _set_relations(officer, *, skills=None, languages=None, countries=None, themes=None):
    """Replace the officer's skills/languages/expertise with the given ones (None or the same: keep, so
    an unchanged save writes nothing)."""
    if skills is not None and sorted(officer.skills.values_list("skill_id", "level")) != sorted(
            (s.pk, lvl) for s, lvl in skills):
        officer.skills.all().delete()
        OfficerSkill.objects.bulk_create(OfficerSkill(officer=officer, skill=s, level=lvl) for s, lvl in skills)
    if languages is not None and sorted(officer.languages.values_list(
            "language_id", "speaking", "reading", "writing")) != sorted(
            (lang.pk, sp, rd, wr) for lang, sp, rd, wr in languages):
        officer.languages.all().delete()
        OfficerLanguage.objects.bulk_create(
            OfficerLanguage(officer=officer, language=lang, speaking=sp, reading=rd, writing=wr)
            for lang, sp, rd, wr in languages)
    if countries is not None:
        officer.country_expertise.set(countries)
    if themes is not None:
        officer.thematic_expertise.set(themes)


def save_officer(*, actor, officer: Officer, skills=None, languages=None, countries=None,
                 themes=None) -> tuple[Officer, list[str]]:
    """Create or update an officer with its related records (many at once: save_officers).

    Steps: 1. check the actor may edit; 2. snapshot before; 3. validate and save the row;
    4. replace the given relations; 5. refresh the search document and the search facts;
    6. audit the changed fields.
    Returns the officer and the names of the changed fields (empty: nothing changed, nothing logged).
    """
    creating = officer.pk is None
    if not (actor is None or access.can_edit_officer(actor, officer)):
        raise PermissionDenied(_("You may not change officers of this pool."))
    with transaction.atomic():
        before = snapshot(Officer.objects.get(pk=officer.pk)) if not creating else {}
        officer.full_clean()
        officer.save()
        _set_relations(officer, skills=skills, languages=languages, countries=countries, themes=themes)
        officer = Officer.objects.select_related("pool", "rank").get(pk=officer.pk)
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            officer.refresh_search_document()
            refresh_search_facts(officer_ids=[officer.pk])
            if creating:
                record(actor=actor, action="create", obj=officer, fields=fields)
            else:
                record(actor=actor, action="update", obj=officer, changes=audit_changes(before, after),
                       restricted=RESTRICTED_CHANGES)
    return officer, fields


@dataclass
class OfficerChange:
    """One officer to create or update, validated by the OfficerForm: its row with the new values
    set (pool and rank loaded), and the related records the input carries (None: keep the stored)."""

    officer: Officer
    skills: list | None = None  # [(Skill, level)], replaces
    languages: list | None = None  # [(Language, speaking, reading, writing)], replaces
    countries: list | None = None  # [Country], replaces
    themes: list | None = None  # [ThematicArea], replaces
    qualifications: list | None = None  # [(QualificationType, issued, expires, level)], merged: see below


BULK_CHUNK = 2000  # officers per read or write statement group: bounded parameters and memory


def _stored_records(officer_ids: list[int]) -> dict[int, dict]:
    """The stored row fields, search document and related records of existing officers, in a few
    queries per BULK_CHUNK officers: {id: {field: value, ..., "qualification_rows": [Qualification]}}."""
    stored: dict[int, dict] = {}
    through_countries = Officer.country_expertise.through
    through_themes = Officer.thematic_expertise.through
    for start in range(0, len(officer_ids), BULK_CHUNK):
        ids = officer_ids[start:start + BULK_CHUNK]
        for values in Officer.objects.filter(id__in=ids).values("id", "search_document", *OFFICER_FIELDS):
            stored[values["id"]] = dict(values, skills=[], languages=[], country_expertise=[],
                                        thematic_expertise=[], qualification_rows=[])
        for officer_id, *skill in OfficerSkill.objects.filter(officer_id__in=ids).values_list(
                "officer_id", "skill_id", "level"):
            stored[officer_id]["skills"].append(tuple(skill))
        for officer_id, *language in OfficerLanguage.objects.filter(officer_id__in=ids).values_list(
                "officer_id", "language_id", "speaking", "reading", "writing"):
            stored[officer_id]["languages"].append(tuple(language))
        for officer_id, country_id in through_countries.objects.filter(officer_id__in=ids).values_list(
                "officer_id", "country_id"):
            stored[officer_id]["country_expertise"].append(country_id)
        for officer_id, theme_id in through_themes.objects.filter(officer_id__in=ids).values_list(
                "officer_id", "thematicarea_id"):
            stored[officer_id]["thematic_expertise"].append(theme_id)
        for qualification in Qualification.objects.filter(officer_id__in=ids).order_by("id"):
            stored[qualification.officer_id]["qualification_rows"].append(qualification)
    return stored


def _qualification_key(q: Qualification) -> tuple:
    return q.qualification_type_id, str(q.issued_on), str(q.expires_on), q.level, q.status


def merge_qualifications(stored: list[Qualification], given, *, officer, actor) -> tuple[list, list]:
    """What adding the given qualifications to the stored ones changes: (updated, added).

    A given qualification updates the confirmed one of the same type and issue date (its expiry and
    level), or else is added, confirmed. Every other stored qualification stays as it is: pending
    and rejected ones, restricted ones, and those the input does not mention.
    """
    updated, added = [], []
    for q_type, issued, expires, level in given:
        match = next((q for q in stored if q.qualification_type_id == q_type.pk and q.issued_on == issued
                      and q.status == Qualification.Status.CONFIRMED), None)
        if match is None:
            added.append(Qualification(officer=officer, qualification_type=q_type, issued_on=issued,
                                       expires_on=expires, level=level, submitted_by=actor))
        elif (match.expires_on, match.level) != (expires, level):
            match.expires_on, match.level = expires, level
            updated.append(match)
    return updated, added


@dataclass
class _Planned:
    """What save_officers writes for one change."""

    change: OfficerChange
    creating: bool
    fields: list[str]
    relations: dict  # name: [values] (skills, languages, country_expertise, thematic_expertise)
    updated_qualifications: list
    added_qualifications: list
    old: dict  # the stored record (updates), for the audit log's old and new values
    after: dict


def save_officers(*, actor, changes: list[OfficerChange]) -> list[list[str]]:
    """Create or update many officers at once (an import): for each the outcome of save_officer,
    written with a few statements per thousand officers instead of some twenty per officer.

    Steps: 1. check the actor may edit each officer; 2. read the stored records of the officers
    being updated; 3. compute each new record in memory (relations replaced, qualifications
    merged), its search document and the changed fields; 4. in one transaction write what changed:
    new officers, changed rows, replaced relations, merged qualifications; 5. refresh the search
    facts of the changed officers once; 6. one audit entry per officer created or changed.
    Returns the changed field names of each change (empty: unchanged, nothing written or logged).
    """
    may_edit: dict[int, bool] = {}
    for change in changes:
        pool_id = change.officer.pool_id
        if pool_id not in may_edit:
            may_edit[pool_id] = actor is None or access.can_edit_officer(actor, change.officer)
        if not may_edit[pool_id]:
            raise PermissionDenied(_("You may not change officers of this pool."))
    stored = _stored_records([c.officer.pk for c in changes if c.officer.pk is not None])
    names = {"skills": dict(Skill.objects.values_list("id", "name")),
             "languages": dict(Language.objects.values_list("id", "name")),
             "country_expertise": dict(Country.objects.values_list("id", "name")),
             "regions": {pk: (region, subregion) for pk, region, subregion in Country.objects.values_list(
                 "id", "region", "subregion")},
             "thematic_expertise": dict(ThematicArea.objects.values_list("id", "name"))}
    results, planned = [], []
    for change in changes:
        officer = change.officer
        creating = officer.pk is None
        before = stored.get(officer.pk, {"skills": [], "languages": [], "country_expertise": [],
                                         "thematic_expertise": [], "qualification_rows": []})
        given = {"skills": None if change.skills is None else [(s.pk, level) for s, level in change.skills],
                 "languages": None if change.languages is None else [
                     (lang.pk, *levels) for lang, *levels in change.languages],
                 "country_expertise": None if change.countries is None else [c.pk for c in change.countries],
                 "thematic_expertise": None if change.themes is None else [t.pk for t in change.themes]}
        relations = {name: before[name] if values is None else values for name, values in given.items()}
        old_qualifications = sorted(map(_qualification_key, before["qualification_rows"]))
        updated, added = merge_qualifications(before["qualification_rows"], change.qualifications or [],
                                              officer=officer, actor=actor)
        after = {name: getattr(officer, name) for name in OFFICER_FIELDS}
        after.update({name: sorted(values) for name, values in relations.items()})
        after["qualifications"] = sorted(map(_qualification_key, before["qualification_rows"] + added))
        old = {}
        if creating:
            fields = changed_fields({}, after)
        else:
            old = {name: before[name] for name in OFFICER_FIELDS}
            old.update({name: sorted(before[name]) for name in relations}, qualifications=old_qualifications)
            fields = changed_fields(old, after)
        results.append(fields)
        if fields:
            officer.search_document = search_document(
                first_name=officer.first_name, last_name=officer.last_name, service_number=officer.service_number,
                pool_code=officer.pool.code, pool_name=officer.pool.name, rank_name=officer.rank.name,
                skills=[names["skills"][pk] for pk, _ in relations["skills"]],
                languages=[names["languages"][pk] for pk, *_ in relations["languages"]],
                countries=[names["country_expertise"][pk] for pk in relations["country_expertise"]],
                themes=[names["thematic_expertise"][pk] for pk in relations["thematic_expertise"]])
            if creating:
                # A new officer's facts come from what is written now (a new officer has no mission
                # history, and what it adds is confirmed): computing them here spares refresh_search_facts
                # reading everything back and rewriting each new row, 1.5 s of a 10,000-officer
                # import on PostgreSQL. Same function, same line: the import tests check nothing is stale.
                officer.search_facts = facts_line(
                    gender=officer.gender, pool_id=officer.pool_id, skills=relations["skills"],
                    languages=relations["languages"],
                    qualification_type_ids={q.qualification_type_id for q in added
                                            if q.status == Qualification.Status.CONFIRMED},
                    countries=[(pk, *names["regions"][pk]) for pk in relations["country_expertise"]],
                    themes=relations["thematic_expertise"])
            planned.append(_Planned(change, creating, fields, relations, updated, added, old, after))
    if planned:
        with transaction.atomic():
            _write_officers(planned)
            refresh_search_facts(officer_ids=[p.change.officer.pk for p in planned if not p.creating])
            restricted_types = set(QualificationType.objects.filter(restricted=True).values_list("pk", flat=True))
            record_many(actor=actor, entries=[
                {"action": "create", "obj": p.change.officer, "fields": p.fields} if p.creating else
                {"action": "update", "obj": p.change.officer, "restricted": RESTRICTED_CHANGES,
                 "changes": audit_changes(p.old, p.after, restricted_types)}
                for p in planned])
    return results


def _write_officers(planned: list[_Planned]) -> None:
    """The bulk statements of save_officers: insert new officers, update changed rows, replace
    changed relations (delete, insert), update and add merged qualifications."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value
    # Plain tuples through executemany here too; the officers' ids are read back by their key.
    columns = [*OFFICER_FIELDS, "search_document", "updated_at"]
    dates = {"date_of_birth", "service_start", "misconduct_recorded_on", "available_from"}

    def values(officer):
        return [day(getattr(officer, name)) if name in dates else getattr(officer, name) for name in OFFICER_FIELDS]

    new = [p.change.officer for p in planned if p.creating]
    insert_rows("roster_officer", [*columns, "search_facts", "created_at"],
                [(*values(o), o.search_document, stamp, o.search_facts, stamp) for o in new])
    for start in range(0, len(new), BULK_CHUNK):
        chunk = new[start:start + BULK_CHUNK]
        ids = {(pool_id, number): pk for pk, pool_id, number in Officer.objects.filter(
            pool_id__in={o.pool_id for o in chunk}, service_number__in=[o.service_number for o in chunk]
        ).values_list("id", "pool_id", "service_number")}
        for officer in chunk:
            officer.pk = ids[(officer.pool_id, officer.service_number)]
            officer.created_at = officer.updated_at = now
    rows = []
    for p in planned:
        if not p.creating:
            p.change.officer.updated_at = now
            rows.append([*values(p.change.officer), p.change.officer.search_document, stamp, p.change.officer.pk])
    if rows:
        assignments = ", ".join(f"{name} = %s" for name in columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE roster_officer SET {assignments} WHERE id = %s", rows)  # noqa: S608 - column names from the module's constant list, values are bound parameters # nosec B608
    # Related rows as plain tuples through executemany: building a model instance for each of some
    # 50,000 rows cost more than writing them.
    for name, (table, columns) in RELATION_TABLES.items():
        replaced = [p.change.officer.pk for p in planned if name in p.fields and not p.creating]
        for start in range(0, len(replaced), BULK_CHUNK):
            chunk = replaced[start:start + BULK_CHUNK]
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE officer_id IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608 - table names from RELATION_TABLES, ids are bound parameters # nosec B608
        insert_rows(table, ["officer_id", *columns], [
            (p.change.officer.pk, *(value if isinstance(value, tuple) else (value,)))
            for p in planned if name in p.fields for value in p.relations[name]])
    changed = [[day(q.expires_on), q.level, q.pk] for p in planned for q in p.updated_qualifications]
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE roster_qualification SET expires_on = %s, level = %s WHERE id = %s", changed)
    insert_rows("roster_qualification", ["officer_id", "qualification_type_id", "issued_on", "expires_on", "level",
                                          "reference", "status", "submitted_by_id"], [
        (p.change.officer.pk, q.qualification_type_id, day(q.issued_on), day(q.expires_on), q.level, q.reference,
         q.status, q.submitted_by_id) for p in planned for q in p.added_qualifications])


RELATION_TABLES = {  # relation name in save_officers: (table, columns after officer_id)
    "skills": (OfficerSkill._meta.db_table, ["skill_id", "level"]),
    "languages": (OfficerLanguage._meta.db_table, ["language_id", "speaking", "reading", "writing"]),
    "country_expertise": (Officer.country_expertise.through._meta.db_table, ["country_id"]),
    "thematic_expertise": (Officer.thematic_expertise.through._meta.db_table, ["thematicarea_id"]),
}



def update_own_profile(*, actor, officer: Officer, changes: dict) -> list[str]:
    """A secondee changes their own contact details and availability (only those fields)."""
    if not access.is_own_officer(actor, officer):
        raise PermissionDenied(_("You can only change your own profile."))
    unknown = set(changes) - set(Officer.SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        before = snapshot(officer)
        for name, value in changes.items():
            setattr(officer, name, value)
        officer.full_clean()
        officer.save()
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            record(actor=actor, action="update", obj=officer, changes=audit_changes(before, after),
                   restricted=RESTRICTED_CHANGES)
    return fields


def set_own_languages(*, actor, officer: Officer, languages) -> list[str]:
    if not access.is_own_officer(actor, officer):
        raise PermissionDenied(_("You can only change your own profile."))
    with transaction.atomic():
        before = snapshot(officer)
        _set_relations(officer, languages=languages)
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            officer.refresh_search_document()
            refresh_search_facts(officer_ids=[officer.pk])
            record(actor=actor, action="update", obj=officer, changes=audit_changes(before, after),
                   restricted=RESTRICTED_CHANGES)
    return fields


def delete_officer(*, actor, officer: Officer):
    if not access.can_edit_officer(actor, officer):
        raise PermissionDenied(_("You may not delete officers of this pool."))
    with transaction.atomic():
        if officer.secondments.exists():
            raise ValidationError(_("This officer has secondments; they are kept as mission history."))
        label, pk = str(officer), officer.pk
        officer.delete()
        record(actor=actor, action="delete", object_type="roster.officer", object_id=pk, object_repr=label,
               fields=[f.removesuffix("_id") for f in OFFICER_FIELDS])


def record_misconduct_finding(*, actor, officer: Officer, day, reason: str) -> bool:
    """Put a substantiated misconduct finding (decided on `day`) on the officer's record: the
    restricted `misconduct_recorded_on`, which selection reads only as on record yes/no. The care
    app's misconduct cases call this when a case is substantiated.

    Steps: 1. check the actor has need-to-know for the officer; 2. validate the day (not in the
    future) and the reason; 3. one transaction: lock the officer, keep an earlier day already on
    record; 4. audit the restricted field (logged as changed only). Returns whether the record changed.
    """
    if not access.can_see_restricted(actor, officer) or access.is_own_officer(actor, officer):
        raise PermissionDenied(_("You may not record a misconduct finding for this officer."))
    errors = check_officer_dates(None, None, day)
    if errors:
        raise ValidationError(errors)
    if not reason.strip():
        raise ValidationError(_("Say where the finding comes from."))
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        before = officer.misconduct_recorded_on
        if before is not None and before <= day:
            return False
        Officer.objects.filter(pk=officer.pk).update(misconduct_recorded_on=day, updated_at=timezone.now())
        record(actor=actor, action="update", obj=officer, changes={"misconduct_recorded_on": (before, day)},
               restricted=RESTRICTED_CHANGES, detail={"reason": reason.strip()})
    return True


def record_full_read(*, actor, officer: Officer, fields) -> None:
    """Log that `actor` read `officer`'s full record (profile page, API detail)."""
    record(actor=actor, action="read", obj=officer, fields=list(fields))


def visible_fields(user, officer: Officer) -> list[str]:
    fields = [f for f in OFFICER_FIELDS if f not in Officer.RESTRICTED_FIELDS]
    fields = [f.removesuffix("_id") for f in fields] + ["skills", "languages", "qualifications", "expertise",
                                                       "mission_history"]
    if access.can_see_restricted(user, officer):
        fields += list(Officer.RESTRICTED_FIELDS) + ["restricted_qualifications"]
    return fields


def submit_qualification(*, actor, officer: Officer, qualification_type, issued_on, expires_on, level="",
                         reference="") -> Qualification:
    """Add a qualification. From the secondee themself it waits for a coordinator's confirmation."""
    own = access.is_own_officer(actor, officer)
    if not access.can_add_qualification(actor, officer, qualification_type):
        raise PermissionDenied(_("You may not add a %(type)s qualification for this officer.") % {
            "type": qualification_type.name})
    with transaction.atomic():
        qualification = Qualification(
            officer=officer, qualification_type=qualification_type, issued_on=issued_on, expires_on=expires_on,
            level=level, reference=reference, submitted_by=actor,
            status=Qualification.Status.PENDING if own else Qualification.Status.CONFIRMED,
        )
        qualification.full_clean()
        qualification.save()
        refresh_search_facts(officer_ids=[officer.pk])  # a confirmed one is searchable at once
        # Logged against the qualification; the officer id lets the officer's history find it.
        record(actor=actor, action="submit" if own else "create", obj=qualification,
               fields=["qualification_type", "issued_on", "expires_on", "level", "reference"],
               detail={"officer_id": officer.pk, "qualification": qualification_type.code,
                       "status": qualification.status})
    return qualification


QUALIFICATION_FIELDS = ("qualification_type_id", "issued_on", "expires_on", "level", "reference")


def update_qualification(*, actor, qualification: Qualification, qualification_type, issued_on, expires_on,
                         level="", reference="") -> list[str]:
    """An editor of the officer corrects a qualification's type, dates, level or reference.

    Steps: 1. check the actor may edit the officer (and see restricted data if the old or the new type
    is restricted); 2. validate (expiry not before issue); 3. in one transaction, lock the row, compare
    and save (its status stays: a pending one still waits for its coordinator); 4. refresh the officer's
    search facts; 5. audit the changed fields on the officer. Returns the changed fields (empty: nothing
    changed, nothing logged).
    """
    officer = qualification.officer
    if not access.can_edit_officer(actor, officer):
        raise PermissionDenied(_("You may not change qualifications of this officer."))
    if ((qualification.qualification_type.restricted or qualification_type.restricted)
            and not access.can_see_restricted(actor, officer)):
        raise PermissionDenied(_("Medical and clearance qualifications are changed only by need-to-know roles."))
    with transaction.atomic():
        qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
        new = {"qualification_type_id": qualification_type.pk, "issued_on": issued_on, "expires_on": expires_on,
               "level": level, "reference": reference}
        changes = {name.removesuffix("_id"): (getattr(qualification, name), new[name])
                   for name in QUALIFICATION_FIELDS if getattr(qualification, name) != new[name]}
        fields = sorted(changes)
        if not fields:
            return []
        restricted = qualification.qualification_type.restricted or qualification_type.restricted
        for name, value in new.items():
            setattr(qualification, name, value)
        qualification.full_clean()
        qualification.save()
        refresh_search_facts(officer_ids=[officer.pk])
        # Logged against the qualification (officer id in the detail); medical and clearance ones
        # only as changed.
        record(actor=actor, action="update", obj=qualification, changes=changes,
               restricted=changes if restricted else (), detail={"officer_id": officer.pk})
    return fields


def decide_qualification(*, actor, qualification: Qualification, confirm: bool, reason: str = "") -> Qualification:
    """A coordinator confirms or rejects a qualification a secondee submitted."""
    if not access.can_confirm_qualification(actor, qualification):
        raise PermissionDenied(_("Only a coordinator of the officer's pool can confirm qualifications."))
    if qualification.status != Qualification.Status.PENDING:
        raise ValidationError(_("This qualification is not waiting for confirmation."))
    if not confirm and not reason.strip():
        raise ValidationError(_("Say why the qualification is rejected."))
    with transaction.atomic():
        qualification.status = Qualification.Status.CONFIRMED if confirm else Qualification.Status.REJECTED
        qualification.decided_by = actor
        qualification.decided_at = timezone.now()
        qualification.save()
        refresh_search_facts(officer_ids=[qualification.officer_id])
        record(actor=actor, action="decide", obj=qualification,
               changes={"status": (Qualification.Status.PENDING, qualification.status)},
               detail={"officer_id": qualification.officer_id, "qualification": qualification.qualification_type.code,
                       "reason": reason})
    return qualification
