"""Selection analytics (issue 10, §7): nominations and success rate by pool, gender, organisation and
year, days from a call's publication to each nomination, release refusals; counted over the nominations
each reader may see (no leak through a count), in a fixed number of queries; CSV/XLSX export and API."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.pools.models import Role, RoleAssignment, Scope
from dividend.selection import services
from dividend.selection.models import Call, Nomination

from ..factories import complete_sign_in, make_mission, make_officer, make_position, make_user
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


@pytest.fixture
def figures(sel):
    """Two calls and five nominations whose dates are set to known days:

    call EU-2027-01 (EU CSDP, published 2026-03-02, pool alpha):
      n1 Aalto (f, alpha): nominated 03-02, released 3 days later, selected
      n2 Carlsson (m, alpha): nominated 03-02, release refused 7 days later
    call UN-2025-09 (UN, published 2025-12-20, pools alpha and beta):
      n3 Aalto: nominated 12-24 (4 days after the call), released 1 day later, not selected
      n4 Berg (m, beta): nominated 12-28 (8 days), released 4 days later, reserve
      n5 Carlsson: nominated 12-30 (10 days), awaiting release
    """
    users, aalto, berg, carlsson = sel["users"], sel["aalto"], sel["berg"], sel["carlsson"]
    carlsson.gender = berg.gender = "male"
    carlsson.save(update_fields=["gender"])
    berg.save(update_fields=["gender"])
    national, coordinator = users["national"], users["coordinator"]
    un_position = make_position(make_mission("UNTEST", organisation="un"), title="Police adviser", duration_months=6)
    un = services.create_call(actor=national, pools=list(sel["pools"]), organisation="un", kind="regular",
                              reference="UN-2025-09", title="UNTEST rotation", published_on=TODAY,
                              organisation_deadline=TODAY + dt.timedelta(days=40),
                              national_deadline=TODAY + dt.timedelta(days=20))
    un_cp = services.add_call_position(actor=national, call=un, position=un_position, posts=3)
    services.change_call_status(actor=national, call=un, status=Call.Status.OPEN)
    n1 = services.nominate(actor=coordinator, call_position=sel["cp"], officer=aalto)
    n2 = services.nominate(actor=coordinator, call_position=sel["cp"], officer=carlsson)
    n3 = services.nominate(actor=coordinator, call_position=un_cp, officer=aalto)
    n4 = services.nominate(actor=national, call_position=un_cp, officer=berg)
    n5 = services.nominate(actor=coordinator, call_position=un_cp, officer=carlsson)
    services.release(actor=users["hr"], nomination=n1)
    services.refuse_release(actor=users["hr"], nomination=n2, reason="Needed at home")
    services.release(actor=users["hr"], nomination=n3)
    services.release(actor=users["hr_beta"], nomination=n4)
    approver = make_user(Role.COORDINATOR, national=True, username="national2")  # four eyes

    def decide(proposer, nomination, outcome, feedback, **dates):
        decision = services.propose_decision(actor=proposer, nomination=nomination, outcome=outcome,
                                             feedback=feedback, justification="As the panel advised", **dates)
        services.approve_decision(actor=approver, decision=decision)

    decide(coordinator, n1, "selected", "Welcome", start_date=TODAY + dt.timedelta(days=90))
    decide(coordinator, n3, "not_selected", "Next time")
    decide(national, n4, "reserve", "On the reserve list")
    Call.objects.filter(pk=sel["call"].pk).update(published_on=dt.date(2026, 3, 2))
    Call.objects.filter(pk=un.pk).update(published_on=dt.date(2025, 12, 20))
    for nomination, nominated, decided in [(n1, at("2026-03-02"), at("2026-03-05")),
                                           (n2, at("2026-03-02", 11), at("2026-03-09", 11)),
                                           (n3, at("2025-12-24"), at("2025-12-25")),
                                           (n4, at("2025-12-28"), at("2026-01-01")),
                                           (n5, at("2025-12-30"), None)]:
        Nomination.objects.filter(pk=nomination.pk).update(nominated_at=nominated, release_decided_at=decided)
    return {**sel, "un": un, "un_cp": un_cp, "nominations": (n1, n2, n3, n4, n5)}


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def group(key, label, nominations, with_outcome, selected, success, median_days, first, decisions, refused,
          share, release_days, awaiting):
    return {"key": key, "label": label, "nominations": nominations, "with_outcome": with_outcome,
            "selected": selected, "success_rate": success, "median_days_from_call": median_days,
            "first_days_from_call": first, "release_decisions": decisions, "refused": refused,
            "refusal_share": share, "median_release_days": release_days, "awaiting_release": awaiting}


def test_the_figures_of_a_national_coordinator_count_every_nomination(client, figures):
    body = signed_in(client, figures["users"]["national"]).get("/api/selection/analytics").json()
    assert body["count"] == 5
    assert body["total"] == group("total", "All nominations", 5, 3, 1, 100 / 3, 4, 0, 4, 1, 25.0, 3.5, 1)
    assert body["by_pool"] == [
        group("alpha", "Alpha Police", 4, 2, 1, 50.0, 2.0, 0, 3, 1, 100 / 3, 3, 1),
        group("beta", "Beta Police", 1, 1, 0, 0.0, 8, 8, 1, 0, 0.0, 4, 0)]
    assert body["by_gender"] == [
        group("female", "Female", 2, 2, 1, 50.0, 2.0, 0, 2, 0, 0.0, 2.0, 0),
        group("male", "Male", 3, 1, 0, 0.0, 8, 0, 2, 1, 50.0, 5.5, 1)]
    assert body["by_organisation"] == [
        group("eu_csdp", "EU CSDP", 2, 1, 1, 100.0, 0.0, 0, 2, 1, 50.0, 5.0, 0),
        group("un", "United Nations", 3, 2, 0, 0.0, 8, 4, 2, 0, 0.0, 2.5, 1)]
    assert body["by_year"] == [
        group("2026", "2026", 2, 1, 1, 100.0, 0.0, 0, 2, 1, 50.0, 5.0, 0),
        group("2025", "2025", 3, 2, 0, 0.0, 8, 4, 2, 0, 0.0, 2.5, 1)]
    assert [(c["reference"], c["organisation"], c["published_on"], c["figures"]["nominations"],
             c["figures"]["median_days_from_call"], c["figures"]["first_days_from_call"])
            for c in body["by_call"]] == [("EU-2027-01", "eu_csdp", "2026-03-02", 2, 0.0, 0),
                                          ("UN-2025-09", "un", "2025-12-20", 3, 8, 4)]


@pytest.mark.parametrize(("user", "seen"), [
    ("national", 5), ("coordinator", 4), ("hr", 4), ("coordinator_beta", 1), ("hr_beta", 1), ("analyst_beta", 1)])
def test_each_reader_counts_only_the_nominations_they_may_see(client, figures, user, seen):
    reader = figures["users"][user]
    assert Nomination.objects.visible_to(reader).count() == seen
    body = signed_in(client, reader).get("/api/selection/analytics").json()
    assert (body["count"], sum(g["nominations"] for g in body["by_pool"])) == (seen, seen)
    page = client.get("/selection/analytics/").content.decode()
    assert f'<dd id="nomination-count">{seen}</dd>' in page
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/selection/analytics/csv/").streaming_content)
                                       .decode("utf-8-sig"))))
    assert rows[1][:3] == ["Total", "All nominations", str(seen)]


def test_beta_readers_see_no_figure_of_alpha(client, figures):
    body = signed_in(client, figures["users"]["coordinator_beta"]).get("/api/selection/analytics").json()
    assert [g["key"] for g in body["by_pool"]] == ["beta"]
    assert [c["reference"] for c in body["by_call"]] == ["UN-2025-09"]
    assert "Alpha Police" not in client.get("/selection/analytics/").content.decode()


@pytest.mark.parametrize("user", ["secondee", "nobody"])
def test_secondees_and_users_without_a_role_are_refused(client, figures, user):
    signed_in(client, figures["users"][user])
    assert client.get("/selection/analytics/").status_code == 403
    assert client.get("/selection/analytics/csv/").status_code == 403
    assert client.get("/api/selection/analytics").status_code == 403


def test_a_panel_member_sees_no_figures(client, figures):
    """The panel works from anonymised summaries (no gender): neither on one call nor for a pool."""
    panel = make_user(Role.PANEL_MEMBER, pools=[figures["pools"][0]])
    RoleAssignment.objects.create(user=panel, role=Role.PANEL_MEMBER, scope=Scope.OBJECT,
                                  object_type="selection.call", object_id=figures["call"].pk)
    signed_in(client, panel)
    assert client.get("/selection/analytics/").status_code == 403
    assert client.get("/api/selection/analytics").status_code == 403


def test_the_page_shows_the_figures_and_names_no_officer(client, figures):
    page = signed_in(client, figures["users"]["national"]).get("/selection/analytics/").content.decode()
    assert '<dd id="success-rate">33 % (1 selected of 3 with an outcome)</dd>' in page
    assert '<dd id="days-to-nomination">4</dd>' in page
    assert '<dd id="refusals">1 of 4 release decisions (25 %) · 1 awaits release</dd>' in page
    assert '<dd id="days-to-release">3.5</dd>' in page
    assert ('<tr><th scope="row">Alpha Police</th><td>4</td><td>2</td><td>1</td><td>50 %</td><td>2</td><td>3</td>'
            '<td>1</td><td>33 %</td><td>3</td>') in page
    assert '<tr><th scope="row">Male</th><td>3</td><td>1</td><td>0</td><td>0 %</td><td>8</td>' in page
    for name in ("Aalto", "Berg", "Carlsson", "Aino"):
        assert name not in page


def test_the_page_in_german(client, figures):
    page = signed_in(client, figures["users"]["national"]).get("/selection/analytics/",
                                                               HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>Auswertung der Auswahl</h1>" in page
    assert '<dd id="days-to-release">3,5</dd>' in page
    assert '<tr><th scope="row">Weiblich</th>' in page


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_number_of_nominations(client, figures):
    national = figures["users"]["national"]
    signed_in(client, national)
    client.get("/selection/analytics/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/selection/analytics/").status_code == 200
    for n in range(6):
        officer = make_officer(figures["pools"][1], last_name=f"More{n}")
        services.nominate(actor=national, call_position=figures["un_cp"], officer=officer)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/selection/analytics/").content.decode()
    assert '<dd id="nomination-count">11</dd>' in page
    assert len(few) == len(many) == 5, [q["sql"][:90] for q in many.captured_queries]


def test_the_api_runs_a_fixed_number_of_queries(client, figures):
    signed_in(client, figures["users"]["national"])
    client.get("/api/selection/analytics")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/selection/analytics").status_code == 200
    assert len(queries) == 5, [q["sql"][:90] for q in queries.captured_queries]


def test_the_csv_export_has_the_headings_and_a_row_per_group(client, figures):
    response = signed_in(client, figures["users"]["national"]).get("/selection/analytics/csv/")
    assert response["Content-Disposition"] == 'attachment; filename="selection-analytics.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Breakdown", "Group", "Nominations", "With an outcome", "Selected", "Success rate (%)",
                       "Median days from call to nomination", "First nomination (days after the call)",
                       "Release decisions", "Releases refused", "Refusal share (%)",
                       "Median days to the release decision", "Awaiting release"]
    assert rows[1:] == [
        ["Total", "All nominations", "5", "3", "1", "33.3", "4", "0", "4", "1", "25.0", "3.5", "1"],
        ["By pool", "Alpha Police", "4", "2", "1", "50.0", "2.0", "0", "3", "1", "33.3", "3", "1"],
        ["By pool", "Beta Police", "1", "1", "0", "0.0", "8", "8", "1", "0", "0.0", "4", "0"],
        ["By gender", "Female", "2", "2", "1", "50.0", "2.0", "0", "2", "0", "0.0", "2.0", "0"],
        ["By gender", "Male", "3", "1", "0", "0.0", "8", "0", "2", "1", "50.0", "5.5", "1"],
        ["By organisation", "EU CSDP", "2", "1", "1", "100.0", "0.0", "0", "2", "1", "50.0", "5.0", "0"],
        ["By organisation", "United Nations", "3", "2", "0", "0.0", "8", "4", "2", "0", "0.0", "2.5", "1"],
        ["By year", "2026", "2", "1", "1", "100.0", "0.0", "0", "2", "1", "50.0", "5.0", "0"],
        ["By year", "2025", "3", "2", "0", "0.0", "8", "4", "2", "0", "0.0", "2.5", "1"],
        ["By call", "EU-2027-01 – EUTEST second rotation", "2", "1", "1", "100.0", "0.0", "0", "2", "1", "50.0",
         "5.0", "0"],
        ["By call", "UN-2025-09 – UNTEST rotation", "3", "2", "0", "0.0", "8", "4", "2", "0", "0.0", "2.5", "1"]]


def test_the_xlsx_export_has_the_same_rows(client, figures):
    response = signed_in(client, figures["users"]["national"]).get("/selection/analytics/xlsx/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Breakdown", "Group", "Nominations"]
    assert rows[1] == ["Total", "All nominations", 5, 3, 1, 33.3, 4, 0, 4, 1, 25.0, 3.5, 1]
    assert len(rows) == 12


@pytest.mark.parametrize("fmt", ["pdf", "json", "x" * 300])
def test_an_unknown_export_format_is_a_clear_400(client, figures, fmt):
    response = signed_in(client, figures["users"]["national"]).get(f"/selection/analytics/{fmt}/")
    assert (response.status_code, response.content.decode()) == (400, "Export format must be csv or xlsx.")


def test_with_no_nomination_the_page_says_so(client, sel):
    page = signed_in(client, sel["users"]["coordinator"]).get("/selection/analytics/").content.decode()
    assert '<dd id="nomination-count">0</dd>' in page
    assert '<dd id="success-rate">no outcome yet</dd>' in page
    assert page.count('<td colspan="10" class="muted">No nominations.</td>') == 4
    body = json.loads(client.get("/api/selection/analytics").content)
    assert (body["count"], body["total"]["success_rate"], body["by_call"]) == (0, None, [])


def test_the_board_links_the_figures_for_their_readers_only(client, figures):
    assert 'id="analytics-link"' in signed_in(client, figures["users"]["hr"]).get("/selection/").content.decode()
    assert 'id="analytics-link"' not in signed_in(client, figures["users"]["secondee"]).get(
        "/selection/").content.decode()
