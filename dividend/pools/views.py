from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .models import ApiToken
from .services import issue_token, revoke_token


@login_required
def tokens(request):
    """The user's own API tokens (live, expired and revoked) and a form for a new one, whose key is
    shown on this answer only."""
    form = TokenForm(request.POST or None)
    key = new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, key = issue_token(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {"form": form, "key": key, "new_token": new_token,
               "tokens": ApiToken.objects.visible_to(request.user)}
    return render(request, "pools/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    if revoke_token(actor=request.user, token=token):
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    else:
        messages.info(request, _("Token “%(name)s” was revoked already.") % {"name": token.name})
    return redirect("pools:tokens")
