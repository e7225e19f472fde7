"""Pages of the selection app: the calls board, a call, its positions and nominations, the line
manager's releases and an officer's own nominations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record_list
from dividend.pools.access import EVERY_POOL
from dividend.roster.models import Officer

from . import access, services
from .forms import (
    CallForm,
    CallListForm,
    CallPositionEditForm,
    CallPositionForm,
    CallStatusForm,
    InterestForm,
    NominationForm,
    OutcomeForm,
    PositionImportForm,
    ReasonForm,
    ReleaseForm,
    TeamForm,
)
from .imports import COLUMNS, EXAMPLE_ROWS, import_positions
from .models import Call, CallPosition, Nomination
from .relevance import relevance_for
from .rotation import burden_warnings, earlier_missions

NOMINATION_FIELDS = ["officer", "pool", "call", "position", "status", "release", "feedback"]



def error_text(error) -> str:
    return "; ".join(getattr(error, "messages", [str(error)]))


def _count(queryset):
    """A correlated count of `queryset` (already filtered on OuterRef) as an integer annotation."""
    return Coalesce(Subquery(queryset.order_by().values(one=Value(1)).annotate(n=Count("*")).values("n")[:1],
                             output_field=IntegerField()), 0)


def board_calls(user, status: str = ""):
    """The calls the user sees, soonest pre-deadline first, with what each still needs: positions,
    posts, candidates in the running, nominations awaiting release and positions without a candidate
    (counted over the nominations the user sees)."""
    calls = Call.objects.visible_to(user)
    if status == "all":
        pass
    elif status:
        calls = calls.filter(status=status)
    else:
        calls = calls.filter(status__in=Call.ACTIVE)
    nominations = Nomination.objects.visible_to(user)
    live = nominations.filter(status__in=Nomination.LIVE)
    positions = CallPosition.objects.filter(call=OuterRef("pk"))
    return calls.annotate(
        n_positions=_count(positions),
        n_posts=Coalesce(Subquery(positions.order_by().values("call").annotate(s=Sum("posts")).values("s")[:1],
                                  output_field=IntegerField()), 0),
        n_candidates=_count(live.filter(call_position__call=OuterRef("pk"))),
        n_awaiting=_count(nominations.filter(call_position__call=OuterRef("pk"),
                                             status=Nomination.Status.AWAITING_RELEASE)),
        n_uncovered=_count(positions.exclude(Exists(live.filter(call_position=OuterRef("pk"))))),
    ).prefetch_related("pools").order_by("national_deadline", "id")


@login_required
def board(request):
    if not access.can_use_selection(request.user):
        raise PermissionDenied(_("You have no role that works with calls for contributions."))
    form = CallListForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    calls = list(board_calls(request.user, status)) if form.is_valid() else []
    context = {"calls": calls, "form": form, "today": timezone.localdate(),
               "can_create": access.can_create_calls(request.user),
               "can_see_analytics": access.can_see_selection_analytics(request.user),
               "can_see_rotations": access.can_see_rotations(request.user)}
    template = "selection/_board_table.html" if request.headers.get("HX-Request") else "selection/board.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@login_required
def call_new(request):
    if not access.can_create_calls(request.user):
        raise PermissionDenied(_("Only coordinators record calls for contributions."))
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Call recorded as a draft."))
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "call": None},
                  status=400 if form.errors else 200)


def visible_call(request, pk):
    return get_object_or_404(Call.objects.visible_to(request.user).prefetch_related("pools"), pk=pk)


@login_required
def call_detail(request, pk):
    call = visible_call(request, pk)
    user = request.user
    nominations = (Nomination.objects.visible_to(user).filter(call_position__call=call).with_related()
                   .order_by("officer__last_name", "officer__first_name", "id"))
    positions = list(call.positions.with_related().prefetch_related(Prefetch("nominations", queryset=nominations,
                                                                             to_attr="shown")))
    shown = [n for p in positions for n in p.shown]
    if shown:
        record_list(actor=user, object_type="selection.nomination", ids=[n.pk for n in shown],
                    fields=NOMINATION_FIELDS, detail={"officer_ids": sorted({n.officer_id for n in shown}),
                                                      "call_id": call.pk})
    manages = access.can_manage_call(user, call)
    own = Officer.objects.filter(user=user).first() if user.is_authenticated else None
    relevance = relevance_for([p.position for p in positions])
    missions_before = earlier_missions({n.officer_id for n in shown})
    rows = []
    for p in positions:
        actions = {n.pk: _nomination_actions(user, n) for n in p.shown}
        may_interest = (own is not None and call.accepts_nominations() and own.pool_id in call.pool_ids()
                        and not any(n.officer_id == own.pk and n.status in Nomination.LIVE for n in p.shown))
        for n in p.shown:  # a first mission at a heavy duty station or on a senior post: a warning
            n.burden_warnings = burden_warnings(p.position, earlier_missions=missions_before[n.officer_id])
        rows.append({"cp": p, "nominations": [(n, actions[n.pk]) for n in p.shown], "interest": may_interest,
                     "relevance": relevance[p.position_id]})
    context = {"call": call, "rows": rows, "manages": manages, "can_panel": access.can_see_panel(user, call),
               "status_form": CallStatusForm(call=call) if manages and Call.TRANSITIONS[call.status] else None,
               "accepts": call.accepts_nominations(), "today": timezone.localdate(),
               "can_nominate": access.can_create_calls(user) and call.accepts_nominations(),
               "interest_form": InterestForm(), "without_release": access.approval_without_release_allowed(),
               "can_rank": access.can_see_ranking(user, call)}
    return render(request, "selection/call_detail.html", context)


def _nomination_actions(user, n):
    return {"release": n.status == Nomination.Status.AWAITING_RELEASE and access.can_decide_release(user, n),
            "approve": n.status == Nomination.Status.AWAITING_RELEASE and access.can_approve_without_release(user, n),
            "outcome": bool(Nomination.TRANSITIONS[n.status] & set(Nomination.OUTCOMES))
            and access.can_propose_decision(user, n),
            "withdraw": Nomination.Status.WITHDRAWN in Nomination.TRANSITIONS[n.status]
            and access.can_withdraw_nomination(user, n)}


def _managed_call(request, pk):
    call = visible_call(request, pk)
    if not access.can_manage_call(request.user, call):
        raise PermissionDenied(_("You may not change this call."))
    return call


@login_required
def call_edit(request, pk):
    call = _managed_call(request, pk)
    form = CallForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            fields = services.update_call(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "call": call},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def call_status(request, pk):
    call = _managed_call(request, pk)
    form = CallStatusForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Status not changed: ") + "; ".join(
            f"{form.fields[k].label}: {' '.join(v)}" if k in form.fields else " ".join(v)
            for k, v in form.errors.items()))
        return redirect("selection:call", pk=call.pk)
    try:
        services.change_call_status(actor=request.user, call=call, **form.cleaned_data)
        messages.success(request, _("Status changed."))
    except ValidationError as error:
        messages.error(request, _("Status not changed: ") + error_text(error))
    return redirect("selection:call", pk=call.pk)


@login_required
def position_new(request, pk):
    call = _managed_call(request, pk)
    form = CallPositionForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_call_position(actor=request.user, call=call, position=form.cleaned_data["position"],
                                       posts=form.cleaned_data["posts"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Position added."))
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/position_form.html", {"form": form, "call": call},
                  status=400 if form.errors else 200)


@login_required
def position_import(request, pk):
    call = _managed_call(request, pk)
    form = PositionImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_positions(actor=request.user, call=call, filename=upload.name, content=upload.read())
        if report.ok:
            messages.success(request, _("%(n)s positions imported.") % {"n": report.created})
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/position_import.html",
                  {"form": form, "call": call, "report": report, "columns": COLUMNS, "examples": EXAMPLE_ROWS},
                  status=400 if form.errors or (report and report.errors) else 200)


def _visible_call_position(request, pk):
    return get_object_or_404(CallPosition.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
def call_position_edit(request, pk):
    call_position = _visible_call_position(request, pk)
    if not access.can_manage_call(request.user, call_position.call):
        raise PermissionDenied(_("You may not change this call."))
    form = CallPositionEditForm(request.POST or None, initial={"posts": call_position.posts})
    if request.method == "POST" and form.is_valid():
        try:
            fields = services.update_call_position(actor=request.user, call_position=call_position,
                                                   posts=form.cleaned_data["posts"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("selection:call", pk=call_position.call_id)
    return render(request, "selection/call_position_form.html", {"form": form, "cp": call_position},
                  status=400 if form.errors else 200)


def _record_choices(request, officers, call):
    """A nomination form's choice lists the officers the user may nominate: one list entry."""
    ids = list(officers.values_list("pk", flat=True))
    if ids:
        record_list(actor=request.user, object_type="roster.officer", ids=ids,
                    fields=["first_name", "last_name", "pool", "service_number"],
                    detail={"officer_ids": ids, "call_id": call.pk})


@login_required
def nominate(request, pk):
    call_position = _visible_call_position(request, pk)
    call = call_position.call
    if not access.can_create_calls(request.user):
        raise PermissionDenied(_("Only coordinators nominate officers."))
    form = NominationForm(request.POST or None, user=request.user, call=call)
    if request.method == "GET":
        _record_choices(request, form.fields["officer"].queryset, call)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate(actor=request.user, call_position=call_position, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Officer nominated: the line manager's release is awaited."))
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/nominate.html", {"form": form, "cp": call_position, "call": call},
                  status=400 if form.errors else 200)


@login_required
def nominate_team(request, pk):
    call_position = _visible_call_position(request, pk)
    call = call_position.call
    if not access.can_create_calls(request.user):
        raise PermissionDenied(_("Only coordinators nominate officers."))
    form = TeamForm(request.POST or None, user=request.user, call=call)
    if request.method == "GET":
        _record_choices(request, form.fields["members"].queryset, call)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.nominate_team(actor=request.user, call_position=call_position, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Team %(team)s nominated: each member's line manager is asked for the "
                                        "release.") % {"team": team.name})
            return redirect("selection:call", pk=call.pk)
    return render(request, "selection/nominate_team.html", {"form": form, "cp": call_position, "call": call},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def express_interest(request, pk):
    call_position = _visible_call_position(request, pk)
    officer = Officer.objects.filter(user=request.user).first()
    if officer is None:
        raise PermissionDenied(_("Only an officer with a record expresses interest."))
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Interest not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    else:
        try:
            services.express_interest(actor=request.user, call_position=call_position, officer=officer,
                                      **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _("Interest not recorded: ") + error_text(error))
        else:
            messages.success(request, _("Interest recorded: your line manager's release is awaited."))
    return redirect("selection:mine")


def visible_nomination(request, pk):
    return get_object_or_404(Nomination.objects.visible_to(request.user).with_related(), pk=pk)


def _back(request, nomination):
    target = request.POST.get("next", "")
    if target in ("releases", "mine"):
        return redirect(f"selection:{target}")
    return redirect("selection:call", pk=nomination.call_position.call_id)


@login_required
@require_POST
def release_decision(request, pk):
    nomination = visible_nomination(request, pk)
    if not access.can_decide_release(request.user, nomination):
        raise PermissionDenied(_("Only the officer's line manager (HR of their pool) releases them."))
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return _back(request, nomination)
    move = services.release if form.cleaned_data["decision"] == "release" else services.refuse_release
    try:
        move(actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"])
        messages.success(request, _("Decision recorded."))
    except ValidationError as error:
        messages.error(request, _("Not recorded: ") + error_text(error))
    return _back(request, nomination)


def _reason_move(request, pk, move, allowed):
    nomination = visible_nomination(request, pk)
    if not allowed(request.user, nomination):
        raise PermissionDenied(_("You may not do this with this nomination."))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not recorded: ") + _("give a reason."))
        return _back(request, nomination)
    try:
        move(actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"])
        messages.success(request, _("Decision recorded."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Not recorded: ") + error_text(error))
    return _back(request, nomination)


@login_required
@require_POST
def approve_without_release(request, pk):
    return _reason_move(request, pk, services.approve_without_release, access.can_approve_without_release)


@login_required
@require_POST
def withdraw(request, pk):
    return _reason_move(request, pk, services.withdraw_nomination, access.can_withdraw_nomination)


@login_required
def outcome(request, pk):
    """Propose the outcome for a nominee; another coordinator approves it (the decisions page)."""
    nomination = visible_nomination(request, pk)
    if not access.can_propose_decision(request.user, nomination):
        raise PermissionDenied(_("You may not decide on this nomination."))
    form = OutcomeForm(request.POST or None)
    if request.method == "GET":  # the page names the nominee
        record_list(actor=request.user, object_type="selection.nomination", ids=[nomination.pk],
                    fields=NOMINATION_FIELDS, detail={"officer_ids": [nomination.officer_id]})
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_decision(actor=request.user, nomination=nomination, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Decision proposed: another coordinator approves it."))
            return redirect("selection:decisions", pk=nomination.call_position.call_id)
    run = services.latest_run(nomination.call_position.call)
    return render(request, "selection/outcome.html",
                  {"form": form, "n": nomination, "run": run,
                   "in_run": run is not None and nomination.pk in run.assigned_nominations()},
                  status=400 if form.errors else 200)


@login_required
def releases(request):
    """The line manager's page: nominations of officers of their pools awaiting release, and the
    decisions taken, with how long each release step took."""
    user = request.user
    if not access.can_see_releases(user):
        raise PermissionDenied(_("The releases page is for line managers (HR)."))
    pools = access.release_pools(user)
    nominations = Nomination.objects.visible_to(user).with_related()
    if pools is not EVERY_POOL:
        nominations = nominations.filter(officer__pool__in=pools)
    waiting = list(nominations.awaiting_release().order_by("nominated_at", "id")[:200])
    decided = list(nominations.exclude(release_decided_at=None).order_by("-release_decided_at", "-id")[:50])
    shown = waiting + decided
    if shown:
        record_list(actor=user, object_type="selection.nomination", ids=[n.pk for n in shown],
                    fields=NOMINATION_FIELDS, detail={"officer_ids": sorted({n.officer_id for n in shown})})
    return render(request, "selection/releases.html", {"waiting": waiting, "decided": decided,
                                                       "form": ReleaseForm()})


@login_required
def mine(request):
    """An officer's own page of calls: their nominations with the release step, outcome and feedback,
    and the open calls of their pool where they may express interest."""
    officer = Officer.objects.filter(user=request.user).select_related("pool").first()
    if officer is None or not access.can_express_interest(request.user, officer):
        raise PermissionDenied(_("This page is for officers with a record of their own."))
    nominations = list(Nomination.objects.filter(officer=officer).with_related()
                       .order_by("-nominated_at", "-id"))
    # The page names the officer and lists their nominations: one entry, even with none.
    record_list(actor=request.user, object_type="selection.nomination", ids=[n.pk for n in nominations],
                fields=NOMINATION_FIELDS, detail={"officer_ids": [officer.pk]})
    live = {n.call_position_id for n in nominations if n.status in Nomination.LIVE}
    today = timezone.localdate()
    open_positions = [cp for cp in CallPosition.objects.with_related()
                      .filter(call__status=Call.Status.OPEN, call__pools=officer.pool, call__national_deadline__gte=today)
                      .order_by("call__national_deadline", "id")[:200] if cp.pk not in live]
    withdrawable = {n.pk for n in nominations if Nomination.Status.WITHDRAWN in Nomination.TRANSITIONS[n.status]}
    return render(request, "selection/mine.html", {"officer": officer, "nominations": nominations,
                                                   "withdrawable": withdrawable,
                                                   "open_positions": open_positions, "form": InterestForm(),
                                                   "today": today})
