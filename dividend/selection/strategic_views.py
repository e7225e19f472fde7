"""Pages of strategic positions: the most strategic open positions across calls, a position's
relevance with the policy officer's assessment, the weights of relevance, and the rotations of
strategic positions (docs/selection.md, "Strategic positions")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dividend.audit.services import record_list
from dividend.missions.models import BURDEN_MEANINGS, Burden, Position
from dividend.roster.models import Officer

from . import access, services
from .forms import PositionAssessmentForm, RelevanceWeightsForm
from .models import RelevanceWeights
from .relevance import PART_LABELS, PARTS, SORTS, relevance_for, strategic_call_positions, weights_in_force
from .rotation import rotations, warning_days

PER_PAGE = 50


class StrategicListForm(forms.Form):
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("relevance", gettext_lazy("relevance")), ("deadline", gettext_lazy("national pre-deadline")),
        ("burden", gettext_lazy("burden, most accessible first")), ("-burden", gettext_lazy("burden, heaviest first"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)


def _burdens():
    return [(level, label, BURDEN_MEANINGS[level]) for level, label in Burden.choices]


@login_required
def strategic(request):
    """The most strategic open positions across the calls the user sees, sortable and paginated."""
    if not access.can_see_relevance(request.user):
        raise PermissionDenied(_("You have no role that works with calls for contributions."))
    form = StrategicListForm(request.GET)
    if not form.is_valid():
        return render(request, "selection/strategic.html", {"form": form, "page": None, "sorts": SORTS}, status=400)
    sort = form.cleaned_data["sort"] or "relevance"
    rows = strategic_call_positions(request.user, sort)
    page = Paginator(rows, PER_PAGE).get_page(form.cleaned_data["page"] or 1)
    adopted = rows[0][1].ranking_adopted if rows else None
    return render(request, "selection/strategic.html", {
        "form": form, "page": page, "sort": sort, "adopted": adopted, "burdens": _burdens(),
        "can_set": access.can_set_relevance(request.user)})


@login_required
def position_relevance(request, pk):
    """One position's relevance in full; a national policy officer assesses it here (POST)."""
    user = request.user
    if not access.can_see_relevance(user):
        raise PermissionDenied(_("You have no role that works with calls for contributions."))
    position = get_object_or_404(Position.objects.visible_to(user).with_related()
                                 .select_related("assessment", "assessment__set_by")
                                 .prefetch_related("thematic_tags"), pk=pk)
    can_set = access.can_set_relevance(user)
    form = None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied(_("Only a national policy officer assesses positions."))
        form = PositionAssessmentForm(request.POST)
        if form.is_valid():
            try:
                changed = services.assess_position(actor=user, position=position, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(changed) or _("no changes")})
                return redirect("selection:position_relevance", pk=position.pk)
    elif can_set:
        form = PositionAssessmentForm(initial=PositionAssessmentForm.initial_for(position))
    relevance = relevance_for([position])[position.pk]
    rotation = rotations([position])[position.pk] if position.strategic else None
    return render(request, "selection/position_relevance.html", {
        "position": position, "relevance": relevance, "form": form, "rotation": rotation,
        "calls": position.call_positions.visible_to(user).select_related("call").order_by("-call__national_deadline"),
        "burdens": _burdens()}, status=400 if form is not None and form.errors else 200)


@login_required
def relevance_weights(request):
    """The weights of relevance in force and their history; a national policy officer sets them."""
    user = request.user
    if not access.can_see_relevance(user):
        raise PermissionDenied(_("You have no role that works with calls for contributions."))
    can_set = access.can_set_relevance(user)
    weights, row = weights_in_force()
    form = None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied(_("Only a national policy officer sets the weights of relevance."))
        form = RelevanceWeightsForm(request.POST)
        if form.is_valid():
            try:
                services.set_relevance_weights(actor=user, weights=form.weights(), reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Weights saved."))
                return redirect("selection:relevance_weights")
    elif can_set:
        form = RelevanceWeightsForm(initial={**weights, "reason": row.reason if row else ""})
    history = [(h, [(PART_LABELS.get(k, k), v) for k, v in h.weights.items()])
               for h in RelevanceWeights.objects.select_related("set_by").order_by("-set_at", "-id")[:20]]
    total = sum(weights.values()) or 1
    return render(request, "selection/relevance_weights.html", {
        "form": form, "row": row, "history": history, "parts": PARTS,
        "rows": [(part, PART_LABELS[part], form[part] if form else None, weights[part],
                  round(100 * weights[part] / total, 1)) for part in PARTS]}, status=400 if form is not None and form.errors else 200)


@login_required
def rotation_list(request):
    """Strategic positions and their rotations: holder, until when, successor, handover at risk.
    Holders and successors are named only to those who see the officer."""
    user = request.user
    if not access.can_see_rotations(user):
        raise PermissionDenied(_("The rotations of strategic positions are for staff who work with calls."))
    positions = list(Position.objects.visible_to(user).filter(strategic=True).with_related()
                     .order_by("mission__acronym", "title", "id"))
    states = rotations(positions)
    officer_ids = {t.officer_id for r in states.values() for t in (r.holder, r.successor) if t is not None}
    seen = {o.pk: o for o in Officer.objects.visible_to(user).filter(pk__in=officer_ids).select_related("pool")}
    relevance = relevance_for(positions)
    rows = [{"position": p, "rotation": states[p.pk], "relevance": relevance[p.pk],
             "holder": seen.get(states[p.pk].holder.officer_id) if states[p.pk].holder else None,
             "successor": seen.get(states[p.pk].successor.officer_id) if states[p.pk].successor else None}
            for p in positions]
    rows.sort(key=lambda r: (not r["rotation"].flagged, r["rotation"].days_left is None,
                             r["rotation"].days_left or 0, r["position"].mission.acronym, r["position"].pk))
    shown = sorted({o.pk for r in rows for o in (r["holder"], r["successor"]) if o is not None})
    if shown:
        record_list(actor=user, object_type="roster.officer", ids=shown, fields=["first_name", "last_name", "pool"],
                    detail={"officer_ids": shown, "page": "rotations"})
    return render(request, "selection/rotations.html", {
        "rows": rows, "warning_days": warning_days(), "today": timezone.localdate(),
        "at_risk": sum(1 for r in rows if r["rotation"].flagged)})
