"""Backfill of the home post (issue 11 §2): a substitute from the pool's backfill roster, a temporary
promotion of a junior officer, or vacant; funding; what the absence costs; bad input refused with
nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.audit.models import AuditEntry
from dividend.preparation import services
from dividend.preparation.costs import pool_absences
from dividend.preparation.models import Backfill, BackfillRosterEntry, DailyCost
from dividend.reference.models import Rank
from dividend.secondments.models import Secondment

from ..factories import make_mission, make_officer, make_position, make_secondment
from .conftest import DEPARTURE

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(prep):
    """Pool alpha's sergeant Salo on the backfill roster; constable Koski, junior to Aalto (chief inspector)."""
    alpha = prep["pools"][0]
    salo = make_officer(alpha, last_name="Salo", rank_code="sergeant")
    koski = make_officer(alpha, last_name="Koski", rank_code="constable")
    services.add_to_roster(actor=prep["users"]["coordinator"], pool=alpha, officer=salo, note="Night shifts only")
    return {"salo": salo, "koski": koski}


def record(prep, **values):
    fields = {"arrangement": "vacant", "funding": "none"} | values
    return services.record_backfill(actor=prep["users"]["coordinator"], secondment=prep["secondment"], **fields)


def stored(prep):
    b = Backfill.objects.filter(secondment=prep["secondment"]).first()
    return None if b is None else (b.arrangement, b.substitute_id, b.promoted_id, b.start_date, b.end_date, b.funding,
                                   b.funding_note, b.cost_figure)


def test_a_substitute_from_the_roster_covers_the_post(prep, unit):
    fields = record(prep, arrangement="substitute", substitute=unit["salo"], start_date=DEPARTURE,
                    funding="central", funding_note="Replacement budget 2027")
    assert fields == ["arrangement", "funding", "funding_note", "start_date", "substitute"]
    entry = AuditEntry.objects.get(object_type="preparation.backfill", action="create")
    assert (entry.detail["officer_id"], entry.detail["covering_officer_id"]) == (prep["officer"].pk, unit["salo"].pk)


def test_a_substitute_not_on_the_roster_is_refused(prep, unit):
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="substitute", substitute=unit["koski"])
    assert error.value.message_dict == {"substitute": [f"{unit['koski'].full_name} is not on the backfill roster of "
                                                       "Alpha Police."]}
    assert stored(prep) is None


def test_a_temporary_promotion_of_a_junior_officer_with_its_dates(prep, unit):
    record(prep, arrangement="promotion", promoted=unit["koski"], start_date=DEPARTURE,
           end_date=DEPARTURE + dt.timedelta(days=364))
    assert stored(prep) == ("promotion", None, unit["koski"].pk, DEPARTURE, dt.date(2028, 2, 28), "none", "", None)


def test_a_promotion_needs_a_junior_officer(prep, unit):
    senior = make_officer(prep["pools"][0], last_name="Vanha", rank_code="superintendent")
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="promotion", promoted=senior, start_date=DEPARTURE, end_date=DEPARTURE)
    assert error.value.message_dict == {"promoted": [
        f"{senior.full_name} (Superintendent) is not junior to Aino Aalto (Chief inspector)."]}


def test_a_promotion_needs_its_start_and_end(prep, unit):
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="promotion", promoted=unit["koski"])
    assert error.value.message_dict == {"start_date": ["A temporary promotion has a start date."],
                                        "end_date": ["A temporary promotion has an end date."]}


def test_a_backfill_that_ends_before_it_starts_is_refused_and_nothing_changes(prep, unit):
    record(prep, arrangement="vacant", funding="unit")
    before, count = stored(prep), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="promotion", promoted=unit["koski"], start_date=dt.date(2027, 6, 1),
               end_date=dt.date(2027, 5, 31))
    assert error.value.message_dict == {"end_date": ["The backfill ends (2027-05-31) before it starts (2027-06-01)."]}
    assert (stored(prep), AuditEntry.objects.count()) == (before, count)


def test_a_temporary_promotion_overlapping_another_is_refused(prep, unit):
    other = make_officer(prep["pools"][0], last_name="Lahti", rank_code="superintendent")
    other_secondment = make_secondment(other, make_position(make_mission("EUAM")), status=Secondment.Status.SELECTED,
                                       start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    services.record_backfill(actor=prep["users"]["coordinator"], secondment=other_secondment, arrangement="promotion",
                             promoted=unit["koski"], start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 6, 30))
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="promotion", promoted=unit["koski"], start_date=dt.date(2027, 6, 30),
               end_date=dt.date(2027, 12, 31))
    assert error.value.message_dict == {"start_date": [
        f"{unit['koski'].full_name} is temporarily promoted already from 2027-01-01 to 2027-06-30 (covering for "
        f"{other.full_name}); one officer's temporary promotions may not overlap."]}
    assert stored(prep) is None
    # The day after the other promotion ends is free.
    record(prep, arrangement="promotion", promoted=unit["koski"], start_date=dt.date(2027, 7, 1),
           end_date=dt.date(2027, 12, 31))


def test_a_vacant_post_has_nobody_covering(prep, unit):
    with pytest.raises(ValidationError) as error:
        record(prep, arrangement="vacant", substitute=unit["salo"])
    assert list(error.value.message_dict) == ["arrangement"]


@pytest.mark.parametrize("values, field", [
    ({"arrangement": "outsourced"}, "arrangement"),
    ({"funding": "lottery"}, "funding"),
    ({"cost_figure": Decimal("-1")}, "cost_figure"),
])
def test_unknown_choices_and_negative_costs_are_refused(prep, values, field):
    with pytest.raises(ValidationError) as error:
        record(prep, **values)
    assert field in error.value.message_dict
    assert stored(prep) is None


def test_saving_the_same_backfill_changes_nothing(prep, unit):
    values = {"arrangement": "substitute", "substitute": unit["salo"], "start_date": DEPARTURE, "funding": "unit",
              "cost_figure": Decimal("12000.00")}
    record(prep, **values)
    count = AuditEntry.objects.count()
    assert record(prep, **values) == []
    assert AuditEntry.objects.count() == count


def test_a_correction_logs_the_changed_fields(prep, unit):
    record(prep, arrangement="vacant")
    assert record(prep, arrangement="substitute", substitute=unit["salo"]) == ["arrangement", "substitute"]
    entry = AuditEntry.objects.filter(object_type="preparation.backfill", action="update").get()
    assert entry.detail["changes"] == {"arrangement": {"old": "vacant", "new": "substitute"},
                                       "substitute": {"old": None, "new": unit["salo"].pk}}


def test_another_pools_coordinator_may_not_record_it(prep):
    with pytest.raises(PermissionDenied):
        services.record_backfill(actor=prep["users"]["coordinator_beta"], secondment=prep["secondment"],
                                 arrangement="vacant")


def test_the_roster_takes_officers_of_its_pool_once(prep, unit):
    alpha = prep["pools"][0]
    with pytest.raises(ValidationError) as error:
        services.add_to_roster(actor=prep["users"]["coordinator"], pool=alpha, officer=unit["salo"])
    assert error.value.messages == [f"{unit['salo'].full_name} is on the backfill roster already."]
    with pytest.raises(ValidationError) as error:
        services.add_to_roster(actor=prep["users"]["coordinator"], pool=alpha, officer=prep["berg"])
    assert error.value.messages == ["Bo Berg is not an officer of Alpha Police."]
    assert BackfillRosterEntry.objects.count() == 1


# --- What the absence costs --------------------------------------------------------------------

def test_the_absence_costs_days_times_the_daily_cost_of_the_rank(prep, unit):
    DailyCost.objects.create(rank=Rank.objects.get(code="chief_inspector"), amount=Decimal("310.50"))
    row, = pool_absences(prep["pools"][0]).rows
    assert (row.days, row.daily_cost, row.cost, row.basis) == (365, Decimal("310.50"), Decimal("113332.50"), "rate")


def test_a_figure_entered_wins_over_the_rate(prep, unit):
    DailyCost.objects.create(rank=Rank.objects.get(code="chief_inspector"), amount=Decimal("310.50"))
    record(prep, arrangement="vacant", cost_figure=Decimal("90000"))
    row, = pool_absences(prep["pools"][0]).rows
    assert (row.cost, row.basis) == (Decimal("90000.00"), "entered")


def test_the_pool_totals_and_what_is_not_costed(prep, unit):
    alpha = prep["pools"][0]
    DailyCost.objects.create(rank=Rank.objects.get(code="sergeant"), amount=Decimal("200"))
    make_secondment(unit["salo"], make_position(make_mission("EULEX")), status=Secondment.Status.DEPLOYED,
                    start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 10))
    make_secondment(unit["koski"], make_position(make_mission("OPEN")), status=Secondment.Status.PREPARING,
                    start=dt.date(2027, 1, 1), end=None)
    make_secondment(unit["koski"], make_position(make_mission("PAST")), status=Secondment.Status.RETURNED,
                    start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    record(prep, arrangement="substitute", substitute=unit["salo"])
    absences = pool_absences(alpha)
    assert [(r.secondment.officer.last_name, r.basis, r.cost) for r in absences.rows] == [
        ("Salo", "rate", Decimal("2000.00")), ("Koski", "open_ended", None), ("Aalto", "no_rate", None)]
    assert (absences.total_cost, absences.uncosted) == (Decimal("2000.00"), 2)
    assert absences.by_arrangement == {"substitute": 1, "promotion": 0, "vacant": 0, "none": 2}
