"""Accountability's part of the subject access report (see roster.subject_access): the scorecard
model versions and portfolio runs a person's account recorded. Scorecards themselves are derived on
every read and stored nowhere."""

from dividend.roster.subject_access import Section, register_subject_data

from .models import PortfolioRun, ScorecardModel


def accountability_sections(officer) -> list[Section]:
    if officer.user_id is None:
        return []
    user_id = officer.user_id
    acted = [["scorecard model", f"v{m.version}", m.set_at]
             for m in ScorecardModel.objects.filter(set_by_id=user_id).order_by("id")]
    acted += [["portfolio run", str(r.pk), r.created_at]
              for r in PortfolioRun.objects.filter(created_by_id=user_id).order_by("id")]
    return [Section("Accountability work recorded", ["kind", "reference", "when"], acted)] if acted else []


register_subject_data("accountability", accountability_sections, covers=[
    "accountability.scorecardmodel.set_by", "accountability.portfoliorun.created_by",
])
