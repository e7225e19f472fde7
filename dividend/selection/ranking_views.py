"""Pages of eligibility and ranking: a position's ranked candidates, a call's eligibility overview,
the call's ranking criteria (and their lock), and the organisations' rule sets with their versions.

Thin: the facts come from `candidates.py`, changes go through `criteria.py`, input through the forms.
"""

import difflib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record_list

from . import access, candidates, criteria
from .forms import CriteriaForm, RuleSetForm
from .models import CALL_ORGANISATIONS, Call, CallPosition, EligibilityRuleSet, criteria_of
from .relevance import relevance_for

RANKING_FIELDS = ["officer", "pool", "eligibility", "score"]


def _ranking_call(request, call):
    if not access.can_see_ranking(request.user, call):
        raise PermissionDenied(_("Your role does not see the ranking of this call."))
    return call


@login_required
def position_ranking(request, pk):
    call_position = get_object_or_404(CallPosition.objects.visible_to(request.user).with_related(), pk=pk)
    call = _ranking_call(request, call_position.call)
    result = candidates.position_ranking(call_position, viewer=request.user)
    ranked = result.ranked
    if ranked:
        record_list(actor=request.user, object_type="selection.nomination", ids=[r.nomination.pk for r in ranked],
                    fields=RANKING_FIELDS, detail={"officer_ids": sorted({r.nomination.officer_id for r in ranked}),
                                                   "call_id": call.pk, "call_position_id": call_position.pk})
    return render(request, "selection/position_ranking.html", {
        "cp": call_position, "call": call, "ranked": ranked, "criteria": result.criteria,
        "deployment": result.position.deployment_date, "locked": result.criteria.is_locked(timezone.localdate()),
        "relevance": relevance_for([call_position.position_id])[call_position.position_id],
        "rule_set_name": result.rule_set.name})


@login_required
def call_eligibility(request, pk):
    call = _ranking_call(request, get_object_or_404(Call.objects.visible_to(request.user).prefetch_related("pools"),
                                                    pk=pk))
    matrices = candidates.call_matrices(call, viewer=request.user)
    labels = candidates.rule_labels(matrices.rule_set)
    rows = []
    for i, n in enumerate(matrices.nominations):
        cells = []
        for j, _cp in enumerate(matrices.call_positions):
            failed = [labels[r] for r in candidates.describe_failures(matrices, i, j)]
            cells.append({"eligible": bool(matrices.eligible[i, j]), "failed": failed,
                          "score": float(matrices.scores[i, j])})
        rows.append({"nomination": n, "cells": cells})
    if rows:
        record_list(actor=request.user, object_type="selection.nomination",
                    ids=[n.pk for n in matrices.nominations], fields=RANKING_FIELDS,
                    detail={"officer_ids": sorted({n.officer_id for n in matrices.nominations}), "call_id": call.pk})
    return render(request, "selection/call_eligibility.html", {
        "call": call, "positions": matrices.call_positions, "rows": rows,
        "rule_set_name": matrices.rule_set.name, "deployment": criteria_of(call).effective_deployment_date})


@login_required
def call_criteria(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user).prefetch_related("pools"), pk=pk)
    _ranking_call(request, call)
    manages = access.can_set_criteria(request.user, call)
    if request.method == "POST" and not manages:
        raise PermissionDenied(_("You may not set the criteria of this call."))
    form = CriteriaForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            fields = criteria.set_call_criteria(actor=request.user, call=call, weights=form.weights_data(),
                                                deployment_date=form.cleaned_data["deployment_date"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("selection:criteria", pk=call.pk)
    crit = form.criteria
    locked = crit.is_locked(timezone.localdate())
    return render(request, "selection/criteria.html", {
        "call": call, "form": form, "criteria": crit, "locked": locked, "manages": manages,
        "lock_reason": crit.lock_reason(timezone.localdate())}, status=400 if form.errors else 200)


@login_required
@require_POST
def lock_criteria(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user).prefetch_related("pools"), pk=pk)
    try:
        criteria.lock_call_criteria(actor=request.user, call=call)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("selection:criteria", pk=call.pk)
    messages.success(request, _("The ranking criteria are locked."))
    return redirect("selection:criteria", pk=call.pk)


def _rule_sets_reader(request):
    if not access.can_see_rule_sets(request.user):
        raise PermissionDenied(_("Your role does not work with eligibility rules."))


@login_required
def rule_sets(request):
    _rule_sets_reader(request)
    versions = list(EligibilityRuleSet.objects.visible_to(request.user).select_related("created_by"))
    groups = [{"organisation": label, "code": code, "versions": [v for v in versions if v.organisation == code]}
              for code, label in [(o.value, o.label) for o in CALL_ORGANISATIONS]]
    return render(request, "selection/rule_sets.html", {"groups": groups,
                                                         "can_edit": access.can_edit_rule_sets(request.user)})


@login_required
def rule_set_detail(request, pk):
    _rule_sets_reader(request)
    rule_set = get_object_or_404(EligibilityRuleSet.objects.visible_to(request.user).select_related("created_by"),
                                 pk=pk)
    rules = [{"id": r.get("id"), "kind": str(candidates.KIND_TEXTS.get(r.get("kind"), r.get("kind"))),
              "label": r.get("label", ""),
              "fields": json.dumps({k: v for k, v in r.items() if k not in ("id", "kind", "label")},
                                   ensure_ascii=False)}
             for r in rule_set.data.get("rules", [])]
    others = EligibilityRuleSet.objects.filter(organisation=rule_set.organisation).exclude(pk=pk).order_by("-version")
    return render(request, "selection/rule_set_detail.html", {
        "rule_set": rule_set, "rules": rules, "others": others,
        "text": json.dumps(rule_set.data, indent=2, ensure_ascii=False),
        "can_edit": access.can_edit_rule_sets(request.user)})


@login_required
def rule_set_compare(request, pk, other):
    _rule_sets_reader(request)
    visible = EligibilityRuleSet.objects.visible_to(request.user)
    a, b = get_object_or_404(visible, pk=pk), get_object_or_404(visible, pk=other)
    if a.organisation != b.organisation:
        raise Http404(_("Only versions of one organisation's rules are compared."))
    if a.version > b.version:
        a, b = b, a
    # Keys sorted: PostgreSQL's jsonb keeps its own key order, and a diff must not show it as a change.
    lines = list(difflib.unified_diff(json.dumps(a.data, indent=2, ensure_ascii=False, sort_keys=True).splitlines(),
                                      json.dumps(b.data, indent=2, ensure_ascii=False, sort_keys=True).splitlines(),
                                      fromfile=f"v{a.version}", tofile=f"v{b.version}", lineterm="", n=2))
    diff = [{"text": line, "kind": "add" if line.startswith("+") and not line.startswith("+++") else
             "del" if line.startswith("-") and not line.startswith("---") else
             "hunk" if line.startswith("@@") else ""} for line in lines]
    ids_a = [r.get("id") for r in a.data.get("rules", [])]
    ids_b = [r.get("id") for r in b.data.get("rules", [])]
    return render(request, "selection/rule_set_compare.html", {
        "a": a, "b": b, "diff": diff, "added": [i for i in ids_b if i not in ids_a],
        "removed": [i for i in ids_a if i not in ids_b]})


@login_required
def rule_set_new(request):
    if not access.can_edit_rule_sets(request.user):
        raise PermissionDenied(_("Only national administrators change eligibility rules."))
    organisation = request.GET.get("organisation", "")
    initial = {}
    if request.method == "GET" and organisation in {o.value for o in CALL_ORGANISATIONS}:
        current = EligibilityRuleSet.objects.filter(organisation=organisation).order_by("-version").first()
        data = current.data if current else candidates.rule_set_for(organisation).data
        initial = {"organisation": organisation, "rules": json.dumps(data, indent=2, ensure_ascii=False)}
    form = RuleSetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = criteria.save_rule_set(actor=request.user, organisation=form.cleaned_data["organisation"],
                                              data=form.cleaned_data["rules"], note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(version)s saved.") % {"version": rule_set.version})
            return redirect("selection:rule_set", pk=rule_set.pk)
    return render(request, "selection/rule_set_form.html", {"form": form}, status=400 if form.errors else 200)
