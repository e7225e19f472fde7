"""Learning objectives and career plan (both confirm), the debriefing (restricted), skills
appraisals and the six-month follow-up: workflows, refusals with nothing changed, pages and API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.careers import services
from dividend.careers.models import (
    Appraisal,
    AppraisalRating,
    Debriefing,
    FollowUp,
    LearningObjective,
    LearningPlan,
)

from ..factories import complete_sign_in
from .conftest import THREE, objectives

pytestmark = pytest.mark.django_db


def _plan(w, *rows, actor="secondee", plan_text="Lead the unit's smuggling desk."):
    sa = w["secondments"][0]
    return services.set_learning_plan(actor=w["users"][actor], secondment=sa,
                                      objectives=objectives(w, *(rows or THREE)), career_plan=plan_text)


def _agreed(w):
    _plan(w)
    plan = LearningPlan.objects.get()
    services.confirm_plan(actor=w["users"]["secondee"], plan=plan, side="officer")
    services.confirm_plan(actor=w["users"]["coordinator"], plan=plan, side="supervisor")
    return LearningPlan.objects.get()


def test_the_officer_sets_three_objectives_and_the_plan(careers_world):
    assert _plan(careers_world) == ["career_plan", "objectives"]
    plan = LearningPlan.objects.get()
    assert [(o.skill.code, o.target_level) for o in plan.objectives.all()] == [
        ("criminal_investigation", 4), ("migrant_smuggling", 3), ("leadership", 3)]
    assert plan.agreed is False


def test_both_confirm_and_the_plan_is_agreed_with_an_audit_entry_each(careers_world):
    plan = _agreed(careers_world)
    assert plan.agreed
    entries = AuditEntry.objects.filter(action="decide").order_by("id")
    assert [(e.actor.username, e.detail["side"], e.detail["agreed"]) for e in entries] == [
        ("aalto", "officer", False), ("coord", "supervisor", True)]


def test_a_changed_plan_is_confirmed_again(careers_world):
    _agreed(careers_world)
    changed = _plan(careers_world, ("criminal_investigation", 4), ("migrant_smuggling", 4), ("leadership", 3))
    assert changed == ["confirmations", "objectives"]
    plan = LearningPlan.objects.get()
    assert (plan.officer_confirmed_at, plan.supervisor_confirmed_at) == (None, None)


def test_the_plan_saved_unchanged_changes_and_logs_nothing(careers_world):
    plan = _agreed(careers_world)
    before = AuditEntry.objects.count()
    assert _plan(careers_world) == []
    assert AuditEntry.objects.count() == before
    assert LearningPlan.objects.get().officer_confirmed_at == plan.officer_confirmed_at


@pytest.mark.parametrize("rows, message", [
    ((("criminal_investigation", 4), ("leadership", 3)), "Give 3 to 6 learning objectives, not 2."),
    (tuple((code, 2) for code in ("criminal_investigation", "migrant_smuggling", "leadership", "training",
                                   "cybercrime", "forensics", "drugs")), "Give 3 to 6 learning objectives, not 7."),
])
def test_too_few_or_too_many_objectives_are_refused(careers_world, rows, message):
    from dividend.reference.models import Skill

    careers_world["skills"].update({c: Skill.objects.get(code=c) for c in ("forensics", "drugs")})
    with pytest.raises(ValidationError) as error:
        _plan(careers_world, *rows)
    assert error.value.message_dict["objectives"] == [message]
    assert LearningPlan.objects.count() == 0 and LearningObjective.objects.count() == 0


def test_an_objective_without_a_skill_is_refused(careers_world):
    w = careers_world
    rows = [*objectives(w, *THREE), (None, 2)]
    with pytest.raises(ValidationError) as error:
        services.set_learning_plan(actor=w["users"]["secondee"], secondment=w["secondments"][0], objectives=rows,
                                   career_plan="x")
    assert error.value.message_dict["objectives"] == [
        "Objective 4 has no skill: tie each objective to a skill of the taxonomy."]
    assert LearningPlan.objects.count() == 0


def test_the_supervisor_may_not_confirm_as_the_officer_nor_the_officer_as_supervisor(careers_world):
    _plan(careers_world)
    plan = LearningPlan.objects.get()
    with pytest.raises(PermissionDenied):
        services.confirm_plan(actor=careers_world["users"]["coordinator"], plan=plan, side="officer")
    with pytest.raises(PermissionDenied):
        services.confirm_plan(actor=careers_world["users"]["secondee"], plan=plan, side="supervisor")
    with pytest.raises(PermissionDenied):  # an analyst of the pool supervises nothing
        services.confirm_plan(actor=careers_world["users"]["analyst"], plan=plan, side="supervisor")
    assert LearningPlan.objects.get().officer_confirmed_at is None


def test_a_review_after_the_deployment_needs_the_agreed_plan(careers_world):
    _plan(careers_world)
    plan = LearningPlan.objects.get()
    with pytest.raises(ValidationError, match="not agreed yet"):
        services.review_plan(actor=careers_world["users"]["coordinator"], plan=plan, stage="after", note="Done.")
    plan = _agreed(careers_world)
    services.review_plan(actor=careers_world["users"]["coordinator"], plan=plan, stage="after", note="Reached.")
    with pytest.raises(ValidationError) as error:  # she is back: no review "during"
        services.review_plan(actor=careers_world["users"]["coordinator"], plan=plan, stage="during", note="x")
    assert error.value.message_dict == {"stage": ["A review during the deployment needs a deployed secondment."]}
    assert [r.stage for r in plan.reviews.all()] == ["after"]


# --- Debriefing --------------------------------------------------------------------------------

DEBRIEF = {"mandate_implementation": "Mentored the border police.", "host_country_context": "Coup in 2023.",
           "networks_built": "Director of the judicial police, Niamey.", "lessons_learned": "Learn Hausa.",
           "contacts": "Judicial police Niamey; IOM Agadez"}


def test_the_officer_writes_the_debriefing_and_the_log_names_restricted_fields_only_as_changed(careers_world):
    w = careers_world
    changed = services.save_debriefing(actor=w["users"]["secondee"], secondment=w["secondments"][0], **DEBRIEF)
    assert changed == sorted(DEBRIEF)
    entry = AuditEntry.objects.filter(object_type="careers.debriefing").get()
    assert "Director" not in json.dumps(entry.detail) and "Coup" not in json.dumps(entry.detail)
    assert entry.detail["changes"]["contacts"] == {"old": None, "new": "Judicial police Niamey; IOM Agadez"}


def test_a_national_coordinator_may_not_write_or_read_the_debriefing(careers_world, client):
    w = careers_world
    with pytest.raises(PermissionDenied):
        services.save_debriefing(actor=w["users"]["coordinator_national"], secondment=w["secondments"][0], **DEBRIEF)
    services.save_debriefing(actor=w["users"]["coordinator"], secondment=w["secondments"][0], **DEBRIEF)
    client.force_login(w["users"]["coordinator_national"])
    complete_sign_in(client, w["users"]["coordinator_national"])
    page = client.get(f"/careers/secondments/{w['secondments'][0].pk}/").content.decode()
    assert "A debriefing is on record" in page and "Mentored" not in page and "Coup" not in page
    assert client.get(f"/careers/secondments/{w['secondments'][0].pk}/debriefing/").status_code == 403
    api = client.get(f"/api/careers/secondments/{w['secondments'][0].pk}").json()["debriefing"]
    assert api == {"id": Debriefing.objects.get().pk, "exists": True, "restricted": True, "mandate_implementation": "",
                   "host_country_context": "", "networks_built": "", "lessons_learned": "",
                   "contacts": "Judicial police Niamey; IOM Agadez"}


def test_a_debriefing_with_an_empty_section_is_refused(careers_world):
    w = careers_world
    with pytest.raises(ValidationError) as error:
        services.save_debriefing(actor=w["users"]["secondee"], secondment=w["secondments"][0],
                                 **(DEBRIEF | {"lessons_learned": "  "}))
    assert error.value.message_dict == {"lessons_learned": ["Fill in this section."]}
    assert Debriefing.objects.count() == 0


# --- Appraisal ---------------------------------------------------------------------------------

def _ratings(value=3):
    plan = LearningPlan.objects.get()
    keys = [f"objective:{o.pk}" for o in plan.objectives.all()]
    return {k: value for k in keys} | {code: value for code in ("leadership", "intercultural_competence",
                                                                 "responsibility", "investigation_methods",
                                                                 "transnational_crime", "country_knowledge")}


def test_self_and_supervisor_rate_before_and_after(careers_world):
    w = careers_world
    _agreed(w)
    sa = w["secondments"][0]
    for stage in ("before", "after"):
        services.save_appraisal(actor=w["users"]["secondee"], secondment=sa, stage=stage, rater="self",
                                ratings=_ratings(2 if stage == "before" else 3))
        services.save_appraisal(actor=w["users"]["hr"], secondment=sa, stage=stage, rater="supervisor",
                                ratings=_ratings(2 if stage == "before" else 4))
    assert sorted(Appraisal.objects.values_list("stage", "rater")) == [
        ("after", "self"), ("after", "supervisor"), ("before", "self"), ("before", "supervisor")]
    assert AppraisalRating.objects.count() == 4 * 9


# Nothing is stored by a refused sheet: the world is the same for every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(value=st.one_of(st.integers(max_value=0), st.integers(min_value=5), st.booleans(), st.just("3")))
def test_a_rating_out_of_range_is_refused_and_nothing_is_stored(careers_world, value):
    w = careers_world
    if not LearningPlan.objects.exists():
        _agreed(w)
    ratings = _ratings() | {"leadership": value}
    with pytest.raises(ValidationError) as error:
        services.save_appraisal(actor=w["users"]["secondee"], secondment=w["secondments"][0], stage="before",
                                rater="self", ratings=ratings)
    assert error.value.message_dict["ratings"] == [f"leadership: a rating is 1 to 4, not {value}."]
    assert Appraisal.objects.count() == 0


def test_an_appraisal_missing_a_rating_or_rating_something_else_is_refused(careers_world):
    w = careers_world
    _agreed(w)
    ratings = _ratings()
    del ratings["country_knowledge"]
    with pytest.raises(ValidationError) as error:
        services.save_appraisal(actor=w["users"]["secondee"], secondment=w["secondments"][0], stage="before",
                                rater="self", ratings=ratings | {"cooking": 3})
    assert error.value.message_dict["ratings"] == ["country_knowledge: give a rating.",
                                                   "Not rated in this appraisal: cooking."]
    assert Appraisal.objects.count() == 0


def test_only_the_officer_rates_themself_and_only_a_supervisor_rates_as_supervisor(careers_world):
    w = careers_world
    _agreed(w)
    with pytest.raises(PermissionDenied):
        services.save_appraisal(actor=w["users"]["coordinator"], secondment=w["secondments"][0], stage="before",
                                rater="self", ratings=_ratings())
    with pytest.raises(PermissionDenied):
        services.save_appraisal(actor=w["users"]["secondee"], secondment=w["secondments"][0], stage="before",
                                rater="supervisor", ratings=_ratings())


def test_an_appraisal_saved_unchanged_writes_and_logs_nothing(careers_world):
    w = careers_world
    _agreed(w)
    args = {"actor": w["users"]["secondee"], "secondment": w["secondments"][0], "stage": "before", "rater": "self"}
    services.save_appraisal(**args, ratings=_ratings())
    before = (AuditEntry.objects.count(), Appraisal.objects.get().rated_at)
    assert services.save_appraisal(**args, ratings=_ratings()) == []
    assert (AuditEntry.objects.count(), Appraisal.objects.get().rated_at) == before


def test_the_api_refuses_a_rating_out_of_range_naming_the_subject(careers_world, client):
    w = careers_world
    _agreed(w)
    client.force_login(w["users"]["secondee"])
    complete_sign_in(client, w["users"]["secondee"])
    response = client.put(f"/api/careers/secondments/{w['secondments'][0].pk}/appraisals/before/self",
                          data=json.dumps({"ratings": _ratings() | {"leadership": 7}}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"leadership": ["A rating is 1 to 4."]}
    assert Appraisal.objects.count() == 0


def test_the_api_refuses_an_objective_without_a_skill(careers_world, client):
    w = careers_world
    client.force_login(w["users"]["secondee"])
    complete_sign_in(client, w["users"]["secondee"])
    body = {"career_plan": "Lead.", "objectives": [{"skill": w["skills"]["leadership"].pk, "target_level": 3},
                                                   {"skill": w["skills"]["training"].pk, "target_level": 3},
                                                   {"target_level": 2}]}
    response = client.put(f"/api/careers/secondments/{w['secondments'][0].pk}/plan", data=json.dumps(body),
                          content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"objectives": [
        "Objective 3 has no skill: tie each objective to a skill of the taxonomy."]}
    assert LearningPlan.objects.count() == 0


# --- Six months after return -------------------------------------------------------------------

def test_the_follow_up_is_asked_six_months_after_return(careers_world):
    w = careers_world
    _agreed(w)
    args = {"actor": w["users"]["secondee"], "secondment": w["secondments"][0], "skills_used": ["migrant_smuggling"]}
    with pytest.raises(ValidationError) as error:
        services.answer_follow_up(**args, today=dt.date(2026, 11, 28))
    assert error.value.messages == ["The question is asked from 2026-11-29, six months after the return."]
    assert services.answer_follow_up(**args, today=dt.date(2026, 11, 29)) == ["note", "skills_used"]
    assert FollowUp.objects.get().skills_used == ["migrant_smuggling"]


def test_the_follow_up_refuses_a_skill_not_offered(careers_world):
    w = careers_world
    _agreed(w)
    with pytest.raises(ValidationError) as error:
        services.answer_follow_up(actor=w["users"]["secondee"], secondment=w["secondments"][0],
                                  skills_used=["cybercrime"], today=dt.date(2027, 1, 1))
    assert error.value.message_dict == {"skills_used": ["Not a skill of this secondment: cybercrime."]}
    assert FollowUp.objects.count() == 0


# --- Pages -------------------------------------------------------------------------------------

def test_the_careers_list_of_the_pool_coordinator(careers_world, client, django_assert_num_queries):
    w = careers_world
    _agreed(w)
    user = w["users"]["coordinator"]
    client.force_login(user)
    complete_sign_in(client, user)
    client.get("/careers/")  # warm the session and caches
    with django_assert_num_queries(12):
        page = client.get("/careers/").content.decode()
    assert "Aalto" in page and "Berg" not in page and "agreed" in page


def test_the_plan_form_saved_unchanged_changes_nothing(careers_world, client):
    w = careers_world
    _agreed(w)
    user = w["users"]["secondee"]
    client.force_login(user)
    complete_sign_in(client, user)
    sa = w["secondments"][0]
    plan = LearningPlan.objects.get()
    data = {"objectives": "rows", "objectives-item": [str(o.skill_id) for o in plan.objectives.all()] + [""],
            "objectives-level": [str(o.target_level) for o in plan.objectives.all()] + ["1"],
            "career_plan": plan.career_plan}
    before = AuditEntry.objects.count()
    response = client.post(f"/careers/secondments/{sa.pk}/plan/", data)
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before
    assert LearningPlan.objects.get().agreed


def test_the_plan_form_with_two_objectives_shows_the_error(careers_world, client):
    w = careers_world
    user = w["users"]["secondee"]
    client.force_login(user)
    complete_sign_in(client, user)
    data = {"objectives": "rows", "objectives-item": [str(w["skills"]["leadership"].pk),
                                                      str(w["skills"]["training"].pk)],
            "objectives-level": ["3", "2"], "career_plan": "Lead."}
    response = client.post(f"/careers/secondments/{w['secondments'][0].pk}/plan/", data)
    assert response.status_code == 400
    assert "Give 3 to 6 learning objectives, not 2." in response.content.decode()
    assert LearningPlan.objects.count() == 0
