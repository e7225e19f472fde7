"""Pages of the preparation app: the secondments being prepared, a secondment's checklist (items
ticked in place with htmx, the internal-security briefing's topics, the returnees to talk to, the
national caveats, the backfill), the item, caveats and backfill forms, the backfill overview and a
page per pool (what absences cost and how they are covered; the backfill roster)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.pools.access import EVERY_POOL
from dividend.pools.models import Pool
from dividend.roster.search import name_ordering
from dividend.secondments.models import Secondment

from . import access, services
from .costs import absent_statuses, daily_costs, pool_absences
from .forms import BackfillForm, CaveatsForm, ItemEditForm, RosterAddForm, TickForm
from .models import Backfill, BackfillRosterEntry, Checklist, absence_cost, absence_days, preparing_statuses
from .queries import item_for, secondment_for
from .topics import briefing_topics, suggest_returnees

LIST_FIELDS = ["officer", "pool", "mission", "position", "start_date", "status", "checklist"]
CHECKLIST_FIELDS = ["officer", "mission", "position", "start_date", "items", "caveats"]
POOL_FIELDS = ["officer", "rank", "mission", "start_date", "end_date", "cost", "backfill"]


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))


def _preparable(user):
    """Secondments whose checklist the user may see: the officers of the pools they prepare, and their own."""
    secondments = Secondment.objects.all()
    pools = access.preparer_pools(user)
    if pools is EVERY_POOL:
        return secondments
    condition = Q(officer__pool__in=pools)
    if access.can_use_preparation(user):
        condition |= Q(officer__user=user)
    return secondments.filter(condition)


@login_required
def preparation_list(request):
    user = request.user
    if not access.can_use_preparation(user):
        raise PermissionDenied(_("Preparation is for coordinators, HR managers and the secondees themselves."))
    today = timezone.localdate()
    secondments = (_preparable(user).filter(status__in=preparing_statuses()).with_related()
                   .annotate(items_total=Count("checklist__items"),
                             items_done=Count("checklist__items", filter=Q(checklist__items__done=True)),
                             items_overdue=Count("checklist__items", filter=Q(checklist__items__done=False,
                                                                             checklist__items__due_date__lt=today)))
                   .order_by("start_date", *name_ordering("officer__"), "id"))
    page = Paginator(secondments, 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if shown:
        record_list(actor=user, object_type="secondments.secondment", ids=[s.pk for s in shown], fields=LIST_FIELDS,
                    filters={"preparation": True}, detail={"officer_ids": sorted({s.officer_id for s in shown})})
    return render(request, "preparation/list.html", {"page": page, "secondments": shown, "today": today,
                                                     "backfill": access.can_use_backfill(user)})


def _item_rows(items, user, secondment, today):
    """Each item with whether it is overdue (only while the secondment is being prepared) and whether
    the user may tick it."""
    officer, preparing = secondment.officer, secondment.status in preparing_statuses()
    return [{"item": i, "overdue": preparing and i.is_overdue(today), "may_tick": access.can_tick_item(user, i, officer),
             "form": TickForm(initial={"done": "0" if i.done else "1"})} for i in items]


@login_required
def checklist(request, pk):
    user = request.user
    secondment = secondment_for(user, pk)
    officer = secondment.officer
    preparer = access.can_prepare(user, officer)
    found = Checklist.objects.filter(secondment=secondment).first()
    if found is not None:
        found.secondment = secondment  # read with its officer and mission already (the audit entry names it)
    today = timezone.localdate()
    items = list(found.items.select_related("done_by", "returnee").order_by("due_date", "order", "id")) if found else []
    context = {"secondment": secondment, "checklist": found, "preparer": preparer, "today": today,
               "rows": (rows := _item_rows(items, user, secondment, today)),
               "overdue": sum(1 for r in rows if r["overdue"]), "done": sum(1 for i in items if i.done),
               "may_start": preparer and found is None and secondment.status in preparing_statuses(),
               "template": services.template_for(secondment)}
    # Other officers the page names: the returnees met (every reader), and for preparers the
    # returnees suggested and the officer covering the post. One read entry names them all.
    others = {i.returnee_id for i in items if i.returnee_id}
    if found is not None:
        context["briefing"] = briefing_topics(secondment.position.mission)
    if preparer:
        returnees = suggest_returnees(secondment, user)
        backfill = Backfill.objects.filter(secondment=secondment).select_related("substitute", "promoted").first()
        cost, basis = absence_cost(secondment, backfill, daily_costs())
        context.update(returnees=returnees, backfill=backfill, cost=cost, cost_basis=basis,
                       days=absence_days(secondment))
        others |= {r.officer.pk for r in returnees}
        if backfill is not None and backfill.covering is not None:
            others.add(backfill.covering.pk)
    others.discard(officer.pk)
    record(actor=user, action="read", obj=found or secondment, fields=CHECKLIST_FIELDS,
           detail={"officer_id": officer.pk, "secondment_id": secondment.pk,
                   **({"officer_ids": sorted(others)} if others else {})})
    return render(request, "preparation/checklist.html", context)


@login_required
@require_POST
def start_checklist(request, pk):
    user = request.user
    secondment = secondment_for(user, pk)
    try:
        services.create_checklist(actor=user, secondment=secondment)
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, _("Not made: ") + "; ".join(error.messages))
    else:
        messages.success(request, _("Checklist made from the template."))
    return redirect("preparation:checklist", pk=secondment.pk)


@login_required
@require_POST
def tick_item(request, pk):
    user = request.user
    item = item_for(user, pk)
    officer = item.checklist.secondment.officer
    if not access.can_tick_item(user, item, officer):
        raise PermissionDenied(_("Only a coordinator or HR manager of the officer's own pool answers the medical "
                                 "item.") if item.medical else _("You may not prepare this secondment."))
    form = TickForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "; ".join(" ".join(v) for v in form.errors.values())
    else:
        try:
            services.set_done(actor=user, item=item, done=form.cleaned_data["done"])
        except ValidationError as problem:
            error = "; ".join(problem.messages)
    item.refresh_from_db()
    if request.headers.get("HX-Request"):
        today = timezone.localdate()
        return render(request, "preparation/_item_row.html", {"row": _item_rows([item], user, item.checklist.secondment, today)[0],
                                                               "error": error, "preparer": True},
                      status=400 if error else 200)
    if error:
        messages.error(request, _("Not changed: ") + error)
    return redirect("preparation:checklist", pk=item.checklist.secondment_id)


@login_required
def edit_item(request, pk):
    user = request.user
    item = item_for(user, pk)
    officer = item.checklist.secondment.officer
    if not access.can_tick_item(user, item, officer):
        raise PermissionDenied(_("You may not change this item."))
    form = ItemEditForm(request.POST or None, item=item, user=user)
    if request.method == "GET":  # the returnee choices name officers too
        choices = {o.pk for o in form.fields["returnee"].queryset} - {officer.pk} if "returnee" in form.fields else set()
        record(actor=user, action="read", obj=item, fields=list(form.fields),
               detail={"officer_id": officer.pk, "secondment_id": item.checklist.secondment_id,
                       **({"officer_ids": sorted(choices)} if choices else {})})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fields = services.update_item(actor=user, item=item, due_date=data["due_date"], note=data.get("note", ""),
                                          returnee=data.get("returnee"))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("preparation:checklist", pk=item.checklist.secondment_id)
    return render(request, "preparation/item_edit.html", {"form": form, "item": item,
                                                          "secondment": item.checklist.secondment},
                  status=400 if form.errors else 200)


@login_required
def edit_caveats(request, pk):
    user = request.user
    secondment = secondment_for(user, pk)
    if not access.can_prepare(user, secondment.officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    found = get_object_or_404(Checklist, secondment=secondment)
    form = CaveatsForm(request.POST or None, checklist=found)
    if request.method == "GET":
        record(actor=user, action="read", obj=found, fields=["caveats"],
               detail={"officer_id": secondment.officer_id, "secondment_id": secondment.pk})
    if request.method == "POST" and form.is_valid():
        fields = services.set_caveats(actor=user, checklist=found, caveats=form.cleaned_data["caveats"])
        messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
        return redirect("preparation:checklist", pk=secondment.pk)
    return render(request, "preparation/caveats.html", {"form": form, "secondment": secondment},
                  status=400 if form.errors else 200)


@login_required
def edit_backfill(request, pk):
    user = request.user
    secondment = secondment_for(user, pk)
    if not access.can_prepare(user, secondment.officer):
        raise PermissionDenied(_("You may not prepare this secondment."))
    form = BackfillForm(request.POST or None, secondment=secondment, user=user)
    if request.method == "GET":  # the substitute choices and the officer promoted name officers too
        others = {o.pk for o in form.fields["substitute"].queryset}
        if form.promoted_officer is not None:
            others.add(form.promoted_officer.pk)
        others.discard(secondment.officer_id)
        record(actor=user, action="read", obj=secondment, fields=["backfill", *form.fields],
               detail={"officer_id": secondment.officer_id, **({"officer_ids": sorted(others)} if others else {})})
    if request.method == "POST" and form.is_valid():
        try:
            fields = services.record_backfill(actor=user, secondment=secondment, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved (%(fields)s).") % {"fields": ", ".join(fields) or _("no changes")})
            return redirect("preparation:checklist", pk=secondment.pk)
    return render(request, "preparation/backfill_edit.html", {"form": form, "secondment": secondment,
                                                              "promoted": form.promoted_officer},
                  status=400 if form.errors else 200)


@login_required
def backfill_overview(request):
    user = request.user
    if not access.can_use_backfill(user):
        raise PermissionDenied(_("The backfill pages are for coordinators and HR managers."))
    pools = access.preparer_pools(user)
    rows = Pool.objects.all() if pools is EVERY_POOL else Pool.objects.filter(pk__in=pools)
    rows = rows.annotate(absent=Count("officers__secondments", filter=Q(
        officers__secondments__status__in=list(absent_statuses())), distinct=True),
        covered=Count("officers__secondments", filter=Q(officers__secondments__status__in=list(absent_statuses()),
                                                        officers__secondments__backfill__isnull=False),
                      distinct=True)).order_by("name")
    return render(request, "preparation/backfill_overview.html", {"pools": list(rows)})


def _pool(user, pk) -> Pool:
    if not access.can_use_backfill(user):
        raise PermissionDenied(_("The backfill pages are for coordinators and HR managers."))
    pool = get_object_or_404(Pool, pk=pk)
    if not access.can_view_backfill(user, pool.pk):
        raise Http404
    return pool


@login_required
def backfill_pool(request, pk):
    user = request.user
    pool = _pool(user, pk)
    absences = pool_absences(pool)
    roster = list(BackfillRosterEntry.objects.filter(pool=pool).select_related("officer", "officer__rank")
                  .order_by(*name_ordering("officer__"), "id"))
    shown = sorted({r.secondment.officer_id for r in absences.rows} | {e.officer_id for e in roster}
                   | {r.backfill.covering.pk for r in absences.rows if r.backfill and r.backfill.covering})
    if shown:
        record_list(actor=user, object_type="secondments.secondment", ids=[r.secondment.pk for r in absences.rows],
                    fields=POOL_FIELDS, filters={"pool": pool.pk}, detail={"officer_ids": shown})
    return render(request, "preparation/backfill_pool.html", {
        "pool": pool, "absences": absences, "roster": roster, "form": RosterAddForm(pool=pool),
        "arrangements": [(key, label, absences.by_arrangement[key]) for key, label in Backfill.Arrangement.choices],
        "not_recorded": absences.by_arrangement["none"]})


@login_required
@require_POST
def roster_add(request, pk):
    user = request.user
    pool = _pool(user, pk)
    form = RosterAddForm(request.POST, pool=pool)
    if form.is_valid():
        try:
            services.add_to_roster(actor=user, pool=pool, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not added: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Added to the backfill roster."))
    else:
        messages.error(request, _("Not added: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    return redirect("preparation:backfill_pool", pk=pool.pk)


@login_required
@require_POST
def roster_remove(request, pk):
    user = request.user
    if not access.can_use_backfill(user):
        raise PermissionDenied(_("The backfill pages are for coordinators and HR managers."))
    entry = get_object_or_404(BackfillRosterEntry.objects.visible_to(user), pk=pk)
    services.remove_from_roster(actor=user, entry=entry)
    messages.success(request, _("Taken off the backfill roster."))
    return redirect("preparation:backfill_pool", pk=entry.pool_id)
