"""The dividend scorecard on the known dataset (conftest): each part, the missing ones, the total."""

import datetime as dt

import pytest

from dividend.accountability import scorecard
from dividend.careers.models import FollowUp
from dividend.secondments.models import Secondment

from . import scorecard_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return scorecard_data.build()
TODAY = dt.date(2025, 4, 30)


def card_of(secondment):
    qs = Secondment.objects.filter(pk=secondment.pk).select_related("position")
    return scorecard.secondment_scorecards(qs, today=TODAY)[0]


def values(card):
    return {p.part: p.value for p in card.parts}


def test_each_part_of_a_returned_secondment(known):
    card = card_of(known["sa"])
    assert values(card) == {
        "relevance": 0.8,  # the position's relevance 80 / 100
        "reports_contributed": 0.75,  # 3 of 4 expected (120 days)
        "reports_cited": 0.3333,  # 1 of 3 cited in a published product (the draft's citation not)
        "objectives_met": 0.6667,  # the supervisor's ratings 3, 2, 2 against targets 3, 3, 2
        "skills_used": None,  # no follow-up: MISSING
        "expertise_added": 0.6667,  # host country, themes; no contacts shared (no debriefing)
        "reintegration": 0.0,  # returned, not reintegrated
    }


def test_total_over_the_parts_present_with_the_missing_part_counted(known):
    total = card_of(known["sa"]).total
    # (25×0.8 + 10×0.75 + 15×0.3333 + 15×0.6667 + 10×0.6667 + 15×0) ÷ 90 × 100 (skills used missing: its 10 left out)
    assert (total.value, total.missing, total.weight_present) == (54.63, 1, 0.9)


def test_each_part_says_where_it_comes_from(known):
    card = card_of(known["sa"])
    assert card.part("relevance").source.url == f"/selection/positions/{known['position'].pk}/relevance/"
    assert card.part("objectives_met").source.url == f"/careers/secondments/{known['sa'].pk}/"
    assert "3 reports over 120 days deployed, 4 expected" in card.part("reports_contributed").detail
    assert all(p.source.text for p in card.parts)


def test_a_deployed_secondment_misses_what_comes_after_return(known):
    card = card_of(known["sb"])
    assert values(card) == {"relevance": 0.8, "reports_contributed": 0.0, "reports_cited": None,
                            "objectives_met": None, "skills_used": None, "expertise_added": None,
                            "reintegration": None}
    # (25×0.8 + 10×0) ÷ 35
    assert (card.total.value, card.total.missing) == (57.14, 5)


def test_reintegrated_with_skills_taken_into_account_and_a_follow_up(known):
    sa = known["sa"]
    sa.status = Secondment.Status.REINTEGRATED
    sa.save()
    FollowUp.objects.create(secondment=sa, skills_used=["leadership"], answered_at=sa.start_date.isoformat() + "T00:00Z")
    card = card_of(sa)
    assert (card.part("reintegration").value, card.part("skills_used").value) == (0.5, 1.0)
    # (20 + 7.5 + 4.9995 + 10.0005 + 10×1 + 6.667 + 15×0.5) ÷ 100
    assert (card.total.value, card.total.missing) == (66.67, 0)


def test_no_part_present_is_not_computable():
    weights = dict(scorecard.DEFAULT_WEIGHTS)
    total = scorecard.combine({p: None for p in scorecard.PARTS}, weights)
    assert (total.value, total.computable, total.missing) == (None, False, 7)


def test_per_mission_and_per_year(known):
    policy = known["users"]["policy"]
    (mission,), _w, _r = scorecard.grouped(policy, "mission", today=TODAY)
    assert (mission.key, mission.count) == (known["mission"], 2)  # the cancelled one has no scorecard
    part = mission.part("reports_contributed")
    assert (part.value, part.present_in, part.of) == (0.375, 2, 2)  # (0.75 + 0) / 2
    assert mission.part("skills_used").value is None
    by_year, _w, _r = scorecard.grouped(policy, "year", today=TODAY)
    assert [(c.key, c.count, c.total.value) for c in by_year] == [(2025, 1, 57.14), (2024, 1, 54.63)]


def test_a_queryset_and_a_list_of_the_same_secondments_give_the_same_cards(known):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    qs = Secondment.objects.filter(pk__in=[known["sa"].pk, known["sb"].pk]).select_related("position").order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        from_queryset = scorecard.secondment_scorecards(qs, today=TODAY)
    from_list = scorecard.secondment_scorecards(list(qs), today=TODAY)
    assert [(c.secondment.pk, c.parts, c.total) for c in from_queryset] == [
        (c.secondment.pk, c.parts, c.total) for c in from_list]
    # A queryset's facts are read through it (a subquery), not by a list of ids that grows with it.
    reports = next(q["sql"] for q in queries.captured_queries if 'FROM "reports_fieldreport"' in q["sql"])
    assert reports.count("IN (SELECT") == 2


def test_a_pool_coordinator_counts_only_their_pools_secondments(known):
    (mission,), _w, _r = scorecard.grouped(known["users"]["coordinator_a"], "mission", today=TODAY)
    assert mission.count == 1


def test_weights_are_validated():
    with pytest.raises(scorecard.WeightsError) as error:
        scorecard.validate_weights({**scorecard.DEFAULT_WEIGHTS, "relevance": -1, "extra": 1})
    assert set(error.value.problems) == {"relevance", "extra"}
    with pytest.raises(scorecard.WeightsError):
        scorecard.validate_weights({p: 0 for p in scorecard.PARTS})
