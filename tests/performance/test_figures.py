"""Exact figures on a small known dataset: progress of each indicator, the mission summary the
accountability app reads, and the border-management progress per area."""

import datetime as dt
from decimal import Decimal

import pytest

from dividend.performance import services
from dividend.performance.models import Area, Assessment, Indicator

from .conftest import BASELINE, LATER, add_value, assess, make_indicator

pytestmark = pytest.mark.django_db

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_progress_is_the_latest_value_s_share_of_the_way_from_baseline_to_target(perf_world):
    indicator = make_indicator(perf_world)  # 20 → 60 %, higher is better
    add_value(perf_world, indicator, *Q2, 45)
    add_value(perf_world, indicator, *Q1, 30)  # entered later, for an earlier period
    progress = services.indicator_progress(indicator)
    assert (progress.latest_value, progress.progress, progress.met) == (Decimal("45.00"), 62.5, False)


def test_a_decreasing_indicator_meets_its_target_below_it(perf_world):
    indicator = make_indicator(perf_world, text="Days to process an asylum request at the border", unit="days",
                               direction="decrease", baseline=90, target=30)
    add_value(perf_world, indicator, *Q1, 27)
    progress = services.indicator_progress(indicator)
    assert (progress.progress, progress.met) == (105.0, True)


def test_an_indicator_without_values_has_no_progress(perf_world):
    progress = services.indicator_progress(make_indicator(perf_world))
    assert (progress.latest, progress.progress, progress.met) == (None, None, None)


def test_mission_summary_in_figures(perf_world):
    eubam = perf_world["missions"][0]
    sa, sb, _sc = perf_world["secondments"]
    first = make_indicator(perf_world)  # 20 → 60: latest 45 → 62.5 %
    add_value(perf_world, first, *Q1, 45)
    second = make_indicator(perf_world, level="output", text="Officers trained", unit="officers", baseline=0,
                            target=200)  # latest 250 → 125 %, met
    add_value(perf_world, second, *Q2, 250)
    make_indicator(perf_world, level="impact", text="Seizures of smuggled goods", unit="cases")  # no value
    retired = make_indicator(perf_world, text="Dropped")
    services.set_indicator_status(actor=perf_world["users"]["policy"], indicator=retired, status="retired")
    coordinator = perf_world["users"]["coordinator_national"]
    services.add_contribution(actor=coordinator, indicator=first, secondment=sa, description="Trained trainers.")
    services.add_contribution(actor=coordinator, indicator=second, secondment=sa, description="Ran the course.")
    services.add_contribution(actor=coordinator, indicator=second, secondment=sb, description="Mentored.")
    assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE)
    summary = services.mission_performance_summary(eubam)
    assert {k: v for k, v in summary.items() if k != "border"} == {
        "mission_id": eubam.pk, "acronym": "EUBAM", "contributes": True, "indicators": 3, "retired": 1,
        "by_level": {"output": 1, "outcome": 1, "impact": 1}, "with_values": 2, "targets_met": 1,
        "mean_progress": 93.8, "latest_period_end": Q2[1], "contributions": 3, "contributing_secondments": 2,
        "border_management": True}
    assert summary["border"]["baseline_on"] == dt.date(2025, 3, 1)
    assert summary["border"]["latest_on"] is None
    assert summary["border"]["not_reassessed"] == 9


def test_a_mission_without_records_has_no_figures_invented(perf_world):
    summary = services.mission_performance_summary(perf_world["missions"][1])  # EUCAP: nothing recorded
    assert (summary["indicators"], summary["with_values"], summary["mean_progress"], summary["latest_period_end"],
            summary["border_management"], summary["border"]) == (0, 0, None, None, False, None)


def test_a_border_mission_without_baseline_has_no_border_figures(perf_world):
    assert services.mission_performance_summary(perf_world["missions"][0])["border"] is None


def test_border_progress_per_area(perf_world):
    assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE)
    assess(perf_world, "follow_up", dt.date(2026, 3, 1), LATER)
    assess(perf_world, "follow_up", dt.date(2026, 9, 1), {Area.LEGISLATIVE: 4})  # the latest revisits one area
    progress = services.border_progress(perf_world["missions"][0])
    table = {a.area: (a.baseline, a.latest, a.change) for a in progress.areas}
    assert table == {
        "legislative_framework": (1, 4, 3), "institutional_framework": (2, None, None),
        "capacity_building": (1, 2, 1), "operational_work": (2, 2, 0), "infrastructure_equipment": (0, 1, 1),
        "absorption_capacity": (2, None, None), "threats": (1, None, None), "stakeholders": (3, None, None),
        "population_trust": (2, 1, -1)}
    assert progress.latest_on == dt.date(2026, 9, 1)
    border = services.mission_performance_summary(perf_world["missions"][0])["border"]
    assert (border["improved"], border["unchanged"], border["worsened"], border["not_reassessed"]) == (3, 1, 1, 4)
    assert [a.kind for a in progress.assessments] == [Assessment.Kind.BASELINE, "follow_up", "follow_up"]


def test_contributed_missions_are_those_with_a_secondment_that_took_place(perf_world):
    from dividend.performance.models import contributed_missions

    assert sorted(contributed_missions().values_list("acronym", flat=True)) == ["EUBAM", "EUCAP"]


def test_indicator_status_moves_both_ways_and_a_retired_one_takes_no_value(perf_world):
    from django.core.exceptions import ValidationError

    policy = perf_world["users"]["policy"]
    indicator = make_indicator(perf_world)
    services.set_indicator_status(actor=policy, indicator=indicator, status="retired")
    with pytest.raises(ValidationError, match="retired"):
        add_value(perf_world, indicator, *Q1, 30)
    with pytest.raises(ValidationError, match="cannot become"):
        services.set_indicator_status(actor=policy, indicator=indicator, status="retired")
    services.set_indicator_status(actor=policy, indicator=indicator, status="active")
    assert Indicator.objects.get(pk=indicator.pk).status == "active"
    add_value(perf_world, indicator, *Q1, 30)
