"""The budget (issue 14 §2): exact figures on the known world, bad input refused with nothing saved,
who sees names and who sees sums, the pages' query counts and the API."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.commitments import services
from dividend.commitments.forms import BudgetLineForm
from dividend.commitments.models import BudgetLine, SecondmentCost

from ..factories import complete_sign_in

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_the_national_budget_position_is_exact(world):
    assert services.budget_position(2026) == {
        "year": 2026, "pool": None, "budget": Decimal("100000.00"), "committed": Decimal("1000.00"),
        "paid": Decimal("15000.00"), "spent": Decimal("16000.00"), "remaining": Decimal("84000.00"),
        "used_percent": Decimal("16.0")}


def test_a_pools_budget_position_counts_its_lines_only(world):
    position = services.budget_position(2026, world["pools"][1])
    assert (position["budget"], position["paid"], position["remaining"]) == (
        Decimal("20000.00"), Decimal("2500.00"), Decimal("17500.00"))


def test_a_year_without_a_budget_line_has_no_position(world):
    assert services.budget_position(2025) is None


def test_person_months_count_the_days_in_the_year(world):
    aalto, berg = world["secondments"]
    assert services.person_months(aalto, 2026) == Decimal("5.95")  # 181 days / 30.4375
    assert services.person_months(berg, 2026) == Decimal("6.05")  # 184 days
    assert services.person_months(aalto, 2025) == Decimal("0.00")


def test_cost_per_person_month_is_the_costs_over_the_person_months(world):
    assert services.expected_cost_per_person_month(2026) == Decimal("2689.08")  # 16,000 / 5.95


def test_cost_per_person_month_falls_back_on_the_year_before(world):
    assert services.expected_cost_per_person_month(2027) == Decimal("2689.08")


def test_no_cost_gives_no_cost_per_person_month(world):
    assert services.expected_cost_per_person_month(2024) is None


def test_a_negative_budget_is_refused_by_the_form(world):
    form = BudgetLineForm(data={"year": "2026", "pool": "", "kind": "training", "title": "Training",
                                "amount": "-5"}, user=world["users"]["policy"])
    assert form.errors["amount"] == ["An amount is zero or more: a negative budget or cost is refused."]


def test_a_negative_cost_is_refused_and_nothing_saved(world):
    before = SecondmentCost.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_cost(actor=world["users"]["policy"], line=world["lines"][0], secondment=world["secondments"][0],
                             category="travel", stage="paid", amount=Decimal("-1"), incurred_on=dt.date(2026, 4, 1))
    assert error.value.message_dict == {"amount": ["An amount is zero or more: a negative budget or cost is refused."]}
    assert SecondmentCost.objects.count() == before


def test_a_cost_dated_outside_the_lines_year_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.record_cost(actor=world["users"]["policy"], line=world["lines"][0], secondment=world["secondments"][0],
                             category="travel", stage="paid", amount=Decimal("10"), incurred_on=dt.date(2025, 12, 31))
    assert error.value.message_dict == {"incurred_on": ["The budget line is for 2026: date the cost in that year."]}


def test_a_pool_policy_officer_may_not_change_a_national_line(world):
    with pytest.raises(PermissionDenied):
        services.save_budget_line(actor=world["users"]["policy_beta"], line=world["lines"][0], year=2026, pool=None,
                                  kind="training", title="x", amount=Decimal("1"))
    assert BudgetLine.objects.get(pk=world["lines"][0].pk).title == "Peace operations 2026"


def test_a_pool_policy_officer_chooses_among_their_pools_only(world):
    form = BudgetLineForm(user=world["users"]["policy_beta"])
    assert [p.code for p in form.fields["pool"].queryset] == ["beta"]
    assert form.fields["pool"].required is True


def test_the_budget_page_shows_the_figures_to_the_liaison(client, world, django_assert_num_queries):
    _signed_in(client, world["users"]["liaison"])
    client.get("/commitments/budget/?year=2026")
    with django_assert_num_queries(9):
        response = client.get("/commitments/budget/?year=2026")
    text = response.content.decode()
    assert response.status_code == 200
    assert "84000.00" in text and "17500.00" in text and "2689.08" in text
    assert "Aalto" not in text


def test_the_liaison_sees_no_officer_among_the_costs(client, world):
    _signed_in(client, world["users"]["liaison"])
    response = client.get("/commitments/budget/costs/?year=2026")
    assert response.status_code == 200
    assert "Aalto" not in response.content.decode() and "Berg" not in response.content.decode()


def test_the_policy_officer_sees_each_secondments_cost_per_person_month(client, world):
    _signed_in(client, world["users"]["policy"])
    text = client.get("/commitments/budget/costs/?year=2026").content.decode()
    assert "Aalto" in text and "16000.00" in text and "5.95" in text and "2689.08" in text


def test_the_liaison_may_not_add_a_budget_line(client, world):
    _signed_in(client, world["users"]["liaison"])
    response = client.post("/commitments/budget/lines/new/", {"year": "2026", "kind": "training", "title": "x",
                                                               "amount": "1"})
    assert response.status_code == 403
    assert BudgetLine.objects.count() == 2


def test_an_hr_manager_has_no_budget_page(client, world):
    _signed_in(client, world["users"]["hr"])
    assert client.get("/commitments/budget/").status_code == 403


def test_the_budget_export_is_the_lines_figures(client, world):
    _signed_in(client, world["users"]["policy"])
    response = client.get("/commitments/budget.csv?year=2026")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == ("Year,Pool,Line,Kind,Budget (EUR),Committed (EUR),Paid (EUR),Remaining (EUR),Used (%)")
    assert lines[1] == "2026,national,Peace operations 2026,Peace operations (dedicated line),100000.00,1000.00,15000.00,84000.00,16.0"


def test_the_api_gives_the_budget(client, world):
    _signed_in(client, world["users"]["liaison"])
    body = client.get("/api/commitments/budget?year=2026").json()
    assert body["national"]["remaining"] == "84000.00"
    assert body["cost_per_person_month"] == "2689.08"
    assert sorted(line["title"] for line in body["lines"]) == ["Beta missions 2026", "Peace operations 2026"]


def test_the_api_refuses_a_negative_cost(client, world):
    _signed_in(client, world["users"]["policy"])
    response = client.post("/api/commitments/costs", json.dumps({
        "line": world["lines"][0].pk, "secondment": world["secondments"][0].pk, "category": "travel",
        "amount": "-3", "incurred_on": "2026-04-01"}), content_type="application/json")
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    assert SecondmentCost.objects.count() == 4


def test_the_api_charges_a_cost(client, world):
    _signed_in(client, world["users"]["policy"])
    response = client.post("/api/commitments/costs", json.dumps({
        "line": world["lines"][0].pk, "secondment": world["secondments"][0].pk, "category": "travel",
        "amount": "250.5", "incurred_on": "2026-04-01"}), content_type="application/json")
    assert response.status_code == 201
    assert services.budget_position(2026)["paid"] == Decimal("15250.50")




def _insurance(world):
    return SecondmentCost.objects.get(category="insurance")


def _correct(client, cost, **changes):
    data = {"line": cost.line_id, "secondment": cost.secondment_id, "category": cost.category, "stage": cost.stage,
            "amount": str(cost.amount), "incurred_on": cost.incurred_on.isoformat(), "note": cost.note} | changes
    return client.post(f"/commitments/budget/costs/{cost.pk}/edit/", data)


def test_a_commitment_now_paid_is_corrected_with_its_old_and_new_values_audited(client, world):
    from dividend.audit.models import AuditEntry

    cost = _insurance(world)
    response = _correct(_signed_in(client, world["users"]["policy"]), cost, stage="paid", amount="1100.50")
    assert (response.status_code, response["Location"]) == (302, "/commitments/budget/costs/?year=2026")
    position = services.budget_position(2026)
    assert (position["committed"], position["paid"], position["remaining"]) == (
        Decimal("0.00"), Decimal("16100.50"), Decimal("83899.50"))
    entry = AuditEntry.objects.filter(object_type="commitments.secondmentcost", object_id=str(cost.pk)).latest("id")
    assert (entry.action, entry.detail["changes"]) == (
        "update", {"stage": {"old": "committed", "new": "paid"}, "amount": {"old": "1000.00", "new": "1100.50"}})


def test_a_correction_saved_unchanged_writes_nothing(client, world):
    from dividend.audit.models import AuditEntry

    cost = _insurance(world)
    before = AuditEntry.objects.count()
    _correct(_signed_in(client, world["users"]["policy"]), cost)
    assert (AuditEntry.objects.count(), SecondmentCost.objects.get(pk=cost.pk).amount) == (before, Decimal("1000.00"))


def test_a_negative_correction_is_refused_and_nothing_changed(client, world):
    cost = _insurance(world)
    response = _correct(_signed_in(client, world["users"]["policy"]), cost, amount="-3")
    assert response.status_code == 400
    assert "An amount is zero or more: a negative budget or cost is refused." in response.content.decode()
    assert SecondmentCost.objects.get(pk=cost.pk).amount == Decimal("1000.00")


def test_a_pool_policy_officer_may_not_correct_a_cost_on_a_national_line(client, world):
    cost = _insurance(world)
    with pytest.raises(PermissionDenied):
        services.record_cost(actor=world["users"]["policy_beta"], cost=cost, line=world["lines"][1],
                             secondment=world["secondments"][1], category="travel", stage="paid",
                             amount=Decimal("1"), incurred_on=dt.date(2026, 7, 1))
    assert (SecondmentCost.objects.get(pk=cost.pk).line, SecondmentCost.objects.get(pk=cost.pk).amount) == (
        world["lines"][0], Decimal("1000.00"))


def test_the_costs_list_offers_a_correction_only_where_the_reader_records_the_line(client, world):
    berg_travel = SecondmentCost.objects.get(line=world["lines"][1])
    national = _signed_in(client, world["users"]["policy"]).get("/commitments/budget/costs/?year=2026").content.decode()
    assert len(re.findall(r"/commitments/budget/costs/\d+/edit/", national)) == 4
    client.logout()
    beta = _signed_in(client, world["users"]["policy_beta"]).get("/commitments/budget/costs/?year=2026").content.decode()
    assert (f"/commitments/budget/costs/{berg_travel.pk}/edit/" in beta, beta.count("/edit/")) == (True, 1)


def test_the_costs_list_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    """Officer and pool read with each cost (each row named its officer's pool in a query of its own: 11 of 18)."""
    policy = world["users"]["policy"]
    _signed_in(client, policy)
    client.get("/commitments/budget/costs/?year=2026")
    with django_assert_num_queries(7):
        client.get("/commitments/budget/costs/?year=2026")
    for day in range(1, 6):
        services.record_cost(actor=policy, line=world["lines"][1], secondment=world["secondments"][1],
                             category="other", stage="paid", amount=Decimal(day), incurred_on=dt.date(2026, 8, day))
    with django_assert_num_queries(7):
        response = client.get("/commitments/budget/costs/?year=2026")
    assert len(re.findall(r"/commitments/budget/costs/\d+/edit/", response.content.decode())) == 9


def _put_cost(client, cost, **changes):
    body = {"line": cost.line_id, "secondment": cost.secondment_id, "category": cost.category, "stage": cost.stage,
            "amount": float(cost.amount), "incurred_on": cost.incurred_on.isoformat(), "note": cost.note} | changes
    return client.put(f"/api/commitments/costs/{cost.pk}", json.dumps(body), content_type="application/json")


def test_the_api_corrects_a_cost(client, world):
    cost = _insurance(world)
    response = _put_cost(_signed_in(client, world["users"]["policy"]), cost, stage="paid", amount=1100.5)
    assert (response.status_code, response.json()) == (200, {
        "id": cost.pk, "line": world["lines"][0].pk, "secondment": world["secondments"][0].pk,
        "category": "insurance", "stage": "paid", "amount": "1100.50", "incurred_on": "2026-03-01"})
    assert services.budget_position(2026)["paid"] == Decimal("16100.50")


def test_the_api_refuses_a_negative_correction_and_changes_nothing(client, world):
    cost = _insurance(world)
    response = _put_cost(_signed_in(client, world["users"]["policy"]), cost, amount=-3)
    assert (response.status_code, list(response.json()["errors"])) == (400, ["amount"])
    assert SecondmentCost.objects.get(pk=cost.pk).amount == Decimal("1000.00")


def test_the_liaison_finds_no_cost_to_correct(client, world):
    cost = _insurance(world)
    response = _put_cost(_signed_in(client, world["users"]["liaison"]), cost, amount=1)
    assert (response.status_code, SecondmentCost.objects.get(pk=cost.pk).amount) == (404, Decimal("1000.00"))
