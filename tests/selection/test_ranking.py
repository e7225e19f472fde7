"""Eligibility and ranking through the app: real officers, the stored rule sets, the call's criteria
and their lock, the pages and their queries, and what restricted facts may show."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.roster.models import add_months
from dividend.selection import candidates, criteria, engine, services
from dividend.selection.models import Call, CallCriteria, EligibilityRuleSet

from ..factories import (
    complete_sign_in,
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_user,
)
from .conftest import TODAY

pytestmark = pytest.mark.django_db

DEPLOY = TODAY + dt.timedelta(days=100)  # the organisation's deadline (+40) plus the default 60 days


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def years_before(day, years, days=0):
    return add_months(day, -12 * years) - dt.timedelta(days=days)


@pytest.fixture
def un():
    """A UN call (unarmed position on UNTEST in Serbia, border management, English B2 and border
    management at level 2) sent to pool alpha, with four nominees of alpha:
    Ideal meets every rule; Young has four years of service and no human-rights certificate;
    Marred has a misconduct finding on record; Unfit's medical fitness expires before deployment."""
    alpha = make_pool("alpha", name="Alpha Police")
    coordinator = make_user(Role.COORDINATOR, pools=[alpha], username="coord")
    mission = make_mission("UNTEST", organisation="un", countries=("SRB",), themes=("border_management",))
    position = make_position(mission, title="Border adviser", duration_months=12)
    position.required_skills.create(skill=_skill("border_management"), min_level=2)
    position.required_languages.create(language=_language("en"), min_level=4)
    call = services.create_call(actor=coordinator, pools=[alpha], organisation="un", kind="regular",
                                reference="UN-2027-07", title="UNTEST police", published_on=TODAY,
                                organisation_deadline=TODAY + dt.timedelta(days=40),
                                national_deadline=TODAY + dt.timedelta(days=20))
    cp = services.add_call_position(actor=coordinator, call=call, position=position, posts=1)
    services.change_call_status(actor=coordinator, call=call, status=Call.Status.OPEN)
    far = DEPLOY + dt.timedelta(days=3 * 365)
    good = [("un_saat", TODAY - dt.timedelta(days=30), DEPLOY + dt.timedelta(days=200)),
            ("passport", TODAY - dt.timedelta(days=30), far), ("driving_licence", TODAY - dt.timedelta(days=900), None),
            ("medical_fitness", TODAY - dt.timedelta(days=10), DEPLOY + dt.timedelta(days=90)),
            ("human_rights_screening", TODAY - dt.timedelta(days=10), None)]
    common = {"skills": [("border_management", 3)], "languages": [("en", 5, 5, 4)],
              "date_of_birth": dt.date(1985, 6, 1)}
    officers = {
        "ideal": make_officer(alpha, last_name="Ideal", service_start=dt.date(2006, 9, 1), qualifications=good,
                              countries=["SRB"], **common),
        "young": make_officer(alpha, last_name="Young", service_start=years_before(DEPLOY, 4),
                              qualifications=[q for q in good if q[0] != "human_rights_screening"], **common),
        "marred": make_officer(alpha, last_name="Marred", service_start=dt.date(2006, 9, 1), qualifications=good,
                               misconduct_recorded_on=dt.date(2022, 5, 1), **common),
        "unfit": make_officer(alpha, last_name="Unfit", service_start=dt.date(2006, 9, 1),
                              qualifications=[q if q[0] != "medical_fitness" else
                                              ("medical_fitness", TODAY - dt.timedelta(days=300),
                                               DEPLOY - dt.timedelta(days=1)) for q in good], **common),
    }
    nominations = {k: services.nominate(actor=coordinator, call_position=cp, officer=o) for k, o in officers.items()}
    call.refresh_from_db()
    return {"pool": alpha, "coordinator": coordinator, "call": call, "cp": cp, "officers": officers,
            "nominations": nominations, "mission": mission}


def _skill(code):
    from dividend.reference.models import Skill

    return Skill.objects.get(code=code)


def _language(code):
    from dividend.reference.models import Language

    return Language.objects.get(code=code)


def outcomes(ranked, who):
    row = next(r for r in ranked if r.nomination.officer.last_name == who)
    return {rule.rule_id: (rule.status, rule.reasons) for rule in row.rules}


def test_the_shipped_rule_sets_are_stored_as_version_one():
    assert sorted(EligibilityRuleSet.objects.values_list("organisation", "version")) == [
        ("eu_csdp", 1), ("osce", 1), ("un", 1)]
    assert candidates.rule_set_for("un").name == "UN police: individual police officers"


def test_eligibility_outcomes_are_exact_per_rule_for_real_officers(un):
    ranked = candidates.rank_position(un["cp"], viewer=un["coordinator"])
    # Ideal first; then the ineligible by score (the same here: in name order).
    assert [(r.nomination.officer.last_name, r.eligible, r.rank) for r in ranked] == [
        ("Ideal", True, 1), ("Marred", False, None), ("Unfit", False, None), ("Young", False, None)]
    d = DEPLOY.isoformat()
    ideal = outcomes(ranked, "Ideal")
    assert ideal == {
        "assessment": ("met", (f"UN assessment (AMS/SAAT) pass valid until {DEPLOY + dt.timedelta(days=200)}, "
                               f"needed until {d}",)),
        "passport": ("met", (f"Service passport valid until {DEPLOY + dt.timedelta(days=3 * 365)}, needed until "
                             f"{add_months(DEPLOY, 18)}",)),
        "service": ("met", (f"{engine.full_years(dt.date(2006, 9, 1), DEPLOY)} years of police service on {d}, "
                            "at least 5 needed",)),
        "language": ("met", ("English at B2, B2 needed",)),
        "driving": ("met", ("Driving licence (4x4) held (does not expire)",)),
        "firearms": ("not_applicable", ("Applies to armed positions only",)),
        "age": ("met", (f"Age {engine.full_years(dt.date(1985, 6, 1), DEPLOY)} on {d}, within the limits",)),
        "medical_unarmed": ("met", (f"Medical fitness for deployment at level MS2 valid on {d}: yes",)),
        "medical_armed": ("not_applicable", ("Applies to armed positions only",)),
        "human_rights": ("met", ("Human-rights screening certificate present",)),
        "conduct": ("met", ("No substantiated misconduct on record",)),
        "position": ("met", ("Border management at level 3, level 2 needed", "English at B2, B2 needed")),
    }
    young = outcomes(ranked, "Young")
    assert young["service"] == ("not_met", (f"4 years of police service on {d}, at least 5 needed",))
    assert young["human_rights"] == ("not_met", ("Human-rights screening certificate missing",))
    assert {k for k, v in young.items() if v[0] == "not_met"} == {"service", "human_rights"}
    marred = outcomes(ranked, "Marred")
    assert marred["conduct"] == ("not_met", ("A substantiated misconduct finding is on record",))
    assert {k for k, v in marred.items() if v[0] == "not_met"} == {"conduct"}
    unfit = outcomes(ranked, "Unfit")
    assert unfit["medical_unarmed"] == ("not_met", (f"Medical fitness for deployment at level MS2 valid on {d}: no",))
    assert {k for k, v in unfit.items() if v[0] == "not_met"} == {"medical_unarmed"}


def test_the_score_parts_are_explained(un):
    ranked = candidates.rank_position(un["cp"], viewer=un["coordinator"])
    ideal = next(r for r in ranked if r.nomination.officer.last_name == "Ideal")
    parts = {p.part: (p.weight, round(p.value, 3), p.reasons) for p in ideal.parts}
    assert parts["skills"] == (30.0, 0.75, ("Border management at level 3 for level 2: 0.75",))
    assert parts["country_experience"] == (15.0, 1.0, ("Experience in Serbia (declared)",))
    assert parts["thematic_experience"] == (15.0, 0.0, ("None of the 1 themes",))
    assert parts["missions"] == (10.0, 0.0, ("0 earlier missions, full value at 3",))
    assert round(ideal.total, 6) == round(sum(p.points for p in ideal.parts), 6)


def test_the_call_matrices_agree_with_the_position_ranking(un):
    matrices = candidates.call_matrices(un["call"], viewer=un["coordinator"])
    assert [n.officer.last_name for n in matrices.nominations] == ["Ideal", "Marred", "Unfit", "Young"]
    assert matrices.eligible.tolist() == [[True], [False], [False], [False]]
    ranked = {r.nomination.officer.last_name: r.total for r in candidates.rank_position(un["cp"],
                                                                                       viewer=un["coordinator"])}
    assert [round(float(s), 4) for s in matrices.scores[:, 0]] == [
        round(ranked[n], 4) for n in ("Ideal", "Marred", "Unfit", "Young")]
    assert candidates.describe_failures(matrices, 1, 0) == ["conduct"]


def test_a_clearance_level_is_compared_and_never_shown():
    held = [("security_clearance", dt.date(2025, 1, 1), dt.date(2030, 1, 1), "secret")]
    day = dt.date(2027, 1, 1)
    answers = candidates._answers(held, [("security_clearance", "CONFIDENTIEL UE/EU CONFIDENTIAL", day),
                                         ("security_clearance", "TOP SECRET", day),
                                         ("security_clearance", "", dt.date(2031, 1, 1))],
                                  {"security_clearance": True})
    assert answers == {("security_clearance", "CONFIDENTIEL UE/EU CONFIDENTIAL", day): True,
                       ("security_clearance", "TOP SECRET", day): False,
                       ("security_clearance", "", dt.date(2031, 1, 1)): False}


# --------------------------------------------------------------------------- pages

def test_the_position_page_shows_the_ranking_parts_and_rules_in_a_fixed_number_of_queries(client, un):
    signed_in(client, un["coordinator"])
    url = f"/selection/call-positions/{un['cp'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<tr id="ranked-') == 4
    assert "Border management at level 3 for level 2: 0.75" in page
    assert f"Medical fitness for deployment at level MS2 valid on {DEPLOY.isoformat()}: no" in page
    assert "A substantiated misconduct finding is on record" in page
    n_queries = len(queries)
    more = make_officer(un["pool"], last_name="Zeta", skills=[("border_management", 1)])
    services.nominate(actor=un["coordinator"], call_position=un["cp"], officer=more)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count('<tr id="ranked-') == 5
    # Session and user (4), the call position and the call's pools (2), the nominations (1), the
    # position's facts (6), the rule set (1), the candidates' facts (7), the regions (1), the audit
    # entry of the list read (5), the position's relevance (7: the weights, the national adoption, the
    # default model's thematic weights as none is adopted, the position with its host countries,
    # mission themes and tags), whatever the number of candidates.
    assert (n_queries, len(queries)) == (33, 33)


def test_restricted_answers_never_show_their_details(client, un):
    """Only "valid on <date>: yes/no": never the expiry of a medical record, nor the finding's date,
    for any role, on the position page, the overview or the API."""
    national = make_user(Role.COORDINATOR, national=True, username="natcoord")
    hidden = [(DEPLOY - dt.timedelta(days=1)).isoformat(), (DEPLOY + dt.timedelta(days=90)).isoformat(),
              "2022-05-01", str((DEPLOY - dt.timedelta(days=1)).day) + " "]
    for user in (un["coordinator"], national):
        signed_in(client, user)
        for url in (f"/selection/call-positions/{un['cp'].pk}/", f"/selection/calls/{un['call'].pk}/eligibility/",
                    f"/api/selection/call-positions/{un['cp'].pk}/ranking"):
            body = client.get(url).content.decode()
            assert "Medical fitness for deployment at level MS2 valid on" in body or "eligibility" in url
            for text in hidden[:3]:
                assert text not in body, (url, text)
        client.logout()


def test_the_eligibility_overview_lists_the_failed_rules(client, un):
    signed_in(client, un["coordinator"])
    page = client.get(f"/selection/calls/{un['call'].pk}/eligibility/").content.decode()
    assert page.count('<tr id="nominee-') == 4
    assert "No substantiated misconduct, sexual exploitation and abuse included, in an earlier mission" in page
    assert "At least five years of police service; Human-rights screening certificate" in page


def test_the_call_page_links_the_ranking_pages(client, un):
    signed_in(client, un["coordinator"])
    page = client.get(f"/selection/calls/{un['call'].pk}/").content.decode()
    assert f'href="/selection/calls/{un["call"].pk}/eligibility/"' in page
    assert f'href="/selection/calls/{un["call"].pk}/criteria/"' in page
    assert f'href="/selection/call-positions/{un["cp"].pk}/" class="ranking"' in page


# --------------------------------------------------------------------------- criteria and their lock

WEIGHT_FORM = {"weight_skills": 50, "weight_languages": 20, "weight_country_experience": 10,
               "weight_thematic_experience": 10, "weight_missions": 5, "weight_validity_margin": 5,
               "missions_full_at": 2, "margin_full_at_months": 6, "margin_qualifications": ["passport"]}


def test_the_coordinator_sets_the_criteria_and_the_ranking_follows(client, un):
    signed_in(client, un["coordinator"])
    response = client.post(f"/selection/calls/{un['call'].pk}/criteria/",
                           {**WEIGHT_FORM, "deployment_date": (TODAY + dt.timedelta(days=50)).isoformat()})
    assert response.status_code == 302
    crit = CallCriteria.objects.get(call=un["call"])
    assert crit.weights["weights"]["skills"] == 50 and crit.deployment_date == TODAY + dt.timedelta(days=50)
    entry = AuditEntry.objects.filter(object_type="selection.callcriteria").latest("id")
    assert entry.action == "update" and sorted(entry.detail["changes"]) == ["deployment_date", "weights"]
    ranked = candidates.rank_position(un["cp"], viewer=un["coordinator"])
    assert {p.part: p.weight for p in ranked[0].parts}["skills"] == 50.0


def test_bad_criteria_are_refused_and_nothing_changes(client, un):
    signed_in(client, un["coordinator"])
    response = client.post(f"/selection/calls/{un['call'].pk}/criteria/",
                           {**WEIGHT_FORM, **{k: 0 for k in WEIGHT_FORM if k.startswith("weight_")},
                            "deployment_date": (TODAY + dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 400
    page = response.content.decode()
    assert "At least one weight must be above 0." in page
    assert "The deployment cannot start before the national pre-deadline" in page
    assert not CallCriteria.objects.filter(call=un["call"]).exists()


def test_the_lock_refuses_every_later_change_in_the_form_the_page_and_the_api(client, un):
    call, coordinator = un["call"], un["coordinator"]
    signed_in(client, coordinator)
    response = client.post(f"/selection/calls/{call.pk}/criteria/lock/")
    assert response.status_code == 302
    crit = CallCriteria.objects.get(call=call)
    assert crit.locked_by == coordinator and crit.weights == engine.default_weights().data
    entry = AuditEntry.objects.filter(object_type="selection.callcriteria").latest("id")
    assert (entry.action, entry.detail["criteria"]) == ("status", "locked")
    # the form
    from dividend.selection.forms import CriteriaForm

    form = CriteriaForm(data=WEIGHT_FORM, user=coordinator, call=Call.objects.get(pk=call.pk))
    assert not form.is_valid()
    day = f"{crit.locked_at:%Y-%m-%d}"
    message = f"The ranking criteria of this call were locked on {day}: they cannot be changed any more."
    assert form.non_field_errors() == [message]
    # the page
    response = client.post(f"/selection/calls/{call.pk}/criteria/", WEIGHT_FORM)
    assert response.status_code == 400 and message in response.content.decode()
    assert "criteria-form" not in response.content.decode()
    # the workflow
    with pytest.raises(criteria.CriteriaLocked):
        criteria.set_call_criteria(actor=coordinator, call=call, weights=engine.default_weights().data,
                                   deployment_date=None)
    # the API
    response = client.put(f"/api/selection/calls/{call.pk}/criteria", {"weights": dict(engine.default_weights().data)},
                          content_type="application/json")
    assert (response.status_code, response.json()["detail"]) == (409, message)
    assert client.post(f"/api/selection/calls/{call.pk}/criteria/lock").status_code == 409
    assert CallCriteria.objects.get(call=call).weights == engine.default_weights().data


def test_the_criteria_lock_by_themselves_on_the_national_pre_deadline(client, un):
    call = un["call"]
    Call.objects.filter(pk=call.pk).update(national_deadline=TODAY, published_on=TODAY)
    call.refresh_from_db()
    signed_in(client, un["coordinator"])
    page = client.get(f"/selection/calls/{call.pk}/criteria/").content.decode()
    assert "has come: the criteria are locked." in page and "criteria-form" not in page
    response = client.put(f"/api/selection/calls/{call.pk}/criteria", {"weights": dict(engine.default_weights().data)},
                          content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == (f"The national pre-deadline ({TODAY:%Y-%m-%d}) has come: the ranking "
                                         "criteria are locked and cannot be changed any more.")
    response = client.post(f"/selection/calls/{call.pk}/criteria/", WEIGHT_FORM)
    assert response.status_code == 400
    assert not CallCriteria.objects.filter(call=call).exists()


def test_the_api_sets_and_reads_the_criteria(client, un):
    signed_in(client, un["coordinator"])
    weights = json.loads(json.dumps(engine.default_weights().data))
    weights["weights"]["missions"] = 40
    response = client.put(f"/api/selection/calls/{un['call'].pk}/criteria", {"weights": weights},
                          content_type="application/json")
    assert response.status_code == 200
    assert response.json()["weights"]["weights"]["missions"] == 40 and response.json()["locked"] is False
    weights["weights"]["missions"] = 1001
    response = client.put(f"/api/selection/calls/{un['call'].pk}/criteria", {"weights": weights},
                          content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["weights.missions: must be a number from 0 to 1000"]
    weights["weights"]["missions"] = "many"
    response = client.put(f"/api/selection/calls/{un['call'].pk}/criteria", {"weights": weights},
                          content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["weights.weights.missions"]
    assert CallCriteria.objects.get(call=un["call"]).weights["weights"]["missions"] == 40


def test_other_coordinators_may_not_set_the_criteria(client, un):
    other = make_user(Role.COORDINATOR, pools=[make_pool("beta")], username="coordb")
    signed_in(client, other)
    assert client.post(f"/selection/calls/{un['call'].pk}/criteria/", WEIGHT_FORM).status_code == 404
    with pytest.raises(Exception, match="may not set the criteria"):
        criteria.set_call_criteria(actor=other, call=un["call"], weights=engine.default_weights().data,
                                   deployment_date=None)


# --------------------------------------------------------------------------- rule sets

def test_the_rule_set_form_shows_every_problem_with_its_path_and_saves_nothing(client):
    admin = make_user(Role.ADMINISTRATOR, national=True, username="admin1")
    signed_in(client, admin)
    data = json.loads(json.dumps(candidates.rule_set_for("un").data))
    data["rules"][2]["min_years"] = "five"
    data["rules"][3]["min_level"] = "B9"
    data["rules"].append({"id": "medical", "kind": "qualification", "qualification": "medical_fitness"})
    data["organisation"] = "eu"
    response = client.post("/selection/rule-sets/new/", {"organisation": "un", "rules": json.dumps(data), "note": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    for text in ("rules[2].min_years: must be a whole number from 0 to 50",
                 "rules[3].min_level: must be a CEFR level: A1, A2, B1, B2, C1, C2",
                 "rules[12].qualification: &#x27;medical_fitness&#x27; is restricted: use a rule of kind &#x27;restricted&#x27;",
                 "organisation: must be &#x27;un&#x27; for this organisation"):
        assert text in page
    response = client.post("/selection/rule-sets/new/", {"organisation": "un", "rules": "{nope", "note": ""})
    assert response.status_code == 400 and "Not valid JSON" in response.content.decode()
    assert EligibilityRuleSet.objects.filter(organisation="un").count() == 1


def test_an_administrator_saves_a_new_version_which_applies_and_is_compared(client, un):
    admin = make_user(Role.ADMINISTRATOR, national=True, username="admin1")
    signed_in(client, admin)
    data = json.loads(json.dumps(candidates.rule_set_for("un").data))
    data["rules"] = [r for r in data["rules"] if r["id"] != "conduct"]
    data["rules"][2]["min_years"] = 3
    response = client.post("/selection/rule-sets/new/", {"organisation": "un", "rules": json.dumps(data),
                                                         "note": "Three years suffice"})
    assert response.status_code == 302
    v2 = EligibilityRuleSet.objects.get(organisation="un", version=2)
    v1 = EligibilityRuleSet.objects.get(organisation="un", version=1)
    entry = AuditEntry.objects.filter(object_type="selection.eligibilityruleset").latest("id")
    assert (entry.action, entry.detail["version"]) == ("create", 2)
    ranked = candidates.rank_position(un["cp"], viewer=un["coordinator"])
    assert [(r.nomination.officer.last_name, r.eligible) for r in ranked if r.eligible] == [
        ("Ideal", True), ("Marred", True)]
    page = client.get(f"/selection/rule-sets/{v2.pk}/compare/{v1.pk}/").content.decode()
    assert "Rules removed: conduct" in page
    assert '<span class="add">+      &quot;min_years&quot;: 3</span>' in page
    page = client.get("/selection/rule-sets/").content.decode()
    assert "Three years suffice" in page
    response = client.post("/selection/rule-sets/new/", {"organisation": "un", "rules": json.dumps(data), "note": ""})
    assert response.status_code == 400
    assert "These rules are the same as version 2: nothing to save." in response.content.decode()


def test_the_api_lists_rule_sets_and_refuses_a_bad_version_with_its_problems(client):
    admin = make_user(Role.ADMINISTRATOR, national=True, username="admin1")
    signed_in(client, admin)
    items = client.get("/api/selection/rule-sets").json()
    assert sorted((i["organisation"], i["version"], i["current"]) for i in items) == [
        ("eu_csdp", 1, True), ("osce", 1, True), ("un", 1, True)]
    data = json.loads(json.dumps(candidates.rule_set_for("osce").data))
    data["rules"][0]["kind"] = "seniority"
    response = client.post("/api/selection/rule-sets", {"organisation": "osce", "data": data},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"] == [{"path": "rules[0].kind", "line": None, "message": (
        "must be one of age, certificate, language, no_misconduct, position_requirements, qualification, "
        "restricted, service_years, skill")}]
    data["rules"][0]["kind"] = "service_years"
    data["rules"][0]["min_years"] = 6
    response = client.post("/api/selection/rule-sets", {"organisation": "osce", "data": data, "note": "6 years"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == 2 and response.json()["current"] is True
    coordinator = make_user(Role.COORDINATOR, national=True, username="natc")
    signed_in(client, coordinator)
    response = client.post("/api/selection/rule-sets", {"organisation": "osce", "data": data},
                           content_type="application/json")
    assert response.status_code == 403


def test_the_eligibility_overview_runs_a_fixed_number_of_queries(client, un):
    signed_in(client, un["coordinator"])
    url = f"/selection/calls/{un['call'].pk}/eligibility/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    second = make_position(un["mission"], title="Trainer")
    cp = services.add_call_position(actor=un["coordinator"], call=un["call"], position=second)
    for name in ("Xu", "Yilmaz"):
        services.nominate(actor=un["coordinator"], call_position=cp,
                          officer=make_officer(un["pool"], last_name=name))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('<tr id="nominee-') == 6
    assert (len(few), len(many)) == (28, 28)


def test_a_panel_member_of_the_call_alone_does_not_see_the_named_ranking(client, un):
    """The panel scores anonymised summaries: the ranking pages, which name the nominees, are refused."""
    from dividend.pools.models import RoleAssignment, Scope

    panel = make_user(None, username="panel-only")
    RoleAssignment.objects.create(user=panel, role=Role.PANEL_MEMBER, scope=Scope.OBJECT,
                                  object_type="selection.call", object_id=un["call"].pk)
    signed_in(client, panel)
    for url in (f"/selection/call-positions/{un['cp'].pk}/", f"/selection/calls/{un['call'].pk}/eligibility/",
                f"/api/selection/call-positions/{un['cp'].pk}/ranking"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Ideal" not in response.content.decode()
