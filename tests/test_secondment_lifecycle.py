"""The secondment lifecycle (issue 11 §1): selected → preparing → deployed → returned → reintegrated,
extended, cut short and cancelled; one transition table, one function per move, who may make each,
reasons and dates that fit, the audit entry, and the migration of the earlier states."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.secondments import services
from dividend.secondments.models import Extension, Secondment
from dividend.secondments.signals import secondment_moved

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db
Status, Move = Secondment.Status, Secondment.Move
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=100)
END = TODAY + dt.timedelta(days=100)


@pytest.fixture
def world():
    pool = make_pool()
    return {"pool": pool, "officer": make_officer(pool, last_name="Aalto"),
            "position": make_position(make_mission("EUMM-L", countries=["GEO"])),
            "coordinator": make_user(Role.COORDINATOR, pools=[pool]),
            "hr": make_user(Role.HR_MANAGER, pools=[pool])}


def _secondment(world, status):
    return make_secondment(world["officer"], world["position"], status=status, start=START, end=END)


def _arguments(move):
    """A reason and a date that fit each move."""
    return {Move.EXTEND: {"reason": "mandate renewed", "date": END + dt.timedelta(days=90)},
            Move.RETURN: {"reason": "", "date": TODAY},
            Move.CUT_SHORT: {"reason": "medical repatriation", "date": TODAY},
            Move.CANCEL: {"reason": "position withdrawn"}}.get(move, {"reason": ""})


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("move", Move.values)
def test_every_move_from_every_status_follows_the_table(world, status, move):
    secondment = _secondment(world, status)
    actor = world["hr"]  # HR managers may make every move
    expected = Secondment.TRANSITIONS.get((status, move))
    if expected is None:
        with pytest.raises(ValidationError, match="cannot be moved on by"):
            services.make_move(actor=actor, secondment=secondment, move=move, **_arguments(move))
        secondment.refresh_from_db()
        assert (secondment.status, secondment.end_date) == (status, END)
        assert not AuditEntry.objects.filter(action="status").exists()
        return
    services.make_move(actor=actor, secondment=secondment, move=move, **_arguments(move))
    secondment.refresh_from_db()
    assert (secondment.status, secondment.status_changed_by) == (expected, actor)
    entry = AuditEntry.objects.get(action="status")
    assert (entry.actor, entry.object_id, entry.detail["move"]) == (actor, str(secondment.pk), move)


def test_the_table_walks_one_officer_from_selected_to_reintegrated(world):
    secondment = make_secondment(world["officer"], world["position"], status=Status.SELECTED,
                                 start=TODAY - dt.timedelta(days=200), end=TODAY - dt.timedelta(days=10))
    coordinator, hr = world["coordinator"], world["hr"]
    services.start_preparing(actor=coordinator, secondment=secondment)
    services.deploy(actor=coordinator, secondment=secondment, reason="flew to Tbilisi")
    services.extend(actor=coordinator, secondment=secondment, end_date=TODAY + dt.timedelta(days=30),
                    reason="mandate renewed")
    services.complete_return(actor=coordinator, secondment=secondment, returned_on=TODAY)
    services.reintegrate(actor=hr, secondment=secondment, reason="placed in the border unit")
    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date, secondment.cut_short) == (Status.REINTEGRATED, TODAY, False)
    moves = list(AuditEntry.objects.filter(action="status").order_by("id").values_list("detail__move", flat=True))
    assert moves == ["prepare", "deploy", "extend", "return", "reintegrate"]


def test_a_coordinator_may_not_reintegrate_and_nothing_changes(world):
    secondment = _secondment(world, Status.RETURNED)
    with pytest.raises(PermissionDenied, match="You may not reintegrate this secondment."):
        services.reintegrate(actor=world["coordinator"], secondment=secondment)
    secondment.refresh_from_db()
    assert secondment.status == Status.RETURNED


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.POLICY_OFFICER, Role.ANALYST, Role.AUDITOR, Role.SECONDEE])
def test_roles_without_the_move_are_refused(world, role):
    secondment = _secondment(world, Status.SELECTED)
    with pytest.raises(PermissionDenied):
        services.start_preparing(actor=make_user(role, pools=[world["pool"]]), secondment=secondment)
    secondment.refresh_from_db()
    assert secondment.status == Status.SELECTED


def test_a_coordinator_of_another_pool_is_refused(world):
    secondment = _secondment(world, Status.SELECTED)
    with pytest.raises(PermissionDenied):
        services.start_preparing(actor=make_user(Role.COORDINATOR, pools=[make_pool()]), secondment=secondment)


@pytest.mark.parametrize("move,status", [(Move.EXTEND, Status.DEPLOYED), (Move.CUT_SHORT, Status.DEPLOYED),
                                         (Move.CANCEL, Status.SELECTED)])
def test_moves_that_need_a_reason_refuse_a_blank_one(world, move, status):
    secondment = _secondment(world, status)
    arguments = _arguments(move) | {"reason": "  "}
    with pytest.raises(ValidationError, match="Give a reason"):
        services.make_move(actor=world["coordinator"], secondment=secondment, move=move, **arguments)
    secondment.refresh_from_db()
    assert secondment.status == status


def test_an_extension_keeps_its_history(world):
    secondment = _secondment(world, Status.DEPLOYED)
    later = END + dt.timedelta(days=90)
    services.extend(actor=world["coordinator"], secondment=secondment, end_date=later, reason="mandate renewed")
    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date) == (Status.DEPLOYED, later)
    extension = Extension.objects.get()
    assert (extension.previous_end_date, extension.new_end_date, extension.reason, extension.recorded_by) == (
        END, later, "mandate renewed", world["coordinator"])
    entry = AuditEntry.objects.get(action="status")
    assert entry.detail["changes"] == {"end_date": {"old": END.isoformat(), "new": later.isoformat()}}


@pytest.mark.parametrize("new_end,message", [
    (END, "An extension ends after the current end date"),
    (END - dt.timedelta(days=1), "An extension ends after the current end date"),
    (None, "Give the new end date."),
])
def test_an_extension_that_does_not_end_later_is_refused(world, new_end, message):
    secondment = _secondment(world, Status.DEPLOYED)
    with pytest.raises(ValidationError, match=message):
        services.make_move(actor=world["coordinator"], secondment=secondment, move=Move.EXTEND, reason="r",
                           date=new_end)
    secondment.refresh_from_db()
    assert (secondment.end_date, Extension.objects.count()) == (END, 0)


def test_an_extension_over_the_officers_next_secondment_is_refused(world):
    secondment = _secondment(world, Status.DEPLOYED)
    make_secondment(world["officer"], make_position(make_mission("EUAM-L")), status=Status.SELECTED,
                    start=END + dt.timedelta(days=30), end=END + dt.timedelta(days=400))
    with pytest.raises(ValidationError, match="one officer's secondments may not overlap"):
        services.extend(actor=world["coordinator"], secondment=secondment, end_date=END + dt.timedelta(days=60),
                        reason="mandate renewed")
    secondment.refresh_from_db()
    assert (secondment.end_date, Extension.objects.count()) == (END, 0)


def test_cutting_short_keeps_the_reason_and_the_early_date(world):
    secondment = _secondment(world, Status.DEPLOYED)
    back = TODAY - dt.timedelta(days=3)
    services.cut_short(actor=world["coordinator"], secondment=secondment, reason="medical repatriation",
                       returned_on=back)
    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date, secondment.cut_short, secondment.cut_short_reason) == (
        Status.RETURNED, back, True, "medical repatriation")
    assert secondment.took_place


@pytest.mark.parametrize("case,message", [
    ("the day before the departure", "The return is before the departure"),
    ("tomorrow", "the date is in the future"),
])
@pytest.mark.parametrize("move", [Move.RETURN, Move.CUT_SHORT])
def test_a_return_date_that_contradicts_the_record_is_refused(world, move, case, message):
    # Tomorrow as of the test, not of the import: a run that passed midnight took today for the future.
    back = START - dt.timedelta(days=1) if case == "the day before the departure" else (
        timezone.localdate() + dt.timedelta(days=1))
    secondment = _secondment(world, Status.DEPLOYED)
    with pytest.raises(ValidationError, match=message):
        services.make_move(actor=world["coordinator"], secondment=secondment, move=move, reason="r", date=back)
    secondment.refresh_from_db()
    assert (secondment.status, secondment.end_date) == (Status.DEPLOYED, END)


def test_cutting_short_on_or_after_the_planned_end_is_refused(world):
    secondment = make_secondment(world["officer"], world["position"], status=Status.DEPLOYED, start=START,
                                 end=TODAY - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="ends before its planned end"):
        services.cut_short(actor=world["coordinator"], secondment=secondment, reason="r", returned_on=TODAY)


def test_a_move_that_takes_no_date_refuses_one(world):
    secondment = _secondment(world, Status.SELECTED)
    with pytest.raises(ValidationError, match="takes no date"):
        services.make_move(actor=world["coordinator"], secondment=secondment, move=Move.PREPARE, date=TODAY)


def test_a_higher_apps_receiver_that_fails_undoes_the_move(world):
    secondment = _secondment(world, Status.SELECTED)

    def refuse(sender, **kwargs):
        raise ValidationError("the checklist could not be made")

    secondment_moved.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(ValidationError, match="the checklist could not be made"):
            services.start_preparing(actor=world["coordinator"], secondment=secondment)
    finally:
        secondment_moved.disconnect(dispatch_uid="test-refuse")
    secondment.refresh_from_db()
    assert secondment.status == Status.SELECTED
    assert not AuditEntry.objects.filter(action="status").exists()


MOVES = st.lists(st.sampled_from(Move.values), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_any_sequence_of_moves_ends_where_the_table_says(world, moves):
    secondment = _secondment(world, Status.SELECTED)
    expected = Status.SELECTED
    for move in moves:
        arguments = _arguments(move)
        if move == Move.EXTEND:  # each extension later than the last
            arguments["date"] = (secondment.end_date or END) + dt.timedelta(days=30)
        target = Secondment.TRANSITIONS.get((expected, move))
        try:
            services.make_move(actor=world["hr"], secondment=secondment, move=move, **arguments)
        except ValidationError:
            assert target is None, (expected, move)
        else:
            assert target is not None, (expected, move)
            expected = target
        secondment.refresh_from_db()
        assert secondment.status == expected
    Secondment.objects.filter(pk=secondment.pk).delete()


# --- The migration of the earlier states -------------------------------------------------------

def test_the_earlier_states_migrate_without_loss(world):
    migration = importlib.import_module("dividend.secondments.migrations.0002_lifecycle")
    old = {}
    for status, reason in (("planned", "call 12"), ("deployed", "arrived"), ("completed", "back"),
                           ("withdrawn", "medical repatriation"), ("cancelled", "not needed")):
        secondment = make_secondment(make_officer(world["pool"]), world["position"], status=Status.SELECTED)
        Secondment.objects.filter(pk=secondment.pk).update(status=status, status_reason=reason)
        old[status] = secondment.pk
    history_before = set(Secondment.objects.filter(status__in=["deployed", "completed", "withdrawn"])
                         .values_list("pk", flat=True))
    migration.to_lifecycle(apps, None)
    rows = {status: Secondment.objects.values_list("status", "cut_short", "cut_short_reason", "status_reason")
            .get(pk=pk) for status, pk in old.items()}
    assert rows == {"planned": ("selected", False, "", "call 12"), "deployed": ("deployed", False, "", "arrived"),
                    "completed": ("returned", False, "", "back"),
                    "withdrawn": ("returned", True, "medical repatriation", "medical repatriation"),
                    "cancelled": ("cancelled", False, "", "not needed")}
    assert set(Secondment.objects.history().values_list("pk", flat=True)) == history_before
    migration.from_lifecycle(apps, None)
    assert {status: Secondment.objects.get(pk=pk).status for status, pk in old.items()} == {
        "planned": "planned", "deployed": "deployed", "completed": "completed", "withdrawn": "withdrawn",
        "cancelled": "cancelled"}


# --- The secondment's page ---------------------------------------------------------------------

def test_the_secondment_page_shows_its_stage_moves_and_extensions(client, world):
    secondment = _secondment(world, Status.DEPLOYED)
    services.extend(actor=world["coordinator"], secondment=secondment, end_date=END + dt.timedelta(days=90),
                    reason="mandate renewed")
    client.force_login(world["coordinator"])
    html = client.get(f"/secondments/{secondment.pk}/").content.decode()
    assert '<li class="current">Deployed</li>' in html
    assert '<option value="extend">Extend</option>' in html and '<option value="reintegrate">' not in html
    assert "mandate renewed" in html and date_format(END + dt.timedelta(days=90)) in html


def test_cutting_short_from_the_page_without_a_reason_changes_nothing(client, world):
    secondment = _secondment(world, Status.DEPLOYED)
    client.force_login(world["coordinator"])
    answer = client.post(f"/secondments/{secondment.pk}/move/", {"move": "cut_short", "date": TODAY.isoformat(),
                                                                  "reason": "", "next": "detail"}, follow=True)
    assert "Give a reason for “cut short”." in answer.content.decode()
    secondment.refresh_from_db()
    assert (secondment.status, secondment.cut_short) == (Status.DEPLOYED, False)


def test_a_move_the_user_may_not_make_answers_403_in_the_api(client, world):
    secondment = _secondment(world, Status.RETURNED)
    client.force_login(world["coordinator"])
    answer = client.post(f"/api/secondments/{secondment.pk}/moves", {"move": "reintegrate"},
                         content_type="application/json")
    assert answer.status_code == 403
    secondment.refresh_from_db()
    assert secondment.status == Status.RETURNED


# --- Promotion while deployed and the handover to the successor ---------------------------------

def test_a_promotion_while_deployed_goes_on_the_officers_record(world):
    from dividend.reference.models import Rank
    from dividend.secondments.models import Promotion

    secondment = _secondment(world, Status.DEPLOYED)
    chief = Rank.objects.get(code="chief_inspector")
    services.record_promotion(actor=world["coordinator"], secondment=secondment, rank=chief,
                              effective_on=TODAY - dt.timedelta(days=10), reason="mission appraisal")
    world["officer"].refresh_from_db()
    promotion = Promotion.objects.get()
    assert (world["officer"].rank, promotion.previous_rank.code, promotion.new_rank, promotion.recorded_by) == (
        chief, "inspector", chief, world["coordinator"])
    officer_entry = AuditEntry.objects.get(action="update", object_type="roster.officer")
    assert officer_entry.detail["changes"]["rank"]["new"] == chief.pk
    assert AuditEntry.objects.filter(action="create", object_type="secondments.promotion").count() == 1


@pytest.mark.parametrize("status,effective,rank_code,message", [
    (Status.RETURNED, -10, "chief_inspector", "is recorded on a deployed secondment"),
    (Status.DEPLOYED, -10, "inspector", "already holds this rank"),
    (Status.DEPLOYED, -200, "chief_inspector", "takes effect during the secondment"),
    (Status.DEPLOYED, 5, "chief_inspector", "takes effect during the secondment"),
])
def test_a_promotion_that_contradicts_the_record_is_refused(world, status, effective, rank_code, message):
    from dividend.reference.models import Rank

    secondment = _secondment(world, status)
    with pytest.raises(ValidationError, match=message):
        services.record_promotion(actor=world["coordinator"], secondment=secondment,
                                  rank=Rank.objects.get(code=rank_code),
                                  effective_on=TODAY + dt.timedelta(days=effective))
    world["officer"].refresh_from_db()
    assert world["officer"].rank.code == "inspector"
    assert not AuditEntry.objects.exists()


def test_the_handover_names_the_successor_on_the_same_position(client, world):
    outgoing = make_secondment(world["officer"], world["position"], status=Status.DEPLOYED,
                               start=TODAY - dt.timedelta(days=300), end=TODAY + dt.timedelta(days=5))
    successor = make_secondment(make_officer(world["pool"], last_name="Berg"), world["position"],
                                status=Status.DEPLOYED, start=TODAY - dt.timedelta(days=10), end=None)
    client.force_login(world["coordinator"])
    answer = client.post(f"/secondments/{outgoing.pk}/handover/", {
        "successor": successor.pk, "handed_over_on": (TODAY - dt.timedelta(days=2)).isoformat(),
        "notes": "contacts in the border police"})
    assert answer.status_code == 302
    assert (outgoing.handover.successor, outgoing.handover.notes) == (successor, "contacts in the border police")
    html = client.get(f"/secondments/{outgoing.pk}/").content.decode()
    assert "Handed over to First" in html and "Berg" in html


@pytest.mark.parametrize("case,message", [
    ("other position", "on the same position"),
    ("itself", "on the same position"),
    ("before the successor starts", "on or after the successor's start"),
    ("twice", "already recorded"),
])
def test_a_handover_that_contradicts_the_record_is_refused(world, case, message):
    outgoing = make_secondment(world["officer"], world["position"], status=Status.DEPLOYED,
                               start=TODAY - dt.timedelta(days=300), end=TODAY + dt.timedelta(days=5))
    position = make_position(make_mission("EUAM-H")) if case == "other position" else world["position"]
    successor = make_secondment(make_officer(world["pool"]), position, status=Status.PREPARING,
                                start=TODAY - dt.timedelta(days=3), end=None)
    on = TODAY - dt.timedelta(days=5 if case == "before the successor starts" else 1)
    if case == "twice":
        services.record_handover(actor=world["coordinator"], secondment=outgoing, successor=successor,
                                 handed_over_on=on)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.record_handover(actor=world["coordinator"], secondment=outgoing,
                                 successor=outgoing if case == "itself" else successor, handed_over_on=on)
    assert AuditEntry.objects.count() == before
