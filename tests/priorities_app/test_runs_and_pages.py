"""Runs store their results; ranking, country, comparison and robustness pages read them; exports."""

import csv
import io

import openpyxl
import pytest

from dividend.priorities import services
from dividend.priorities.engine import IndicatorLibrary, compute, load_model
from dividend.priorities.models import PriorityRun, RunCountry

pytestmark = pytest.mark.django_db


def test_run_stores_results_matching_the_engine(small_run, small_text):
    assert small_run.status == "done" and small_run.draws == 300 and small_run.seed == 7
    assert small_run.dimensions == [{"id": "markets", "label": "Criminal markets"},
                                    {"id": "fragility", "label": "Fragility"}]
    assert small_run.country_count == 12
    result = compute(load_model(small_text, IndicatorLibrary()), home_country="BEL")
    stored = {r.iso3: r for r in RunCountry.objects.filter(run=small_run)}
    assert sorted(stored) == sorted(result.countries)
    for row in result.ranking():
        r = stored[row["iso3"]]
        assert (r.rank, r.score, r.missing_count) == (row["rank"], row["score"], row["missing_count"])
        assert r.p05_rank <= r.median_rank <= r.p95_rank
        contributions = r.detail["contributions"]
        assert abs(contributions["markets"] + contributions["fragility"] - r.score) < 1e-3
        assert r.detail["value_years"]["thb"] == 2023
    col = stored["COL"]
    assert col.detail["raw_values"]["cocaine"] == pytest.approx(result.country("COL")["raw_values"]["cocaine"])


def test_ranking_page_sorting_and_permissions(client, small_run, analyst, secondee):
    client.force_login(analyst)
    response = client.get(f"/priorities/runs/{small_run.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = list(RunCountry.objects.filter(run=small_run).order_by("rank"))
    first = rows[0]
    assert f'<td>1</td><td><a href="/priorities/runs/{small_run.pk}/countries/{first.iso3}/">{first.name}</a>' in html
    assert "Criminal markets" in html and "Fragility" in html and "Reliability" in html
    # Sort by the fragility dimension, highest first (htmx fragment).
    response = client.get(f"/priorities/runs/{small_run.pk}/?sort=-dim:fragility", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    by_fragility = sorted(rows, key=lambda r: -r.dimension_scores["fragility"])
    positions = [html.index(f"/countries/{r.iso3}/") for r in by_fragility]
    assert positions == sorted(positions)
    by_name = client.get(f"/priorities/runs/{small_run.pk}/?sort=name").content.decode()
    names = sorted(rows, key=lambda r: r.name)
    assert [by_name.index(f"/countries/{r.iso3}/") for r in names] == sorted(
        by_name.index(f"/countries/{r.iso3}/") for r in names)
    client.force_login(secondee)
    assert client.get(f"/priorities/runs/{small_run.pk}/").status_code == 403
    assert client.get("/priorities/").status_code == 403


def test_country_page_shows_what_drives_the_score(client, small_run, analyst):
    client.force_login(analyst)
    row = RunCountry.objects.get(run=small_run, iso3="COL")
    response = client.get(f"/priorities/runs/{small_run.pk}/countries/col/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="chart" id="chart-dimensions"><svg role="img" aria-label="Colombia: contribution of each dimension"' in html
    assert 'id="chart-indicators"><svg' in html
    assert f'<dd id="country-rank">{row.rank} of 12</dd>' in html
    assert f'<dd id="country-score">{row.score:.4f}</dd>' in html
    assert "goci / Cocaine trade" in html and "fsi / C1" in html
    assert f"<td>{row.detail['raw_values']['cocaine']:.2f}".rstrip("0").rstrip(".") in html
    assert "Trafficking in human beings:" in html
    assert client.get(f"/priorities/runs/{small_run.pk}/countries/ZZZ/").status_code == 404


def test_comparison_of_two_weight_profiles(client, small_model, small_run, policy, small_text):
    services.save_version(actor=policy, model=small_model,
                          text=small_text.replace("weight: 2\n", "weight: 0.2\n"), comment="markets down")
    small_model.refresh_from_db()
    other, _ = services.start_run(actor=policy, version=small_model.current_version, label="markets down")
    client.force_login(policy)
    response = client.get(f"/priorities/compare/?a={small_run.pk}&b={other.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="chart" id="chart-slopes"><svg' in html
    a = {r.iso3: r.rank for r in small_run.countries.all()}
    b = {r.iso3: r.rank for r in other.countries.all()}
    moved = max(a, key=lambda c: abs(a[c] - b[c]))
    shift = a[moved] - b[moved]
    assert shift != 0
    badge = f'<span class="badge ok">+{shift}</span>' if shift > 0 else f'<span class="badge bad">{shift}</span>'
    assert f"<td>{a[moved]}</td><td>{b[moved]}</td>\n<td>{badge}</td>" in html
    export = client.get(f"/priorities/compare.csv?a={small_run.pk}&b={other.pk}")
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:5] == ["ISO3", "Country", f"Rank run {small_run.pk}", f"Rank run {other.pk}", "Shift (up +)"]
    assert lines[1][0] == moved
    assert client.get("/priorities/compare/?a=x&b=1").status_code == 400


def test_robustness_page_and_exports(client, small_run, analyst):
    client.force_login(analyst)
    response = client.get(f"/priorities/runs/{small_run.pk}/robustness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-intervals"><svg role="img" aria-label="Rank intervals, top 12 (300 draws)"' in html
    first = small_run.countries.get(rank=1)
    assert f"<td>{first.median_rank:.1f}</td><td>{first.p05_rank:.1f}</td><td>{first.p95_rank:.1f}</td>" in html
    xlsx = client.get(f"/priorities/runs/{small_run.pk}/robustness.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Rank", "ISO3", "Country", "Median rank", "Rank 5%", "Rank 95%", "Mean abs. rank shift")
    assert rows[1][:3] == (1, first.iso3, first.name) and len(rows) == 13
    csv_text = b"".join(client.get(f"/priorities/runs/{small_run.pk}/robustness.csv").streaming_content).decode()
    assert f"1,{first.iso3}," in csv_text


def test_ranking_exports_csv_xlsx_pdf(client, small_run, analyst):
    client.force_login(analyst)
    ranked = list(small_run.countries.order_by("rank"))
    response = client.get(f"/priorities/runs/{small_run.pk}/ranking.csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Rank", "ISO3", "Country", "Score", "Criminal markets", "Fragility", "Reliability",
                        "Missing indicators", "Median rank", "Rank 5%", "Rank 95%", "Mean abs. rank shift"]
    assert lines[1][:4] == ["1", ranked[0].iso3, ranked[0].name, str(round(ranked[0].score, 4))]
    assert len(lines) == 13
    response = client.get(f"/priorities/runs/{small_run.pk}/ranking.xlsx?sort=-reliability")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Rank", "ISO3", "Country", "Score") and len(values) == 13
    assert {v[1] for v in values[1:]} == {r.iso3 for r in ranked}
    pdf = client.get(f"/priorities/runs/{small_run.pk}/ranking.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/priorities/runs/{small_run.pk}/ranking.doc").status_code == 400


def test_run_form_creates_a_run_and_refuses_bad_input(client, small_model, policy, analyst):
    client.force_login(policy)
    response = client.post("/priorities/runs/new/", {"model": "small", "home_country": "nld", "year": 2021,
                                                     "draws": 100, "method": "uniform", "seed": 3})
    run = PriorityRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/priorities/runs/{run.pk}/"
    assert (run.home_country, run.year, run.draws, run.method, run.seed) == ("NLD", 2021, 100, "uniform", 3)
    assert run.countries.get(iso3="COL").detail["value_years"]["thb"] == 2021
    for bad, message in [({"draws": 20001}, "At most 10,000 draws here"),
                         ({"draws": 15000}, "for more use the command"),
                         ({"home_country": "XXX"}, "Unknown country"),
                         ({"model": "nope"}, "Select a valid choice"),
                         ({"year": 1800}, "greater than or equal to 1950")]:
        response = client.post("/priorities/runs/new/", {"model": "small", "draws": 0} | bad)
        assert response.status_code == 400, bad
        assert message in response.content.decode(), bad
    assert PriorityRun.objects.count() == 1
    client.force_login(analyst)
    assert client.get("/priorities/runs/new/").status_code == 403
    assert client.post("/priorities/runs/new/", {"model": "small"}).status_code == 403


def test_list_views_have_a_bounded_number_of_queries(client, small_model, policy, django_assert_max_num_queries):
    for i in range(4):
        services.save_version(actor=policy, model=small_model, text=small_model.current_version.text + f"# {i}\n")
        small_model.refresh_from_db()
        services.start_run(actor=policy, version=small_model.current_version)
    services.install_shipped_models()
    services.upload_dataset(actor=policy, name="d1", rows=[{"iso3": "COL", "year": 2020, "value": 1}])
    services.upload_dataset(actor=policy, name="d2", rows=[{"iso3": "COL", "year": 2020, "value": 1}])
    client.force_login(policy)
    run = PriorityRun.objects.first()
    for url in ["/priorities/", "/priorities/runs/", "/priorities/datasets/", f"/priorities/runs/{run.pk}/",
                "/priorities/models/small/versions/", f"/priorities/runs/{run.pk}/robustness/",
                f"/priorities/compare/?a={run.pk}&b={PriorityRun.objects.last().pk}",
                "/priorities/models/small/", f"/priorities/runs/{run.pk}/countries/COL/",
                "/api/priorities/models", "/api/priorities/runs", "/api/priorities/datasets",
                f"/api/priorities/runs/{run.pk}/ranking"]:
        # Constant whatever the number of models, versions, runs and datasets (5-9 today).
        with django_assert_max_num_queries(10, info=url):
            assert client.get(url).status_code == 200, url


def test_model_list_and_page_name_the_home_country(client, small_model, policy):
    client.force_login(policy)
    listing = client.get("/priorities/").content.decode()
    page = client.get(f"/priorities/models/{small_model.name}/").content.decode()
    assert "<td>Belgium</td>" in listing and "<td>BEL</td>" not in listing
    assert '<dd id="home-country">Belgium</dd>' in page
