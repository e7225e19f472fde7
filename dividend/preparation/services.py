"""Workflows of the preparation app: the checklist (made from the organisation's template, items
ticked, due dates and notes corrected, national caveats), the backfill of the home post and the
pool's backfill roster. Each is a keyword-only function, `actor` first, audited; edits compare
before they write and return the changed fields (none: nothing written, nothing logged)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.roster.models import Officer
from dividend.secondments.models import Secondment

from . import access
from .models import (
    Backfill,
    BackfillRosterEntry,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Kind,
    preparing_statuses,
)

ITEM_FIELDS = ("due_date", "note", "returnee")
BACKFILL_FIELDS = ("arrangement", "substitute", "promoted", "start_date", "end_date", "funding", "funding_note",
                   "cost_figure")


def _lock(secondment) -> Secondment:
    """The secondment's row, locked: two preparers acting at once wait for each other."""
    return Secondment.objects.select_for_update().select_related(
        "officer", "officer__pool", "officer__rank", "position__mission").get(pk=secondment.pk)


def template_for(secondment) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(organisation=secondment.position.mission.organisation).first()


def _instantiate(*, actor, secondment, template) -> Checklist:
    checklist = Checklist.objects.create(secondment=secondment, template=template, created_at=timezone.now(),
                                         created_by=actor)
    items = [ChecklistItem(checklist=checklist, code=t.code, kind=t.kind, title=t.title, description=t.description,
                           order=t.order, due_date=secondment.start_date - dt.timedelta(days=t.days_before))
             for t in template.items.all()]
    ChecklistItem.objects.bulk_create(items)
    record(actor=actor, action="create", obj=checklist, fields=["items", "due_date"],
           detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk,
                   "template": template.organisation, "items": len(items),
                   "departure": f"{secondment.start_date:%Y-%m-%d}"})
    return checklist


def create_checklist(*, actor, secondment) -> Checklist:
    """Make a secondment's checklist from its mission organisation's template (on demand: a
    secondment recorded by hand; the move to preparing makes it by itself, see apps.py).

    Steps: 1. check the actor prepares this officer; 2. validate: the secondment is selected or
    preparing, has no checklist yet, and its organisation has a template; 3. one transaction (the
    secondment locked): the checklist and its items, each due its template's days before departure;
    4. audit.
    """
    if not access.can_prepare(actor, secondment.officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    with transaction.atomic():
        secondment = _lock(secondment)
        if secondment.status not in preparing_statuses():
            raise ValidationError(_("A %(status)s secondment is not being prepared: its checklist cannot be made now.")
                                  % {"status": secondment.get_status_display().lower()})
        if Checklist.objects.filter(secondment=secondment).exists():
            raise ValidationError(_("This secondment has its checklist already."))
        template = template_for(secondment)
        if template is None:
            raise ValidationError(_("There is no checklist template for %(organisation)s missions: an administrator "
                                    "adds one in the admin.") % {
                "organisation": secondment.position.mission.get_organisation_display()})
        return _instantiate(actor=actor, secondment=secondment, template=template)


def checklist_on_preparing(secondment, *, actor) -> Checklist | None:
    """The move to preparing made (secondments.signals.secondment_moved, in the move's transaction):
    the checklist, by the person who made the move (the move's workflow checked they may). Nothing
    when there is one already or no template for the organisation (the page then says so)."""
    if Checklist.objects.filter(secondment=secondment).exists():
        return None
    template = template_for(secondment)
    if template is None:
        return None
    return _instantiate(actor=actor, secondment=secondment, template=template)


def _check_item(item: ChecklistItem, *, departure: dt.date, due_date, note: str, returnee) -> dict:
    """The problems of one item's new values, by field."""
    errors = {}
    if due_date is not None and due_date > departure:
        errors["due_date"] = _("%(title)s: due %(due)s, after departure on %(departure)s; an item is due on or "
                               "before departure.") % {"title": item.title, "due": f"{due_date:%Y-%m-%d}",
                                                       "departure": f"{departure:%Y-%m-%d}"}
    if item.medical and note:
        errors["note"] = _("The medical item is yes/no only: it takes no note.")
    if returnee is not None and item.kind != Kind.RETURNEE_EXCHANGE:
        errors["returnee"] = _("%(title)s: only the returnee exchange names a returnee.") % {"title": item.title}
    return errors


def update_item(*, actor, item: ChecklistItem, due_date: dt.date, note: str = "", returnee: Officer | None = None
                ) -> list[str]:
    """Correct an item's due date, note, or the returnee the officer met.

    Steps: 1. check the actor may tick this item (the medical one: need-to-know); 2. validate: due
    on or before departure, no note on the medical item, a returnee only on the returnee exchange;
    3. one transaction: lock, compare, save; 4. audit the changed fields. Returns them.
    """
    return update_items(actor=actor, checklist=item.checklist, updates=[
        {"code": item.code, "due_date": due_date, "note": note, "returnee": returnee}])


def set_done(*, actor, item: ChecklistItem, done: bool) -> list[str]:
    """Tick an item done (with who and when) or back to not done.

    Steps: 1. check the actor may tick this item; 2. one transaction: lock, compare, save who/when;
    3. audit. Returns ["done"], or [] when it already was so.
    """
    return update_items(actor=actor, checklist=item.checklist, updates=[{"code": item.code, "done": done}])


def update_items(*, actor, checklist: Checklist, updates: list[dict]) -> list[str]:
    """Change several items of one checklist at once (the API): each update names an item by its
    code and gives any of done, due_date, note, returnee.

    Steps: 1. check the actor prepares the officer and, for the medical item, has need-to-know;
    2. validate every update (an unknown item code, a code given twice, a due date after departure,
    a note on the medical item: every problem named, nothing changed); 3. one transaction (the
    secondment locked): compare and save the items that change, done with who/when; 4. one audit
    entry per changed item. Returns "code.field" for each change.
    """
    secondment = checklist.secondment
    officer = secondment.officer
    if not access.can_prepare(actor, officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    with transaction.atomic():
        secondment = _lock(secondment)
        items = {i.code: i for i in ChecklistItem.objects.filter(checklist=checklist).select_related("returnee")}
        codes = [u.get("code") for u in updates]
        unknown = sorted({str(c) for c in codes if c not in items})
        if unknown:
            raise ValidationError({"items": _("No such item on this checklist: %(codes)s.") % {
                "codes": ", ".join(unknown)}})
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValidationError({"items": _("An item given twice: %(codes)s.") % {"codes": ", ".join(twice)}})
        errors, planned = {}, []
        for update in updates:
            item = items[update["code"]]
            if not access.can_tick_item(actor, item, officer):
                raise PermissionDenied(_("Only a coordinator or HR manager of the officer's own pool answers the "
                                         "medical item."))
            new = {k: update[k] for k in ("done", *ITEM_FIELDS) if k in update}
            if "note" in new:
                new["note"] = (new["note"] or "").strip()
            problems = _check_item(item, departure=secondment.start_date, due_date=new.get("due_date"),
                                   note=new.get("note", ""), returnee=new.get("returnee"))
            for field, message in problems.items():
                errors.setdefault(field, []).append(message)
            if "due_date" in new and new["due_date"] is None:
                errors.setdefault("due_date", []).append(_("%(title)s: give a due date.") % {"title": item.title})
            planned.append((item, new))
        if errors:
            raise ValidationError(errors)
        changed = []
        now = timezone.now()
        for item, new in planned:
            changes = {}
            for field, value in new.items():
                before = getattr(item, field)
                if before != value:
                    changes[field] = (before.pk if isinstance(before, Officer) else before,
                                      value.pk if isinstance(value, Officer) else value)
                    setattr(item, field, value)
            if not changes:
                continue
            if "done" in changes:
                item.done_at, item.done_by = (now, actor) if item.done else (None, None)
            item.save()
            record(actor=actor, action="update", obj=item, changes=changes,
                   detail={"officer_id": officer.pk, "secondment_id": secondment.pk, "code": item.code})
            changed += [f"{item.code}.{field}" for field in sorted(changes)]
    return changed


def set_caveats(*, actor, checklist: Checklist, caveats: str) -> list[str]:
    """Write the national caveats: what the officer may not be redeployed to or used for.

    Steps: 1. check the actor prepares the officer; 2. one transaction: compare and save; 3. audit.
    """
    if not access.can_prepare(actor, checklist.secondment.officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    caveats = "\n".join(line.strip() for line in caveats.replace("\r\n", "\n").split("\n")).strip()
    with transaction.atomic():
        checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if checklist.caveats == caveats:
            return []
        before, checklist.caveats = checklist.caveats, caveats
        checklist.save(update_fields=["caveats"])
        record(actor=actor, action="update", obj=checklist, changes={"caveats": (before, caveats)},
               detail={"officer_id": checklist.secondment.officer_id, "secondment_id": checklist.secondment_id})
    return ["caveats"]


# --- Backfill --------------------------------------------------------------------------------------

def _check_backfill(secondment, data: dict) -> dict:
    """The problems of a backfill's values, by field."""
    officer = secondment.officer
    arrangement = data["arrangement"]
    start, end = data.get("start_date"), data.get("end_date")
    substitute, promoted = data.get("substitute"), data.get("promoted")
    errors = {}
    if arrangement not in Backfill.Arrangement.values:
        errors["arrangement"] = _("Choose how the post is covered: a substitute, a temporary promotion or vacant.")
        return errors
    if data.get("funding") not in Backfill.Funding.values:
        errors["funding"] = _("Choose how the replacement is funded.")
    if start and end and end < start:
        errors["end_date"] = _("The backfill ends (%(end)s) before it starts (%(start)s).") % {
            "end": f"{end:%Y-%m-%d}", "start": f"{start:%Y-%m-%d}"}
    if data.get("cost_figure") is not None and data["cost_figure"] < 0:
        errors["cost_figure"] = _("A cost is not negative.")
    if arrangement == Backfill.Arrangement.SUBSTITUTE:
        if substitute is None:
            errors["substitute"] = _("Choose the substitute from the backfill roster.")
        elif substitute.pk == officer.pk:
            errors["substitute"] = _("The seconded officer cannot stand in for themself.")
        elif not BackfillRosterEntry.objects.filter(pool_id=officer.pool_id, officer=substitute).exists():
            errors["substitute"] = _("%(name)s is not on the backfill roster of %(pool)s.") % {
                "name": substitute.full_name, "pool": officer.pool.name}
        if promoted is not None:
            errors["promoted"] = _("A substitute covers the post: no promotion with it.")
    elif arrangement == Backfill.Arrangement.PROMOTION:
        if promoted is None:
            errors["promoted"] = _("Choose the junior officer who is promoted for the time.")
        elif promoted.pk == officer.pk:
            errors["promoted"] = _("The seconded officer cannot be promoted into their own post.")
        elif promoted.pool_id != officer.pool_id:
            errors["promoted"] = _("%(name)s is not an officer of %(pool)s.") % {
                "name": promoted.full_name, "pool": officer.pool.name}
        elif promoted.rank.order >= officer.rank.order:
            errors["promoted"] = _("%(name)s (%(rank)s) is not junior to %(officer)s (%(officer_rank)s).") % {
                "name": promoted.full_name, "rank": promoted.rank, "officer": officer.full_name,
                "officer_rank": officer.rank}
        if not start:
            errors["start_date"] = _("A temporary promotion has a start date.")
        if not end:
            errors["end_date"] = _("A temporary promotion has an end date.")
        if substitute is not None:
            errors["substitute"] = _("A promotion covers the post: no substitute with it.")
        if promoted is not None and start and end and end >= start and "promoted" not in errors:
            clash = (Backfill.objects.filter(arrangement=Backfill.Arrangement.PROMOTION, promoted=promoted,
                                             start_date__lte=end, end_date__gte=start)
                     .exclude(secondment=secondment).select_related("secondment__officer").first())
            if clash is not None:
                errors["start_date"] = _(
                    "%(name)s is temporarily promoted already from %(start)s to %(end)s (covering for %(other)s); "
                    "one officer's temporary promotions may not overlap.") % {
                    "name": promoted.full_name, "start": f"{clash.start_date:%Y-%m-%d}",
                    "end": f"{clash.end_date:%Y-%m-%d}", "other": clash.secondment.officer.full_name}
    else:
        if substitute is not None or promoted is not None:
            errors["arrangement"] = _("A post left vacant has neither a substitute nor a promoted officer.")
    return errors


def record_backfill(*, actor, secondment, arrangement: str, substitute=None, promoted=None, start_date=None,
                    end_date=None, funding: str = Backfill.Funding.NONE, funding_note: str = "",
                    cost_figure=None) -> list[str]:
    """Record (or correct) how the officer's home post is covered while they are away.

    Steps: 1. check the actor prepares the officer; 2. validate: a substitute from the pool's backfill
    roster, or a junior officer of the pool promoted for a period (start and end; not overlapping
    another temporary promotion of theirs), or vacant; a period in order; a known funding; a cost
    not negative; 3. one transaction (the secondment locked): compare and save; 4. audit the changed
    fields. Returns them (empty: nothing changed).
    """
    if not access.can_prepare(actor, secondment.officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    data = {"arrangement": arrangement, "substitute": substitute, "promoted": promoted, "start_date": start_date,
            "end_date": end_date, "funding": funding, "funding_note": (funding_note or "").strip(),
            "cost_figure": cost_figure}
    with transaction.atomic():
        secondment = _lock(secondment)
        errors = _check_backfill(secondment, data)
        if errors:
            raise ValidationError(errors)
        backfill = Backfill.objects.select_for_update().filter(secondment=secondment).first()
        detail = {"officer_id": secondment.officer_id, "secondment_id": secondment.pk}
        if backfill is None:
            backfill = Backfill(secondment=secondment, recorded_by=actor, recorded_at=timezone.now(), **data)
            backfill.full_clean(exclude=["secondment"])
            backfill.save()
            fields = sorted(f for f, v in data.items() if v not in (None, ""))
            if backfill.covering is not None:
                detail["covering_officer_id"] = backfill.covering.pk
            record(actor=actor, action="create", obj=backfill, fields=fields, detail=detail)
            return fields

        def plain(value):
            return value.pk if isinstance(value, Officer) else value

        changes = {f: (plain(getattr(backfill, f)), plain(v)) for f, v in data.items() if getattr(backfill, f) != v}
        if not changes:
            return []
        for field, value in data.items():
            setattr(backfill, field, value)
        backfill.recorded_by, backfill.recorded_at = actor, timezone.now()
        backfill.full_clean(exclude=["secondment"])
        backfill.save()
        if backfill.covering is not None:
            detail["covering_officer_id"] = backfill.covering.pk
        record(actor=actor, action="update", obj=backfill, changes=changes, detail=detail)
    return sorted(changes)


def add_to_roster(*, actor, pool, officer, note: str = "") -> BackfillRosterEntry:
    """Put an officer of the pool on its backfill roster.

    Steps: 1. check the actor prepares the pool's officers; 2. validate: the officer is of the pool
    and not on the roster yet; 3. save; 4. audit.
    """
    if not access.can_manage_backfill_roster(actor, pool.pk):
        raise PermissionDenied(_("You may not change the backfill roster of this pool."))
    if officer.pool_id != pool.pk:
        raise ValidationError({"officer": _("%(name)s is not an officer of %(pool)s.") % {
            "name": officer.full_name, "pool": pool.name}})
    with transaction.atomic():
        if BackfillRosterEntry.objects.filter(pool=pool, officer=officer).exists():
            raise ValidationError({"officer": _("%(name)s is on the backfill roster already.") % {
                "name": officer.full_name}})
        entry = BackfillRosterEntry.objects.create(pool=pool, officer=officer, note=(note or "").strip(),
                                                   added_by=actor, added_at=timezone.now())
        record(actor=actor, action="create", obj=entry, fields=["pool", "officer", "note"],
               detail={"officer_id": officer.pk})
    return entry


def remove_from_roster(*, actor, entry: BackfillRosterEntry) -> None:
    """Take an officer off the backfill roster (a backfill already recorded keeps its substitute).

    Steps: 1. check the actor prepares the pool's officers; 2. delete; 3. audit.
    """
    if not access.can_manage_backfill_roster(actor, entry.pool_id):
        raise PermissionDenied(_("You may not change the backfill roster of this pool."))
    with transaction.atomic():
        record(actor=actor, action="delete", obj=entry, fields=["pool", "officer", "note"],
               detail={"officer_id": entry.officer_id})
        entry.delete()
