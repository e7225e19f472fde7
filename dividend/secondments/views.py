from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dividend.audit.services import record_list
from dividend.roster.models import Officer

from .forms import SecondmentForm
from .models import Secondment
from .services import change_status, create_secondment, may_manage

# What a row of the secondment list shows (named in the audit entry of each page shown).
LIST_FIELDS = ["officer", "pool", "mission", "position", "start_date", "end_date", "status"]


@login_required
def secondment_list(request):
    secondments = Secondment.objects.visible_to(request.user).with_related()
    status = request.GET.get("status", "")
    if status in Secondment.Status.values:
        secondments = secondments.filter(status=status)
    page = Paginator(secondments, 50).get_page(request.GET.get("page"))
    record_list(actor=request.user, object_type="secondments.secondment", ids=[s.pk for s in page.object_list],
                filters=request.GET, fields=LIST_FIELDS,
                detail={"officer_ids": sorted({s.officer_id for s in page.object_list})})
    return render(request, "secondments/list.html", {"page": page, "status": status,
                                                     "statuses": Secondment.Status.choices})


@login_required
@require_POST
def secondment_status(request, pk):
    secondment = get_object_or_404(Secondment.objects.visible_to(request.user).with_related(), pk=pk)
    try:
        change_status(actor=request.user, secondment=secondment, status=request.POST.get("status", ""),
                      reason=request.POST.get("reason", ""))
        messages.success(request, "Status changed.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    return redirect("secondments:list")


@login_required
def record_secondment(request, officer_id):
    officer = get_object_or_404(Officer.objects.visible_to(request.user).select_related("pool"), pk=officer_id)
    if not may_manage(request.user, officer):
        raise PermissionDenied("You may not record secondments for this officer.")
    form = SecondmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_secondment(actor=request.user, officer=officer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Secondment recorded.")
            return redirect("roster:detail", pk=officer.pk)
    return render(request, "secondments/record.html", {"form": form, "officer": officer},
                  status=400 if form.errors else 200)
