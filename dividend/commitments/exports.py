"""Exporters of the commitments app: headers + rows, rendered by dividend.common's CSV/XLSX renderers.
Neither names a person: assignments have owners (authorities), the budget is sums."""

from django.utils.translation import gettext as _

from dividend.common.exports import Table


def assignment_table(assignments, *, today) -> Table:
    headers = [_("Year"), _("Document"), _("Pool"), _("Assignment"), _("Owner"), _("Report back by"), _("Status"),
               _("Overdue")]
    rows = ([a.document.year, a.document.title, a.document.pool.name if a.document.pool_id else _("national"), a.text,
             a.owner, a.report_back_on.isoformat(), a.get_status_display(), _("yes") if a.is_overdue(today) else ""]
            for a in assignments.order_by("-document__year", "document__title", "report_back_on", "pk"))
    return Table(title=_("Assignments"), headers=headers, rows=list(rows))


def budget_table(spending: list[dict]) -> Table:
    """One row per budget line: budget, committed, paid, remaining, share used."""
    headers = [_("Year"), _("Pool"), _("Line"), _("Kind"), _("Budget (EUR)"), _("Committed (EUR)"), _("Paid (EUR)"),
               _("Remaining (EUR)"), _("Used (%)")]
    rows = []
    for group in spending:
        for p in group["positions"]:
            rows.append([p.line.year, group["pool"].name if group["pool"] else _("national"), p.line.title,
                         p.line.get_kind_display(), p.line.amount, p.committed, p.paid, p.remaining,
                         "" if p.used_percent is None else p.used_percent])
    return Table(title=_("Budget"), headers=headers, rows=rows)
