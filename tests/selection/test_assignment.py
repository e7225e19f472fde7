"""The optimal assignment of a whole call through the app: real officers, nominations and posts;
optimal on small instances (checked by brute force over every assignment of nominees to posts),
infeasible constraints named, runs stored, the page and the API."""

import datetime as dt
import itertools
import json
import math

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role, RoleAssignment, Scope
from dividend.selection import services
from dividend.selection.models import AssignmentRun, Call

from ..factories import complete_sign_in, make_mission, make_officer, make_pool, make_position, make_user
from .conftest import TODAY

pytestmark = pytest.mark.django_db

DEPLOY = TODAY + dt.timedelta(days=100)  # the organisation's deadline (+40) plus the default 60 days
FAR = DEPLOY + dt.timedelta(days=3 * 365)
# What the UN rule set asks, held and valid on the deployment date.
GOOD = [("un_saat", TODAY - dt.timedelta(days=30), DEPLOY + dt.timedelta(days=200)),
        ("passport", TODAY - dt.timedelta(days=30), FAR), ("driving_licence", TODAY - dt.timedelta(days=900), None),
        ("medical_fitness", TODAY - dt.timedelta(days=10), DEPLOY + dt.timedelta(days=90)),
        ("human_rights_screening", TODAY - dt.timedelta(days=10), None)]
COMMON = {"skills": [("border_management", 3)], "languages": [("en", 5, 5, 4)], "date_of_birth": dt.date(1985, 6, 1),
          "service_start": dt.date(2006, 9, 1)}
GENDERS = ["female", "male", "female", "male", "male"]


@pytest.fixture
def asg():
    """Pools alpha and beta; five officers eligible for any UN position (alternately alpha and beta;
    women: the 1st and 3rd); a national coordinator, a national HR manager, a panel member; a UN
    mission with three positions."""
    alpha, beta = make_pool("alpha", name="Alpha Police"), make_pool("beta", name="Beta Police")
    national = make_user(Role.COORDINATOR, national=True, username="national")
    hr = make_user(Role.HR_MANAGER, national=True, username="hrn")
    panel = make_user(None, username="panel-one")
    officers = [make_officer(alpha if k % 2 == 0 else beta, last_name=f"Officer{k}", gender=GENDERS[k],
                             qualifications=GOOD, **COMMON) for k in range(5)]
    mission = make_mission("UNTEST", organisation="un", countries=("SRB",), themes=("border_management",))
    positions = [make_position(mission, title=f"Adviser {k}", reference=f"UNT-{k}", duration_months=12)
                 for k in range(3)]
    return {"pools": (alpha, beta), "national": national, "hr": hr, "panel": panel, "officers": officers,
            "positions": positions}


def open_call(asg, posts, reference="UN-ASG-1"):
    national = asg["national"]
    call = services.create_call(actor=national, pools=list(asg["pools"]), organisation="un", kind="regular",
                                reference=reference, title="UNTEST", published_on=TODAY,
                                organisation_deadline=TODAY + dt.timedelta(days=40),
                                national_deadline=TODAY + dt.timedelta(days=20))
    cps = [services.add_call_position(actor=national, call=call, position=asg["positions"][k], posts=n)
           for k, n in enumerate(posts)]
    services.change_call_status(actor=national, call=call, status=Call.Status.OPEN)
    RoleAssignment.objects.get_or_create(user=asg["panel"], role=Role.PANEL_MEMBER, scope=Scope.OBJECT,
                                         object_type="selection.call", object_id=call.pk)
    # Roles are read once per user object: a fresh one knows this call (PostgreSQL never reuses an id).
    asg["panel"] = type(asg["panel"]).objects.get(pk=asg["panel"].pk)
    call.refresh_from_db()
    return call, cps


def nominate(asg, cp, officer, score=None):
    nomination = services.release(actor=asg["hr"], nomination=services.nominate(
        actor=asg["national"], call_position=cp, officer=officer))
    if score is not None:
        services.submit_panel_score(actor=asg["panel"], nomination=nomination, score=score)
    return nomination


def parameters(**overrides):
    return {"score_source": "panel", "fill_all": False, "pool_max": {}, "min_women_share": None,
            "women_mode": "hard", "women_penalty": 0, "preferences": "none", "preference_bonus": 0} | overrides


def brute_force(nominations, posts, params):
    """The best objective over every way to give each post nobody or a nominee of its position
    (each officer at most once) meeting the constraints; None: none does."""
    slots = [(cp.pk, k) for cp, n in posts for k in range(n)]
    options = [[None] + [n for n in nominations if n["cp"] == cp] for cp, _ in slots]
    best = None
    for choice in itertools.product(*options):
        chosen = [n for n in choice if n is not None]
        if len({n["officer"] for n in chosen}) < len(chosen):
            continue
        if params["fill_all"] and len(chosen) < len(slots):
            continue
        if any(sum(n["pool"] == pool for n in chosen) > limit for pool, limit in params["pool_max"].items()):
            continue
        value = sum(n["score"] for n in chosen)
        if params["min_women_share"] is not None:
            missing = max(0, math.ceil(params["min_women_share"] * len(chosen) - sum(n["woman"] for n in chosen)
                                       - 1e-9))
            if missing and params["women_mode"] == "hard":
                continue
            value -= params["women_penalty"] * missing if params["women_mode"] == "soft" else 0
        best = value if best is None else max(best, value)
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_calls_assignment_is_optimal_by_brute_force(asg, data):
    posts = data.draw(st.lists(st.integers(1, 2), min_size=1, max_size=2), label="posts")
    pairs = data.draw(st.sets(st.tuples(st.integers(0, 3), st.integers(0, len(posts) - 1)), min_size=1, max_size=5),
                      label="nominations")
    scores = data.draw(st.lists(st.integers(0, 100), min_size=len(pairs), max_size=len(pairs)), label="scores")
    params = parameters(
        fill_all=data.draw(st.booleans(), label="fill_all"),
        pool_max=data.draw(st.sampled_from([{}, {"alpha": 0}, {"alpha": 1}, {"beta": 1}]), label="pool_max"),
        min_women_share=data.draw(st.sampled_from([None, 0.5, 1.0]), label="women"),
        women_mode=data.draw(st.sampled_from(["hard", "soft"]), label="mode"), women_penalty=30)
    with transaction.atomic():
        call, cps = open_call(asg, posts)
        facts = []
        for (i, j), score in zip(sorted(pairs), scores, strict=True):
            officer = asg["officers"][i]
            nominate(asg, cps[j], officer, score)
            facts.append({"cp": cps[j].pk, "officer": officer.pk, "pool": officer.pool.code,
                          "woman": officer.gender == "female", "score": score})
        run = services.run_assignment(actor=asg["national"], call=call, parameters=params)
        assert run.result["eligible_pairs"] == sum(posts[j] for _, j in pairs)  # every nominee eligible
        best = brute_force(facts, [(cp, n) for cp, n in zip(cps, posts, strict=True)], params)
        optimal = run.result["optimal"]
        if best is None:
            assert (run.status, optimal["pairs"]) == ("infeasible", [])
            assert optimal["infeasible_keys"]
        else:
            assert run.status == "optimal"
            assert optimal["objective"] == pytest.approx(best, abs=1e-6)
            # The greedy baseline may break a hard constraint (fill_all, a hard share of women) and then
            # score above the optimum: only a baseline that meets them is bounded by it.
            greedy = run.result["greedy"]
            assert greedy["status"] in ("feasible", "constraints_not_met")
            if greedy["status"] == "feasible":
                assert greedy["objective"] <= best + 1e-6
            chosen = [p["nomination"] for p in optimal["pairs"]]
            assert len(chosen) == len(set(chosen))
        transaction.set_rollback(True)


@pytest.fixture
def three(asg):
    """One position with one post; Officer0 (alpha, woman) scored 50, Officer1 (beta, man) 90,
    Officer3 (beta, man) 70."""
    call, (cp,) = open_call(asg, [1])
    officers = asg["officers"]
    noms = {k: nominate(asg, cp, officers[k], score) for k, score in ((0, 50), (1, 90), (3, 70))}
    return {"call": call, "cp": cp, "noms": noms}


def test_a_run_is_stored_with_the_greedy_baseline_and_the_constraints_costs(asg, three):
    run = services.run_assignment(actor=asg["national"], call=three["call"],
                                  parameters=parameters(min_women_share=1.0))
    assert (run.status, run.total_score, run.created_by) == ("optimal", 50.0, asg["national"])
    assert [p["nomination"] for p in run.result["optimal"]["pairs"]] == [three["noms"][0].pk]
    assert run.result["costs"] == {"women_min_share": 40.0}
    checks = {c["key"]: c["met"] for c in run.result["optimal"]["checks"]}
    assert checks == {"eligibility": True, "one_each": True, "women_min_share": True}
    entry = AuditEntry.objects.get(object_type="selection.assignmentrun", action="create")
    assert (entry.detail["status"], entry.detail["assigned_nominations"]) == ("optimal", [three["noms"][0].pk])


def test_infeasible_constraints_are_named_not_a_server_error(client, asg, three):
    client.force_login(asg["national"])
    complete_sign_in(client, asg["national"])
    response = client.post(f"/selection/calls/{three['call'].pk}/assignment/",
                           {"score_source": "panel", "fill_all": "on", "pool_alpha": "0", "pool_beta": "0",
                            "women_mode": "hard", "preferences": "none"})
    assert response.status_code == 302
    run = AssignmentRun.objects.get()
    assert (run.status, run.result["optimal"]["infeasible_keys"]) == ("infeasible", ["fill_all", "pool_max:alpha",
                                                                                     "pool_max:beta"])
    page = client.get(response["Location"]).content.decode()
    assert ("These constraints cannot all be met together: every post filled; a maximum for pool alpha; "
            "a maximum for pool beta (dropping any one of them makes the call solvable).") in page


def test_preferences_only_keep_an_officer_to_the_positions_they_asked_for(asg):
    """Officer0 expressed interest in position 0 (scored 10) and is nominated to position 1 too (90);
    Officer1 is nominated to position 0 (80). Free: 90 + 80; "only": Officer0 is kept out of position
    1, and position 0 goes to Officer1."""
    call, (cp0, cp1) = open_call(asg, [1, 1])
    o0 = asg["officers"][0]
    o0.user = make_user(Role.SECONDEE, pools=[o0.pool], username="o0")
    o0.save(update_fields=["user"])
    interest = services.express_interest(actor=o0.user, call_position=cp0, officer=o0)
    services.release(actor=asg["hr"], nomination=interest)
    services.submit_panel_score(actor=asg["panel"], nomination=interest, score=10)
    nominate(asg, cp1, o0, 90)
    nominate(asg, cp0, asg["officers"][1], 80)
    free = services.run_assignment(actor=asg["national"], call=call, parameters=parameters())
    only = services.run_assignment(actor=asg["national"], call=call, parameters=parameters(preferences="only"))
    assert (free.total_score, only.total_score) == (170.0, 80.0)  # Officer0 keeps out of position 1
    assert [p["nomination"] for p in only.result["optimal"]["pairs"]] == [
        n.pk for n in only.call.positions.get(pk=cp0.pk).nominations.filter(officer=asg["officers"][1])]
    assert only.result["costs"] == {"preferences": 90.0}


def test_bad_parameters_are_refused_and_nothing_is_stored(client, asg, three):
    client.force_login(asg["national"])
    complete_sign_in(client, asg["national"])
    url = f"/api/selection/calls/{three['call'].pk}/assignment-runs"
    for body in ({"min_women_percent": 101}, {"min_women_percent": 40, "women_mode": "soft"},
                 {"pool_max": {"gamma": 1}}, {"pool_max": {"alpha": -1}}, {"score_source": "astrology"},
                 {"preferences": "bonus"}):
        response = client.post(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code in (400, 422), body
    assert AssignmentRun.objects.count() == 0
    response = client.post(url, data=json.dumps({"pool_max": {"beta": 1}, "score_source": "panel"}),
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["total_score"], body["parameters"]["pool_max"]) == ("optimal", 90.0, {"beta": 1})
    assert "officer_id" not in json.dumps(body)
    assert client.get(f"/api/selection/assignment-runs/{body['id']}").json()["result"] == body["result"]


def test_a_call_without_released_nominees_says_so(asg):
    call, (cp,) = open_call(asg, [1], reference="UN-EMPTY")
    services.nominate(actor=asg["national"], call_position=cp, officer=asg["officers"][0])
    with pytest.raises(Exception) as error:
        services.run_assignment(actor=asg["national"], call=call, parameters=parameters())
    assert error.value.messages == ["No nominee can be assigned yet: nominations need the line manager's release "
                                    "(or an approval without it) first."]


def test_the_run_page_and_the_runs_list_run_a_fixed_number_of_queries(client, asg, three):
    client.force_login(asg["national"])
    complete_sign_in(client, asg["national"])
    run = services.run_assignment(actor=asg["national"], call=three["call"], parameters=parameters())
    url = f"/selection/calls/{three['call'].pk}/assignment/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        services.run_assignment(actor=asg["national"], call=three["call"], parameters=parameters())
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) == 8
    page = client.get(f"/selection/assignment-runs/{run.pk}/").content.decode()
    assert "Officer1" in page and "Greedy baseline" in page


def run_facts(client, run):
    """The run page's facts line and the optimal side's status, as the reader sees them."""
    import re

    page = client.get(f"/selection/assignment-runs/{run.pk}/").content.decode()
    facts = re.search(r'<p class="card" id="run-facts">(.*?)</p>', page, re.S).group(1)
    status = re.search(r'id="side-optimal">.*?<strong class="status"[^>]*>(.*?)</strong>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", facts).split()).split(" · ", 2)[2], status, page  # after when · who


def test_the_run_page_gives_the_parameters_and_the_status_in_words(client, asg, three):
    client.force_login(asg["national"])
    complete_sign_in(client, asg["national"])
    run = services.run_assignment(actor=asg["national"], call=three["call"], parameters=parameters(
        min_women_share=0.4, women_mode="soft", women_penalty=5.0, pool_max={"beta": 1}))
    facts, status, _page = run_facts(client, run)
    assert (facts, status) == (
        "3 candidates, 1 post, 3 eligible pairs "
        "Scores: The panel&#x27;s mean scores · Every post must be filled: no · "
        "Minimum share of women (%): 40 % · soft (a penalty per missing woman) · Penalty per missing woman: 5 · "
        "Officers&#x27; stated preferences: not taken into account · At most from Beta Police: 1", "optimal")


def test_a_run_where_nobody_is_eligible_says_so_and_links_the_eligibility(client, asg):
    call, (cp,) = open_call(asg, [1])
    unready = make_officer(asg["pools"][0], last_name="Unready", gender="male", qualifications=[], **COMMON)
    nominate(asg, cp, unready)
    client.force_login(asg["national"])
    complete_sign_in(client, asg["national"])
    run = services.run_assignment(actor=asg["national"], call=call, parameters=parameters(score_source="ranking"))
    facts, status, page = run_facts(client, run)
    assert (facts.split(" Scores:")[0], status) == ("1 candidate, 1 post, 0 eligible pairs", "optimal")
    assert ('id="nobody-eligible">' in page, f'href="/selection/calls/{call.pk}/eligibility/"' in page) == (True, True)


def test_a_decision_departing_from_the_ranked_order_needs_a_justification(asg, three):
    """The ranking puts every nominee eligible; with one post the best-ranked one is expected."""
    from dividend.selection.candidates import rank_position

    ranked = rank_position(three["cp"], viewer=asg["national"])
    top = ranked[0].nomination
    other = next(r.nomination for r in ranked[1:] if r.eligible)
    coordinator = make_user(Role.COORDINATOR, national=True, username="national2")
    with pytest.raises(Exception) as error:
        services.propose_decision(actor=coordinator, nomination=other, outcome="selected", feedback="Welcome",
                                  start_date=dt.date(2027, 6, 1))
    assert error.value.message_dict == {
        "justification": ["This decision departs from the ranked order: write the justification."]}
    decision = services.propose_decision(actor=coordinator, nomination=top, outcome="selected", feedback="Welcome",
                                         start_date=dt.date(2027, 6, 1))
    assert decision.departures == []
