"""Pages of the alerts app: the alerts list, a new alert from the crisis query, an alert's page
with its replies as they come (htmx polling), deploying and standing down, and the recipient's own
answer page (made for a phone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.roster.forms import CrisisQueryForm
from dividend.roster.models import add_months
from dividend.roster.search import CrisisRequest, crisis_candidates, name_ordering

from . import access, services
from .forms import AlertForm, DeployForm, ReplyForm, StandDownForm
from .models import Alert, Recipient, figures

LIST_FIELDS = ["title", "status", "sent_at", "recipients", "answers"]
RECIPIENT_FIELDS = ["officer", "pool", "answer", "answered_at", "note", "outcome"]
CRISIS_FIELDS = ["name", "pool", "rank", "readiness"]


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
def alert_list(request):
    user = request.user
    if not access.can_use_alerts(user):
        raise PermissionDenied(_("Rapid deployment alerts are for coordinators and the officers they alert."))
    sender = access.can_send_alerts(user)
    own = Recipient.objects.filter(officer__user=user).select_related("alert").order_by("-alert__sent_at", "-id")
    alerts = Alert.objects.visible_to(user) if sender else Alert.objects.none()
    # The counts are of the recipients the reader sees (a pool coordinator: their pools' officers).
    seen = Recipient.objects.visible_to(user)
    alerts = alerts.order_by("-sent_at", "-id").annotate(
        recipient_count=Count("recipients", filter=Q(recipients__in=seen)),
        replied_count=Count("recipients", filter=Q(recipients__in=seen) & ~Q(recipients__answer="no_answer")),
        available_count=Count("recipients", filter=Q(recipients__in=seen, recipients__answer="available")),
    )
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    shown, mine = list(page.object_list), list(own[:50])
    if shown:
        record_list(actor=user, object_type="alerts.alert", ids=[a.pk for a in shown], fields=LIST_FIELDS,
                    filters=request.GET)
    return render(request, "alerts/list.html", {"page": page, "alerts": shown, "mine": mine, "sender": sender})


def _crisis(request, form):
    data = form.cleaned_data
    results, total = crisis_candidates(user=request.user, request=CrisisRequest(
        within_days=data["within_days"], duration_months=data["duration_months"],
        theme_id=data["theme"].pk if data.get("theme") else None,
        country_id=data["country"].pk if data.get("country") else None,
        region=data.get("region") or "",
        skill_id=data["skill"].pk if data.get("skill") else None,
        language_id=data["language"].pk if data.get("language") else None,
        language_level=data.get("language_level"),
        required_qualification_ids=[q.pk for q in data.get("required_qualification") or []],
    ))
    # Only officers the coordinator may alert (a national policy officer's roster is wider).
    results = [r for r in results if access.can_alert_officer(request.user, r.officer)]
    return results, total


@login_required
def alert_new(request):
    """The crisis query (the roster's, run here), its officers to choose from, and the alert to send them."""
    user = request.user
    if not access.can_send_alerts(user):
        raise PermissionDenied(_("Only coordinators send rapid deployment alerts."))
    query_form = CrisisQueryForm(request.GET or None)
    results, total, alert_form, problem = None, 0, None, ""
    if query_form.is_bound and query_form.is_valid():
        results, total = _crisis(request, query_form)
        departure = CrisisRequest(within_days=query_form.cleaned_data["within_days"], duration_months=1).departure
        initial = {"start_date": departure, "officers": [r.officer.pk for r in results],
                   "end_date": add_months(departure, query_form.cleaned_data["duration_months"])}
        candidates = [r.officer for r in results]
        alert_form = AlertForm(request.POST or None, user=user, candidates=candidates, initial=initial)
        if request.method == "POST" and alert_form.is_valid():
            data = dict(alert_form.cleaned_data)
            try:
                alert = services.create_alert(actor=user, query=request.GET.dict(), base_url=_base_url(request),
                                              **data)
            except (ValidationError, PermissionDenied) as error:
                _add_errors(alert_form, error)
            else:
                messages.success(request, _("Alert sent to %(count)s officers.") % {"count": len(data["officers"])})
                return redirect("alerts:detail", pk=alert.pk)
        record_list(actor=user, object_type="roster.officer", ids=[r.officer.pk for r in results],
                    filters=request.GET, fields=CRISIS_FIELDS, detail={"total": total, "for": "alert"})
    elif request.method == "POST":
        problem = _("Run the crisis query first: the alert goes to officers it found.")
    failed = problem or (query_form.is_bound and query_form.errors) or (alert_form is not None and alert_form.errors)
    chosen = {int(v) for v in request.POST.getlist("officers") if v.isdigit() and len(v) < 12}
    return render(request, "alerts/new.html", {"query_form": query_form, "results": results, "total": total,
                                               "form": alert_form, "chosen": chosen,
                                               "problem": problem}, status=400 if failed else 200)


def _replies_context(user, alert):
    recipients = list(Recipient.objects.visible_to(user).filter(alert=alert).with_related()
                      .order_by("answered_at", *name_ordering("officer__"), "id"))
    # Answered first, in the order they came; then those still to answer, by name.
    recipients.sort(key=lambda r: (r.answered_at is None, r.answered_at or alert.sent_at))
    stats = figures(alert.sent_at, [(r.answer, r.answered_at) for r in recipients])
    return {"alert": alert, "recipients": recipients, "figures": stats,
            "version": f"{stats.replied}-{alert.status}",
            "manager": alert.is_open and access.can_manage_alert(user, alert.pool_ids())}


def _staff_alert(request, pk):
    alert = get_object_or_404(Alert.objects.visible_to(request.user).with_related(), pk=pk)
    if not access.can_send_alerts(request.user):
        raise PermissionDenied(_("This page is for coordinators: your answer page is linked from the alert's "
                                 "e-mail and from the alerts list."))
    return alert


def _managed_alert(request, pk):
    alert = _staff_alert(request, pk)
    if not access.can_manage_alert(request.user, alert.pool_ids()):
        raise PermissionDenied(_("Only a coordinator of every pool the alert reaches deploys or stands it down."))
    return alert


@login_required
def alert_detail(request, pk):
    user = request.user
    alert = _staff_alert(request, pk)
    context = _replies_context(user, alert)
    services.record_read(actor=user, alert=alert, officer_ids=[r.officer_id for r in context["recipients"]],
                         fields=RECIPIENT_FIELDS)
    manager = context["manager"]
    context |= {"deploy_form": DeployForm(alert=alert) if manager else None,
                "stand_down_form": StandDownForm() if manager else None}
    return render(request, "alerts/detail.html", context)


@login_required
def alert_replies(request, pk):
    """The replies panel, polled by the alert's page while the alert is open: unchanged since the
    version the page shows, an empty 204 (nothing swapped, nothing logged)."""
    user = request.user
    alert = _staff_alert(request, pk)
    context = _replies_context(user, alert)
    if request.GET.get("seen") == context["version"]:
        return HttpResponse(status=204)
    services.record_read(actor=user, alert=alert, officer_ids=[r.officer_id for r in context["recipients"]],
                         fields=RECIPIENT_FIELDS)
    return render(request, "alerts/_replies.html", context)


@login_required
@require_POST
def alert_deploy(request, pk):
    user = request.user
    alert = _managed_alert(request, pk)
    form = DeployForm(request.POST, alert=alert)
    if not form.is_valid():
        messages.error(request, _("Nothing changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("alerts:detail", pk=alert.pk)
    try:
        services.deploy(actor=user, alert=alert, officers=form.cleaned_data["officers"],
                        reason=form.cleaned_data["reason"], base_url=_base_url(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Nothing changed: ") + "; ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Deployed %(count)s; everyone else is told to stand down.") % {
            "count": len(form.cleaned_data["officers"])})
    return redirect("alerts:detail", pk=alert.pk)


@login_required
@require_POST
def alert_stand_down(request, pk):
    user = request.user
    alert = _managed_alert(request, pk)
    form = StandDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing changed: ") + "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("alerts:detail", pk=alert.pk)
    try:
        services.stand_down(actor=user, alert=alert, reason=form.cleaned_data["reason"], base_url=_base_url(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Nothing changed: ") + "; ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Alert stood down; every recipient is told."))
    return redirect("alerts:detail", pk=alert.pk)


@login_required
def alert_answer(request, pk):
    """The recipient's page: the alert, and their answer (or the form to give it)."""
    user = request.user
    recipient = get_object_or_404(Recipient.objects.filter(officer__user=user).select_related(
        "alert", "alert__position", "alert__position__mission", "officer"), alert_id=pk)
    if not access.can_reply(user):
        raise PermissionDenied(_("Only the officer the alert was sent to answers it."))
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply(actor=user, recipient=recipient, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("alerts:answer", pk=pk)
    record(actor=user, action="read", obj=recipient, fields=["answer", "answered_at", "note", "outcome"],
           detail={"officer_id": recipient.officer_id, "alert_id": recipient.alert_id})
    return render(request, "alerts/answer.html", {"recipient": recipient, "alert": recipient.alert, "form": form},
                  status=400 if form.errors else 200)
