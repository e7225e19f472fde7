"""The policy officer's start-page item: the current national ranking and when it was computed."""

from dataclasses import dataclass

from .models import Adoption, PriorityRun, installation_home_country
from .results import ranked_rows

TOP_COUNTRIES = 10


@dataclass
class CurrentRanking:
    run: PriorityRun | None
    top: list  # RunCountry rows, best first
    adoption: Adoption | None = None  # the national adoption in force, when the run is the adopted one


def current_ranking(user, *, size: int = TOP_COUNTRIES) -> CurrentRanking:
    """The national ranking and its first `size` countries: the run adopted as the national reference
    (priorities.adoption) when one is in force and visible to the user, else the latest completed run
    for the installation's home country. Three queries (two without any run)."""
    runs = PriorityRun.objects.visible_to(user).select_related("model_version", "model_version__model",
                                                                "created_by")
    adoption = (Adoption.objects.current().for_agency(None).filter(run__in=runs)
                .select_related("run", "run__model_version", "run__model_version__model", "run__created_by")
                .first())
    if adoption is not None:
        return CurrentRanking(run=adoption.run, top=list(ranked_rows(adoption.run)[:size]), adoption=adoption)
    run = (runs.filter(status=PriorityRun.Status.DONE, home_country=installation_home_country())
           .order_by("-created_at", "-id").first())
    if run is None:
        return CurrentRanking(run=None, top=[])
    return CurrentRanking(run=run, top=list(ranked_rows(run)[:size]))
