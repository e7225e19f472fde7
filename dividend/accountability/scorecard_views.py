"""Pages of the dividend scorecard: per mission and per year (consolidated, no personal data), per
secondment (names an officer: not for the ministry liaison), the model's weights and their history,
and the CSV export. docs/accountability.md."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dividend.audit.services import record, record_list
from dividend.common.exports import render_csv
from dividend.missions.models import Mission
from dividend.roster.search import name_ordering

from . import scorecard, services
from . import scorecard_access as access
from .models import ScorecardModel
from .scorecard_forms import ScorecardModelForm

BY = ("mission", "year")
PERSONAL_LIMIT = 200  # secondments listed on a mission's or year's page


def _readers_only(user):
    if not access.can_read_scorecards(user):
        raise PermissionDenied(_("The dividend scorecard is for coordinators, policy officers, administrators, "
                                 "auditors and the ministry liaison."))


def _weights_rows(weights):
    total = sum(weights.values()) or 1
    return [(p, scorecard.PART_LABELS[p], weights[p], round(100 * weights[p] / total, 1)) for p in scorecard.PARTS]


@login_required
def scorecard_index(request):
    """The consolidated scorecards per mission and per year, the weights in force."""
    user = request.user
    _readers_only(user)
    cards, weights, row = scorecard.all_cards(user)
    by_mission, _w, _r = scorecard.grouped(user, "mission", cards=cards, weights=weights, row=row)
    by_year, _w, _r = scorecard.grouped(user, "year", cards=cards, weights=weights, row=row)
    return render(request, "accountability/scorecard_index.html", {
        "by_mission": by_mission, "by_year": by_year, "weights": _weights_rows(weights), "model": row,
        "parts": [scorecard.PART_LABELS[p] for p in scorecard.PARTS],
        "personal": access.can_see_personal_scorecards(user)})


def _group_page(request, by, only, title):
    """A mission's or a year's page: the consolidated scorecard and, for readers who may see names,
    its secondments' own (the pools they read personal scorecards of), from one read."""
    user = request.user
    weights, row = scorecard.model_in_force()
    qs = scorecard.scorecard_queryset(user).select_related("officer", "officer__pool", "position__mission")
    qs = qs.filter(position__mission_id=only) if by == "mission" else qs.filter(start_date__year=only)
    cards = scorecard.secondment_scorecards(qs.order_by(*name_ordering("officer__"), "start_date", "pk"),
                                            weights=weights)
    groups, _w, _r = scorecard.grouped(user, by, cards=cards, weights=weights, row=row)
    personal = []
    if access.can_see_personal_scorecards(user):
        pools = access.personal_scorecard_pools(user)
        personal = [c for c in cards if pools is None or c.secondment.officer.pool_id in pools][:PERSONAL_LIMIT]
        if personal:
            record_list(actor=user, object_type="secondments.secondment", ids=[c.secondment.pk for c in personal],
                        fields=["officer"], detail={"page": "dividend scorecard"})
    return render(request, "accountability/scorecard_group.html", {
        "title": title, "card": groups[0] if groups else None, "weights": _weights_rows(weights), "model": row,
        "personal": personal, "can_personal": access.can_see_personal_scorecards(user)})


@login_required
def mission_scorecard(request, pk):
    _readers_only(request.user)
    mission = get_object_or_404(Mission.objects.visible_to(request.user), pk=pk)
    return _group_page(request, "mission", mission.pk,
                       _("Dividend scorecard of %(mission)s") % {"mission": mission.acronym})


@login_required
def year_scorecard(request, year):
    _readers_only(request.user)
    if not 1900 <= year <= 2200:
        raise Http404
    return _group_page(request, "year", year,
                       _("Dividend scorecard of the secondments started in %(year)s") % {"year": year})


@login_required
def secondment_scorecard(request, pk):
    user = request.user
    if not access.can_see_personal_scorecards(user):
        raise PermissionDenied(_("A secondment's scorecard names an officer: consolidated figures only for your "
                                 "role."))
    s = get_object_or_404(scorecard.scorecard_queryset(user, personal=True)
                          .select_related("officer", "officer__pool", "position__mission"), pk=pk)
    weights, row = scorecard.model_in_force()
    card = scorecard.secondment_scorecards([s], weights=weights)[0]
    record(actor=user, action="read", obj=s, fields=["scorecard"])
    return render(request, "accountability/scorecard_secondment.html", {
        "s": s, "card": card, "weights": _weights_rows(weights), "model": row})


@login_required
def scorecard_model(request):
    """The weights in force, their versions; a national policy officer or administrator sets a new one."""
    user = request.user
    _readers_only(user)
    can_edit = access.can_edit_scorecard_model(user)
    weights, row = scorecard.model_in_force()
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only a national policy officer or administrator sets the scorecard's weights."))
        form = ScorecardModelForm(request.POST)
        if form.is_valid():
            try:
                services.set_scorecard_model(actor=user, weights=form.weights(), reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Weights saved."))
                return redirect("accountability:scorecard_model")
    elif can_edit:
        form = ScorecardModelForm(initial={**weights, "reason": row.reason if row else ""})
    rows = [(p, label, form[p] if form else None, w, share) for p, label, w, share in _weights_rows(weights)]
    history = [(h, [(scorecard.PART_LABELS.get(k, k), v) for k, v in h.weights.items()])
               for h in ScorecardModel.objects.visible_to(user).select_related("set_by")[:50]]
    return render(request, "accountability/scorecard_model.html", {
        "form": form, "row": row, "rows": rows, "history": history},
        status=400 if form is not None and form.errors else 200)


@login_required
def scorecard_export(request):
    """CSV: ``?by=mission`` (default) or ``year`` — consolidated; ``secondment`` — names officers, not
    for the ministry liaison."""
    user = request.user
    _readers_only(user)
    by = request.GET.get("by", "mission")
    if by == "secondment":
        if not access.can_see_personal_scorecards(user):
            raise PermissionDenied(_("A secondment's scorecard names an officer: consolidated figures only for your "
                                     "role."))
        qs = (scorecard.scorecard_queryset(user, personal=True)
              .select_related("officer", "officer__pool", "position__mission").order_by("start_date", "pk"))
        cards = scorecard.secondment_scorecards(qs)
    elif by in BY:
        cards, _w, _r = scorecard.grouped(user, by)
    else:
        raise Http404
    record(actor=user, action="export", object_type="accountability.scorecard",
           object_repr=f"dividend scorecard per {by} (csv)", detail={"by": by, "rows": len(cards)})
    return render_csv(scorecard.table(cards, by), f"dividend-scorecard-{by}.csv")
