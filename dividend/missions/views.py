from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Mission, Organisation, Position

ALL = "all"


def filter_missions(queryset, params, *, default_status=""):
    """The list page's filters; unknown choices are left out. Status `all`: every status; absent:
    `default_status`."""
    organisation, status = params.get("organisation", ""), params.get("status", default_status)
    return queryset.matching(organisation=organisation if organisation in Organisation.values else "",
                             status=status if status in Mission.Status.values else "",
                             country=params.get("country", ""))


@login_required
def mission_list(request):
    # People look for missions to staff: the list opens on the active ones, not on decades of history.
    missions = filter_missions(Mission.objects.visible_to(request.user), request.GET,
                               default_status=Mission.Status.ACTIVE).prefetch_related("host_countries", "thematic_areas")
    page = Paginator(missions, 100).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "missions/list.html", {
        "page": page, "organisations": Organisation.choices, "statuses": Mission.Status.choices,
        "status": request.GET.get("status", Mission.Status.ACTIVE), "all": ALL, "params": request.GET,
        "querystring": params.urlencode()})


@login_required
def mission_detail(request, pk):
    mission = get_object_or_404(Mission.objects.visible_to(request.user).prefetch_related(
        "host_countries", "thematic_areas"), pk=pk)
    positions = mission.positions.visible_to(request.user).with_related()
    return render(request, "missions/detail.html", {"mission": mission, "positions": positions})


@login_required
def position_list(request):
    positions = Position.objects.visible_to(request.user).with_related()
    status = request.GET.get("status", "open")
    if status in Position.Status.values:
        positions = positions.filter(status=status)
    page = Paginator(positions, 50).get_page(request.GET.get("page"))
    return render(request, "missions/positions.html", {"page": page, "status": status,
                                                       "statuses": Position.Status.choices})


@login_required
def position_detail(request, pk):
    position = get_object_or_404(Position.objects.visible_to(request.user).with_related(), pk=pk)
    return render(request, "missions/position.html", {
        "position": position,
        "skills": position.required_skills.select_related("skill"),
        "languages": position.required_languages.select_related("language"),
        "qualifications": position.required_qualifications.all(),
        "tags": position.thematic_tags.all(),
    })
