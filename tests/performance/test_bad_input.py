"""Bad input: a clear message on the field at fault and nothing saved (no row, no audit entry)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dividend.audit.models import AuditEntry
from dividend.performance import services
from dividend.performance.forms import AssessmentForm, IndicatorForm, ValueForm
from dividend.performance.models import Area, AreaRating, Assessment, Indicator, IndicatorValue

from .conftest import BASELINE, INDICATOR, add_value, assess, make_indicator, ratings

pytestmark = pytest.mark.django_db


def _counts():
    return (Indicator.objects.count(), IndicatorValue.objects.count(), Assessment.objects.count(),
            AreaRating.objects.count(), AuditEntry.objects.count())


def _form_data(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in values.items()}


def test_a_value_period_in_the_wrong_order_is_refused(perf_world):
    indicator = make_indicator(perf_world)
    before = _counts()
    form = ValueForm(data={"period_start": "2026-06-30", "period_end": "2026-04-01", "value": "3",
                           "source": "CPAS report Q2"}, indicator=indicator)
    assert not form.is_valid()
    assert form.errors["period_end"] == [
        "The period ends on 2026-04-01, before it starts on 2026-06-30: give the period in order."]
    with pytest.raises(ValidationError):
        services.save_value(actor=perf_world["users"]["policy"], indicator=indicator, period_start=dt.date(2026, 6, 30),
                            period_end=dt.date(2026, 4, 1), value=3, source="CPAS report Q2")
    assert _counts() == before


def test_a_value_without_source_is_refused(perf_world):
    indicator = make_indicator(perf_world)
    before = _counts()
    form = ValueForm(data={"period_start": "2026-04-01", "period_end": "2026-06-30", "value": "3", "source": "  "},
                     indicator=indicator)
    assert not form.is_valid()
    assert form.errors["source"] == ["Name the source of the value: the mission's CPAS report of the quarter, a "
                                     "document reference or a link."]
    assert _counts() == before


def test_a_value_without_source_and_without_number_names_both(perf_world):
    form = ValueForm(data={"period_start": "2026-04-01", "period_end": "2026-06-30", "value": "many", "source": ""},
                     indicator=make_indicator(perf_world))
    assert not form.is_valid()
    assert set(form.errors) == {"value", "source"}


def test_overlapping_periods_are_refused(perf_world):
    indicator = make_indicator(perf_world)
    add_value(perf_world, indicator, dt.date(2026, 1, 1), dt.date(2026, 3, 31), 30)
    before = _counts()
    form = ValueForm(data={"period_start": "2026-03-01", "period_end": "2026-05-31", "value": "31", "source": "X"},
                     indicator=indicator)
    assert not form.is_valid()
    assert form.errors["period_start"] == [
        "The indicator has a value for 2026-01-01 – 2026-03-31 already: periods may not overlap."]
    assert _counts() == before


def test_a_target_on_the_wrong_side_of_the_baseline_is_refused(perf_world):
    form = IndicatorForm(data=_form_data(INDICATOR | {"target": 10}))  # higher is better, baseline 20
    assert not form.is_valid()
    assert form.errors["target"] == ["Higher is better, so the target (10) must be above the baseline (20)."]
    form = IndicatorForm(data=_form_data(INDICATOR | {"direction": "decrease", "target": 30}))
    assert form.errors["target"] == ["Lower is better, so the target (30) must be below the baseline (20)."]


def test_a_target_date_before_the_baseline_is_refused(perf_world):
    form = IndicatorForm(data=_form_data(INDICATOR | {"target_date": dt.date(2024, 1, 1)}))
    assert form.errors["target_date"] == ["The target date (2024-01-01) must come after the baseline date (2025-01-01)."]


def test_an_indicator_on_a_mission_the_country_does_not_contribute_to_is_refused(perf_world):
    before = _counts()
    with pytest.raises(ValidationError, match="EUPLAN has no secondment that took place"):
        make_indicator(perf_world, mission=perf_world["missions"][2])
    assert _counts() == before


def _assessment_data(kind, on, values: dict, **overrides) -> dict:
    data = {"kind": kind, "assessed_on": on, "note": ""}
    for area, rating in values.items():
        data |= {f"{area}_rating": str(rating), f"{area}_narrative": "N", f"{area}_source": "S"}
    return data | overrides


def test_a_rating_outside_the_scale_is_refused(perf_world):
    form = AssessmentForm(data=_assessment_data("baseline", "2025-03-01", BASELINE, threats_rating="5"))
    assert not form.is_valid()
    assert form.errors["threats_rating"] == ["Threats, risks and vulnerabilities: the rating is 0 to 4 on the scale."]
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE | {Area.THREATS: 7})
    assert refused.value.message_dict["threats"] == [
        "Threats, risks and vulnerabilities: the rating is 0 to 4 on the scale, not 7."]
    assert _counts() == before


def test_a_rating_without_narrative_or_source_is_refused(perf_world):
    form = AssessmentForm(data=_assessment_data("baseline", "2025-03-01", BASELINE, stakeholders_source=""))
    assert not form.is_valid()
    assert form.errors["stakeholders_rating"] == ["Stakeholders: name the source of the rating."]


def test_a_baseline_rates_every_area(perf_world):
    values = {a: r for a, r in BASELINE.items() if a != Area.TRUST}
    form = AssessmentForm(data=_assessment_data("baseline", "2025-03-01", values))
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "The baseline rates every area; missing: Population's trust in the border authorities."]


def test_one_baseline_per_mission_and_later_assessments_after_it(perf_world):
    assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE)
    before = _counts()
    with pytest.raises(ValidationError, match="has its baseline"):
        assess(perf_world, "baseline", dt.date(2025, 6, 1), BASELINE)
    with pytest.raises(ValidationError, match="comes after the baseline of 2025-03-01"):
        assess(perf_world, "follow_up", dt.date(2025, 1, 1), {Area.TRUST: 3})
    assert _counts() == before


def test_a_later_assessment_needs_a_baseline_first(perf_world):
    with pytest.raises(ValidationError, match="baseline needs assessment first"):
        assess(perf_world, "follow_up", dt.date(2026, 1, 1), {Area.TRUST: 3})


def test_no_needs_assessment_for_a_mission_without_border_management(perf_world):
    with pytest.raises(ValidationError, match="not a border-management mission"):
        assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE, mission=perf_world["missions"][1])


def test_the_assessment_page_refuses_a_rating_outside_the_scale_and_saves_nothing(client, perf_world):
    client.force_login(perf_world["users"]["policy"])
    before = _counts()
    response = client.post(f"/performance/missions/{perf_world['missions'][0].pk}/border/new/",
                           _assessment_data("baseline", "2025-03-01", BASELINE, legislative_framework_rating="9"))
    assert response.status_code == 400
    assert "Legislative framework: the rating is 0 to 4 on the scale." in response.content.decode()
    assert _counts() == before


def test_the_values_page_refuses_a_value_without_source_and_keeps_what_was_typed(client, perf_world):
    indicator = make_indicator(perf_world)
    client.force_login(perf_world["users"]["analyst"])
    before = _counts()
    response = client.post(f"/performance/indicators/{indicator.pk}/values/",
                           {"period_start": "2026-04-01", "period_end": "2026-06-30", "value": "41.5", "source": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Name the source of the value" in body and 'value="41.5"' in body
    assert _counts() == before


def test_the_api_refuses_a_period_in_the_wrong_order(client, perf_world):
    indicator = make_indicator(perf_world)
    client.force_login(perf_world["users"]["policy"])
    before = _counts()
    response = client.post(f"/api/performance/indicators/{indicator.pk}/values", content_type="application/json",
                           data={"period_start": "2026-06-30", "period_end": "2026-04-01", "value": 3, "source": "Q2"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"period_end": [
        "The period ends on 2026-04-01, before it starts on 2026-06-30: give the period in order."]}
    assert _counts() == before


def test_the_api_refuses_an_unknown_area(client, perf_world):
    client.force_login(perf_world["users"]["policy"])
    response = client.post(f"/api/performance/missions/{perf_world['missions'][0].pk}/assessments",
                           content_type="application/json",
                           data={"kind": "baseline", "assessed_on": "2025-03-01",
                                 "ratings": {"weather": {"rating": 2, "narrative": "N", "source": "S"}}})
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["Unknown areas: weather."]}


def test_an_unchanged_indicator_saves_nothing(perf_world):
    indicator = make_indicator(perf_world)
    before = _counts()
    _same, changed = services.save_indicator(actor=perf_world["users"]["policy"], indicator=indicator, **INDICATOR)
    assert changed == [] and _counts() == before


def test_an_unchanged_assessment_saves_nothing(perf_world):
    baseline = assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE)
    before = _counts()
    _same, changed = services.save_assessment(actor=perf_world["users"]["policy"], assessment=baseline, kind="baseline",
                                              assessed_on=dt.date(2025, 3, 1), note="", ratings=ratings(BASELINE))
    assert changed == [] and _counts() == before
