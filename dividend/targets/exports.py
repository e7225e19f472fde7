"""Exporters of the targets app: headers + rows, rendered by dividend.common's CSV/XLSX renderers."""

from django.utils.translation import gettext as _

from dividend.common.exports import Table

from .models import FIGURE_LABELS, FIGURES, format_value


def _met(met) -> str:
    if met is None:
        return _("no figure")
    return _("met") if met else _("not met")


def status_table(year: int, statuses) -> Table:
    """One row per target and month with a snapshot: the target, the actual and whether it is met."""
    headers = [_("Year"), _("Pool"), _("What"), _("Measure"), _("Bound"), _("Target"), _("Month"), _("Actual"),
               _("Met")]

    def rows():
        for status in statuses:
            t = status.target
            head = [t.year, t.where, t.get_kind_display(), t.get_measure_display(), t.get_bound_display(),
                    format_value(t.value, t.measure)]
            if not status.series:
                yield [*head, "", "", _("no snapshot yet")]
            for point in status.series:
                yield [*head, f"{point.month:%Y-%m}", format_value(point.actual, t.measure), _met(point.met)]

    return Table(title=_("Targets %(year)s") % {"year": year}, headers=headers, rows=rows())


def snapshot_table(snapshots) -> Table:
    headers = [_("Month"), _("Pool"), *[str(FIGURE_LABELS[name]) for name in FIGURES], _("Taken"), _("Recomputed")]
    rows = ([f"{s.month:%Y-%m}", s.pool.name if s.pool_id else _("national"), *[getattr(s, name) for name in FIGURES],
             f"{s.taken_at:%Y-%m-%d %H:%M}", f"{s.recomputed_at:%Y-%m-%d %H:%M}" if s.recomputed_at else ""]
            for s in snapshots)
    return Table(title=_("Monthly snapshots"), headers=headers, rows=rows)
