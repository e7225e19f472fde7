"""The start page: a section per role, every count equal to what the list it links to shows that
user (no leak through a count), a bounded number of queries per role, and acting from it."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.pools.models import Role
from dividend.reference.models import QualificationType
from dividend.roster.attention import PROFILE_FIELDS
from dividend.roster.models import Officer, Qualification
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def qualification(officer, code, expires, *, status=Qualification.Status.CONFIRMED, submitted_by=None):
    return Qualification.objects.create(officer=officer, qualification_type=QualificationType.objects.get(code=code),
                                        issued_on=dt.date(2020, 1, 1), expires_on=expires, status=status,
                                        submitted_by=submitted_by)


@pytest.fixture
def start_world():
    """Two pools with something due in each; a restricted (medical) expiry in pool alpha that only
    alpha's own coordinator may count."""
    alpha, beta = make_pool("alpha", name="Alpha State Police"), make_pool("beta", name="Beta Border Guard")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aino")
    own = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino", phone="")
    ob = make_officer(beta, last_name="Berg", first_name="Bo", available_from=days(-3))
    oc = make_officer(alpha, last_name="Colin", first_name="Cleo", available_from=days(-10))
    make_officer(alpha, last_name="Old", first_name="Otto", available_from=days(-200))  # not newly available
    pending_a = qualification(own, "passport", days(2000), status=Qualification.Status.PENDING, submitted_by=secondee)
    qualification(ob, "driving_licence", days(900), status=Qualification.Status.PENDING)
    qualification(own, "passport", days(30))  # the secondee's: expires soon
    qualification(own, "medical_fitness", days(-5))  # the secondee's own, restricted: expired
    qualification(oc, "medical_fitness", days(40))  # restricted: only alpha's coordinator counts it
    qualification(ob, "passport", days(80))
    qualification(ob, "passport", days(200))  # beyond 90 days
    mission = make_mission("EUTEST")
    position = make_position(mission)
    deployed = Secondment.Status.DEPLOYED
    make_secondment(oc, position, status=deployed, start=days(-100), end=days(20))
    make_secondment(ob, position, status=deployed, start=days(-100), end=days(300))
    make_secondment(make_officer(beta, last_name="Dahl"), position, status=deployed, start=days(-50), end=days(59))
    make_secondment(make_officer(alpha, last_name="Eck"), position, status=Secondment.Status.SELECTED,
                    start=days(5), end=days(40))  # planned: neither deployed nor ending
    users = {
        "coordinator_pool": make_user(Role.COORDINATOR, pools=[alpha], username="coord_alpha"),
        "coordinator_national": make_user(Role.COORDINATOR, national=True, username="coord_national"),
        "policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "auditor": make_user(Role.AUDITOR, national=True, username="auditor"),
        "secondee": secondee,
        "coordinator_and_auditor": make_user(Role.COORDINATOR, pools=[alpha], username="both",
                                             roles=[(Role.AUDITOR, "national")]),
        "analyst": make_user(Role.ANALYST, national=True, username="analyst"),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True, username="liaison"),
    }
    # Reads of the secondee's record today: one with restricted fields (need-to-know), one without.
    record(actor=users["coordinator_pool"], action="read", obj=own,
           fields=["email", "emergency_contact_name", "emergency_contact_phone", "restricted_qualifications"])
    record(actor=users["coordinator_national"], action="read", obj=own, fields=["email", "phone"])
    return {"users": users, "pools": (alpha, beta), "own": own, "pending": pending_a}


TILE = re.compile(r'<a class="tile[^"]*" id="(tile-[a-z-]+)" href="([^"]+)">\s*<span class="tile-count">([^<]+)</span>')


def tiles(html: str) -> dict[str, tuple[str, str]]:
    return {tile_id: (unescape(href), count.strip()) for tile_id, href, count in TILE.findall(html)}


def listed_total(response) -> int:
    """How many records the linked list says it shows (its own total, as its reader sees it)."""
    context = response.context
    if "pending" in context and context.get("page") is None:
        return len(context["pending"])
    if "total" in context:
        return context["total"]
    return context["page"].paginator.count


SECTIONS = {
    "coordinator_pool": {"start-coordinator", "start-figures"},
    "coordinator_national": {"start-coordinator", "start-figures"},
    "policy": {"start-priorities", "start-figures"},
    "auditor": {"start-audit", "start-figures"},
    "secondee": {"start-profile"},
    "coordinator_and_auditor": {"start-coordinator", "start-audit", "start-figures"},
    "analyst": set(),
    # The Ministry liaison: the dashboard and the report to parliament, nothing else.
    "liaison": {"start-figures"},
}
# What each user's tiles count: visible records only (alpha's coordinator sees alpha's officers and
# its medical expiry; the national coordinator both pools, but no medical expiry of anyone).
COUNTS = {
    "coordinator_pool": {"tile-pending": "1", "tile-expiring": "2", "tile-deployed": "1", "tile-ending": "1",
                         "tile-available": "1"},
    "coordinator_national": {"tile-pending": "2", "tile-expiring": "2", "tile-deployed": "3", "tile-ending": "2",
                             "tile-available": "2"},
    "auditor": {"tile-chain": "Not verified", "tile-restricted-reads": "1"},
    # The national auditor role sees every pool's officers; need-to-know stays alpha's.
    "coordinator_and_auditor": {"tile-pending": "2", "tile-expiring": "3", "tile-deployed": "3", "tile-ending": "2",
                                "tile-available": "2", "tile-chain": "Not verified", "tile-restricted-reads": "1"},
}


@pytest.mark.parametrize("who", list(SECTIONS))
def test_each_role_sees_its_sections_and_counts(client, start_world, who):
    client.force_login(start_world["users"][who])
    html = client.get("/").content.decode()
    shown = set(re.findall(r'<section class="start-section" id="([a-z-]+)"', html))
    assert shown == SECTIONS[who]
    assert {tile_id: count for tile_id, (_, count) in tiles(html).items()} == COUNTS.get(who, {})


@pytest.mark.parametrize("who", ["coordinator_pool", "coordinator_national", "auditor", "coordinator_and_auditor"])
def test_every_count_equals_what_its_linked_list_shows_that_user(client, start_world, who):
    client.force_login(start_world["users"][who])
    found = tiles(client.get("/").content.decode())
    assert found
    for tile_id, (href, count) in found.items():
        if tile_id == "tile-chain":
            continue
        response = client.get(href)
        assert response.status_code == 200, (tile_id, href)
        assert listed_total(response) == int(count), (tile_id, href)


def test_the_liaison_starts_from_the_dashboard_and_the_report(client, start_world):
    client.force_login(start_world["users"]["liaison"])
    html = client.get("/").content.decode()
    assert 'href="/accountability/"' in html and 'href="/accountability/parliament/"' in html
    assert "Nothing waits for you here" not in html


def test_expiring_list_shows_restricted_records_only_with_need_to_know(client, start_world):
    for who, medical_shown in (("coordinator_pool", True), ("coordinator_national", False)):
        client.force_login(start_world["users"][who])
        html = client.get("/roster/qualifications/expiring/").content.decode()
        assert ("Medical fitness" in html) is medical_shown, who
        assert "Colin" in html or not medical_shown


def test_expiring_list_refuses_an_unreadable_period(client, start_world):
    client.force_login(start_world["users"]["coordinator_pool"])
    response = client.get("/roster/qualifications/expiring/?days=0")
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()


def test_the_secondee_sees_completeness_and_what_expires(client, start_world):
    client.force_login(start_world["users"]["secondee"])
    html = client.get("/").content.decode()
    # Six fields and the languages; the factory's officer has no phone, availability or languages.
    assert "Your profile is 43% complete." in html
    missing = re.findall(r'<li><a href="/roster/me/">([^<]+)</a></li>', html)
    assert [unescape(m) for m in missing] == ["Phone number", "Available from",
                                              "Longest deployment you would accept (months)", "Languages"]
    expiring = re.search(r'<ul id="own-expiring">(.*?)</ul>', html, re.S).group(1)
    assert "Medical fitness" in expiring and "expired on" in expiring  # their own restricted record
    assert "Service passport" in expiring and "expires on" in expiring
    assert "1 qualification you submitted waits for a coordinator." in html


def test_profile_completeness_names_every_field_a_secondee_keeps():
    assert set(PROFILE_FIELDS) == set(Officer.SELF_EDITABLE_FIELDS)


def test_policy_officer_sees_the_current_national_ranking(client, start_world, settings):
    from dividend.priorities import services

    from .priorities_app.conftest import SMALL_MODEL

    policy = start_world["users"]["policy"]
    client.force_login(policy)
    assert "The model has not been run yet." in client.get("/").content.decode()
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    run, _ = services.start_run(actor=policy, version=model.current_version, home_country=settings.DIVIDEND_HOME_COUNTRY,
                                draws=0, seed=7, label="baseline")
    services.start_run(actor=policy, version=model.current_version, home_country="BEL", draws=0, seed=7)  # not national
    html = client.get("/").content.decode()
    assert f'href="/priorities/runs/{run.pk}/"' in html
    assert "The current national ranking comes from <strong>Small test model</strong> (version 1)" in html
    top = re.findall(r'<td><a href="/priorities/runs/\d+/countries/([A-Z]{3})/">', html)
    assert top == list(run.countries.filter(rank__isnull=False).order_by("rank").values_list("iso3", flat=True)[:10])


def test_policy_officer_sees_the_adopted_national_ranking_rather_than_the_latest_run(client, start_world, settings):
    from dividend.priorities import adoption, services

    from .priorities_app.conftest import SMALL_MODEL

    policy = start_world["users"]["policy"]
    client.force_login(policy)
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    home = settings.DIVIDEND_HOME_COUNTRY
    adopted, _ = services.start_run(actor=policy, version=model.current_version, home_country=home, draws=0, seed=7)
    adoption.adopt_run(actor=policy, run=adopted, reason="Reference for 2027")
    later, _ = services.start_run(actor=policy, version=model.current_version, home_country=home, draws=0, seed=8)
    html = client.get("/").content.decode()
    assert f'href="/priorities/runs/{adopted.pk}/"' in html
    assert f'href="/priorities/runs/{later.pk}/"' not in html
    assert 'id="ranking-adopted"' in html


def test_coordinator_confirms_from_the_start_page_and_returns_to_it(client, start_world):
    client.force_login(start_world["users"]["coordinator_pool"])
    pending = start_world["pending"]
    html = client.get("/").content.decode()
    assert f'id="confirm-{pending.pk}"' in html
    response = client.post(f"/roster/qualifications/{pending.pk}/decide/", {"confirm": "1", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    pending.refresh_from_db()
    assert pending.status == Qualification.Status.CONFIRMED
    assert tiles(client.get("/").content.decode())["tile-pending"][1] == "0"


def test_decision_does_not_redirect_elsewhere(client, start_world):
    client.force_login(start_world["users"]["coordinator_pool"])
    pending = start_world["pending"]
    response = client.post(f"/roster/qualifications/{pending.pk}/decide/",
                           {"confirm": "1", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/roster/qualifications/pending/"


def test_the_start_page_logs_the_officers_it_names(client, start_world):
    user = start_world["users"]["coordinator_pool"]
    client.force_login(user)
    before = AuditEntry.objects.count()
    client.get("/")
    entries = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "object_type"))
    assert entries == [("list", "roster.qualification"), ("list", "secondments.secondment")]


# Queries of the start page per role, whatever the number of records: 4 for every signed-in page
# (session, user, authenticator, roles with their pools in one query), then each section's: coordinator 4 roster
# + 3 secondments + 7 for the one audit append of two entries naming the officers shown (savepoint,
# chain head, last id, inserts, new ids, head update, release; on PostgreSQL the inserts are a COPY,
# which Django's query log does not show: 6); policy officer the adopted national run, then the latest run (+ its top countries
# once there is one); auditor the stored verification + today's count; secondee record, languages, qualifications.
QUERIES = {
    "coordinator_pool": 18,
    "coordinator_national": 18,
    "policy": 6,
    "auditor": 6,
    "secondee": 7,
    "coordinator_and_auditor": 20,
    "analyst": 4,
}


@pytest.mark.parametrize("who", list(QUERIES))
def test_start_page_queries_per_role(client, start_world, who):
    client.force_login(start_world["users"][who])
    client.get("/")  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    alpha, beta = start_world["pools"]
    for pool in (alpha, beta):  # more of everything: the count stays
        for _ in range(3):
            officer = make_officer(pool, available_from=days(-1))
            qualification(officer, "passport", days(10), status=Qualification.Status.PENDING)
            make_secondment(officer, make_position(make_mission()), status=Secondment.Status.DEPLOYED,
                            start=days(-10), end=days(10))
    with CaptureQueriesContext(connection) as more:
        assert client.get("/").status_code == 200
    expected = QUERIES[who] - (1 if who.startswith("coordinator") and connection.vendor == "postgresql" else 0)
    assert (len(queries), len(more)) == (expected, expected), [q["sql"] for q in more.captured_queries]


@pytest.mark.parametrize(("role", "listed"), [(Role.MINISTRY_LIAISON, False), (Role.COORDINATOR, True),
                                              (Role.SECONDEE, True)])
def test_the_menu_lists_secondments_only_for_who_has_some_to_see(client, role, listed):
    """The liaison reads consolidated figures only: the secondments list would always be empty."""
    user = make_user(role, national=role != Role.SECONDEE, pools=[make_pool("alpha")] if role == Role.SECONDEE else ())
    client.force_login(user)
    nav = re.search(r"<nav>(.*?)</nav>", client.get("/").content.decode(), re.S).group(1)
    assert ('href="/secondments/"' in nav) is listed
