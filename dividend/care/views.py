"""Pages of the care app: the duty-of-care board, a secondment's care page with its forms, the pools'
duty officers and heads of unit, and the contingents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dividend.audit.services import record, record_list
from dividend.missions.models import Mission
from dividend.pools.models import Pool
from dividend.secondments.models import Secondment

from . import access, services
from .board import board_secondments, board_sections
from .forms import (
    AppraisalForm,
    BoardFilterForm,
    CareOfficersForm,
    ContactForm,
    ContingentLeaderForm,
    DebriefingForm,
    DeskOfficerForm,
    IncidentForm,
    LeaveForm,
    MisconductDecisionForm,
    MisconductForm,
)
from .models import (
    Appraisal,
    CareFile,
    Contact,
    Contingent,
    Escalation,
    LeavePeriod,
    MisconductCase,
    PoolCareOfficers,
    SecurityIncident,
    care_secondments,
    contact_interval_days,
    ending_window_days,
)

ROWS = 50  # rows shown per board section (the count says how many there are)
BOARD_FIELDS = ["officer", "pool", "mission", "start_date", "end_date", "last_contact", "desk_officer"]


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, "; ".join(error.messages))


def _rows(secondments):
    return secondments.select_related("officer", "officer__pool", "position__mission", "care__desk_officer")


@login_required
def board(request):
    """The duty-of-care board: contact overdue, what higher apps register as overdue, ending soon."""
    user = request.user
    if not access.can_use_care(user):
        raise PermissionDenied(_("The duty-of-care board is for coordinators and HR managers."))
    pools = access.care_pools(user)
    pool_choices = Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(pk__in=pools)
    form = BoardFilterForm(request.GET or None, pools=pool_choices.order_by("name"))
    pool = form.cleaned_data.get("pool") if form.is_valid() else None
    if form.is_bound and not form.is_valid():
        return render(request, "care/board.html", {"form": form, "sections": []}, status=400)
    today = timezone.localdate()
    secondments = board_secondments(user, pool_id=pool.pk if pool else None)
    sections = board_sections(secondments, today, ROWS)
    labels = {"contact": _("Contact overdue (more than %(days)s days)") % {"days": contact_interval_days()},
              "ending": _("Ending within %(days)s days") % {"days": ending_window_days()}}
    for section in sections:
        section.label = labels.get(section.kind, section.label)
    shown = {s.pk: s.officer_id for section in sections for s in section.rows}
    if shown:
        record_list(actor=user, object_type="secondments.secondment", ids=sorted(shown), fields=BOARD_FIELDS,
                    filters={"pool": pool.pk if pool else None},
                    detail={"officer_ids": sorted(set(shown.values()))})
    for s in sections[0].rows:  # contact overdue: its value is the day missed contacts count from
        s.days_without_contact = (today - s.value).days
    return render(request, "care/board.html", {"form": form, "sections": sections, "today": today})


def _secondment(request, pk):
    return get_object_or_404(care_secondments(request.user).select_related(
        "officer", "officer__pool", "position__mission"), pk=pk)


def _care_page(request, secondment, bound=None, status=200):
    """The secondment's care page; `bound` replaces one blank form with the refused one."""
    user = request.user
    notes = access.can_read_care_notes(user, secondment)
    manage = access.can_manage_care(user, secondment)
    file = CareFile.objects.filter(secondment=secondment).select_related("desk_officer").first()
    deployed = secondment.status == Secondment.Status.DEPLOYED
    forms = {}
    if notes and deployed:
        forms["contact"] = ContactForm(initial={"contact_on": timezone.localdate()})
    if manage:
        forms["desk"] = DeskOfficerForm(secondment=secondment, initial={"desk_officer": file.desk_officer_id if file else None})
        if deployed:
            forms["leave"] = LeaveForm()
        if secondment.took_place:
            forms["incident"] = IncidentForm()
    if notes and secondment.took_place:
        forms["appraisal"] = AppraisalForm()
        forms["misconduct"] = MisconductForm()
    forms.update(bound or {})
    leaves = list(LeavePeriod.objects.filter(secondment=secondment).select_related("debriefing"))
    cases = list(MisconductCase.objects.filter(secondment=secondment)) if notes else []
    fields = ["desk_officer", "contacts", "escalations", "leave_periods", "security_incidents"]
    if notes:
        fields += ["contact_notes", "leave_debriefings", "appraisals", "misconduct_cases"]
    record(actor=user, action="read", obj=secondment, fields=fields,
           detail={"officer_id": secondment.officer_id, "page": "care"})
    context = {
        "s": secondment, "file": file, "notes": notes, "manage": manage, "forms": forms,
        "contacts": list(Contact.objects.filter(secondment=secondment).select_related("recorded_by")),
        "escalations": list(Escalation.objects.filter(secondment=secondment).select_related("notified")),
        "leaves": leaves, "incidents": list(SecurityIncident.objects.filter(secondment=secondment)),
        "appraisals": list(Appraisal.objects.filter(secondment=secondment)) if notes else [],
        "cases": [(c, MisconductDecisionForm() if c.status == MisconductCase.Status.OPEN else None) for c in cases],
        "debriefing_form": DebriefingForm() if notes else None,
        "bound_debriefing": (bound or {}).get("debriefing_for"),
    }
    return render(request, "care/secondment.html", context, status=status)


@login_required
def secondment_care(request, pk):
    return _care_page(request, _secondment(request, pk))


def _post(request, pk, form_key, form_class, allowed, action, success, form_kwargs=None):
    """One POST of the care page: the form, then the workflow; a refusal re-renders the page (400)."""
    secondment = _secondment(request, pk)
    if not allowed(request.user, secondment):
        raise PermissionDenied(_("You may not change this secondment's care records."))
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            action(secondment, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("care:secondment", pk=secondment.pk)
    return _care_page(request, secondment, bound={form_key: form}, status=400)


@login_required
@require_POST
def contact_new(request, pk):
    return _post(request, pk, "contact", ContactForm, access.can_keep_contacts,
                 lambda s, d: services.log_contact(actor=request.user, secondment=s, **d), _("Contact logged."))


@login_required
@require_POST
def desk_officer(request, pk):
    secondment = _secondment(request, pk)
    return _post(request, pk, "desk", DeskOfficerForm, access.can_manage_care,
                 lambda s, d: services.assign_desk_officer(actor=request.user, secondment=s, **d),
                 _("Desk officer saved."), {"secondment": secondment})


@login_required
@require_POST
def leave_new(request, pk):
    return _post(request, pk, "leave", LeaveForm, access.can_manage_care,
                 lambda s, d: services.record_leave(actor=request.user, secondment=s, **d), _("Leave recorded."))


@login_required
@require_POST
def incident_new(request, pk):
    return _post(request, pk, "incident", IncidentForm, access.can_manage_care,
                 lambda s, d: services.record_incident(actor=request.user, secondment=s, **d),
                 _("Incident recorded."))


@login_required
@require_POST
def appraisal_new(request, pk):
    return _post(request, pk, "appraisal", AppraisalForm, access.can_record_performance,
                 lambda s, d: services.record_appraisal(actor=request.user, secondment=s, **d),
                 _("Performance recorded."))


@login_required
@require_POST
def misconduct_new(request, pk):
    return _post(request, pk, "misconduct", MisconductForm, access.can_record_performance,
                 lambda s, d: services.report_misconduct(actor=request.user, secondment=s, **d),
                 _("Misconduct case opened."))


@login_required
@require_POST
def debriefing_new(request, pk):
    leave = get_object_or_404(LeavePeriod.objects.visible_to(request.user).select_related(
        "secondment__officer", "secondment__officer__pool", "secondment__position__mission"), pk=pk)
    secondment = leave.secondment
    if not access.can_record_performance(request.user, secondment):
        raise PermissionDenied(_("You may not record this debriefing."))
    form = DebriefingForm(request.POST)
    if form.is_valid():
        try:
            services.record_leave_debriefing(actor=request.user, leave=leave, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Debriefing recorded."))
            return redirect("care:secondment", pk=secondment.pk)
    messages.error(request, _("Not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    return _care_page(request, secondment, status=400)


@login_required
@require_POST
def misconduct_decide(request, pk):
    case = get_object_or_404(MisconductCase.objects.visible_to(request.user).select_related(
        "secondment__officer", "secondment__officer__pool", "secondment__position__mission"), pk=pk)
    form = MisconductDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_misconduct(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("care:secondment", pk=case.secondment_id)
    messages.error(request, _("Not recorded: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    return _care_page(request, case.secondment, status=400)


@login_required
def care_officers(request):
    """Each pool's duty officer and head of unit (the pools the user works with)."""
    user = request.user
    if not access.can_use_care(user):
        raise PermissionDenied(_("The duty-of-care pages are for coordinators and HR managers."))
    pools = access.care_pools(user)
    shown = Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(pk__in=pools)
    named = {p.pool_id: p for p in PoolCareOfficers.objects.filter(pool__in=shown)
             .select_related("duty_officer", "head_of_unit")}
    rows = []
    for pool in shown.order_by("name"):
        current = named.get(pool.pk)
        form = CareOfficersForm(prefix=f"p{pool.pk}", initial={
            "duty_officer": current.duty_officer_id if current else None,
            "head_of_unit": current.head_of_unit_id if current else None})
        rows.append((pool, current, form if access.can_name_care_officers(user, pool) else None))
    return render(request, "care/officers.html", {"rows": rows})


@login_required
@require_POST
def care_officers_set(request, pk):
    pool = get_object_or_404(Pool.objects.all(), pk=pk)
    if not access.can_name_care_officers(request.user, pool):
        raise PermissionDenied(_("You may not name this pool's duty officer and head of unit."))
    form = CareOfficersForm(request.POST, prefix=f"p{pool.pk}")
    if form.is_valid():
        try:
            services.name_care_officers(actor=request.user, pool=pool, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _("Not saved: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Not saved: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    return redirect("care:officers")


def _contingents(user):
    """(mission, contingent, members the user sees) for missions with at least two national officers
    deployed, of which the user sees at least one."""
    from django.db.models import Count

    visible = care_secondments(user).filter(status=Secondment.Status.DEPLOYED)
    missions = (Mission.objects.filter(positions__secondments__status=Secondment.Status.DEPLOYED)
                .annotate(deployed=Count("positions__secondments", distinct=True)).filter(deployed__gte=2)
                .filter(pk__in=visible.values("position__mission_id")).order_by("acronym"))
    missions = list(missions)
    members = {}
    for s in visible.filter(position__mission__in=missions).select_related("officer", "officer__pool", "position"):
        members.setdefault(s.position.mission_id, []).append(s)
    contingents = {c.mission_id: c for c in Contingent.objects.filter(mission__in=missions)
                   .select_related("leader__officer")}
    rows = []
    for m in missions:
        shown = members.get(m.pk, [])
        contingent = contingents.get(m.pk)
        # The leader is named only to those who see them (a leader of another pool stays unnamed).
        leader = contingent.leader if contingent and contingent.leader_id in {s.pk for s in shown} else None
        rows.append((m, contingent, leader, shown))
    return rows


@login_required
def contingent_list(request):
    user = request.user
    if not access.can_use_care(user):
        raise PermissionDenied(_("The duty-of-care pages are for coordinators and HR managers."))
    rows = []
    shown = set()
    for mission, contingent, leader, members in _contingents(user):
        manageable = care_secondments(user).filter(pk__in=[s.pk for s in members])
        form = ContingentLeaderForm(members=manageable.select_related("officer", "position"), prefix=f"m{mission.pk}",
                                    initial={"leader": contingent.leader_id if contingent else None})
        may = any(access.can_manage_care(user, s) for s in members)
        rows.append((mission, contingent, leader, members, form if may else None))
        shown |= {s.officer_id for s in members}
    if shown:
        record_list(actor=user, object_type="care.contingent", ids=[m.pk for m, *_ in rows],
                    fields=["mission", "leader", "members"], detail={"officer_ids": sorted(shown)})
    return render(request, "care/contingents.html", {"rows": rows})


@login_required
@require_POST
def contingent_leader(request, mission_id):
    user = request.user
    if not access.can_use_care(user):
        raise PermissionDenied(_("The duty-of-care pages are for coordinators and HR managers."))
    mission = get_object_or_404(Mission.objects.all(), pk=mission_id)
    members = care_secondments(user).filter(status=Secondment.Status.DEPLOYED, position__mission=mission)
    form = ContingentLeaderForm(request.POST, members=members.select_related("officer", "position"),
                                prefix=f"m{mission.pk}")
    if form.is_valid():
        try:
            services.appoint_contingent_leader(actor=user, mission=mission, leader=form.cleaned_data["leader"])
        except ValidationError as error:
            messages.error(request, _("Not saved: ") + "; ".join(error.messages))
        else:
            messages.success(request, _("Contingent leader saved."))
    else:
        messages.error(request, _("Not saved: ") + "; ".join(" ".join(v) for v in form.errors.values()))
    return redirect("care:contingents")
