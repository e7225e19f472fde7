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
        values["qualifications"] = sorted(
            (q.qualification_type_id, str(q.issued_on), str(q.expires_on), q.level, q.status)
            for q in officer.qualifications.all())
    return values


def changed_fields(before: dict, after: dict) -> list[str]:
    return sorted(name.removesuffix("_id") for name in after if before.get(name) != after.get(name))


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
            record(actor=actor, action="create" if creating else "update", obj=officer, fields=fields)
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
        fields = changed_fields(before, snapshot(officer))
        if fields:
            record(actor=actor, action="update", obj=officer, fields=fields)
    return fields


def set_own_languages(*, actor, officer: Officer, languages) -> list[str]:
    if not access.is_own_officer(actor, officer):
        raise PermissionDenied("You can only change your own profile.")
    with transaction.atomic():
        before = snapshot(officer)
        _set_relations(officer, languages=languages)
        fields = changed_fields(before, snapshot(officer))
        if fields:
            officer.refresh_search_document()
            refresh_search_facts(officer_ids=[officer.pk])
            record(actor=actor, action="update", obj=officer, fields=fields)
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
        record(actor=actor, action="create", obj=officer, fields=["qualifications"],
               detail={"qualification": qualification_type.code, "status": qualification.status})
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
        raise PermissionDenied("You may not change qualifications of this officer.")
    if ((qualification.qualification_type.restricted or qualification_type.restricted)
            and not access.can_see_restricted(actor, officer)):
        raise PermissionDenied("Medical and clearance qualifications are changed only by need-to-know roles.")
    with transaction.atomic():
        qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
        new = {"qualification_type_id": qualification_type.pk, "issued_on": issued_on, "expires_on": expires_on,
               "level": level, "reference": reference}
        fields = sorted(name.removesuffix("_id") for name in QUALIFICATION_FIELDS
                        if getattr(qualification, name) != new[name])
        if not fields:
            return []
        for name, value in new.items():
            setattr(qualification, name, value)
        qualification.full_clean()
        qualification.save()
        refresh_search_facts(officer_ids=[officer.pk])
        record(actor=actor, action="update", obj=officer, fields=["qualifications"],
               detail={"qualification": qualification.pk, "changed": fields})
    return fields


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
        record(actor=actor, action="status", obj=qualification.officer, fields=["qualifications"],
               detail={"qualification": qualification.qualification_type.code, "status": qualification.status,
                       "reason": reason})
    return qualification


def expiring_qualifications(*, user, within_days: int = 90, today: dt.date | None = None):
    today = today or dt.date.today()
    qs = Qualification.objects.expiring_between(today, today + dt.timedelta(days=within_days)).filter(
        officer__in=Officer.objects.visible_to(user))
    if not access.can_see_restricted(user):
        qs = qs.unrestricted()
    return qs.select_related("officer", "officer__pool", "qualification_type").order_by("expires_on")
