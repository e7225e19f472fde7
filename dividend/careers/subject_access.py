"""The careers' part of the subject access report (see roster.subject_access): the officer's learning
plans, debriefings (the officer's own report: restricted content included), appraisals, follow-ups
and placements, and what a person's account recorded about others."""

from django.db.models import Q

from dividend.roster.subject_access import Section, register_subject_data

from .models import Appraisal, Debriefing, FollowUp, LearningPlan, Placement, PlanReview, Vacancy


def careers_sections(officer) -> list[Section]:
    plans = LearningPlan.objects.filter(secondment__officer=officer).prefetch_related("objectives__skill")
    sections = [Section("Learning plans", ["secondment", "objectives", "career plan", "officer confirmed",
                                           "supervisor confirmed"],
                        [[p.secondment_id, "; ".join(f"{o.skill} → {o.target_level}" for o in p.objectives.all()),
                          p.career_plan, p.officer_confirmed_at, p.supervisor_confirmed_at]
                         for p in plans.order_by("id")])]
    sections.append(Section("Learning plan reviews", ["secondment", "stage", "review", "when"],
                            [[r.plan.secondment_id, r.stage, r.note, r.reviewed_at] for r in PlanReview.objects.filter(
                                plan__secondment__officer=officer).select_related("plan").order_by("id")]))
    sections.append(Section("Debriefings", ["secondment", *Debriefing.RESTRICTED_FIELDS, "contacts", "written"],
                            [[d.secondment_id, *(getattr(d, f) for f in Debriefing.RESTRICTED_FIELDS), d.contacts,
                              d.written_at] for d in Debriefing.objects.filter(secondment__officer=officer)
                             .order_by("id")]))
    sections.append(Section("Skills appraisals", ["secondment", "stage", "rater", "ratings", "when"],
                            [[a.secondment_id, a.stage, a.rater,
                              "; ".join(f"{r.objective.skill if r.objective_id else r.item}: {r.rating}"
                                        for r in a.ratings.all()), a.rated_at]
                             for a in Appraisal.objects.filter(secondment__officer=officer)
                             .prefetch_related("ratings__objective__skill").order_by("id")]))
    sections.append(Section("Skills used after return", ["secondment", "skills used", "note", "answered"],
                            [[f.secondment_id, ", ".join(f.skills_used), f.note, f.answered_at]
                             for f in FollowUp.objects.filter(secondment__officer=officer).order_by("id")]))
    sections.append(Section("Placements", ["post", "unit", "location", "starts", "score"],
                            [[p.vacancy.post, p.vacancy.unit, p.vacancy.location, p.start_date,
                              p.score.get("total")] for p in Placement.objects.filter(officer=officer)
                             .select_related("vacancy").order_by("id")]))
    if officer.user_id is not None:
        uid = officer.user_id
        acted = [["learning plan", str(p.secondment_id), p.updated_at] for p in LearningPlan.objects.filter(
            Q(updated_by_id=uid) | Q(officer_confirmed_by_id=uid) | Q(supervisor_confirmed_by_id=uid)).exclude(
            secondment__officer=officer).order_by("id")]
        acted += [["plan review", str(r.plan_id), r.reviewed_at] for r in PlanReview.objects.filter(
            reviewed_by_id=uid).exclude(plan__secondment__officer=officer).order_by("id")]
        acted += [["debriefing", str(d.secondment_id), d.written_at] for d in Debriefing.objects.filter(
            written_by_id=uid).exclude(secondment__officer=officer).order_by("id")]
        acted += [["appraisal", str(a.secondment_id), a.rated_at] for a in Appraisal.objects.filter(
            rated_by_id=uid).exclude(secondment__officer=officer).order_by("id")]
        acted += [["follow-up", str(f.secondment_id), f.answered_at] for f in FollowUp.objects.filter(
            answered_by_id=uid).exclude(secondment__officer=officer).order_by("id")]
        acted += [["vacancy", v.post, v.created_at] for v in Vacancy.objects.filter(created_by_id=uid).order_by("id")]
        acted += [["placement", str(p.officer_id), p.placed_at] for p in Placement.objects.filter(
            placed_by_id=uid).exclude(officer=officer).order_by("id")]
        sections.append(Section("Careers work recorded", ["kind", "reference", "when"], acted))
    return sections


register_subject_data("careers", careers_sections, covers=[
    "careers.learningplan.updated_by", "careers.learningplan.officer_confirmed_by",
    "careers.learningplan.supervisor_confirmed_by", "careers.planreview.reviewed_by",
    "careers.debriefing.written_by", "careers.appraisal.rated_by", "careers.followup.answered_by",
    "careers.vacancy.created_by", "careers.placement.officer", "careers.placement.placed_by",
])
