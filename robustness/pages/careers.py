"""The access oracle's pages of careers (issue 11 §2, §5-7): a secondment's careers records to the
coordinators and HR managers of the officer's pool (national: all) and to the officer; the
debriefing's content only with need-to-know; vacancies, the returnee pool and the KPIs to
coordinators, HR managers and policy officers, over their pools."""

from robustness.oracle import Expect, marker
from robustness.pages.registry import gated, page


def _record(b, rule, url, *, allowed=lambda i: True, debriefing_shown=True):
    """403 without a careers role, 404 out of scope, 403 without `allowed(i)`, else 200: the
    debriefing's content with need-to-know (and then shown), never otherwise."""
    probes = []
    for i, s in b.secondments.items():
        if not rule.uses_careers():
            probes.append(("GET", url(s), None, Expect({403})))
        elif not rule.sees_career(i):
            probes.append(("GET", url(s), None, Expect({404})))
        elif not allowed(i):
            probes.append(("GET", url(s), None, Expect({403})))
        else:
            notes = {i} if rule.need_to_know(i) else set()
            probes.append(("GET", url(s), None, Expect(
                {200}, officers_at_most={i}, restricted_at_most=notes, notes_at_most=notes,
                markers={marker("Deb", i): True} if notes and debriefing_shown else None)))
    return probes


@page("careers/")
def career_list(b, n, rule):
    """Every secondment whose careers records one sees, exactly (the debriefing as yes/no)."""
    if not rule.uses_careers():
        return [("GET", "/careers/", None, Expect({403}))]
    return [("GET", "/careers/", None, Expect({200}, officers={i for i in b.secondments if rule.sees_career(i)},
                                              notes_at_most=set()))]


@page("careers/secondments/<int:pk>/")
def career_detail(b, n, rule):
    return _record(b, rule, lambda s: f"/careers/secondments/{s.pk}/")


@page("GET /api/careers/secondments/{secondment_id}")
def api_career(b, n, rule):
    return _record(b, rule, lambda s: f"/api/careers/secondments/{s.pk}")


@page("careers/secondments/<int:pk>/debriefing/")
def debriefing(b, n, rule):
    return _record(b, rule, lambda s: f"/careers/secondments/{s.pk}/debriefing/", allowed=rule.need_to_know)


@page("careers/secondments/<int:pk>/plan/")
def plan(b, n, rule):
    """Drafted by the officer or a supervisor: whoever sees the record (no plan yet: an empty form)."""
    return _record(b, rule, lambda s: f"/careers/secondments/{s.pk}/plan/", debriefing_shown=False)


def _writes(method, url, body=None):
    """A change to a secondment out of scope: 403 without a careers role, else 404."""
    def probes(b, n, rule):
        return [(method, url(s), body, Expect({404 if rule.uses_careers() else 403}))
                for i, s in b.secondments.items() if not rule.sees_career(i)]
    return probes


for _suffix in ("plan/confirm", "plan/review", "appraisal/before/self", "follow-up"):
    page(f"careers/secondments/<int:pk>/{_suffix.replace('before/self', '<str:stage>/<str:rater>')}/")(
        _writes("POST", lambda s, suffix=_suffix: f"/careers/secondments/{s.pk}/{suffix}/"))
page("PUT /api/careers/secondments/{secondment_id}/plan")(
    _writes("PUT", lambda s: f"/api/careers/secondments/{s.pk}/plan", {"objectives": [], "career_plan": "oracle"}))
page("POST /api/careers/secondments/{secondment_id}/plan/confirm")(
    _writes("POST", lambda s: f"/api/careers/secondments/{s.pk}/plan/confirm", {"side": "officer"}))
page("PUT /api/careers/secondments/{secondment_id}/debriefing")(
    _writes("PUT", lambda s: f"/api/careers/secondments/{s.pk}/debriefing",
            {"mandate_implementation": "o", "host_country_context": "o", "networks_built": "o",
             "lessons_learned": "o"}))
page("PUT /api/careers/secondments/{secondment_id}/appraisals/{stage}/{rater}")(
    _writes("PUT", lambda s: f"/api/careers/secondments/{s.pk}/appraisals/before/self", {"ratings": {}}))
page("PUT /api/careers/secondments/{secondment_id}/follow-up")(
    _writes("PUT", lambda s: f"/api/careers/secondments/{s.pk}/follow-up", {"skills_used": [], "note": ""}))


def _returnees(b, rule):
    """Returned officers among those one sees (docs/careers.md: "over the officers they see")."""
    return {i for i in b.secondments if rule.sees_officer(i)}


@page("careers/returnees/")
def returnees(b, n, rule):
    """The returnee pool: returned officers one sees, at most; never a debriefing's content."""
    return gated("/careers/returnees/", rule.uses_careers_pool(), officers_at_most=_returnees(b, rule),
                 notes_at_most=set())


@page("GET /api/careers/returnees")
def api_returnees(b, n, rule):
    return gated("/api/careers/returnees", rule.uses_careers_pool(), officers_at_most=_returnees(b, rule),
                 notes_at_most=set())


@page("careers/vacancies/")
def vacancies(b, n, rule):
    return gated("/careers/vacancies/", rule.uses_careers_pool(),
                 markers={marker("Vac", p): rule.sees_vacancy(p) for p in b.vacancies})


@page("GET /api/careers/vacancies")
def api_vacancies(b, n, rule):
    return gated("/api/careers/vacancies", rule.uses_careers_pool(),
                 ids={v.pk for p, v in b.vacancies.items() if rule.sees_vacancy(p)})


def _per_vacancy(url, *, ok=frozenset({200})):
    """A page about one vacancy: 403 without a careers pool role, 404 out of scope, else `ok`
    (changing and placing are for its pool's managers: 200 or 403), showing only officers in scope."""
    def probes(b, n, rule):
        result = []
        for p, vacancy in b.vacancies.items():
            if not rule.uses_careers_pool():
                result.append(("GET", url(vacancy), None, Expect({403})))
            elif not rule.sees_vacancy(p):
                result.append(("GET", url(vacancy), None, Expect({404})))
            else:
                result.append(("GET", url(vacancy), None, Expect(set(ok), officers_at_most=rule.officers(),
                                                                 notes_at_most=set(),
                                                                 markers={marker("Vac", p): True} if ok == {200} else None)))
        return result
    return probes


page("careers/vacancies/<int:pk>/")(_per_vacancy(lambda v: f"/careers/vacancies/{v.pk}/"))
page("careers/vacancies/<int:pk>/edit/")(_per_vacancy(lambda v: f"/careers/vacancies/{v.pk}/edit/", ok={200, 403}))
page("GET /api/careers/vacancies/{vacancy_id}/matches")(
    _per_vacancy(lambda v: f"/api/careers/vacancies/{v.pk}/matches", ok={200, 403}))


@page("careers/vacancies/new/")
def vacancy_new(b, n, rule):
    return gated("/careers/vacancies/new/", rule.prepares())


@page("careers/kpis/")
def kpis(b, n, rule):
    return gated("/careers/kpis/", rule.uses_careers_pool())


@page("careers/kpis/export.<str:fmt>")
def kpi_export(b, n, rule):
    return gated("/careers/kpis/export.csv", rule.uses_careers_pool())


@page("GET /api/careers/kpis")
def api_kpis(b, n, rule):
    return gated("/api/careers/kpis", rule.uses_careers_pool())
