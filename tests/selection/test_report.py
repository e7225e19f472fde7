"""The selection report of a call, as PDF and XLSX: positions, nominees, panel scores, decisions with
their justification, and the latest assignment run."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role, RoleAssignment, Scope
from dividend.selection import services
from dividend.selection.models import AssignmentRun

from ..factories import complete_sign_in, make_user
from .conftest import make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(sel):
    users = sel["users"]
    make_eligible(sel["carlsson"])  # the only eligible one: selecting Carlsson follows the ranked order
    panel = make_user(None, username="panel-one")
    RoleAssignment.objects.create(user=panel, role=Role.PANEL_MEMBER, scope=Scope.OBJECT, object_type="selection.call",
                                  object_id=sel["call"].pk)
    na = services.release(actor=users["hr"], nomination=services.nominate(
        actor=users["coordinator"], call_position=sel["cp"], officer=sel["aalto"]))
    nc = services.release(actor=users["hr"], nomination=services.nominate(
        actor=users["coordinator"], call_position=sel["cp"], officer=sel["carlsson"]))
    services.submit_panel_score(actor=panel, nomination=na, score=72, comment="Clear answers")
    pairs = [{"nomination": na.pk, "candidate": "C-1", "officer_id": na.officer_id, "call_position": sel["cp"].pk,
              "post": 1, "score": 61.5}]
    side = {"status": "optimal", "pairs": pairs, "checks": [
        {"key": "women_min_share", "met": True, "detail": {"women": 1, "assigned": 1, "missing": 0}}],
        "infeasibility": []}
    run = AssignmentRun.objects.create(call=sel["call"], created_by=users["national"], created_at=timezone.now(),
                                       parameters={"min_women_share": 0.4}, status="optimal", total_score=61.5,
                                       result={"optimal": side, "greedy": {**side, "status": "feasible"},
                                               "costs": {"women_min_share": 0.0}})
    decision = services.propose_decision(actor=users["national"], nomination=nc, outcome="selected",
                                         feedback="Welcome.", start_date=dt.date(2027, 3, 1),
                                         justification="Speaks Serbian")
    return {"na": na, "nc": nc, "run": run, "decision": decision}


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def test_the_xlsx_report_has_every_part_with_exact_cells(client, sel, report):
    response = signed_in(client, sel["users"]["coordinator"]).get(f"/selection/calls/{sel['call'].pk}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Positions", "Nominees", "Panel scores", "Assignment run", "Constraints"]
    rows = [list(r) for r in book["Positions"].iter_rows(values_only=True)]
    assert rows == [["Mission", "Position", "Reference", "Posts", "Nominees"], ["EUTEST", "Border adviser", "EUTEST-001", 2, 2]]
    nominees = [list(r) for r in book["Nominees"].iter_rows(values_only=True)]
    assert nominees[0] == ["Candidate", "Name", "Mission", "Position", "Status", "Eligible", "Ranking score",
                           "Panel scores", "Panel mean", "Decision", "Decision status", "Proposed by", "Approved by",
                           "Departures", "Justification", "Feedback"]
    aalto, carlsson = nominees[1], nominees[2]
    assert (aalto[5], carlsson[5]) == ("no", "yes")  # Aalto holds nothing the EU rules ask; Carlsson all
    assert isinstance(aalto[6], float) and 0 <= aalto[6] <= 100
    assert aalto[:5] + aalto[7:] == ["C-1", "Aino Aalto", "EUTEST", "Border adviser", "Released", 1, 72,
                                     None, None, None, None, None, None, None]
    assert carlsson[:5] + carlsson[7:] == ["C-2", "Cai Carlsson", "EUTEST", "Border adviser", "Released", 0, None,
                                           "Selected", "Proposed", "national", None,
                                           "Departs from the optimal assignment", "Speaks Serbian", None]
    panel = [list(r) for r in book["Panel scores"].iter_rows(values_only=True)]
    assert [r[:5] for r in panel] == [["Candidate", "Position", "Member", "Score", "Comment"],
                                      ["C-1", "Border adviser", "panel-one", 72, "Clear answers"]]
    assignment = [list(r) for r in book["Assignment run"].iter_rows(values_only=True)]
    assert assignment == [["Run", "Method", "Status", "Position", "Post", "Nominee", "Score"],
                          [report["run"].pk, "Optimal assignment", "optimal", "Border adviser (EUTEST)", 1,
                           "Aino Aalto", 61.5],
                          [report["run"].pk, "Greedy baseline", "feasible", "Border adviser (EUTEST)", 1,
                           "Aino Aalto", 61.5]]
    constraints = [list(r) for r in book["Constraints"].iter_rows(values_only=True)]
    assert constraints[1] == [report["run"].pk, "Optimal assignment", "a minimum share of women", "yes",
                              "1 women of 1 assigned, 0 missing", 0]
    entry = AuditEntry.objects.get(action="export", object_type="selection.call")
    assert (entry.detail["format"], entry.detail["officer_ids"]) == ("xlsx", sorted([sel["aalto"].pk,
                                                                                     sel["carlsson"].pk]))


def test_the_pdf_report_renders(client, sel, report):
    response = signed_in(client, sel["users"]["national"]).get(f"/selection/calls/{sel['call'].pk}/report.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")


def test_a_pool_coordinator_reads_other_pools_nominees_by_pseudonym_only(client, sel, report):
    beta = sel["pools"][1]
    sel["call"].pools.add(beta)
    services.release(actor=sel["users"]["hr_beta"], nomination=services.nominate(
        actor=sel["users"]["coordinator_beta"], call_position=sel["cp"], officer=sel["berg"]))
    book = load_workbook(io.BytesIO(signed_in(client, sel["users"]["coordinator"]).get(
        f"/selection/calls/{sel['call'].pk}/report.xlsx").content))
    names = [r[1] for r in book["Nominees"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Aino Aalto", "Cai Carlsson", "Candidate C-3"]


def test_an_unknown_format_is_a_400_and_others_are_refused(client, sel, report):
    signed_in(client, sel["users"]["coordinator"])
    assert client.get(f"/selection/calls/{sel['call'].pk}/report.csv").status_code == 400
    client.logout()
    signed_in(client, sel["users"]["hr"])
    assert client.get(f"/selection/calls/{sel['call'].pk}/report.pdf").status_code == 403
