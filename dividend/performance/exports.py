"""The export of a mission's indicator values: one row per value with its indicator, period and
source (no personal data: who entered it is in the audit log, not here). Rendered by
dividend/common's CSV and XLSX renderers."""

from django.utils.translation import gettext as _

from dividend.common.exports import Table

from .models import IndicatorValue


def values_table(mission) -> Table:
    values = IndicatorValue.objects.filter(indicator__mission=mission).select_related("indicator").order_by(
        "indicator__level", "indicator_id", "period_start", "id")
    headers = [_("mission"), _("indicator id"), _("result level"), _("indicator"), _("unit"), _("baseline"),
               _("target"), _("direction"), _("indicator status"), _("period from"), _("period to"), _("value"),
               _("source")]
    rows = [[mission.acronym, v.indicator_id, v.indicator.get_level_display(), v.indicator.text, v.indicator.unit,
             v.indicator.baseline, v.indicator.target, v.indicator.get_direction_display(),
             v.indicator.get_status_display(), v.period_start.isoformat(), v.period_end.isoformat(), v.value, v.source]
            for v in values]
    return Table(_("Indicator values"), headers, rows)
