"""Workflows on officer records. Every change and every full read writes the audit log."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dividend.audit.services import record
from dividend.pools import access

from .facts import refresh_search_facts
from .models import Officer, OfficerLanguage, OfficerSkill, Qualification

# Fields of the officer row that the audit log names when they change.
OFFICER_FIELDS = (
    "pool_id", "service_number", "first_name", "last_name", "rank_id", "gender", "date_of_birth", "email",
    "phone", "emergency_contact_name", "emergency_contact_phone", "available_from", "max_duration_months",
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
        qualifications = officer.qualifications.select_related("qualification_type")
        for name, restricted in (("qualifications", False), ("restricted_qualifications", True)):
            values[name] = sorted(
                (q.qualification_type_id, str(q.issued_on), str(q.expires_on), q.level, q.status)
                for q in qualifications if q.qualification_type.restricted is restricted)
    return values


# Changes the audit log records only as "changed", never with their values.
RESTRICTED_CHANGES = (*Officer.RESTRICTED_FIELDS, "restricted_qualifications")


def changed_fields(before: dict, after: dict) -> list[str]:
    return sorted(name.removesuffix("_id") for name in after if before.get(name) != after.get(name))


def changes_between(before: dict, after: dict) -> dict:
    """{field: (old, new)} for the audit log (restricted ones are masked by record())."""
    return {name.removesuffix("_id"): (before.get(name), after.get(name))
            for name in after if before.get(name) != after.get(name)}


def _set_relations(officer, *, skills=None, languages=None, countries=None, themes=None, qualifications=None):
    """Replace the officer's skills/languages/expertise/qualifications with the given ones (None: keep)."""
    if skills is not None:
        officer.skills.all().delete()
        OfficerSkill.objects.bulk_create(OfficerSkill(officer=officer, skill=s, level=lvl) for s, lvl in skills)
    if languages is not None:
        officer.languages.all().delete()
        OfficerLanguage.objects.bulk_create(
            OfficerLanguage(officer=officer, language=lang, speaking=sp, reading=rd, writing=wr)
            for lang, sp, rd, wr in languages)
    if countries is not None:
        officer.country_expertise.set(countries)
    if themes is not None:
        officer.thematic_expertise.set(themes)
    if qualifications is not None:
        officer.qualifications.all().delete()
        Qualification.objects.bulk_create(
            Qualification(officer=officer, qualification_type=q_type, issued_on=issued, expires_on=expires,
                          level=level)
            for q_type, issued, expires, level in qualifications)


def save_officer(*, actor, officer: Officer, skills=None, languages=None, countries=None, themes=None,
                 qualifications=None, refresh_facts: bool = True) -> tuple[Officer, list[str]]:
    """Create or update an officer with its related records.

    Steps: 1. check the actor may edit; 2. snapshot before; 3. validate and save the row;
    4. replace the given relations; 5. refresh the search document and (unless the caller does it
    for many officers at once: refresh_facts=False) the search facts; 6. audit the changed fields.
    Returns the officer and the names of the changed fields (empty: nothing changed, nothing logged).
    """
    creating = officer.pk is None
    if not (actor is None or access.can_edit_officer(actor, officer)):
        raise PermissionDenied("You may not change officers of this pool.")
    with transaction.atomic():
        before = snapshot(Officer.objects.get(pk=officer.pk)) if not creating else {}
        officer.full_clean()
        officer.save()
        _set_relations(officer, skills=skills, languages=languages, countries=countries, themes=themes,
                       qualifications=qualifications)
        officer = Officer.objects.select_related("pool", "rank").get(pk=officer.pk)
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            officer.refresh_search_document()
            if refresh_facts:
                refresh_search_facts(officer_ids=[officer.pk])
            if creating:
                record(actor=actor, action="create", obj=officer, fields=fields)
            else:
                record(actor=actor, action="update", obj=officer, changes=changes_between(before, after),
                       restricted=RESTRICTED_CHANGES)
    return officer, fields


def update_own_profile(*, actor, officer: Officer, changes: dict) -> list[str]:
    """A secondee changes their own contact details and availability (only those fields)."""
    if not access.is_own_officer(actor, officer):
        raise PermissionDenied("You can only change your own profile.")
    unknown = set(changes) - set(Officer.SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        before = snapshot(officer)
        for name, value in changes.items():
            setattr(officer, name, value)
        officer.full_clean()
        officer.save()
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            record(actor=actor, action="update", obj=officer, changes=changes_between(before, after),
                   restricted=RESTRICTED_CHANGES)
    return fields


def set_own_languages(*, actor, officer: Officer, languages) -> list[str]:
    if not access.is_own_officer(actor, officer):
        raise PermissionDenied("You can only change your own profile.")
    with transaction.atomic():
        before = snapshot(officer)
        _set_relations(officer, languages=languages)
        after = snapshot(officer)
        fields = changed_fields(before, after)
        if fields:
            officer.refresh_search_document()
            refresh_search_facts(officer_ids=[officer.pk])
            record(actor=actor, action="update", obj=officer, changes=changes_between(before, after),
                   restricted=RESTRICTED_CHANGES)
    return fields


def delete_officer(*, actor, officer: Officer):
    if not access.can_edit_officer(actor, officer):
        raise PermissionDenied("You may not delete officers of this pool.")
    with transaction.atomic():
        if officer.secondments.exists():
            raise ValidationError("This officer has secondments; they are kept as mission history.")
        label, pk = str(officer), officer.pk
        officer.delete()
        record(actor=actor, action="delete", object_type="roster.officer", object_id=pk, object_repr=label,
               fields=[f.removesuffix("_id") for f in OFFICER_FIELDS])


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
    if not (own or access.can_edit_officer(actor, officer)):
        raise PermissionDenied("You may not add qualifications for this officer.")
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


def decide_qualification(*, actor, qualification: Qualification, confirm: bool, reason: str = "") -> Qualification:
    """A coordinator confirms or rejects a qualification a secondee submitted."""
    if not access.can_confirm_qualifications(actor, qualification.officer):
        raise PermissionDenied("Only a coordinator of the officer's pool can confirm qualifications.")
    if qualification.status != Qualification.Status.PENDING:
        raise ValidationError("This qualification is not waiting for confirmation.")
    if not confirm and not reason.strip():
        raise ValidationError("Say why the qualification is rejected.")
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


def expiring_qualifications(*, user, within_days: int = 90, today: dt.date | None = None):
    today = today or dt.date.today()
    qs = Qualification.objects.expiring_between(today, today + dt.timedelta(days=within_days)).filter(
        officer__in=Officer.objects.visible_to(user))
    if not access.can_see_restricted(user):
        qs = qs.unrestricted()
    return qs.select_related("officer", "officer__pool", "qualification_type").order_by("expires_on")
