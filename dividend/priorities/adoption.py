"""The adopted rankings: which run is the reference, nationally and for each agency, since when.

An agency is a pool (the seconding organisation that already scopes policy officers' roles, see
docs/priorities.md "Adopted rankings"); the national reference has no pool. Every feature that asks
"how relevant is this country" (position relevance, report themes, the scorecard) reads the adopted
run through :func:`adopted_ranking`, and shows its ``message`` when none is adopted.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.pools.models import Pool

from . import access
from .engine.model import THEMES
from .models import Adoption, PriorityRun, RunCountry

MAX_REASON = 2000


@dataclass(frozen=True)
class CountryRelevance:
    """One country in the adopted run: rank 1 = most relevant; ``relative`` from 1 (first) to 0 (last)."""

    iso3: str
    name: str
    rank: int
    score: float | None
    relative: float


@dataclass(frozen=True)
class AdoptedRanking:
    """The answer of :func:`adopted_ranking`: falsy when no ranking is adopted (see ``message``)."""

    agency: Pool | None  # the agency asked about (None: national)
    adoption: Adoption | None  # in force: the agency's own, or the national one it falls back to
    countries: dict[str, CountryRelevance] = field(default_factory=dict)
    message: str = ""

    def __bool__(self) -> bool:
        return self.adoption is not None

    @property
    def adopted(self) -> bool:
        return self.adoption is not None

    @property
    def run(self) -> PriorityRun | None:
        return self.adoption.run if self.adoption else None

    @property
    def since(self):
        return self.adoption.adopted_at if self.adoption else None

    @property
    def national_fallback(self) -> bool:
        """True when an agency was asked about, has none of its own, and the national one answers."""
        return self.agency is not None and self.adoption is not None and self.adoption.pool_id is None

    @property
    def theme_weights(self) -> dict[str, float]:
        """The thematic weights of the adopted run's model as it was computed: every priority theme
        (0 when the model gives it none); empty when nothing is adopted."""
        if self.adoption is None:
            return {}
        stored = self.adoption.run.theme_weights or {}
        return {t: float(stored.get(t, 0.0)) for t in THEMES}

    def get(self, iso3: str) -> CountryRelevance | None:
        return self.countries.get(iso3.upper())

    def rank(self, iso3: str) -> int | None:
        found = self.get(iso3)
        return found.rank if found else None

    def score(self, iso3: str) -> float | None:
        found = self.get(iso3)
        return found.score if found else None


# A run's rows are written once (store_run) and never changed: read them once per process (keyed by
# id and creation time, as a rolled-back id can come again).
_RUN_CACHE: OrderedDict[tuple, dict[str, CountryRelevance]] = OrderedDict()
_RUN_CACHE_SIZE = 16


def _countries_of(run: PriorityRun) -> dict[str, CountryRelevance]:
    key = (run.pk, run.created_at)
    cached = _RUN_CACHE.get(key)
    if cached is not None:
        _RUN_CACHE.move_to_end(key)
        return cached
    rows = list(RunCountry.objects.filter(run_id=run.pk, rank__isnull=False).order_by("rank")
                .values_list("iso3", "name", "rank", "score"))
    last = max(len(rows) - 1, 1)
    countries = {iso3: CountryRelevance(iso3, name, rank, score, round(1 - (rank - 1) / last, 6) if rows[1:] else 1.0)
                 for iso3, name, rank, score in rows}
    _RUN_CACHE[key] = countries
    while len(_RUN_CACHE) > _RUN_CACHE_SIZE:
        _RUN_CACHE.popitem(last=False)
    return countries


def _in_force(pool: Pool | None) -> Adoption | None:
    return (Adoption.objects.current().for_agency(pool)
            .select_related("run", "run__model_version", "run__model_version__model", "pool", "adopted_by")
            .first())


def adopted_ranking(agency: Pool | int | None = None, *, national_fallback: bool = True) -> AdoptedRanking:
    """How relevant is each country, by the adopted reference ranking.

    ``agency``: a pool (or its id) for that agency's own adopted run; None for the national one. An
    agency without one of its own gets the national ranking (``national_fallback`` property True)
    unless ``national_fallback=False``. When nothing is adopted the answer is falsy, with no countries
    and a ``message`` to show as it is. Not a permission check: the calling feature decides who sees
    what it derives; the ranks themselves are not personal data.
    """
    pool = Pool.objects.get(pk=agency) if isinstance(agency, int) else agency
    adoption = _in_force(pool)
    if adoption is None and pool is not None and national_fallback:
        adoption = _in_force(None)
    if adoption is None:
        if pool is not None and national_fallback:
            none = _("No country ranking is adopted for %(agency)s or nationally: a policy officer adopts a run on "
                     "its ranking page.")
        elif pool is not None:
            none = _("No country ranking is adopted for %(agency)s: a policy officer adopts a run on its ranking "
                     "page.")
        else:
            none = _("No country ranking is adopted nationally: a policy officer adopts a run on its ranking page.")
        return AdoptedRanking(pool, None, {}, none % {"agency": pool.name} if pool is not None else none)
    facts = {"run": adoption.run_id, "date": f"{timezone.localtime(adoption.adopted_at):%Y-%m-%d}"}
    if adoption.pool_id is None:
        message = _("Country relevance from the national ranking: run %(run)s, adopted %(date)s.") % facts
    else:
        message = _("Country relevance from the ranking of %(agency)s: run %(run)s, adopted %(date)s.") % {
            **facts, "agency": adoption.pool.name}
    return AdoptedRanking(pool, adoption, _countries_of(adoption.run), message)


def current_adoptions() -> list[Adoption]:
    """The adoptions in force, national first, then agencies by name (one query)."""
    rows = list(Adoption.objects.current().select_related(
        "run", "run__model_version", "run__model_version__model", "pool", "adopted_by"))
    return sorted(rows, key=lambda a: (a.pool_id is not None, a.pool.name if a.pool_id else ""))


def adoption_history(pool: Pool | None = None, *, every_agency: bool = False):
    """Every adoption of an agency (or of all, with ``every_agency``), newest first."""
    rows = Adoption.objects.all() if every_agency else Adoption.objects.for_agency(pool)
    return rows.select_related("run", "run__model_version", "run__model_version__model", "pool", "adopted_by",
                               "ended_by").order_by("-adopted_at", "-id")


def _clean_reason(reason) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for this decision.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("At most %(count)s characters.") % {"count": f"{MAX_REASON:,}"}]})
    return reason


def _require_adopter(actor, pool: Pool | None) -> None:
    if actor is not None and not access.can_adopt_ranking(actor, pool):
        raise PermissionDenied(_("Only a policy officer responsible for the national ranking adopts it.") if pool is None
                               else _("Only a policy officer responsible for the ranking of %(agency)s adopts it.")
                               % {"agency": pool.name})


def adopt_run(*, actor, run: PriorityRun, pool: Pool | None = None, reason: str) -> Adoption:
    """Adopt ``run`` as the reference ranking of ``pool`` (None: national).

    Steps: 1. check the actor may adopt for that agency; 2. validate the reason and that the run
    ranked countries and is not already the one in force; 3. one transaction: lock the agency's
    adoption in force, end it (kept as history), create the new one; 4. audit the end and the
    adoption; 5. the answer of adopted_ranking changes from the next call.
    """
    _require_adopter(actor, pool)
    reason = _clean_reason(reason)
    if run.status != PriorityRun.Status.DONE or not run.country_count:
        raise ValidationError({"run": [_("Run %(run)s ranked no country; adopt a completed run.") % {"run": run.pk}]})
    with transaction.atomic():
        previous = Adoption.objects.select_for_update().current().for_agency(pool).first()
        if previous is not None and previous.run_id == run.pk:
            raise ValidationError({"run": [_("Run %(run)s is already %(ranking)s.") % {
                "run": run.pk, "ranking": previous.ranking_name}]})
        now = timezone.now()
        if previous is not None:
            _end(actor, previous, now, f"Replaced by run {run.pk}.")
        adoption = Adoption(run=run, pool=pool, reason=reason, adopted_by=_user(actor), adopted_at=now)
        adoption.full_clean()
        adoption.save()
        record(actor=actor, action=AuditEntry.Action.ADOPT, obj=adoption, fields=["run", "pool", "reason"],
               detail={"run": run.pk, "agency": pool.code if pool else "national", "reason": reason,
                       "replaces_run": previous.run_id if previous else None})
    return adoption


def withdraw_adoption(*, actor, pool: Pool | None = None, reason: str) -> Adoption:
    """End the adoption in force of ``pool`` (None: national), leaving none adopted.

    Steps: 1. permission; 2. validate the reason; 3. one transaction: lock the adoption in force
    (ValidationError when there is none) and end it; 4. audit.
    """
    _require_adopter(actor, pool)
    reason = _clean_reason(reason)
    with transaction.atomic():
        adoption = Adoption.objects.select_for_update().current().for_agency(pool).first()
        if adoption is None:
            raise ValidationError({"pool": [_("No ranking is adopted there; nothing to withdraw.")]})
        _end(actor, adoption, timezone.now(), reason)
    return adoption


def _end(actor, adoption: Adoption, when, reason: str) -> None:
    adoption.ended_at, adoption.ended_by, adoption.end_reason = when, _user(actor), reason
    adoption.save(update_fields=["ended_at", "ended_by", "end_reason"])
    record(actor=actor, action=AuditEntry.Action.UPDATE, obj=adoption, fields=["ended_at"],
           changes={"ended_at": (None, when.isoformat())}, detail={"run": adoption.run_id, "reason": reason})


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
