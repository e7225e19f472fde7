"""Demo data for commitments (issue 14 §2): a regulatory letter of this year with its assignments (as
Sweden's government writes one to its police each year) and last year's national implementation plan
for the EU civilian Compact (as Germany's); the national coordination forum (a monthly consultation
chaired by the foreign ministry, as Belgium's) with three meetings, their decisions and follow-up; the
budget lines of this year and last, nationally and for the largest pool, and the costs of up to 40
secondments a year charged to them. Everything goes through the commitments' workflows (audited) as
the demo policy officer."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from dividend.commitments import services
from dividend.missions.models import Position
from dividend.secondments.models import Secondment

COSTED_PER_YEAR = 40
SALARY_PER_MONTH = Decimal("7400")  # salary and allowances paid from the dedicated line


def make_commitments(generator) -> dict:
    policy = get_user_model().objects.get(username="policy")
    today = generator.today
    year = today.year
    counts = {"documents": 0, "assignments": 0, "meetings": 0, "decisions": 0, "follow-ups": 0, "budget lines": 0,
              "costs": 0}

    letter, _ = services.save_document(
        actor=policy, kind="regulatory_letter", year=year, title=f"Regulatory letter {year} to the police",
        issued_by="Ministry of Justice", issued_on=dt.date(year, 1, 15),
        summary="Targets, assignments and funds for international police missions.")
    plan, _ = services.save_document(
        actor=policy, kind="implementation_plan", year=year - 1,
        title="National implementation plan for the EU civilian Compact", issued_by="Ministry of the Interior",
        issued_on=dt.date(year - 1, 3, 1), summary="Commitments under the civilian CSDP Compact.")
    counts["documents"] = 2
    assignments = [
        (letter, "Second at least 40 officers to civilian CSDP missions", "National Police", dt.date(year, 6, 30),
         "reported"),
        (letter, "Report on the share of women deployed and in command", "National Police", dt.date(year, 3, 31),
         "in_progress"),
        (letter, "Propose two strategic positions for the next UN call", "National Police",
         today - dt.timedelta(days=20), "open"),
        (letter, "Plan the replacement funding for home units", "Police Authority finance", dt.date(year, 12, 15),
         "open"),
        (plan, "Build a pool of 100 deployable specialists", "National Police", dt.date(year - 1, 12, 31), "reported"),
        (plan, "Train 50 officers for the EU's specialised teams", "Police Academy", dt.date(year, 9, 30), "open"),
    ]
    for document, text, owner, due, status in assignments:
        assignment, _ = services.save_assignment(actor=policy, document=document, text=text, owner=owner,
                                                 report_back_on=max(due, document.issued_on))
        if status != "open":
            services.move_assignment(actor=policy, assignment=assignment, status=status, reason="Demo")
        counts["assignments"] += 1

    forum, _ = services.save_forum(actor=policy, name="Monthly consultation on international police missions",
                                   chaired_by="Ministry of Foreign Affairs",
                                   members="police, justice, defence, finance, customs", cadence="monthly")
    positions = list(Position.objects.select_related("mission").order_by("mission__acronym", "pk")[:2])
    for days_ago, summary in ((90, "Mandate renewals ahead; the EU call for contributions."),
                              (60, "Strategic positions in UN missions."), (30, "Budget for next year.")):
        meeting, _ = services.save_meeting(actor=policy, forum=forum, held_on=today - dt.timedelta(days=days_ago),
                                           summary=summary)
        counts["meetings"] += 1
        if days_ago == 90 and positions:
            decision, _ = services.record_decision(actor=policy, meeting=meeting, kind="join_mission",
                                                   text=f"Join {positions[0].mission.acronym} with two officers",
                                                   mission=positions[0].mission)
            follow, _ = services.add_follow_up(actor=policy, decision=decision, action="Nominate two officers",
                                               owner="National Police", due_on=meeting.held_on + dt.timedelta(days=30))
            services.move_follow_up(actor=policy, follow_up=follow, status="done", reason="Nominated")
        elif days_ago == 60 and len(positions) > 1:
            decision, _ = services.record_decision(actor=policy, meeting=meeting, kind="strategic_position",
                                                   text=f"Pursue the post of {positions[1].title}",
                                                   position=positions[1])
            services.add_follow_up(actor=policy, decision=decision, action="Find a candidate at command level",
                                   owner="National Police", due_on=meeting.held_on + dt.timedelta(days=45))
        else:
            decision, _ = services.record_decision(actor=policy, meeting=meeting, kind="mandate_review",
                                                   text="Input to the mandate review: keep the border component")
            services.add_follow_up(actor=policy, decision=decision, action="Send the written input",
                                   owner="Ministry of Foreign Affairs", due_on=today + dt.timedelta(days=30))
        counts["decisions"] += 1
        counts["follow-ups"] += 1

    largest = sorted(generator.pools, key=lambda p: (-p.headcount, p.code))[:1]
    for each_year in (year - 1, year):
        national, _ = services.save_budget_line(actor=policy, year=each_year, pool=None, kind="peace_operations",
                                                title="Peace operations", amount=Decimal("2400000"))
        services.save_budget_line(actor=policy, year=each_year, pool=None, kind="replacement",
                                  title="Replacement funding for home units", amount=Decimal("600000"))
        services.save_budget_line(actor=policy, year=each_year, pool=None, kind="training",
                                  title="Pre-deployment training", amount=Decimal("150000"))
        counts["budget lines"] += 3
        for pool in largest:
            services.save_budget_line(actor=policy, year=each_year, pool=pool, kind="peace_operations",
                                      title=f"{pool.name}: missions", amount=Decimal("300000"))
            counts["budget lines"] += 1
        first, last = dt.date(each_year, 1, 1), min(dt.date(each_year, 12, 31), today)
        secondments = (Secondment.objects.filter(status__in=Secondment.TOOK_PLACE, start_date__lte=last)
                       .filter(Q(end_date__isnull=True) | Q(end_date__gte=first)).order_by("pk")[:COSTED_PER_YEAR])
        for s in secondments:
            months = services.person_months(s, each_year, today)
            if not months:
                continue
            day = max(s.start_date, first)
            for category, stage, amount in (("salary", "paid", SALARY_PER_MONTH * months),
                                            ("travel", "paid", Decimal("1800")),
                                            ("insurance", "committed", Decimal("45") * months)):
                services.record_cost(actor=policy, line=national, secondment=s, category=category, stage=stage,
                                     amount=amount, incurred_on=min(day, last))
                counts["costs"] += 1
    return counts


def wipe_commitments():
    """Costs PROTECT the secondments a reset replaces; the rest goes with them."""
    from dividend.commitments.models import BudgetLine, CommitmentDocument, CoordinationForum, SecondmentCost

    SecondmentCost.objects.all().delete()
    BudgetLine.objects.all().delete()
    CommitmentDocument.objects.all().delete()
    CoordinationForum.objects.all().delete()
