"""A small known dataset for the scorecard: one mission, one position of relevance 80 (only the
international-commitments assessment counts, set to 0.8), and two secondments on it."""

import datetime as dt

from django.utils import timezone

from dividend.careers.models import Appraisal, AppraisalRating, FollowUp, LearningObjective, LearningPlan
from dividend.pools.models import Role
from dividend.reference.models import Skill
from dividend.reports.models import Citation, FieldReport, Product, ProductSection
from dividend.secondments.models import Secondment
from dividend.selection.models import PositionAssessment, RelevanceWeights

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

NOW = timezone.now()


def report(officer, mission, day, n):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    return FieldReport.objects.create(officer=officer, mission=mission, period_start=day, period_end=day,
                                      kind="monthly", title=f"Report {n}", body="Seen.", marking="green",
                                      credibility=3, reliability="C", draft_key=f"k{officer.pk}-{n}", submitted_at=at)


def build():
    pool_a, pool_b = make_pool("alpha"), make_pool("beta")
    mission = make_mission("EUKNOWN", countries=("SRB",), themes=("organised_crime",))
    position = make_position(mission, title="Adviser")
    RelevanceWeights.objects.create(weights={"country": 0, "mission_themes": 0, "position_themes": 0,
                                             "international_commitments": 1, "national_interests": 0,
                                             "mission_interests": 0}, reason="test", set_at=NOW)
    PositionAssessment.objects.create(position=position, international_commitments=0.8, set_at=NOW)
    oa = make_officer(pool_a, last_name="Aalto", first_name="Aino")
    ob = make_officer(pool_b, last_name="Berg", first_name="Bo")
    # Aalto: 120 days on mission (4 reports expected), 3 filed in the period and 1 outside it; one
    # cited in a published product; 3 objectives, 2 met; no follow-up; back, not reintegrated.
    sa = make_secondment(oa, position, status=Secondment.Status.RETURNED, start=dt.date(2024, 1, 1),
                         end=dt.date(2024, 4, 29))
    reports = [report(oa, mission, dt.date(2024, m, 10), m) for m in (1, 2, 3)]
    report(oa, mission, dt.date(2024, 6, 10), 9)  # after the secondment: not counted
    product = Product.objects.create(kind="sitrep", year=2024, number=1, title="Sitrep", period_start=dt.date(2024, 1, 1),
                                     period_end=dt.date(2024, 3, 31), marking="green", status="published",
                                     created_at=NOW, published_at=NOW)
    section = ProductSection.objects.create(product=product, position=1, heading="H", text="T")
    Citation.objects.create(section=section, report=reports[0])
    draft = Product.objects.create(kind="sitrep", year=2024, number=2, title="Draft", period_start=dt.date(2024, 1, 1),
                                   period_end=dt.date(2024, 3, 31), marking="green", created_at=NOW)
    Citation.objects.create(section=ProductSection.objects.create(product=draft, position=1, heading="H", text="T"),
                            report=reports[1])  # a draft's citation does not count
    plan = LearningPlan.objects.create(secondment=sa, career_plan="Lead a unit", updated_at=NOW)
    skills = list(Skill.objects.order_by("code")[:3])
    objectives = [LearningObjective.objects.create(plan=plan, skill=skill, target_level=target, order=i)
                  for i, (skill, target) in enumerate(zip(skills, (3, 3, 2), strict=True))]
    after = Appraisal.objects.create(secondment=sa, stage="after", rater="supervisor", rated_at=NOW)
    own = Appraisal.objects.create(secondment=sa, stage="after", rater="self", rated_at=NOW)
    for objective, rating in zip(objectives, (3, 2, 2), strict=True):
        AppraisalRating.objects.create(appraisal=after, objective=objective, rating=rating)
        AppraisalRating.objects.create(appraisal=own, objective=objective, rating=4)  # the supervisor's counts
    # Berg: deployed since 2025-03-01 (at 2025-04-30: 61 days, 2 reports expected), no report, no plan.
    sb = make_secondment(ob, position, status=Secondment.Status.DEPLOYED, start=dt.date(2025, 3, 1),
                         end=dt.date(2025, 12, 31))
    # A cancelled secondment has no scorecard.
    make_secondment(ob, position, status=Secondment.Status.CANCELLED, start=dt.date(2024, 2, 1), end=dt.date(2024, 5, 1))
    users = {
        "policy": make_user(Role.POLICY_OFFICER, national=True),
        "admin": make_user(Role.ADMINISTRATOR, national=True),
        "coordinator_a": make_user(Role.COORDINATOR, pools=[pool_a]),
        "auditor": make_user(Role.AUDITOR, national=True),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True),
        "analyst": make_user(Role.ANALYST, national=True),
    }
    return {"mission": mission, "position": position, "sa": sa, "sb": sb, "oa": oa, "ob": ob, "users": users,
            "pools": (pool_a, pool_b), "follow_up": FollowUp}
