"""Targets: validation (bad input refused, nothing saved), actual against target from the snapshots,
the pages, the export and the API, with their query counts."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.targets import services
from dividend.targets.forms import TargetForm
from dividend.targets.models import Target

from ..factories import complete_sign_in
from .conftest import MARCH, TODAY

pytestmark = pytest.mark.django_db


def _target(user, *, year=2026, pool=None, kind="deployed", measure="share", bound="ceiling", value="2", note=""):
    return services.save_target(actor=user, year=year, pool=pool, kind=kind, measure=measure, bound=bound,
                                value=Decimal(value), note=note)[0]


def _form(user, **data):
    base = {"year": "2026", "pool": "", "kind": "women", "measure": "share", "bound": "floor", "value": "40", "note": ""}
    return TargetForm(data=base | data, user=user)


def _snapshots(first=dt.date(2026, 1, 1), last=MARCH):
    services.take_snapshots(actor=None, first_month=first, last_month=last, today=TODAY)


# --- Bad input ----------------------------------------------------------------------------------

def test_a_share_of_120_percent_is_refused_with_a_clear_message(small):
    form = _form(small["users"]["policy"], value="120")
    assert not form.is_valid()
    assert form.errors["value"] == ["A share is at most 100 %; 120 % is more than the whole."]


def test_a_negative_target_is_refused(small):
    form = _form(small["users"]["policy"], measure="number", value="-3")
    assert form.errors["value"] == ["A target cannot be negative."]


def test_a_number_of_officers_is_whole(small):
    form = _form(small["users"]["policy"], measure="number", value="2.5")
    assert form.errors["value"] == ["A number of officers is a whole number."]


def test_a_year_out_of_range_is_refused(small):
    form = _form(small["users"]["policy"], year="1999")
    assert "year" in form.errors


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(value=st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2))
def test_a_share_is_accepted_exactly_from_0_to_100(small, value):
    form = _form(small["users"]["policy"], value=str(value))
    assert form.is_valid() is (Decimal(0) <= value <= Decimal(100))


def test_the_service_refuses_what_the_form_refuses_and_saves_nothing(small):
    for value, message in (("120", "A share is at most 100"), ("-1", "A target cannot be negative")):
        with pytest.raises(ValidationError) as error:
            _target(small["users"]["policy"], value=value)
        assert message in str(error.value)
    assert Target.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="targets.target").exists()


def test_the_same_target_twice_is_refused(small):
    user = small["users"]["policy"]
    _target(user)
    with pytest.raises(ValidationError) as error:
        _target(user, value="3")
    assert "national already has this target for 2026" in str(error.value)
    assert Target.objects.get().value == Decimal("2.00")


def test_a_pool_policy_officer_sets_their_pools_targets_not_national_ones(small):
    alpha, beta = small["pools"]
    user = small["users"]["policy_beta"]
    assert _target(user, pool=beta).pool == beta
    for pool in (None, alpha):
        with pytest.raises(PermissionDenied):
            _target(user, pool=pool, kind="women")


def test_a_liaison_and_a_coordinator_do_not_set_targets(small):
    for who in ("liaison", "coordinator_alpha"):
        with pytest.raises(PermissionDenied):
            _target(small["users"][who], pool=small["pools"][0])


def test_saving_unchanged_writes_nothing(small):
    user = small["users"]["policy"]
    target = _target(user, note="Finland-style ceiling")
    before = AuditEntry.objects.count()
    _same, changed = services.save_target(actor=user, target=target, year=2026, pool=None, kind="deployed",
                                          measure="share", bound="ceiling", value=Decimal("2.00"),
                                          note="Finland-style ceiling")
    assert changed == [] and AuditEntry.objects.count() == before


def test_a_change_is_audited_with_old_and_new(small):
    user = small["users"]["policy"]
    target = _target(user)
    _t, changed = services.save_target(actor=user, target=target, year=2026, pool=None, kind="deployed",
                                       measure="share", bound="ceiling", value=Decimal("1.5"))
    assert changed == ["value"]
    entry = AuditEntry.objects.filter(object_type="targets.target", action="update").get()
    assert entry.detail["changes"] == {"value": {"old": "2.00", "new": "1.50"}}


# --- Actual against target ------------------------------------------------------------------------

def test_target_status_gives_each_national_target_its_actual(small):
    user = small["users"]["policy"]
    ceiling = _target(user)  # at most 2 % of the police service deployed
    women = _target(user, kind="women", bound="floor", value="40")
    command = _target(user, kind="women_command", bound="floor", value="60")
    french = _target(user, kind="french", measure="number", bound="floor", value="2")
    _target(user, pool=small["pools"][1], kind="women", measure="number", bound="floor", value="1")
    _snapshots()
    found = {s.target.pk: s for s in services.target_status(2026)}
    assert set(found) == {ceiling.pk, women.pk, command.pk, french.pk}
    assert (found[ceiling.pk].actual, found[ceiling.pk].met, found[ceiling.pk].month) == (
        Decimal("0.13"), True, MARCH)  # 2 of 1,500
    assert (found[women.pk].actual, found[women.pk].met) == (Decimal("50.00"), True)
    assert (found[command.pk].actual, found[command.pk].met) == (Decimal("100.00"), True)
    assert (found[french.pk].actual, found[french.pk].met) == (Decimal("1"), False)
    assert [(p.month.month, p.actual) for p in found[women.pk].series] == [
        (1, Decimal("100.00")), (2, Decimal("66.67")), (3, Decimal("50.00"))]


def test_target_status_of_a_pool(small):
    beta = small["pools"][1]
    target = _target(small["users"]["policy"], pool=beta, kind="women", measure="number", bound="floor", value="1")
    _snapshots()
    (status,) = services.target_status(2026, pool=beta)
    assert status.target == target
    assert [(p.month.month, p.actual, p.met) for p in status.series] == [
        (1, Decimal("1"), True), (2, Decimal("1"), True), (3, Decimal("0"), False)]


def test_without_snapshots_a_target_has_no_actual(small):
    _target(small["users"]["policy"])
    (status,) = services.target_status(2026)
    assert (status.actual, status.met, status.month, status.series) == (None, None, None, [])


def test_a_share_of_nobody_has_no_actual(small):
    """Women at command level in pool beta in March: nobody at command level deployed, no share to give."""
    beta = small["pools"][1]
    _target(small["users"]["policy"], pool=beta, kind="women_command", bound="floor", value="40")
    _snapshots(MARCH)
    (status,) = services.target_status(2026, pool=beta)
    assert (status.actual, status.met) == (None, None)


# --- Pages ----------------------------------------------------------------------------------------

def _login(client, user):
    client.force_login(user)
    complete_sign_in(client, user)


def _some_targets(small):
    user = small["users"]["policy"]
    _target(user)
    _target(user, kind="women", bound="floor", value="40")
    _target(user, kind="french", measure="number", bound="floor", value="2")
    _target(user, pool=small["pools"][0], kind="un", measure="number", bound="floor", value="1")
    _target(user, pool=small["pools"][1], kind="women", measure="number", bound="floor", value="1")
    _snapshots()


def test_the_year_page_shows_actual_against_target_to_the_liaison(small, client):
    _some_targets(small)
    _login(client, small["users"]["liaison"])
    page = client.get("/targets/?year=2026").content.decode()
    assert "0.13 %" in page and "50 %" in page and "not met" in page
    assert "Aalto" not in page and "Berg" not in page
    assert 'href="/targets/new/"' not in page


def test_a_pool_coordinator_sees_national_and_own_pool_targets(small, client):
    _some_targets(small)
    _login(client, small["users"]["coordinator_alpha"])
    page = client.get("/targets/?year=2026").content.decode()
    assert "Pool alpha" in page and "Pool beta" not in page


def test_the_year_page_reads_a_fixed_number_of_queries(small, client, django_assert_num_queries):
    _some_targets(small)
    user = small["users"]["policy"]
    _login(client, user)
    client.get("/targets/?year=2026")
    # session, user, second factor, roles, targets, snapshots, years
    with django_assert_num_queries(7):
        client.get("/targets/?year=2026")
    _target(user, pool=small["pools"][1], kind="osce", measure="number", bound="floor", value="3")
    with django_assert_num_queries(7):
        assert client.get("/targets/?year=2026").status_code == 200


def test_the_snapshot_list_reads_a_fixed_number_of_queries(small, client, django_assert_num_queries):
    _snapshots(MARCH)
    _login(client, small["users"]["policy"])
    client.get("/targets/snapshots/")
    # session, user, second factor, roles, count, page, the pool filter's choices
    with django_assert_num_queries(7):
        page = client.get("/targets/snapshots/").content.decode()
    assert page.count('action="/targets/snapshots/') == 3
    _snapshots(dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    with django_assert_num_queries(7):
        page = client.get("/targets/snapshots/").content.decode()
    assert page.count('action="/targets/snapshots/') == 9


def test_the_csv_export_has_a_row_per_target_and_month(small, client):
    _some_targets(small)
    _login(client, small["users"]["liaison"])
    response = client.get("/targets/export.csv?year=2026")
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "Year,Pool,What,Measure,Bound,Target,Month,Actual,Met"
    assert "2026,national,Women deployed,Share (%),Floor (at least),40 %,2026-03,50 %,met" in lines
    assert "2026,Pool beta,Women deployed,Number,Floor (at least),1,2026-03,0,not met" in lines
    assert len(lines) == 1 + 5 * 3
    assert AuditEntry.objects.filter(action="export", object_type="targets.target").count() == 1


def test_the_form_refuses_120_percent_and_saves_nothing(small, client):
    _login(client, small["users"]["policy"])
    response = client.post("/targets/new/", {"year": "2026", "pool": "", "kind": "women", "measure": "share",
                                             "bound": "floor", "value": "120", "note": ""})
    assert response.status_code == 400
    assert "A share is at most 100 %; 120 % is more than the whole." in response.content.decode()
    assert Target.objects.count() == 0


def test_the_form_creates_and_edits_a_target(small, client):
    _login(client, small["users"]["policy"])
    response = client.post("/targets/new/", {"year": "2026", "pool": "", "kind": "women", "measure": "share",
                                             "bound": "floor", "value": "40", "note": "EU Compact"})
    assert response.status_code == 302 and response["Location"] == "/targets/?year=2026"
    target = Target.objects.get()
    assert (target.kind, target.value, target.note) == ("women", Decimal("40.00"), "EU Compact")
    response = client.post(f"/targets/{target.pk}/edit/", {"year": "2026", "pool": "", "kind": "women",
                                                           "measure": "share", "bound": "floor", "value": "40.00",
                                                           "note": "EU Compact"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(object_type="targets.target").count() == 1  # unchanged: nothing logged


def test_recompute_from_the_snapshot_list(small, client):
    _snapshots(MARCH)
    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)
    berg.save()
    from dividend.targets.models import MonthlySnapshot

    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    _login(client, small["users"]["policy"])
    response = client.post(f"/targets/snapshots/{national.pk}/recompute/", {"reason": "Berg left in April"},
                           follow=True)
    assert "Recomputed 2026-03 national: Deployed, EU, Person-months changed." in response.content.decode()
    national.refresh_from_db()
    assert national.deployed == 1


# --- API ------------------------------------------------------------------------------------------

def test_the_api_lists_targets_with_actuals(small, client):
    _some_targets(small)
    _login(client, small["users"]["liaison"])
    body = client.get("/api/targets/targets?year=2026").json()
    women = next(t for t in body if t["kind"] == "women" and t["pool"] is None)
    assert (women["actual"], women["met"], women["month"], women["value"]) == ("50.00", True, "2026-03", "40.00")
    assert [p["month"] for p in women["series"]] == ["2026-01", "2026-02", "2026-03"]


def test_the_api_refuses_a_share_of_120_percent(small, client):
    _login(client, small["users"]["policy"])
    response = client.post("/api/targets/targets", data=json.dumps(
        {"year": 2026, "kind": "women", "measure": "share", "bound": "floor", "value": 120}),
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"value": ["A share is at most 100 %; 120 % is more than the whole."]}
    assert Target.objects.count() == 0


def test_the_api_lists_snapshots_and_refuses_months_in_the_wrong_order(small, client):
    _snapshots(MARCH)
    _login(client, small["users"]["liaison"])
    body = client.get("/api/targets/snapshots?first_month=2026-03&last_month=2026-03").json()
    assert body["count"] == 3
    national = next(s for s in body["items"] if s["pool"] is None)
    assert (national["deployed"], national["person_months"], national["headcount"]) == (2, "2.32", 1500)
    response = client.get("/api/targets/snapshots?first_month=2026-03&last_month=2026-01")
    assert response.status_code == 400
    assert response.json()["errors"] == {"last_month": ["The last month 2026-01 is before the first, 2026-03."]}
