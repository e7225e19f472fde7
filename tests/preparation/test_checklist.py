"""The pre-deployment checklist (issue 11 §2): templates per organisation, the checklist made from
one with due dates counted back from departure, items ticked with who/when, the medical item yes/no
for need-to-know preparers only, overdue items on a fixed clock, bad input refused with nothing
changed."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.preparation import services
from dividend.preparation.loading import DATA_FILE, load_templates, read_templates
from dividend.preparation.models import Checklist, ChecklistItem, ChecklistTemplate, TemplateItem
from dividend.preparation.overdue import overdue_items
from dividend.secondments.models import Secondment
from dividend.secondments.services import start_preparing

from ..factories import make_mission, make_position, make_secondment
from .conftest import DEPARTURE

pytestmark = pytest.mark.django_db


def make(prep, actor="coordinator"):
    return services.create_checklist(actor=prep["users"][actor], secondment=prep["secondment"])


def item(checklist, code) -> ChecklistItem:
    return ChecklistItem.objects.get(checklist=checklist, code=code)


def snapshot(checklist):
    return [(i.code, i.due_date, i.done, i.done_by_id, i.note, i.returnee_id)
            for i in ChecklistItem.objects.filter(checklist=checklist).order_by("code")]


# --- Templates -------------------------------------------------------------------------------------

def test_the_shipped_file_holds_a_template_per_organisation_each_item_with_its_source():
    templates = read_templates(DATA_FILE.read_text(encoding="utf-8"))
    assert [t["organisation"] for t in templates] == ["eu_csdp", "un", "osce"]
    assert all(item["source"].strip() for t in templates for item in t["items"])
    kinds = {t["organisation"]: {i["kind"] for i in t["items"]} for t in templates}
    assert all(kinds[o] == {"briefing", "security_briefing", "returnee_exchange", "medical", "visa", "training",
                            "equipment", "insurance", "caveats"} for o in kinds)


def test_the_templates_name_the_training_courses_of_each_organisation():
    titles = {t["organisation"]: " ".join(i["title"] for i in t["items"])
              for t in read_templates(DATA_FILE.read_text(encoding="utf-8"))}
    assert "CSDP core course" in titles["eu_csdp"]
    assert "(STM)" in titles["un"]
    assert all("Hostile environment" in titles[o] and "rotection of civilians" in titles[o] for o in titles)


def test_the_migration_loaded_the_templates_and_loading_again_keeps_them(prep):
    assert sorted(ChecklistTemplate.objects.values_list("organisation", flat=True)) == ["eu_csdp", "osce", "un"]
    before = TemplateItem.objects.count()
    result = load_templates()
    assert (result.created, result.replaced, result.kept, TemplateItem.objects.count()) == (0, 0, 3, before)


def test_an_edited_template_is_kept_unless_replaced(prep):
    medical = TemplateItem.objects.get(template__organisation="un", code="medical")
    medical.days_before = 90
    medical.save()
    load_templates()
    assert TemplateItem.objects.get(template__organisation="un", code="medical").days_before == 90
    load_templates(replace=True)
    assert TemplateItem.objects.get(template__organisation="un", code="medical").days_before == 60


@pytest.mark.parametrize("change, message", [
    (lambda d: d["templates"][0].update(organisation="nato"), "unknown organisation 'nato'"),
    (lambda d: d["templates"][0]["items"][0].update(kind="haircut"), "unknown kind 'haircut'"),
    (lambda d: d["templates"][0]["items"][0].update(days_before=-3), "due 3 days after departure"),
    (lambda d: d["templates"][0]["items"][1].update(code="medical"), "the code 'medical' is given twice"),
    (lambda d: d["templates"][0]["items"][0].update(source=" "), "no source line"),
])
def test_a_bad_template_file_is_refused_naming_the_problem_and_nothing_is_loaded(prep, change, message):
    ChecklistTemplate.objects.all().delete()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ValidationError) as error:
        load_templates(text=json.dumps(data))
    assert any(message in m for m in error.value.messages), error.value.messages
    assert ChecklistTemplate.objects.count() == 0


def test_the_admin_refuses_a_template_item_due_after_departure(prep):
    medical = TemplateItem.objects.get(template__organisation="un", code="medical")
    medical.days_before = -1
    with pytest.raises(ValidationError) as error:
        medical.full_clean()
    assert list(error.value.message_dict) == ["days_before"]


# --- Making the checklist ------------------------------------------------------------------------

def test_the_checklist_counts_each_due_date_back_from_departure(prep):
    checklist = make(prep)
    template = {t.code: t.days_before for t in TemplateItem.objects.filter(template__organisation="eu_csdp")}
    due = {i.code: i.due_date for i in checklist.items.all()}
    assert due == {code: DEPARTURE - dt.timedelta(days=days) for code, days in template.items()}
    assert due["medical"] == dt.date(2027, 1, 15)  # 45 days before 1 March
    assert not any(i.done for i in checklist.items.all())


def test_making_the_checklist_is_audited_with_the_officer(prep):
    checklist = make(prep)
    entry = AuditEntry.objects.get(object_type="preparation.checklist", action="create")
    assert (entry.object_id, entry.detail["officer_id"], entry.detail["items"]) == (
        str(checklist.pk), prep["officer"].pk, 11)


def test_the_move_to_preparing_makes_the_checklist_by_itself(prep):
    secondment = start_preparing(actor=prep["users"]["coordinator"], secondment=prep["secondment"],
                                 reason="Selected by the EU")
    checklist = Checklist.objects.get(secondment=secondment)
    assert (checklist.created_by, checklist.items.count()) == (prep["users"]["coordinator"], 11)


def test_a_checklist_is_made_once(prep):
    make(prep)
    with pytest.raises(ValidationError) as error:
        make(prep)
    assert error.value.messages == ["This secondment has its checklist already."]
    assert Checklist.objects.count() == 1


def test_an_organisation_without_a_template_is_a_clear_error(prep):
    mission = make_mission("BILAT", organisation="bilateral")
    secondment = make_secondment(prep["berg"], make_position(mission), status=Secondment.Status.SELECTED,
                                 start=DEPARTURE, end=None)
    with pytest.raises(ValidationError) as error:
        services.create_checklist(actor=prep["users"]["national"], secondment=secondment)
    assert error.value.messages == ["There is no checklist template for Bilateral missions: an administrator adds "
                                    "one in the admin."]
    assert Checklist.objects.count() == 0


def test_a_deployed_secondment_gets_no_checklist(prep):
    Secondment.objects.filter(pk=prep["secondment"].pk).update(status=Secondment.Status.DEPLOYED)
    prep["secondment"].refresh_from_db()
    with pytest.raises(ValidationError) as error:
        make(prep)
    assert error.value.messages == ["A deployed secondment is not being prepared: its checklist cannot be made now."]


@pytest.mark.parametrize("actor", ["coordinator_beta", "panel", "secondee"])
def test_only_the_officers_preparers_make_it(prep, actor):
    with pytest.raises(PermissionDenied):
        make(prep, actor)
    assert Checklist.objects.count() == 0


# --- Ticking and editing --------------------------------------------------------------------------

def test_an_item_ticked_done_records_who_and_when_and_is_audited(prep):
    checklist = make(prep)
    coordinator = prep["users"]["coordinator"]
    assert services.set_done(actor=coordinator, item=item(checklist, "visa"), done=True) == ["visa.done"]
    visa = item(checklist, "visa")
    assert (visa.done, visa.done_by, visa.done_at is not None) == (True, coordinator, True)
    entry = AuditEntry.objects.get(object_type="preparation.checklistitem", action="update")
    assert (entry.detail["officer_id"], entry.detail["changes"]) == (prep["officer"].pk, {"done": {"old": False, "new": True}})


def test_ticked_back_to_not_done_forgets_who_and_when(prep):
    checklist = make(prep)
    coordinator = prep["users"]["coordinator"]
    services.set_done(actor=coordinator, item=item(checklist, "visa"), done=True)
    services.set_done(actor=coordinator, item=item(checklist, "visa"), done=False)
    visa = item(checklist, "visa")
    assert (visa.done, visa.done_by, visa.done_at) == (False, None, None)


def test_ticking_what_is_already_so_writes_nothing(prep):
    checklist = make(prep)
    count = AuditEntry.objects.count()
    assert services.set_done(actor=prep["users"]["coordinator"], item=item(checklist, "visa"), done=False) == []
    assert AuditEntry.objects.count() == count


def test_the_medical_item_is_answered_by_a_need_to_know_preparer(prep):
    checklist = make(prep)
    assert services.set_done(actor=prep["users"]["hr"], item=item(checklist, "medical"), done=True) == ["medical.done"]


def test_a_national_coordinator_may_not_answer_the_medical_item(prep):
    checklist = make(prep)
    with pytest.raises(PermissionDenied):
        services.set_done(actor=prep["users"]["national"], item=item(checklist, "medical"), done=True)
    assert item(checklist, "medical").done is False
    # ...but ticks the other items
    assert services.set_done(actor=prep["users"]["national"], item=item(checklist, "visa"), done=True) == ["visa.done"]


def test_the_medical_item_takes_no_note(prep):
    checklist = make(prep)
    before = snapshot(checklist)
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=prep["users"]["coordinator"], item=item(checklist, "medical"),
                             due_date=dt.date(2027, 1, 15), note="Asthma, fit with inhaler")
    assert error.value.message_dict == {"note": ["The medical item is yes/no only: it takes no note."]}
    assert snapshot(checklist) == before


def test_a_due_date_after_departure_is_refused_and_nothing_changes(prep):
    checklist = make(prep)
    before, count = snapshot(checklist), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=prep["users"]["coordinator"], item=item(checklist, "visa"),
                             due_date=dt.date(2027, 3, 2), note="")
    assert error.value.message_dict == {"due_date": [
        "Visa and mission entry documents obtained: due 2027-03-02, after departure on 2027-03-01; an item is due "
        "on or before departure."]}
    assert (snapshot(checklist), AuditEntry.objects.count()) == (before, count)


def test_a_due_date_on_the_day_of_departure_is_accepted(prep):
    checklist = make(prep)
    changed = services.update_item(actor=prep["users"]["coordinator"], item=item(checklist, "visa"),
                                   due_date=DEPARTURE, note="Embassy appointment booked")
    assert changed == ["visa.due_date", "visa.note"]


def test_unknown_items_are_named_and_nothing_changes(prep):
    checklist = make(prep)
    before = snapshot(checklist)
    with pytest.raises(ValidationError) as error:
        services.update_items(actor=prep["users"]["coordinator"], checklist=checklist,
                              updates=[{"code": "visa", "done": True}, {"code": "parachute", "done": True},
                                       {"code": "jetpack", "done": True}])
    assert error.value.message_dict == {"items": ["No such item on this checklist: jetpack, parachute."]}
    assert snapshot(checklist) == before


def test_one_bad_update_among_good_ones_changes_nothing(prep):
    checklist = make(prep)
    before = snapshot(checklist)
    with pytest.raises(ValidationError):
        services.update_items(actor=prep["users"]["coordinator"], checklist=checklist,
                              updates=[{"code": "visa", "done": True},
                                       {"code": "heat", "due_date": DEPARTURE + dt.timedelta(days=1)}])
    assert snapshot(checklist) == before


def test_only_the_returnee_exchange_names_a_returnee(prep):
    checklist = make(prep)
    with pytest.raises(ValidationError) as error:
        services.update_items(actor=prep["users"]["coordinator"], checklist=checklist,
                              updates=[{"code": "visa", "returnee": prep["berg"]}])
    assert list(error.value.message_dict) == ["returnee"]


def test_the_caveats_are_written_and_audited_and_the_same_text_writes_nothing(prep):
    checklist = make(prep)
    coordinator = prep["users"]["coordinator"]
    text = "No executive tasks\r\nNo redeployment outside Bamako  "
    assert services.set_caveats(actor=coordinator, checklist=checklist, caveats=text) == ["caveats"]
    checklist.refresh_from_db()
    assert checklist.caveat_list == ["No executive tasks", "No redeployment outside Bamako"]
    count = AuditEntry.objects.count()
    assert services.set_caveats(actor=coordinator, checklist=checklist, caveats=text) == []
    assert AuditEntry.objects.count() == count


# --- Overdue (a fixed clock) ------------------------------------------------------------------------

TODAY = dt.date(2027, 2, 10)  # the fixed clock: 19 days before departure


def test_overdue_items_on_a_fixed_clock(prep):
    checklist = make(prep)
    services.set_done(actor=prep["users"]["hr"], item=item(checklist, "csdp_core_course"), done=True)
    rows = overdue_items(today=TODAY)
    # Due before 10 February: medical (15 Jan), csdp course (20 Jan, done), visa, insurance, heat (30 Jan),
    # the protection of civilians module and the returnee exchange (8 Feb). Not the ones due 10 Feb or later.
    assert [(r.code, r.due_date, r.days_overdue) for r in rows] == [
        ("medical", dt.date(2027, 1, 15), 26),
        ("visa", dt.date(2027, 1, 30), 11),
        ("heat", dt.date(2027, 1, 30), 11),
        ("insurance", dt.date(2027, 1, 30), 11),
        ("protection_of_civilians", dt.date(2027, 2, 8), 2),
        ("returnee_exchange", dt.date(2027, 2, 8), 2),
    ]
    assert {(r.officer_id, r.secondment_id, r.url) for r in rows} == {
        (prep["officer"].pk, prep["secondment"].pk, f"/preparation/secondments/{prep['secondment'].pk}/")}


def test_an_item_due_today_is_not_overdue_yet(prep):
    make(prep)
    codes = [r.code for r in overdue_items(today=dt.date(2027, 1, 15))]
    assert codes == []
    assert [r.code for r in overdue_items(today=dt.date(2027, 1, 16))] == ["medical"]


def test_after_departure_the_checklist_is_history_not_overdue(prep):
    make(prep)
    Secondment.objects.filter(pk=prep["secondment"].pk).update(status=Secondment.Status.DEPLOYED)
    assert overdue_items(today=TODAY) == []


def test_overdue_items_follow_who_sees_the_checklist(prep):
    make(prep)
    assert len(overdue_items(today=TODAY, user=prep["users"]["coordinator"])) == 7  # the course too: not done here
    assert len(overdue_items(today=TODAY, user=prep["users"]["secondee"])) == 7
    assert overdue_items(today=TODAY, user=prep["users"]["coordinator_beta"]) == []
    assert overdue_items(today=TODAY, user=prep["users"]["panel"]) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days_before=st.integers(min_value=0, max_value=365), offset=st.integers(min_value=-400, max_value=400))
def test_an_item_is_overdue_exactly_when_its_due_date_has_passed(prep, days_before, offset):
    # The world is shared by the examples: each sets the one open item's due date afresh.
    checklist = Checklist.objects.filter(secondment=prep["secondment"]).first() or make(prep)
    ChecklistItem.objects.filter(checklist=checklist).exclude(code="visa").update(done=True)
    due = DEPARTURE - dt.timedelta(days=days_before)
    ChecklistItem.objects.filter(checklist=checklist, code="visa").update(due_date=due, done=False)
    today = due + dt.timedelta(days=offset)
    expected = [("visa", offset)] if offset > 0 else []
    assert [(r.code, r.days_overdue) for r in overdue_items(today=today)] == expected
