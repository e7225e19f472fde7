"""Adopted rankings: who adopts for which agency, the history, the audit, and adopted_ranking()."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.priorities import services
from dividend.priorities.adoption import adopt_run, adopted_ranking, current_adoptions, withdraw_adoption
from dividend.priorities.models import Adoption

from ..factories import make_pool, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_run(small_model, policy):
    run, _ = services.start_run(actor=policy, version=small_model.current_version, draws=0, label="second")
    return run


def test_nothing_adopted_is_a_plain_answer(small_run):
    answer = adopted_ranking()
    assert (bool(answer), answer.adopted, answer.countries, answer.run, answer.message) == (
        False, False, {}, None,
        "No country ranking is adopted nationally: a policy officer adopts a run on its ranking page.")


def test_adopting_makes_the_run_the_answer_with_ranks_and_scores(small_run, policy):
    adoption = adopt_run(actor=policy, run=small_run, reason="Strategy 2027")
    answer = adopted_ranking()
    first = min(answer.countries.values(), key=lambda c: c.rank)
    last = max(answer.countries.values(), key=lambda c: c.rank)
    top = small_run.countries.get(rank=1)
    assert (answer.adoption, answer.run, len(answer.countries), first.iso3, first.score, first.relative,
            last.relative, answer.rank(top.iso3.lower()), answer.score("ZZZ"), answer.national_fallback) == (
        adoption, small_run, small_run.country_count, top.iso3, top.score, 1.0, 0.0, 1, None, False)


def test_the_adopted_run_gives_its_model_s_thematic_weights_for_every_theme(small_run, policy):
    """Position relevance weighs a mission's themes by these (docs/selection.md): the small model
    weighs THB 2 and drugs 1; every other priority theme 0; nothing adopted: none."""
    assert adopted_ranking().theme_weights == {}
    adopt_run(actor=policy, run=small_run, reason="Strategy 2027")
    weights = adopted_ranking().theme_weights
    assert {t: w for t, w in weights.items() if w} == {"trafficking_in_human_beings": 2.0, "drugs": 1.0}
    assert len(weights) == 9


def test_a_new_adoption_keeps_the_previous_as_history_and_is_audited(small_run, second_run, policy):
    first = adopt_run(actor=policy, run=small_run, reason="Strategy 2027")
    second = adopt_run(actor=policy, run=second_run, reason="New data")
    first.refresh_from_db()
    assert (first.ended_at == second.adopted_at, first.ended_by, first.end_reason, second.ended_at) == (
        True, policy, f"Replaced by run {second_run.pk}.", None)
    assert list(Adoption.objects.current()) == [second]
    assert adopted_ranking().run == second_run
    entries = AuditEntry.objects.filter(object_type="priorities.adoption").order_by("id")
    assert [(e.action, e.object_id, e.detail.get("replaces_run")) for e in entries] == [
        ("adopt", str(first.pk), None), ("update", str(first.pk), None), ("adopt", str(second.pk), small_run.pk)]


def test_agencies_keep_their_own_and_fall_back_to_the_national(small_run, second_run, policy):
    police, kmar = make_pool("police", name="National Police"), make_pool("kmar", name="Royal Marechaussee")
    adopt_run(actor=policy, run=small_run, reason="National strategy")
    own = adopt_run(actor=policy, run=second_run, pool=police, reason="Police strategy")
    assert (adopted_ranking(police).adoption, adopted_ranking(police.pk).run, adopted_ranking().run) == (
        own, second_run, small_run)
    fallback = adopted_ranking(kmar)
    assert (fallback.run, fallback.national_fallback, bool(adopted_ranking(kmar, national_fallback=False))) == (
        small_run, True, False)
    assert [a.agency_name for a in current_adoptions()] == ["National", "National Police"]


def test_who_may_adopt(small_run, policy):
    pool, other = make_pool("alpha"), make_pool("beta")
    pool_policy = make_user(Role.POLICY_OFFICER, pools=[pool])
    admin = make_user(Role.ADMINISTRATOR, national=True)
    with pytest.raises(PermissionDenied):
        adopt_run(actor=pool_policy, run=small_run, reason="r")  # national: national policy officers only
    with pytest.raises(PermissionDenied):
        adopt_run(actor=pool_policy, run=small_run, pool=other, reason="r")
    with pytest.raises(PermissionDenied):
        adopt_run(actor=admin, run=small_run, pool=pool, reason="r")
    adopt_run(actor=pool_policy, run=small_run, pool=pool, reason="ours")
    assert Adoption.objects.count() == 1


@pytest.mark.parametrize(("reason", "message"), [
    ("  ", "Give the reason for this decision."),
    ("x" * 2001, "At most 2,000 characters."),
])
def test_a_reason_is_needed(small_run, policy, reason, message):
    with pytest.raises(ValidationError) as caught:
        adopt_run(actor=policy, run=small_run, reason=reason)
    assert (caught.value.message_dict, Adoption.objects.count()) == ({"reason": [message]}, 0)


def test_adopting_the_run_in_force_again_and_withdrawing_nothing_are_refused(small_run, policy):
    adopt_run(actor=policy, run=small_run, reason="once")
    with pytest.raises(ValidationError) as caught:
        adopt_run(actor=policy, run=small_run, reason="twice")
    assert caught.value.message_dict == {"run": [f"Run {small_run.pk} is already the national reference ranking."]}
    withdraw_adoption(actor=policy, reason="Strategy under review")
    assert (bool(adopted_ranking()), Adoption.objects.get().end_reason) == (False, "Strategy under review")
    with pytest.raises(ValidationError) as caught:
        withdraw_adoption(actor=policy, reason="again")
    assert caught.value.message_dict == {"pool": ["No ranking is adopted there; nothing to withdraw."]}


THREAT_MODEL = """\
format_version: 1
id: threats
name: Threat levels with market data
version: "1"
home_country: BEL
countries: [COL, MEX, NGA, AFG, SRB, ALB, MAR, TUR, UKR, BRA, PER, VEN]
index:
  id: relevance
  children:
    - {id: cocaine, dataset: goci, column: Cocaine trade, year: 2023, direction: higher_is_more_relevant,
       normalisation: {method: goalposts, min: 1, max: 10}}
    - {id: threat_drugs, label: Drugs threat level, dataset: threat_drugs, column: value, year: {latest_up_to: 2025},
       direction: higher_is_more_relevant, normalisation: {method: goalposts, min: 1, max: 4}}
themes:
  weights: {drugs: 1}
  indicators: {drugs: [cocaine, threat_drugs]}
"""


def test_a_threat_assessment_template_is_a_dataset_a_model_uses_like_any_indicator(policy):
    from dividend.priorities.engine import MODEL_DIR

    template = MODEL_DIR.parent / "examples" / "threat_levels_drugs.csv"
    services.upload_dataset(actor=policy, name="threat_drugs", content=template.read_bytes(),
                            filename=template.name, description="Drugs threat level (illustrative)")
    model = services.create_model(actor=policy, name="threats", text=THREAT_MODEL, home_country="BEL")
    run, _ = services.start_run(actor=policy, version=model.current_version)
    colombia = run.countries.get(iso3="COL")
    assert (run.country_count, colombia.detail["raw_values"]["threat_drugs"],
            colombia.detail["node_scores"]["threat_drugs"], colombia.detail["value_years"]["threat_drugs"]) == (
        12, 4.0, 1.0, 2025)


def test_asking_again_costs_one_query(small_run, policy, django_assert_num_queries):
    adopt_run(actor=policy, run=small_run, reason="Strategy 2027")
    second = small_run.countries.get(rank=2).iso3
    adopted_ranking()
    with django_assert_num_queries(1):  # the adoption in force; the run's rows are kept
        assert adopted_ranking().rank(second) == 2
