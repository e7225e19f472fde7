"""Adopted rankings on the pages and through the API; the ranking page's formatted cells."""

import json

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.priorities.adoption import adopt_run, adopted_ranking
from dividend.priorities.models import Adoption
from dividend.priorities.results import fixed

from ..factories import make_pool, make_user

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_ranking_page_says_which_run_is_adopted_and_since_when(client, small_run, policy, analyst):
    client.force_login(analyst)
    html = client.get(f"/priorities/runs/{small_run.pk}/").content.decode()
    assert ("This run is not an adopted reference ranking." in html, "No national reference ranking is adopted."
            in html, 'id="adopt-form"' in html) == (True, True, False)
    adoption = adopt_run(actor=policy, run=small_run, reason="Strategy 2027")
    html = client.get(f"/priorities/runs/{small_run.pk}/").content.decode()
    since = adoption.adopted_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert (f"<strong>Adopted as the national reference ranking</strong> since {since} by "
            f"{policy.get_username()}: Strategy 2027") in html


def test_a_policy_officer_adopts_on_the_ranking_page(client, small_run, policy):
    client.force_login(policy)
    page = client.get(f"/priorities/runs/{small_run.pk}/").content.decode()
    assert '<option value="" selected>National reference</option>' in page
    refused = client.post(f"/priorities/runs/{small_run.pk}/adopt/", {"agency": "", "reason": ""})
    assert (refused.status_code, Adoption.objects.count()) == (400, 0)
    response = client.post(f"/priorities/runs/{small_run.pk}/adopt/", {"agency": "", "reason": "Strategy 2027"})
    assert (response.status_code, response["Location"]) == (302, f"/priorities/runs/{small_run.pk}/")
    adoption = Adoption.objects.get()
    assert (adoption.run, adoption.pool, adoption.reason, adoption.adopted_by) == (small_run, None, "Strategy 2027",
                                                                                   policy)
    again = client.post(f"/priorities/runs/{small_run.pk}/adopt/", {"agency": "", "reason": "Twice"})
    assert again.status_code == 400 and f"Run {small_run.pk} is already the national reference ranking." in again.content.decode()
    assert "Twice</textarea>" in again.content.decode()  # the reason typed is not lost


def test_a_pool_policy_officer_adopts_for_their_agency_only(client, small_run):
    police, other = make_pool("police", name="National Police"), make_pool("kmar", name="Royal Marechaussee")
    officer = make_user(Role.POLICY_OFFICER, pools=[police])
    client.force_login(officer)
    page = client.get(f"/priorities/runs/{small_run.pk}/").content.decode()
    assert ('<option value="police">National Police</option>' in page, "National reference</option>" in page,
            "Royal Marechaussee</option>" in page) == (True, False, False)
    assert client.post(f"/priorities/runs/{small_run.pk}/adopt/",
                       {"agency": "kmar", "reason": "theirs"}).status_code == 400
    assert client.post(f"/priorities/runs/{small_run.pk}/adopt/", {"agency": "", "reason": "x"}).status_code == 403
    assert client.post(f"/priorities/runs/{small_run.pk}/adopt/",
                       {"agency": "police", "reason": "Police strategy"}).status_code == 302
    assert (adopted_ranking(police).adoption.pool, adopted_ranking(other).adopted, bool(adopted_ranking())) == (
        police, False, False)


def test_the_adopted_page_lists_those_in_force_and_the_history_and_withdraws(client, small_run, policy, analyst):
    first = adopt_run(actor=policy, run=small_run, reason="First")
    client.force_login(policy)
    client.post(f"/priorities/adopted/{first.pk}/withdraw/", {"reason": ""})
    assert Adoption.objects.current().count() == 1  # no reason, no withdrawal
    client.post(f"/priorities/adopted/{first.pk}/withdraw/", {"reason": "Under review"})
    client.force_login(analyst)
    html = client.get("/priorities/adopted/").content.decode()
    assert ("No national reference ranking is adopted." in html, "<td>Under review</td>" in html,
            "Withdraw</button>" in html) == (True, True, False)


def test_the_api_adopts_reads_and_withdraws(client, small_run, policy, analyst):
    client.force_login(analyst)
    assert client.get("/api/priorities/adopted-ranking").json() == {
        "adopted": False, "agency": None, "national_fallback": False, "adoption": None, "countries": [],
        "message": "No country ranking is adopted nationally: a policy officer adopts a run on its ranking page."}
    assert post(client, "/api/priorities/adoptions", {"run": small_run.pk, "reason": "x"}).status_code == 403
    client.force_login(policy)
    created = post(client, "/api/priorities/adoptions", {"run": small_run.pk, "reason": "Strategy 2027"})
    body = created.json()
    assert (created.status_code, body["agency"], body["agency_name"], body["run"], body["in_force"],
            body["adopted_by"]) == (201, None, "National", small_run.pk, True, policy.get_username())
    ranking = client.get("/api/priorities/adopted-ranking").json()
    top = small_run.countries.get(rank=1)
    assert (ranking["adopted"], len(ranking["countries"]), ranking["countries"][0]) == (
        True, 12, {"iso3": top.iso3, "name": top.name, "rank": 1, "score": top.score, "relative": 1.0})
    assert post(client, "/api/priorities/adoptions", {"run": small_run.pk, "reason": ""}).json()["errors"] == {
        "reason": ["This field is required."]}
    assert client.get("/api/priorities/adopted-ranking?agency=nope").status_code == 404
    withdrawn = post(client, "/api/priorities/adoptions/withdraw", {"reason": "Under review"})
    assert (withdrawn.status_code, withdrawn.json()["in_force"], withdrawn.json()["end_reason"]) == (
        200, False, "Under review")
    assert [a["in_force"] for a in client.get("/api/priorities/adoptions").json()] == [False]
    assert list(AuditEntry.objects.filter(object_type="priorities.adoption").values_list("action", flat=True)
                .order_by("id")) == ["adopt", "update"]


def test_the_summary_snippet_for_other_pages(small_run, policy):
    police = make_pool("police", name="National Police")
    assert render_to_string("priorities/_adopted_summary.html", {"adopted": adopted_ranking()}).strip() == (
        '<p class="adopted-ranking">No country ranking is adopted nationally: a policy officer adopts a run on its '
        'ranking page.</p>')
    adoption = adopt_run(actor=policy, run=small_run, reason="r")
    html = render_to_string("priorities/_adopted_summary.html", {"adopted": adopted_ranking(police)})
    assert (f'<a href="/priorities/runs/{small_run.pk}/">small v1, run {small_run.pk}</a>, the national reference ranking '
            f'(National Police has adopted none), adopted since {adoption.adopted_at.astimezone():%Y-%m-%d} by '
            f'{policy.get_username()}.') in html


# Below 1e-150 floatformat gives up and writes the number as it comes (its 200-digit guard); fixed writes 0.
@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
                 .filter(lambda v: v == 0 or abs(v) > 1e-150), st.integers(-1000, 1000)),
       st.sampled_from([0, 1, 2, 3, 4]))
def test_fixed_writes_what_floatformat_writes(x, digits):
    assert fixed(x, digits) == floatformat(x, digits)


def test_the_ranking_rows_show_what_the_template_filters_showed(client, small_run, analyst):
    client.force_login(analyst)
    html = client.get(f"/priorities/runs/{small_run.pk}/").content.decode()
    r = small_run.countries.get(rank=1)
    dims = "".join(f"<td>{floatformat(r.dimension_scores[d], 3)}</td>" for d in ("markets", "fragility"))
    assert (f'<tr><td>1</td><td><a href="/priorities/runs/{small_run.pk}/countries/{r.iso3}/">{r.name}</a> '
            f'<span class="muted">{r.iso3}</span></td>\n<td>{floatformat(r.score, 4)}</td>{dims}\n'
            f"<td>{floatformat(r.reliability, 2)}</td><td>{r.missing_count}</td>\n"
            f'<td>{floatformat(r.median_rank, 0)} <span class="muted">({floatformat(r.p05_rank, 0)}–'
            f"{floatformat(r.p95_rank, 0)})</span></td><td>{floatformat(r.mean_abs_shift, 1)}</td></tr>") in html
    assert html.count('<tr><td>') == 12
