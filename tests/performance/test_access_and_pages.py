"""Who sees and does what, the pages (chart, accessible table, export) and their query counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.performance import services
from dividend.performance.models import Contribution

from ..factories import make_mission, make_position, make_secondment
from .conftest import BASELINE, LATER, add_value, assess, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(perf_world):
    """On EUBAM: an indicator with two values, Aalto's and Berg's contributions, the baseline and a later assessment."""
    indicator = make_indicator(perf_world)
    add_value(perf_world, indicator, dt.date(2026, 1, 1), dt.date(2026, 3, 31), 30, source="EUBAM CPAS report Q1")
    add_value(perf_world, indicator, dt.date(2026, 4, 1), dt.date(2026, 6, 30), 45, source="EUBAM CPAS report Q2")
    sa, sb, _sc = perf_world["secondments"]
    national = perf_world["users"]["coordinator_national"]
    services.add_contribution(actor=national, indicator=indicator, secondment=sa, description="Wrote the curriculum.")
    services.add_contribution(actor=national, indicator=indicator, secondment=sb, description="Mentored shift leaders.")
    assess(perf_world, "baseline", dt.date(2025, 3, 1), BASELINE)
    assess(perf_world, "follow_up", dt.date(2026, 3, 1), LATER)
    return perf_world | {"indicator": indicator}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_liaison_sees_the_count_of_contributions_not_the_names(client, recorded):
    eubam = recorded["missions"][0]
    body = _get(client, recorded["users"]["liaison"], f"/performance/missions/{eubam.pk}/").content.decode()
    assert "Aalto" not in body and "Berg" not in body and "Wrote the curriculum" not in body
    row = body[body.index(f'id="indicator-{recorded["indicator"].pk}"'):]
    assert '<td class="contributions">2' in row
    api = client.get(f"/api/performance/missions/{eubam.pk}").json()
    assert api["indicators"][0]["contribution_count"] == 2 and api["indicators"][0]["contributions"] == []
    assert "Aalto" not in str(api)


def test_a_pool_coordinator_sees_their_pool_s_officer_only(client, recorded):
    body = _get(client, recorded["users"]["coordinator"],
                f"/performance/missions/{recorded['missions'][0].pk}/").content.decode()
    assert "Aino Aalto: Wrote the curriculum." in body
    assert "Berg" not in body


def test_reading_named_contributions_is_audited_with_the_officers(client, recorded):
    client.force_login(recorded["users"]["policy"])
    client.get(f"/performance/missions/{recorded['missions'][0].pk}/")
    entry = AuditEntry.objects.filter(action="list", object_type="performance.contribution").get()
    assert entry.detail["officer_ids"] == sorted(o.pk for o in recorded["officers"])


def test_a_pool_coordinator_adds_contributions_for_their_pool_s_secondments_only(perf_world):
    indicator = make_indicator(perf_world)
    sa, sb, _sc = perf_world["secondments"]
    coordinator = perf_world["users"]["coordinator"]
    services.add_contribution(actor=coordinator, indicator=indicator, secondment=sa, description="Trained.")
    with pytest.raises(PermissionDenied):
        services.add_contribution(actor=coordinator, indicator=indicator, secondment=sb, description="Trained.")
    with pytest.raises(PermissionDenied):
        services.add_contribution(actor=perf_world["users"]["policy"], indicator=indicator, secondment=sb,
                                  description="Trained.")


def test_a_contribution_needs_a_secondment_on_the_indicator_s_mission(perf_world):
    indicator = make_indicator(perf_world)
    eucap_secondment = perf_world["secondments"][2]
    with pytest.raises(ValidationError, match="did not take place on EUBAM"):
        services.add_contribution(actor=perf_world["users"]["coordinator_national"], indicator=indicator,
                                  secondment=eucap_secondment, description="Trained.")


def test_evidence_reports_are_the_officer_s_own_on_the_mission(perf_world):
    from dividend.reports.models import FieldReport

    indicator = make_indicator(perf_world)
    aalto, berg = perf_world["officers"]
    eubam = perf_world["missions"][0]
    stamp = dict(period_start=dt.date(2025, 5, 1), period_end=dt.date(2025, 5, 7), kind="weekly", body="Quiet.",
                 marking="green", credibility=3, reliability="C", submitted_at=dt.datetime(2025, 5, 8, tzinfo=dt.UTC))
    own = FieldReport.objects.create(officer=aalto, mission=eubam, title="Crossing point visit", draft_key="1", **stamp)
    other = FieldReport.objects.create(officer=berg, mission=eubam, title="Berg's note", draft_key="2", **stamp)
    national = perf_world["users"]["coordinator_national"]
    with pytest.raises(ValidationError, match=f"#{other.pk}"):
        services.add_contribution(actor=national, indicator=indicator, secondment=perf_world["secondments"][0],
                                  description="Trained.", reports=[own, other])
    contribution = services.add_contribution(actor=national, indicator=indicator, secondment=perf_world["secondments"][0],
                                             description="Trained.", reports=[own])
    assert list(contribution.reports.all()) == [own]


def test_removal_needs_confirmation_and_is_audited(client, recorded):
    contribution = Contribution.objects.get(secondment=recorded["secondments"][0])
    client.force_login(recorded["users"]["coordinator"])
    client.post(f"/performance/contributions/{contribution.pk}/remove/", {})
    assert Contribution.objects.filter(pk=contribution.pk).exists()
    client.post(f"/performance/contributions/{contribution.pk}/remove/", {"confirm": "yes"})
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="performance.contribution").count() == 1


def test_hr_and_secondees_do_not_read_mission_performance(client, perf_world):
    for who in ("hr", "secondee"):
        assert _get(client, perf_world["users"][who], "/performance/").status_code == 403


def test_the_border_page_has_the_chart_and_its_numbers_in_a_table(client, recorded):
    body = _get(client, recorded["users"]["liaison"],
                f"/performance/missions/{recorded['missions'][0].pk}/border/").content.decode()
    assert '<svg role="img" aria-label="Progress against the baseline" class="chart"' in body
    assert "<style" not in body[body.index("<svg"):body.index("</svg>")]
    row = body[body.index('id="area-legislative_framework"'):]
    row = row[:row.index("</tr>")]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:5]] == [
        "Legislative framework", "1", "3", "2026-03-01", "+2"]
    trust = body[body.index('id="area-population_trust"'):]
    assert "<td>2</td><td>1</td>" in trust[:trust.index("</tr>")] and "<td>-1</td>" in trust[:trust.index("</tr>")]
    threats = body[body.index('id="area-threats"'):]
    assert "not reassessed" in threats[:threats.index("</tr>")]


def test_the_mission_page_shows_progress(client, recorded):
    body = _get(client, recorded["users"]["policy"],
                f"/performance/missions/{recorded['missions'][0].pk}/").content.decode()
    assert "62.5 %" in body  # 45 on the way from 20 to 60
    assert "EUBAM CPAS report Q2" in body


def test_the_export_lists_every_value_with_its_source(client, recorded):
    response = _get(client, recorded["users"]["liaison"], f"/performance/missions/{recorded['missions'][0].pk}/values.csv")
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("mission,indicator id,result level,indicator,unit,baseline,target")
    assert lines[1:] == [
        f"EUBAM,{recorded['indicator'].pk},Outcome,Border crossing points applying risk analysis,%,20.00,60.00,"
        "Higher is better,Active,2026-01-01,2026-03-31,30.00,EUBAM CPAS report Q1",
        f"EUBAM,{recorded['indicator'].pk},Outcome,Border crossing points applying risk analysis,%,20.00,60.00,"
        "Higher is better,Active,2026-04-01,2026-06-30,45.00,EUBAM CPAS report Q2"]
    assert AuditEntry.objects.filter(action="export", object_type="performance.indicatorvalue").count() == 1


def test_a_mission_the_country_does_not_contribute_to_has_no_page(client, perf_world):
    assert _get(client, perf_world["users"]["policy"],
                f"/performance/missions/{perf_world['missions'][2].pk}/").status_code == 404


def test_the_border_page_is_for_border_management_missions(client, perf_world):
    assert _get(client, perf_world["users"]["policy"],
                f"/performance/missions/{perf_world['missions'][1].pk}/border/").status_code == 404


def test_the_list_s_queries_do_not_grow_with_missions(client, recorded, django_assert_num_queries):
    client.force_login(recorded["users"]["liaison"])
    client.get("/performance/")  # warm the session and the role cache's first read
    with django_assert_num_queries(5):
        assert client.get("/performance/").status_code == 200
    for n in range(5):
        mission = make_mission(f"EXTRA{n}", themes=("border_management",))
        make_secondment(recorded["officers"][1], make_position(mission), status="returned",
                        start=dt.date(2020 + n, 1, 1), end=dt.date(2020 + n, 6, 30))
        make_indicator(recorded, mission=mission)
    with django_assert_num_queries(5):
        assert client.get("/performance/").status_code == 200


def test_the_mission_page_s_queries_do_not_grow_with_indicators(client, recorded, django_assert_num_queries):
    url = f"/performance/missions/{recorded['missions'][0].pk}/"
    client.force_login(recorded["users"]["policy"])
    client.get(url)
    with django_assert_num_queries(20):
        client.get(url)
    for n in range(4):
        indicator = make_indicator(recorded, text=f"More {n}")
        add_value(recorded, indicator, dt.date(2026, 1, 1), dt.date(2026, 3, 31), 25 + n)
        services.add_contribution(actor=recorded["users"]["coordinator_national"], indicator=indicator,
                                  secondment=recorded["secondments"][0], description="More.")
    with django_assert_num_queries(20):
        client.get(url)
