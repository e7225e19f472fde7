"""Strategic positions (issue 10, section 2): relevance to national priorities with every part shown,
the weights a policy officer sets, burden of duty stations, and rotations of strategic positions."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.missions.models import Burden, JobDescription
from dividend.pools.models import Role
from dividend.priorities import services as priorities
from dividend.priorities.adoption import adopt_run, adopted_ranking
from dividend.priorities.models import PriorityRun, RunCountry
from dividend.reference.models import Rank, ThematicArea
from dividend.secondments.models import Secondment
from dividend.selection import services
from dividend.selection.models import PositionAssessment, RelevanceWeights
from dividend.selection.relevance import (
    DEFAULT_WEIGHTS,
    HostCountry,
    WeightsError,
    compute_relevance,
    relevance_for,
    validate_weights,
)
from dividend.selection.rotation import Tenure, burden_warnings, rotation_state, rotations

from ..factories import make_mission, make_officer, make_position, make_secondment, make_user
from ..priorities_app.conftest import SMALL_MODEL
from .conftest import TODAY
from .test_pages import signed_in

pytestmark = pytest.mark.django_db

THEMES = {"trafficking_in_human_beings": 2.0, "drugs": 1.0}
COUNTRIES = [("COL", 1, 80.0), ("SRB", 2, 60.0), ("ALB", 3, 50.0), ("MAR", 4, 40.0), ("UKR", 5, 20.0)]


def tags(*codes):
    return list(ThematicArea.objects.filter(code__in=codes))


@pytest.fixture
def policy():
    return make_user(Role.POLICY_OFFICER, national=True, username="policy")


@pytest.fixture
def ranking(policy):
    """A national ranking adopted by hand: five countries (SRB 2nd, ALB 3rd of 5: relative 0.75 and
    0.5), thematic weights THB 2, drugs 1."""
    model = priorities.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    run = PriorityRun.objects.create(model_version=model.current_version, home_country="BEL", country_count=5,
                                     theme_weights=THEMES, status=PriorityRun.Status.DONE)
    for iso3, rank, score in COUNTRIES:
        RunCountry.objects.create(run=run, iso3=iso3, name=iso3, rank=rank, score=score, reliability=1,
                                  missing_count=0)
    adopt_run(actor=policy, run=run, reason="National strategy 2027")
    return run


@pytest.fixture
def adviser(sel, policy):
    """The call's position, made a border-management adviser on THB in a mission in Serbia and
    Albania working on drugs and the rule of law; assessed 0.8 and 0.6, the mission's interests not."""
    mission, position = sel["mission"], sel["position"]
    mission.host_countries.set(list(mission.host_countries.model.objects.filter(iso3__in=["SRB", "ALB"])))
    mission.thematic_areas.set(tags("drugs", "rule_of_law"))
    services.assess_position(actor=policy, position=position, thematic_tags=tags("trafficking_in_human_beings",
                                                                                 "border_management"),
                             international_commitments=0.8, national_interests=0.6, mission_interests=None,
                             note="Western Balkans route", burden=Burden.MODERATE, strategic=True)
    return position


# --- The pure function -----------------------------------------------------------------------------

def _facts(**changes):
    facts = {"weights": DEFAULT_WEIGHTS, "ranking_adopted": True, "ranking_size": 5,
             "host_countries": [HostCountry("SRB", "Serbia", 2, 60.0, 0.75), HostCountry("ALB", "Albania", 3, 50.0, 0.5)],
             "theme_weights": THEMES, "mission_themes": ["drugs", "rule_of_law"],
             "position_themes": ["trafficking_in_human_beings", "border_management"],
             "assessments": {"international_commitments": 0.8, "national_interests": 0.6, "mission_interests": None}}
    return facts | changes


def _parts(relevance):
    return {p.part: (p.weight, p.value, p.points) for p in relevance.parts}


def test_every_part_with_its_weight_value_and_points_hand_computed():
    relevance = compute_relevance(**_facts())
    # country: best host country SRB, rank 2 of 5 → 1 − 1/4 = 0.75; × 30 / 100 × 100 = 22.5
    # mission themes: drugs 1 (+ rule of law 0) ÷ heaviest 2 = 0.5 → 10; tags: THB 2 ÷ 2 = 1 → 20
    # assessments 0.8 → 8, 0.6 → 6, not assessed → neutral 0.5 → 5
    assert _parts(relevance) == {
        "country": (30.0, 0.75, 22.5), "mission_themes": (20.0, 0.5, 10.0), "position_themes": (20.0, 1.0, 20.0),
        "international_commitments": (10.0, 0.8, 8.0), "national_interests": (10.0, 0.6, 6.0),
        "mission_interests": (10.0, 0.5, 5.0)}
    assert relevance.total == 71.5
    assert [c.iso3 for c in relevance.country.detail] == ["SRB", "ALB"]
    assert relevance.part("mission_interests").note == "Not assessed yet: counts as neutral (0.5)."


def test_an_administrative_officer_is_not_a_border_management_adviser():
    adviser = compute_relevance(**_facts())
    clerk = compute_relevance(**_facts(position_themes=[]))
    assert clerk.part("position_themes").value == 0.0
    assert clerk.part("position_themes").note == "No thematic tags."
    assert (adviser.total, clerk.total) == (71.5, 51.5)


def test_without_an_adopted_ranking_the_country_part_is_left_out_and_the_rest_rescaled():
    relevance = compute_relevance(**_facts(ranking_adopted=False, host_countries=[HostCountry("SRB", "Serbia")]))
    # counted weight 70: (10 + 20 + 8 + 6 + 5) / 70 × 100
    assert _parts(relevance) == {
        "country": (30.0, None, None), "mission_themes": (20.0, 0.5, 14.29), "position_themes": (20.0, 1.0, 28.57),
        "international_commitments": (10.0, 0.8, 11.43), "national_interests": (10.0, 0.6, 8.57),
        "mission_interests": (10.0, 0.5, 7.14)}
    assert relevance.total == 70.0
    assert relevance.country.note == "No country ranking is adopted: this part is left out."


def test_a_host_country_outside_the_ranking_scores_zero():
    relevance = compute_relevance(**_facts(host_countries=[HostCountry("ISL", "Iceland")]))
    assert (relevance.country.value, relevance.country.points) == (0.0, 0.0)
    assert relevance.total == 49.0


def test_themes_capped_at_one_and_weights_of_zero_leave_a_part_out():
    relevance = compute_relevance(**_facts(mission_themes=["drugs", "trafficking_in_human_beings"],
                                           weights=DEFAULT_WEIGHTS | {"country": 0}))
    assert relevance.part("mission_themes").value == 1.0  # (1 + 2) / 2, capped
    assert relevance.country.points == 0.0
    assert relevance.total == 84.29  # (20 + 20 + 8 + 6 + 5) / 70 × 100: a weight of 0 counts as 0


@pytest.mark.parametrize("weights, problems", [
    ({**DEFAULT_WEIGHTS, "country": -1}, {"country": "must be from 0 to 1000"}),
    ({**DEFAULT_WEIGHTS, "country": 1001}, {"country": "must be from 0 to 1000"}),
    ({**DEFAULT_WEIGHTS, "country": "high"}, {"country": "must be a number"}),
    ({**DEFAULT_WEIGHTS, "country": True}, {"country": "must be a number"}),
    ({k: v for k, v in DEFAULT_WEIGHTS.items() if k != "country"}, {"country": "missing"}),
    ({**DEFAULT_WEIGHTS, "glory": 5}, {"glory": "unknown part (the parts: country, mission_themes, position_themes, "
                                                "international_commitments, national_interests, mission_interests)"}),
    (dict.fromkeys(DEFAULT_WEIGHTS, 0), {"weights": "at least one weight must be above 0"}),
    ([1, 2], {"weights": "must be an object of part: weight"}),
])
def test_bad_weights_are_named(weights, problems):
    with pytest.raises(WeightsError) as error:
        validate_weights(weights)
    assert error.value.problems == problems


# --- From the database ---------------------------------------------------------------------------

def test_the_adopted_ranking_gives_the_run_s_thematic_weights(ranking):
    adopted = adopted_ranking(None)
    assert adopted.theme_weights["trafficking_in_human_beings"] == 2.0
    assert adopted.theme_weights["cybercrime"] == 0.0
    assert len(adopted.theme_weights) == 9


def test_relevance_from_the_database_is_the_same_hand_computed_total(sel, ranking, adviser):
    relevance = relevance_for([adviser])[adviser.pk]
    assert _parts(relevance) == {
        "country": (30.0, 0.75, 22.5), "mission_themes": (20.0, 0.5, 10.0), "position_themes": (20.0, 1.0, 20.0),
        "international_commitments": (10.0, 0.8, 8.0), "national_interests": (10.0, 0.6, 6.0),
        "mission_interests": (10.0, 0.5, 5.0)}
    assert relevance.total == 71.5
    assert relevance.part("international_commitments").set_by == "policy"
    assert (relevance.burden, relevance.strategic) == (2, True)


def test_the_call_page_shows_each_position_s_relevance_parts(client, sel, ranking, adviser):
    page = signed_in(client, sel["users"]["coordinator"]).get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    page = page.replace("\n", "")
    assert "Relevance to national priorities: 71.5 / 100" in page
    assert '<tr data-part="country"><td>Host country in the national ranking</td><td>30</td>' in page
    assert "rank 2 of 5" in page
    assert "2 · moderate" in page


def test_the_position_page_says_when_no_ranking_is_adopted_and_shows_the_other_parts(client, sel, adviser):
    page = signed_in(client, sel["users"]["coordinator"]).get(
        f"/selection/positions/{adviser.pk}/relevance/").content.decode().replace("\n", "")
    assert "No country ranking is adopted nationally" in page
    # The default model's thematic weights (THB and drugs 3 of at most 3): themes 1 and 1;
    # (20 + 20 + 8 + 6 + 5) / 70 × 100
    assert "Relevance to national priorities: 84.3 / 100" in page
    assert '<tr data-part="national_interests"><td>National interests</td><td>10</td><td>0.60</td><td>8.57</td>' in page
    assert "Western Balkans route" in page
    assert "thematic weights of the current version of internal_security_default" in page


def test_catalogue_positions_inherit_the_job_description_s_tags(sel):
    job = JobDescription.objects.create(code="border_adviser", title="Border management adviser")
    job.thematic_tags.set(tags("border_management", "migrant_smuggling_irregular_migration"))
    cp = services.add_call_position(actor=sel["users"]["coordinator"], call=sel["call"],
                                    position=services.new_position(mission=sel["mission"], job_description=job))
    assert sorted(t.code for t in cp.position.thematic_tags.all()) == ["border_management",
                                                                       "migrant_smuggling_irregular_migration"]


# --- Assessments and weights: policy officers, validated, audited --------------------------------

def test_an_assessment_is_audited_and_an_unchanged_one_writes_nothing(sel, policy, adviser):
    entries = AuditEntry.objects.count()
    assert services.assess_position(
        actor=policy, position=adviser, thematic_tags=tags("trafficking_in_human_beings", "border_management"),
        international_commitments=0.8, national_interests=0.6, mission_interests=None, note="Western Balkans route",
        burden=Burden.MODERATE, strategic=True) == []
    assert AuditEntry.objects.count() == entries
    assert services.assess_position(
        actor=policy, position=adviser, thematic_tags=tags("border_management"), international_commitments=0.8,
        national_interests=0.6, mission_interests=1, note="Western Balkans route", burden=Burden.HARD,
        strategic=True) == ["burden", "mission_interests", "thematic_tags"]
    changes = [e.detail["changes"] for e in AuditEntry.objects.order_by("-id")[:2]]
    assert changes == [{"burden": {"old": 2, "new": 3},
                        "thematic_tags": {"old": ["border_management", "trafficking_in_human_beings"],
                                          "new": ["border_management"]}},
                       {"mission_interests": {"old": None, "new": 1}}]


def test_only_a_national_policy_officer_assesses_or_sets_weights(client, sel, adviser):
    coordinator = sel["users"]["coordinator"]
    signed_in(client, coordinator)
    assert client.post(f"/selection/positions/{adviser.pk}/relevance/", {"national_interests": "1"}).status_code == 403
    assert client.post("/selection/relevance/weights/", {**DEFAULT_WEIGHTS, "reason": "x"}).status_code == 403
    assert PositionAssessment.objects.get().national_interests == 0.6
    assert not RelevanceWeights.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("national_interests", "1.5", "Ensure this value is less than or equal to 1."),
    ("national_interests", "high", "Enter a number."),
    ("burden", "9", "Select a valid choice. 9 is not one of the available choices."),
])
def test_a_bad_assessment_is_refused_with_nothing_changed(client, sel, policy, adviser, field, value, message):
    signed_in(client, policy)
    priorities.ensure_default_model()  # installed on first use (its thematic weights): not this test's write
    entries = AuditEntry.objects.count()
    response = client.post(f"/selection/positions/{adviser.pk}/relevance/", {
        "international_commitments": "0.1", "national_interests": "0.2", "burden": "1", field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PositionAssessment.objects.get().international_commitments == 0.8
    assert AuditEntry.objects.count() == entries


def test_weights_set_through_the_form_change_every_relevance(client, sel, policy, ranking, adviser):
    signed_in(client, policy)
    response = client.post("/selection/relevance/weights/", {
        "country": "0", "mission_themes": "0", "position_themes": "50", "international_commitments": "50",
        "national_interests": "0", "mission_interests": "0", "reason": "Commitments first"})
    assert response.status_code == 302
    row = RelevanceWeights.objects.get()
    assert (row.set_by, row.reason) == (policy, "Commitments first")
    entry = AuditEntry.objects.filter(object_type="selection.relevanceweights").get()
    assert entry.detail["changes"]["weights"]["old"] == DEFAULT_WEIGHTS
    # tags 1 × 50 + commitments 0.8 × 50, out of 100
    assert relevance_for([adviser])[adviser.pk].total == 90.0
    page = client.get("/selection/relevance/weights/").content.decode()
    assert "Commitments first" in page


@pytest.mark.parametrize("data, field, message", [
    ({"country": "-1"}, "country", "Ensure this value is greater than or equal to 0."),
    ({"country": "1001"}, "country", "Ensure this value is less than or equal to 1000."),
    ({"country": "lots"}, "country", "Enter a number."),
    ({"reason": ""}, "reason", "This field is required."),
    (dict.fromkeys(DEFAULT_WEIGHTS, "0"), None, "At least one weight must be above 0."),
])
def test_bad_weights_in_the_form_are_refused_with_nothing_changed(client, sel, policy, data, field, message):
    signed_in(client, policy)
    priorities.ensure_default_model()  # installed on first use (its thematic weights): not this test's write
    entries = AuditEntry.objects.count()
    response = client.post("/selection/relevance/weights/", {**DEFAULT_WEIGHTS, "reason": "r"} | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RelevanceWeights.objects.exists()
    assert AuditEntry.objects.count() == entries


def _api(client, method, url, body=None):
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_the_api_puts_weights_and_refuses_bad_ones(client, sel, policy):
    client.force_login(policy)
    bad = _api(client, "PUT", "/api/selection/relevance-weights",
               {"weights": {**DEFAULT_WEIGHTS, "country": -5, "glory": 1}, "reason": "x"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"country": ["Ensure this value is greater than or equal to 0."],
                                    "glory": ["Unknown part (the parts: country, mission_themes, position_themes, "
                                              "international_commitments, national_interests, mission_interests)."]}
    assert not RelevanceWeights.objects.exists()
    missing = _api(client, "PUT", "/api/selection/relevance-weights", {"weights": {"country": 5}, "reason": "x"})
    assert missing.status_code == 400
    assert missing.json()["errors"]["mission_themes"] == ["This field is required."]
    good = _api(client, "PUT", "/api/selection/relevance-weights",
                {"weights": DEFAULT_WEIGHTS | {"country": 60}, "reason": "Geography first"})
    assert good.status_code == 200
    assert good.json()["weights"]["country"] == 60.0
    assert good.json()["set_by"] == "policy"
    assert client.get("/api/selection/relevance-weights").json()["default"] is False


def test_the_api_gives_a_call_position_s_relevance(client, sel, ranking, adviser):
    client.force_login(sel["users"]["coordinator"])
    body = client.get(f"/api/selection/call-positions/{sel['cp'].pk}/relevance").json()
    assert body["total"] == 71.5
    country = body["parts"][0]
    assert (country["part"], country["weight"], country["value"], country["points"]) == ("country", 30.0, 0.75, 22.5)
    assert [(c["iso3"], c["rank"]) for c in country["countries"]] == [("SRB", 2), ("ALB", 3)]
    assert body["parts"][2]["themes"][0] == {"code": "trafficking_in_human_beings",
                                             "name": "Trafficking in human beings", "weight": 2.0}
    client.force_login(sel["users"]["coordinator_beta"])  # the call is not sent to beta
    assert client.get(f"/api/selection/call-positions/{sel['cp'].pk}/relevance").status_code == 404


# --- The most strategic open positions -----------------------------------------------------------

@pytest.fixture
def many(sel, ranking, adviser, policy):
    """Four more open positions in the call: a clerk in the same mission (no tags), and positions in
    Colombia (rank 1), in Ukraine (rank 5, burden 4) and in Morocco (no burden set)."""
    coordinator = sel["users"]["coordinator"]
    made = {"adviser": sel["cp"]}
    for name, country, burden, themes in (("clerk", None, 1, []), ("col", "COL", 3, ["drugs"]),
                                          ("ukr", "UKR", 4, ["trafficking_in_human_beings"]), ("mar", "MAR", None, [])):
        mission = sel["mission"] if country is None else make_mission(f"EU{name.upper()}", countries=[country],
                                                                      themes=themes)
        position = make_position(mission, title=f"Post {name}", burden=burden)
        made[name] = services.add_call_position(actor=coordinator, call=sel["call"], position=position)
    return made


def _order(page, made):
    found = {page.index(f'id="cp-{cp.pk}"'): name for name, cp in made.items()}
    return [found[k] for k in sorted(found)]


def test_the_strategic_list_sorts_by_relevance_deadline_and_burden(client, sel, many):
    signed_in(client, sel["users"]["coordinator"])
    # adviser 71.5; col: 30×1 + 20×0.5 (drugs 1 of 2) + 0 + 15 neutral = 55; clerk 22.5 + 10 + 0 + 15 = 47.5;
    # ukr: 0 + 20 (THB 2 of 2) + 15 = 35; mar: 30×0.25 + 15 = 22.5
    page = client.get("/selection/strategic/").content.decode()
    assert _order(page, many) == ["adviser", "col", "clerk", "ukr", "mar"]
    assert _order(client.get("/selection/strategic/?sort=burden").content.decode(), many) == [
        "clerk", "adviser", "col", "ukr", "mar"]
    assert _order(client.get("/selection/strategic/?sort=-burden").content.decode(), many) == [
        "ukr", "col", "adviser", "clerk", "mar"]
    assert "4 · very hard" in page and "Conflict area" in page
    assert client.get("/selection/strategic/?sort=height").status_code == 400
    api = client.get("/api/selection/strategic?sort=relevance&limit=2&offset=1").json()
    assert (api["count"], [i["title"] for i in api["items"]]) == (5, ["Post col", "Post clerk"])
    assert [i["relevance"]["total"] for i in api["items"]] == [55.0, 47.5]
    assert client.get("/api/selection/strategic?sort=height").status_code == 400


def test_the_strategic_list_shows_only_calls_the_user_sees(client, sel, many):
    signed_in(client, sel["users"]["coordinator_beta"])
    assert "No open positions in the calls you see." in client.get("/selection/strategic/").content.decode()
    assert client.get("/api/selection/strategic").json()["count"] == 0


def test_the_strategic_list_runs_a_fixed_number_of_queries(client, sel, many):
    signed_in(client, sel["users"]["coordinator"])
    client.get("/selection/strategic/")  # warm the session and the adopted run's cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/selection/strategic/")
    assert response.content.decode().count('<tr id="cp-') == 5
    # session, user, authenticator, roles; the call positions; weights, adoption; the positions with
    # their host countries, mission themes and tags
    assert len(queries) == 11
    for n in range(4):
        services.add_call_position(actor=sel["users"]["coordinator"], call=sel["call"],
                                   position=make_position(make_mission(f"EUMORE{n}", countries=["ALB"],
                                                                       themes=["drugs"]), burden=2))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/selection/strategic/")
    assert response.content.decode().count('<tr id="cp-') == 9
    assert len(queries) == 11


# --- Burden -----------------------------------------------------------------------------------------

def test_a_first_mission_at_a_heavy_duty_station_or_a_senior_post_is_flagged_not_refused(client, sel):
    position = sel["position"]
    position.burden, position.minimum_rank = Burden.VERY_HARD, Rank.objects.get(code="superintendent")
    position.save()
    first = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=sel["aalto"])
    veteran = sel["carlsson"]
    make_secondment(veteran, make_position(make_mission("EUOLD")))
    services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=veteran)
    assert first.status == "awaiting_release"
    page = signed_in(client, sel["users"]["coordinator"]).get(f"/selection/calls/{sel['call'].pk}/").content.decode()
    assert page.count("burden-warning") == 2  # both warnings on Aalto's row, none on Carlsson's
    assert "First mission at a heavy duty station (burden 4 · very hard)." in page
    assert "First mission on a senior post (at least Superintendent)." in page
    assert burden_warnings(position, earlier_missions=1) == []


# --- Rotations ------------------------------------------------------------------------------------

D = dt.date(2027, 3, 1)


def _t(officer, start, end, status="deployed"):
    return Tenure(officer, start, end, status)


@pytest.mark.parametrize("tenures, selected, state, days_left, handover", [
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(30)),
      _t(2, D + dt.timedelta(20), D + dt.timedelta(400), "selected")], [], "covered", 30, 11),
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(30)),
      _t(2, D + dt.timedelta(31), D + dt.timedelta(400), "selected")], [], "late", 30, 0),
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(30))], [], "at_risk", 30, None),
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(90))], [], "at_risk", 90, None),
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(91))], [], "to_find", 91, None),
    ([_t(1, D - dt.timedelta(300), D + dt.timedelta(30))], [Tenure(3, None, None, "selected")], "covered", 30, None),
    ([_t(1, D - dt.timedelta(300), None)], [], "open_ended", None, None),
    ([], [], "vacant", None, None),
    ([_t(2, D + dt.timedelta(20), D + dt.timedelta(400), "selected")], [], "vacant_planned", None, None),
    # a planned secondment whose start has come holds the position
    ([_t(1, D - dt.timedelta(5), D + dt.timedelta(10), "selected")], [], "at_risk", 10, None),
])
def test_rotation_states(tenures, selected, state, days_left, handover):
    rotation = rotation_state(today=D, tenures=tenures, selected=selected, warning=90)
    assert (rotation.state, rotation.days_left, rotation.handover_days) == (state, days_left, handover)
    assert rotation.flagged is (state in ("late", "at_risk", "vacant"))


def test_the_rotations_page_names_holder_and_successor_and_flags_the_risk(client, sel, adviser):
    aalto, berg, carlsson = sel["aalto"], sel["berg"], sel["carlsson"]
    make_secondment(aalto, adviser, status=Secondment.Status.DEPLOYED, start=TODAY - dt.timedelta(300),
                    end=TODAY + dt.timedelta(40))
    other = make_position(make_mission("EUROT"), title="Head of operations", strategic=True, burden=3)
    make_secondment(carlsson, other, status=Secondment.Status.DEPLOYED, start=TODAY - dt.timedelta(100),
                    end=TODAY + dt.timedelta(200))
    make_secondment(berg, other, status=Secondment.Status.SELECTED, start=TODAY + dt.timedelta(190),
                    end=TODAY + dt.timedelta(500))
    states = rotations([adviser, other])
    assert (states[adviser.pk].state, states[other.pk].state) == ("at_risk", "covered")
    assert states[other.pk].handover_days == 11
    signed_in(client, sel["users"]["coordinator"])  # pool alpha: sees Aalto and Carlsson, not Berg
    page = client.get("/selection/rotations/").content.decode()
    assert "1 position needs attention." in page
    assert page.index(f'id="position-{adviser.pk}"') < page.index(f'id="position-{other.pk}"')  # at risk first
    assert "Aalto" in page and "Carlsson" in page and "Berg" not in page
    assert "an officer you do not see" in page
    assert "11 days of handover" in page
    entry = AuditEntry.objects.filter(action="list", object_type="roster.officer").latest("id")
    assert entry.detail["officer_ids"] == sorted([aalto.pk, carlsson.pk])
    # Selected on the call for the position: the planned secondment is the successor, in time.
    successor = make_officer(sel["pools"][0], last_name="Dahl")
    nomination = services.nominate(actor=sel["users"]["coordinator"], call_position=sel["cp"], officer=successor)
    nomination = services.release(actor=sel["users"]["hr"], nomination=nomination, reason="")
    decision = services.propose_decision(actor=sel["users"]["coordinator"], nomination=nomination,
                                         outcome="selected", feedback="Welcome", justification="The only candidate.",
                                         start_date=TODAY + dt.timedelta(30))
    services.approve_decision(actor=sel["users"]["national"], decision=decision)
    rotation = rotations([adviser])[adviser.pk]
    assert (rotation.state, rotation.successor.officer_id, rotation.handover_days) == ("covered", successor.pk, 11)
    assert signed_in(client, sel["users"]["secondee"]).get("/selection/rotations/").status_code == 403


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get"} <= set(paths["/api/selection/call-positions/{call_position_id}/relevance"])
    assert {"get"} <= set(paths["/api/selection/strategic"])
    assert {"get", "put"} <= set(paths["/api/selection/relevance-weights"])
    assert paths["/api/selection/relevance-weights"]["put"]["tags"] == ["selection"]


def test_the_position_page_with_its_ranked_candidates_shows_the_relevance(client, sel, ranking, adviser):
    page = signed_in(client, sel["users"]["coordinator"]).get(f"/selection/call-positions/{sel['cp'].pk}/")
    assert page.status_code == 200
    body = page.content.decode().replace("\n", "")
    assert "Relevance to national priorities: 71.5 / 100" in body
    assert '<tr data-part="position_themes"><td>Position&#x27;s own thematic tags</td><td>20</td><td>1.00</td>' \
           '<td>20.00</td>' in body


def test_the_board_links_the_strategic_list_and_the_rotations_for_staff(client, sel):
    page = signed_in(client, sel["users"]["coordinator"]).get("/selection/").content.decode()
    assert 'id="strategic-link"' in page and 'id="rotations-link"' in page
    page = signed_in(client, sel["users"]["secondee"]).get("/selection/").content.decode()
    assert 'id="strategic-link"' in page and 'id="rotations-link"' not in page
