"""Pages of portfolio planning: the form and the stored runs, and one run's result
(docs/accountability.md, "Portfolio planning")."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.missions.models import Organisation

from . import portfolio_data, services
from . import scorecard_access as access
from .models import PortfolioRun
from .scorecard_forms import PortfolioForm


def _readers_only(user):
    if not access.can_read_portfolios(user):
        raise PermissionDenied(_("Portfolio planning is for coordinators, policy officers, administrators, auditors "
                                 "and the ministry liaison."))


@login_required
def portfolio(request):
    """The form (national policy officers and administrators) and the runs stored."""
    user = request.user
    _readers_only(user)
    can_run = access.can_run_portfolio(user)
    form, conflicts, notes = None, [], []
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied(_("Only a national policy officer or administrator plans a portfolio."))
        form = PortfolioForm(request.POST)
        if form.is_valid():
            try:
                run = services.run_portfolio(actor=user, parameters=form.parameters())
            except services.PortfolioInfeasible as error:
                conflicts = error.texts
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("accountability:portfolio_run", run.pk)
    elif can_run:
        initial, notes = portfolio_data.portfolio_defaults(timezone.localdate().year)
        form = PortfolioForm(initial=initial)
    runs = PortfolioRun.objects.visible_to(user).select_related("created_by")[:50]
    return render(request, "accountability/portfolio.html", {
        "form": form, "conflicts": conflicts, "notes": notes, "runs": runs, "open_positions": len(portfolio_data.open_call_positions())},
        status=400 if (form is not None and form.errors) or conflicts else 200)


@login_required
def portfolio_run(request, pk):
    user = request.user
    _readers_only(user)
    run = get_object_or_404(PortfolioRun.objects.visible_to(user).select_related("created_by"), pk=pk)
    result = run.result
    labels = {c["key"]: c["label"] for c in result.get("candidates", [])}
    marginals = {m["key"]: m for m in result.get("marginals", [])}
    organisations = dict(Organisation.choices)
    chosen = [dict(row, marginal=marginals.get(row["key"]), organisation=organisations.get(row["organisation"],
                                                                                           row["organisation"]),
                   instead=[labels.get(k, k) for k in (marginals.get(row["key"]) or {}).get("without", [])])
              for row in result.get("chosen_rows", [])]
    sensitivity = [dict(s, added_labels=[labels.get(k, k) for k in s["added"]],
                        dropped_labels=[labels.get(k, k) for k in s["dropped"]]) for s in result.get("sensitivity", [])]
    chosen_keys = set(result.get("plan", {}).get("chosen", []))
    return render(request, "accountability/portfolio_run.html", {
        "run": run, "plan": result.get("plan", {}), "chosen": chosen, "sensitivity": sensitivity,
        "left_out": [c for c in result.get("candidates", []) if c["key"] not in chosen_keys],
        "method": result.get("marginal_method", "")})
