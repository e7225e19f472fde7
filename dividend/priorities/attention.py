"""The policy officer's start-page item: the current national ranking and when it was computed."""

from dataclasses import dataclass

from .models import PriorityRun, installation_home_country
from .results import ranked_rows

TOP_COUNTRIES = 10


@dataclass
class CurrentRanking:
    run: PriorityRun | None
    top: list  # RunCountry rows, best first


def current_ranking(user, *, size: int = TOP_COUNTRIES) -> CurrentRanking:
    """The latest completed run for the installation's home country (the national ranking) and its
    first `size` countries: two queries (one without a run)."""
    run = (PriorityRun.objects.visible_to(user).filter(status=PriorityRun.Status.DONE,
                                                       home_country=installation_home_country())
           .select_related("model_version", "model_version__model", "created_by").order_by("-created_at", "-id")
           .first())
    if run is None:
        return CurrentRanking(run=None, top=[])
    return CurrentRanking(run=run, top=list(ranked_rows(run)[:size]))
