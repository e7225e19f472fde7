"""Monthly snapshots: exact figures on a small known dataset, kept as taken, --check, recompute (audited)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from dividend.audit.models import AuditEntry
from dividend.targets import services
from dividend.targets.models import MonthlySnapshot

from .conftest import MARCH, TODAY

pytestmark = pytest.mark.django_db


def _take(month=MARCH, last=None):
    return services.take_snapshots(actor=None, first_month=month, last_month=last or month, today=TODAY)


def _figures(snapshot):
    return {k: v for k, v in snapshot.figures().items()}


def test_march_national_figures(small):
    _take()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    assert _figures(national) == {"headcount": 1500, "deployed": 2, "women": 1, "command": 1, "women_command": 1,
                                  "un": 1, "eu": 1, "osce": 0, "french": 1, "person_months": Decimal("2.32")}


def test_march_figures_per_pool(small):
    alpha, beta = small["pools"]
    _take()
    assert _figures(MonthlySnapshot.objects.get(month=MARCH, pool=alpha)) == {
        "headcount": 1000, "deployed": 2, "women": 1, "command": 1, "women_command": 1, "un": 1, "eu": 1, "osce": 0,
        "french": 1, "person_months": Decimal("2.00")}
    assert _figures(MonthlySnapshot.objects.get(month=MARCH, pool=beta)) == {
        "headcount": 500, "deployed": 0, "women": 0, "command": 0, "women_command": 0, "un": 0, "eu": 0, "osce": 0,
        "french": 0, "person_months": Decimal("0.32")}


def test_january_counts_conti_and_aalto(small):
    """End of January: Aalto (from the 15th) and Conti deployed; Berg not yet. Person-months 17/31 + 1."""
    _take(dt.date(2026, 1, 1))
    national = MonthlySnapshot.objects.get(month=dt.date(2026, 1, 1), pool=None)
    assert (national.deployed, national.women, national.osce, national.un, national.person_months) == (
        2, 2, 1, 1, Decimal("1.55"))


def test_taking_three_months_makes_a_snapshot_per_pool_and_national_each_and_audits_each(small):
    before = AuditEntry.objects.count()
    taken = _take(dt.date(2026, 1, 1), MARCH)
    assert len(taken) == 9
    assert AuditEntry.objects.count() - before == 9
    assert set(AuditEntry.objects.filter(object_type="targets.monthlysnapshot").values_list("action", flat=True)) == {
        "create"}


def test_taking_again_keeps_the_snapshots_as_taken(small):
    _take()
    assert _take() == []
    assert MonthlySnapshot.objects.count() == 3


def test_a_correction_after_the_snapshot_leaves_it_unchanged(small):
    _take()
    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)  # corrected: Berg left in April
    berg.save()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    assert (national.deployed, national.eu, national.person_months) == (2, 1, Decimal("2.32"))


def test_check_finds_the_snapshots_a_correction_made_stale(small):
    alpha = small["pools"][0]
    _take()
    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)
    berg.save()
    stale = services.stale_snapshots(first_month=MARCH, last_month=MARCH)
    assert {s.snapshot.pool_id: s.differences for s in stale} == {
        None: {"deployed": (2, 1), "eu": (1, 0), "person_months": (Decimal("2.32"), Decimal("1.32"))},
        alpha.pk: {"deployed": (2, 1), "eu": (1, 0), "person_months": (Decimal("2.00"), Decimal("1.00"))}}


def test_the_check_command_reports_stale_snapshots_and_changes_nothing(small, capsys):
    _take()
    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)
    berg.save()
    before = AuditEntry.objects.count()
    with pytest.raises(SystemExit) as exit_:
        call_command("take_snapshots", "--from", "2026-03", "--check")
    out = capsys.readouterr().out
    assert exit_.value.code == 1
    assert "2 stale snapshot(s) from 2026-03 to 2026-03; nothing changed." in out
    assert "stale: 2026-03 national" in out and "Deployed 2 → 1" in out
    assert MonthlySnapshot.objects.get(month=MARCH, pool=None).deployed == 2
    assert AuditEntry.objects.count() == before


def test_the_check_command_finds_nothing_on_fresh_snapshots(small, capsys):
    _take()
    call_command("take_snapshots", "--from", "2026-03", "--check")
    assert "0 stale snapshot(s)" in capsys.readouterr().out


def test_recompute_changes_the_snapshot_and_audits_old_and_new(small):
    _take()
    berg = small["secondments"][1]
    berg.start_date = dt.date(2026, 4, 1)
    berg.save()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    snapshot, changed = services.recompute_snapshot(actor=small["users"]["policy"], snapshot=national,
                                                    reason="Berg's departure corrected to April")
    assert changed == ["deployed", "eu", "person_months"]
    national.refresh_from_db()
    assert (national.deployed, national.eu, national.person_months) == (1, 0, Decimal("1.32"))
    assert national.recomputed_at is not None
    entry = AuditEntry.objects.filter(action="recompute").get()
    assert entry.object_type == "targets.monthlysnapshot" and entry.object_id == str(national.pk)
    assert entry.detail["changes"] == {"deployed": {"old": "2", "new": "1"}, "eu": {"old": "1", "new": "0"},
                                     "person_months": {"old": "2.32", "new": "1.32"}}
    assert entry.detail["reason"] == "Berg's departure corrected to April"


def test_recompute_of_an_unchanged_snapshot_writes_nothing(small):
    _take()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    before = AuditEntry.objects.count()
    _snapshot, changed = services.recompute_snapshot(actor=small["users"]["policy"], snapshot=national, reason="check")
    assert changed == []
    national.refresh_from_db()
    assert national.recomputed_at is None and AuditEntry.objects.count() == before


def test_recompute_needs_a_reason(small):
    _take()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    with pytest.raises(ValidationError) as error:
        services.recompute_snapshot(actor=small["users"]["policy"], snapshot=national, reason="  ")
    assert "Say why" in str(error.value)


def test_a_liaison_reads_but_does_not_recompute(small):
    _take()
    national = MonthlySnapshot.objects.get(month=MARCH, pool=None)
    with pytest.raises(PermissionDenied):
        services.recompute_snapshot(actor=small["users"]["liaison"], snapshot=national, reason="x")


def test_a_pool_policy_officer_recomputes_their_pool_only(small):
    alpha, beta = small["pools"]
    _take()
    user = small["users"]["policy_beta"]
    services.recompute_snapshot(actor=user, snapshot=MonthlySnapshot.objects.get(month=MARCH, pool=beta), reason="x")
    for pool in (alpha, None):
        with pytest.raises(PermissionDenied):
            services.recompute_snapshot(actor=user, snapshot=MonthlySnapshot.objects.get(month=MARCH, pool=pool),
                                        reason="x")


def test_months_in_the_wrong_order_are_refused_and_nothing_taken(small):
    with pytest.raises(ValidationError) as error:
        _take(MARCH, dt.date(2026, 1, 1))
    assert error.value.message_dict == {"last_month": ["The last month 2026-01 is before the first, 2026-03."]}
    assert MonthlySnapshot.objects.count() == 0


def test_a_month_not_ended_is_refused(small):
    with pytest.raises(ValidationError) as error:
        _take(dt.date(2026, 5, 1))
    assert error.value.message_dict == {
        "last_month": ["2026-05 has not ended yet: a snapshot is taken at a month's end."]}


def test_the_command_takes_snapshots(small, capsys):
    call_command("take_snapshots", "--from", "2026-01", "--to", "2026-03", "--today", "2026-05-01")
    assert "9 snapshot(s) taken from 2026-01 to 2026-03" in capsys.readouterr().out
    assert AuditEntry.objects.filter(object_type="targets.monthlysnapshot", channel="cli").count() == 9


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-03", "--to", "2026-01"], "--to: The last month 2026-01 is before the first, 2026-03."),
    (["--from", "2026-13"], "--from: Give a month as YYYY-MM"),
    (["--from", "march"], "--from: Give a month as YYYY-MM"),
])
def test_the_command_refuses_bad_months(small, args, message):
    with pytest.raises(CommandError) as error:
        call_command("take_snapshots", *args, "--today", "2026-05-01")
    assert message in str(error.value)
    assert MonthlySnapshot.objects.count() == 0
