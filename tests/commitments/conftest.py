import datetime as dt
from decimal import Decimal

import pytest

from dividend.commitments import services
from dividend.pools.models import Role

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def world():
    """Two pools; Aalto (alpha) on UNMISS 2026-01-01 to 2026-06-30 (181 days: 5.95 person-months),
    Berg (beta) on EULEX from 2026-07-01 to 2026-12-31. A national 2026 line of 100,000 for peace
    operations with Aalto's salary 12,000 and travel 3,000 paid and insurance 1,000 committed; a beta
    2026 line of 20,000 with Berg's travel 2,500 paid. A regulatory letter of 2026-01-15 with two
    assignments (one due 2026-06-30, still open: overdue on TODAY; one reported); a forum with a
    meeting on 2026-09-10 that decided to join EULEX, with a follow-up due 2026-10-01 (open: overdue)."""
    alpha, beta = make_pool("alpha"), make_pool("beta")
    aalto = make_officer(alpha, last_name="Aalto", gender="female")
    berg = make_officer(beta, last_name="Berg", gender="male")
    un, eu = make_mission("UNMISS", organisation="un"), make_mission("EULEX")
    sa = make_secondment(aalto, make_position(un), status="returned", start=dt.date(2026, 1, 1),
                         end=dt.date(2026, 6, 30))
    sb = make_secondment(berg, make_position(eu), status="deployed", start=dt.date(2026, 7, 1),
                         end=dt.date(2026, 12, 31))
    users = {
        "policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "policy_beta": make_user(Role.POLICY_OFFICER, pools=[beta], username="policy_beta"),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True, username="liaison"),
        "coordinator_alpha": make_user(Role.COORDINATOR, pools=[alpha], username="coord_alpha"),
        "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
    }
    policy = users["policy"]
    national, _ = services.save_budget_line(actor=policy, year=2026, pool=None, kind="peace_operations",
                                            title="Peace operations 2026", amount=Decimal("100000"))
    beta_line, _ = services.save_budget_line(actor=policy, year=2026, pool=beta, kind="peace_operations",
                                             title="Beta missions 2026", amount=Decimal("20000"))
    for category, stage, amount in (("salary", "paid", "12000"), ("travel", "paid", "3000"),
                                    ("insurance", "committed", "1000")):
        services.record_cost(actor=policy, line=national, secondment=sa, category=category, stage=stage,
                             amount=Decimal(amount), incurred_on=dt.date(2026, 3, 1))
    services.record_cost(actor=policy, line=beta_line, secondment=sb, category="travel", stage="paid",
                         amount=Decimal("2500"), incurred_on=dt.date(2026, 7, 1))
    letter, _ = services.save_document(actor=policy, kind="regulatory_letter", year=2026,
                                       title="Regulatory letter 2026", issued_by="Ministry of Justice",
                                       issued_on=dt.date(2026, 1, 15))
    due, _ = services.save_assignment(actor=policy, document=letter, text="Second 40 officers to CSDP missions",
                                      owner="National Police", report_back_on=dt.date(2026, 6, 30))
    reported, _ = services.save_assignment(actor=policy, document=letter, text="Report on women in command",
                                           owner="National Police", report_back_on=dt.date(2026, 3, 31))
    services.move_assignment(actor=policy, assignment=reported, status="reported", reason="Sent 2026-03-28")
    forum, _ = services.save_forum(actor=policy, name="Monthly consultation", chaired_by="Foreign ministry",
                                   members="police, justice, defence, finance, customs", cadence="monthly")
    meeting, _ = services.save_meeting(actor=policy, forum=forum, held_on=dt.date(2026, 9, 10),
                                       summary="Mandate of EULEX reviewed.")
    decision, _ = services.record_decision(actor=policy, meeting=meeting, kind="join_mission",
                                           text="Join EULEX with two officers", mission=eu)
    follow_up, _ = services.add_follow_up(actor=policy, decision=decision, action="Open a call for EULEX",
                                          owner="National Police", due_on=dt.date(2026, 10, 1))
    return {"pools": (alpha, beta), "secondments": (sa, sb), "users": users, "lines": (national, beta_line),
            "document": letter, "assignments": (due, reported), "forum": forum, "meeting": meeting,
            "decision": decision, "follow_up": follow_up, "missions": (un, eu)}
