"""Mission performance's part of the subject access report (see roster.subject_access): the
officer's contributions to mission indicators, and what a person's account recorded (indicators,
values, contributions, assessments)."""

from dividend.roster.subject_access import Section, register_subject_data

from .models import Assessment, Contribution, Indicator, IndicatorValue


def performance_sections(officer) -> list[Section]:
    contributions = Contribution.objects.filter(secondment__officer=officer).select_related(
        "indicator__mission").prefetch_related("reports").order_by("id")
    sections = [Section("Contributions to mission indicators", ["mission", "indicator", "secondment", "contribution",
                                                                "evidence reports", "added"],
                        [[c.indicator.mission.acronym, c.indicator.text, c.secondment_id, c.description,
                          ", ".join(f"#{r.pk}" for r in c.reports.all()), c.added_at] for c in contributions])]
    if officer.user_id is not None:
        uid = officer.user_id
        acted = [["indicator", str(i.pk), i.created_at] for i in Indicator.objects.filter(created_by_id=uid).order_by("id")]
        acted += [["indicator value", str(v.pk), v.entered_at] for v in IndicatorValue.objects.filter(
            entered_by_id=uid).order_by("id")]
        acted += [["contribution", str(c.pk), c.added_at] for c in Contribution.objects.filter(
            added_by_id=uid).exclude(secondment__officer=officer).order_by("id")]
        acted += [["border assessment", str(a.pk), a.created_at] for a in Assessment.objects.filter(
            created_by_id=uid).order_by("id")]
        sections.append(Section("Mission performance work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("performance", performance_sections, covers=[
    "performance.indicator.created_by", "performance.indicatorvalue.entered_by",
    "performance.contribution.secondment", "performance.contribution.added_by",
    "performance.assessment.created_by",
])
