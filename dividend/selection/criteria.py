"""Workflows on what selection decides by: the organisations' eligibility rule sets (versioned) and
each call's ranking criteria (weights and deployment date, locked before the national pre-deadline).

Like `services.py`: keyword-only functions, the actor first; each checks permission, validates, writes
in one transaction and audits. The forms (`forms.RuleSetForm`, `forms.CriteriaForm`) are the input
boundary; these functions check again so the API and commands cannot go around them.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record

from . import access, engine
from .candidates import ENGINE_ORGANISATION, vocabulary
from .models import CALL_ORGANISATIONS, Call, CallCriteria, EligibilityRuleSet, criteria_of


class CriteriaLocked(ValidationError):
    """A change to a call's criteria after their lock."""


def rule_set_problems(organisation: str, data) -> list[engine.Problem]:
    """Every problem of a rule set for `organisation`, each with its path (the engine's validation
    against the reference vocabulary, and the organisation named in the data)."""
    problems = list(engine.validate_rule_set(data, vocabulary()))
    if isinstance(data, dict):  # lengths the API's schema declares (RuleSetData)
        for name, limit in (("name", 200), ("source", 2000)):
            if isinstance(data.get(name), str) and len(data[name]) > limit:
                problems.append(engine.Problem(name, f"must be at most {limit} characters"))
        for i, rule in enumerate(data.get("rules") if isinstance(data.get("rules"), list) else []):
            if isinstance(rule, dict) and isinstance(rule.get("label"), str) and len(rule["label"]) > 300:
                problems.append(engine.Problem(f"rules[{i}].label", "must be at most 300 characters"))
    expected = ENGINE_ORGANISATION.get(organisation)
    if isinstance(data, dict) and isinstance(data.get("organisation"), str) and data["organisation"] != expected:
        problems.append(engine.Problem("organisation", f"must be {expected!r} for this organisation"))
    return problems


def save_rule_set(*, actor, organisation: str, data, note: str = "") -> EligibilityRuleSet:
    """Store a new version of an organisation's eligibility rule set (the latest applies).

    Steps: 1. check the actor may edit rule sets (national administrators); 2. validate the rules
    (every problem with its path: ValidationError listing them all); 3. in one transaction, take the
    next version number and save; 4. audit the new version. Earlier versions stay as they were.
    """
    if not access.can_edit_rule_sets(actor):
        raise PermissionDenied(_("Only national administrators change eligibility rules."))
    if organisation not in {o.value for o in CALL_ORGANISATIONS}:
        raise ValidationError({"organisation": _("Unknown organisation %(code)s.") % {"code": organisation}})
    problems = rule_set_problems(organisation, data)
    if problems:
        raise ValidationError([f"{p.path or '(rule set)'}: {p.message}" for p in problems])
    with transaction.atomic():
        latest = (EligibilityRuleSet.objects.select_for_update().filter(organisation=organisation)
                  .aggregate(v=Max("version"))["v"] or 0)
        if latest:
            current = EligibilityRuleSet.objects.get(organisation=organisation, version=latest)
            if current.data == data:
                raise ValidationError(_("These rules are the same as version %(version)s: nothing to save.")
                                      % {"version": latest})
        rule_set = EligibilityRuleSet(organisation=organisation, version=latest + 1, data=data, note=note,
                                      created_by=actor)
        rule_set.full_clean()
        rule_set.save()
        record(actor=actor, action="create", obj=rule_set, fields=["data", "note"],
               detail={"organisation": organisation, "version": rule_set.version,
                       "rules": [r.get("id") for r in data["rules"]]})
    return rule_set


def refuse_when_locked(criteria: CallCriteria, today: dt.date) -> None:
    reason = criteria.lock_reason(today)
    if reason == "locked":
        raise CriteriaLocked(_("The ranking criteria of this call were locked on %(day)s: they cannot be changed "
                               "any more.") % {"day": f"{timezone.localtime(criteria.locked_at):%Y-%m-%d}"})
    if reason == "deadline":
        raise CriteriaLocked(_("The national pre-deadline (%(day)s) has come: the ranking criteria are locked and "
                               "cannot be changed any more.") % {"day": f"{criteria.call.national_deadline:%Y-%m-%d}"})


def set_call_criteria(*, actor, call: Call, weights, deployment_date: dt.date | None,
                      today: dt.date | None = None) -> list[str]:
    """Set a call's ranking criteria: the score weights and the planned deployment date.

    Steps: 1. check the actor coordinates the call; 2. refuse after the lock (the action, or the
    national pre-deadline); 3. validate the weights (every problem with its path); 4. in one
    transaction, lock the row, compare and save what changed; 5. audit the changes. Returns the
    changed fields (empty: nothing changed, nothing logged).
    """
    today = today or timezone.localdate()
    if not access.can_set_criteria(actor, call):
        raise PermissionDenied(_("You may not set the criteria of this call."))
    refuse_when_locked(criteria_of(call), today)
    words = vocabulary()
    problems = engine.validate_weights(weights, words.qualifications - words.restricted)
    if problems:
        raise ValidationError([f"{p.path or '(weights)'}: {p.message}" for p in problems])
    if deployment_date is not None and deployment_date < call.national_deadline:
        raise ValidationError({"deployment_date": _("The deployment cannot start before the national pre-deadline "
                                                    "(%(day)s).") % {"day": f"{call.national_deadline:%Y-%m-%d}"}})
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        criteria = CallCriteria.objects.filter(call=call).first()
        creating = criteria is None
        if creating:
            criteria = criteria_of(Call.objects.get(pk=call.pk))
        refuse_when_locked(criteria, today)
        changes = {name: (getattr(criteria, name), value) for name, value in
                   (("weights", weights), ("deployment_date", deployment_date))
                   if creating or getattr(criteria, name) != value}
        if not changes:
            return []
        criteria.weights, criteria.deployment_date = weights, deployment_date
        criteria.updated_at, criteria.updated_by = timezone.now(), actor
        criteria.save()
        record(actor=actor, action="update", obj=criteria,
               changes={k: (str(old) if k == "deployment_date" else old, str(new) if k == "deployment_date" else new)
                        for k, (old, new) in changes.items()},
               detail={"call_id": call.pk})
    call._state.fields_cache.pop("criteria", None)
    return sorted(changes)


def lock_call_criteria(*, actor, call: Call, today: dt.date | None = None) -> CallCriteria:
    """Lock a call's ranking criteria (criteria before candidates): after this, every change is refused.

    Steps: 1. check the actor coordinates the call; 2. refuse if already locked; 3. in one
    transaction, store the criteria as they stand (the defaults if none were set) with who locked
    them and when; 4. audit the lock.
    """
    today = today or timezone.localdate()
    if not access.can_set_criteria(actor, call):
        raise PermissionDenied(_("You may not lock the criteria of this call."))
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        criteria = CallCriteria.objects.filter(call=call).first() or criteria_of(Call.objects.get(pk=call.pk))
        if criteria.locked_at is not None:
            refuse_when_locked(criteria, today)
        criteria.locked_at, criteria.locked_by = timezone.now(), actor
        criteria.save()
        record(actor=actor, action="status", obj=criteria, fields=["locked_at"],
               detail={"call_id": call.pk, "criteria": "locked", "weights": criteria.weights,
                       "deployment_date": str(criteria.effective_deployment_date)})
    call._state.fields_cache.pop("criteria", None)
    return criteria
