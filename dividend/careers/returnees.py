"""The returnee pool (issue 11 §7): officers back from a mission, searched by the mission's country,
region and theme, the officer's languages and the network contacts they share; each with their last
mission and how recent it is. For policy staff, coordinators and HR managers, over the officers they
see (`Secondment.objects.visible_to`)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from .models import RETURNEE_STATUSES


@dataclass
class ReturneeQuery:
    country_id: int | None = None
    region: str = ""
    theme_id: int | None = None
    language_id: int | None = None
    contacts: str = ""
    within_years: int | None = None
    today: dt.date = field(default_factory=dt.date.today)

    def as_filters(self) -> dict:
        return {k: v for k, v in {"country": self.country_id, "region": self.region, "theme": self.theme_id,
                                  "language": self.language_id, "contacts": self.contacts,
                                  "within_years": self.within_years}.items() if v not in (None, "")}


@dataclass
class Returnee:
    officer: object
    last: object  # the officer's latest secondment back home
    returned_on: dt.date
    days_ago: int
    contacts: str


def matching_secondments(user, query: ReturneeQuery):
    from dividend.secondments.models import Secondment

    qs = Secondment.objects.visible_to(user).filter(status__in=RETURNEE_STATUSES, end_date__isnull=False)
    if query.country_id:
        qs = qs.filter(position__mission__host_countries=query.country_id)
    if query.region:
        qs = qs.filter(Q(position__mission__host_countries__region=query.region)
                       | Q(position__mission__host_countries__subregion=query.region))
    if query.theme_id:
        qs = qs.filter(position__mission__thematic_areas=query.theme_id)
    if query.language_id:
        qs = qs.filter(officer__languages__language_id=query.language_id)
    if query.contacts.strip():
        qs = qs.filter(debriefing__contacts__icontains=query.contacts.strip())
    if query.within_years:
        since = query.today.replace(year=query.today.year - query.within_years) if not (
            query.today.month == 2 and query.today.day == 29) else query.today - dt.timedelta(days=365 * query.within_years)
        qs = qs.filter(end_date__gte=since)
    return qs


def search(user, query: ReturneeQuery, *, limit: int = 50, offset: int = 0) -> tuple[int, list[Returnee]]:
    """(officers found, one page of them), the most recently returned first: a count, the page and
    the page's last missions, however many secondments."""
    from dividend.secondments.models import Secondment

    per_officer = (matching_secondments(user, query).values("officer_id").annotate(last=Max("end_date"))
                   .order_by("-last", "officer_id"))
    total = per_officer.count()
    page = list(per_officer[offset:offset + limit])
    if not page:
        return total, []
    ids = [row["officer_id"] for row in page]
    latest = {}
    for s in (Secondment.objects.filter(officer_id__in=ids, status__in=RETURNEE_STATUSES, end_date__isnull=False)
              .select_related("officer", "officer__pool", "officer__rank", "position__mission", "debriefing")
              .order_by("officer_id", "-end_date", "-id")):
        latest.setdefault(s.officer_id, s)
    found = []
    for officer_id in ids:
        s = latest[officer_id]
        debriefing = getattr(s, "debriefing", None)
        found.append(Returnee(officer=s.officer, last=s, returned_on=s.end_date,
                              days_ago=(query.today - s.end_date).days,
                              contacts=debriefing.contacts if debriefing is not None else ""))
    return total, found
