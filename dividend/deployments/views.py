from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import Secondment
from .services import change_status


@login_required
def secondment_list(request):
    secondments = Secondment.objects.visible_to(request.user).with_related()
    status = request.GET.get("status", "")
    if status in Secondment.Status.values:
        secondments = secondments.filter(status=status)
    page = Paginator(secondments, 50).get_page(request.GET.get("page"))
    return render(request, "deployments/list.html", {"page": page, "status": status,
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
    return redirect("deployments:list")
