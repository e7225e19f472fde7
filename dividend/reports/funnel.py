"""The funnel per mission, pool and year: reports received → accepted → cited (in a published
product) → products, counted over the reports the reader may see; a table (CSV/XLSX) and a chart."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.common.exports import Table
from dividend.missions.models import Mission
from dividend.pools.models import Pool
from dividend.priorities.charts import contribution_bars

from .models import FieldReport, Product

PUBLISHED = Product.Status.PUBLISHED


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@dataclass
class Filters:
    year: int
    mission: int | None = None
    pool: int | None = None

    @classmethod
    def from_query(cls, query, user):
        year = _int(query.get("year"))
        year = year if year and 2000 <= year <= 2100 else timezone.localdate().year
        return cls(year=year, mission=_int(query.get("mission")), pool=_int(query.get("pool")))


def reports(user, filters: Filters):
    qs = FieldReport.objects.visible_to(user).filter(submitted_at__year=filters.year)
    if filters.mission:
        qs = qs.filter(mission_id=filters.mission)
    if filters.pool:
        qs = qs.filter(officer__pool_id=filters.pool)
    return qs


def table(user, filters: Filters) -> Table:
    """One row per mission: received, accepted, cited, products (distinct published products citing
    the mission's reports the reader sees)."""
    cited = Q(citations__section__product__status=PUBLISHED)
    rows = (reports(user, filters).values("mission__acronym")
            .annotate(received=Count("id", distinct=True),
                      accepted=Count("id", distinct=True, filter=Q(status=FieldReport.Status.ACCEPTED)),
                      cited=Count("id", distinct=True, filter=cited),
                      products=Count("citations__section__product", distinct=True, filter=cited))
            .order_by("mission__acronym"))
    return Table(title=_("Field reports funnel %(year)s") % {"year": filters.year},
                 headers=[_("Mission"), _("Received"), _("Accepted"), _("Cited"), _("Products")],
                 rows=[[r["mission__acronym"], r["received"], r["accepted"], r["cited"], r["products"]]
                       for r in rows])


def totals(user, filters: Filters) -> dict:
    """The four figures over all the reports the reader sees under the filters (a product counts once)."""
    qs = reports(user, filters)
    cited = qs.filter(citations__section__product__status=PUBLISHED).distinct()
    return {"received": qs.count(), "accepted": qs.filter(status=FieldReport.Status.ACCEPTED).count(),
            "cited": cited.count(),
            "products": Product.objects.filter(status=PUBLISHED, sections__citations__report__in=qs).distinct().count()}


def chart(totals: dict, filters: Filters) -> str:
    """Horizontal bars: received, accepted, cited, products (server-drawn SVG, no inline styles)."""
    items = [(_("Received"), totals["received"]), (_("Accepted"), totals["accepted"]),
             (_("Cited"), totals["cited"]), (_("Products"), totals["products"])]
    return contribution_bars(items, title=_("From report to product, %(year)s") % {"year": filters.year},
                             xlabel=_("reports (products: count)"))


def years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def missions(user):
    return Mission.objects.filter(field_reports__in=FieldReport.objects.visible_to(user)).distinct().order_by(
        "acronym")


def pools(user):
    return Pool.objects.filter(officers__field_reports__in=FieldReport.objects.visible_to(user)).distinct().order_by(
        "name")
