"""Dataset upload page (all or nothing), the rank_countries and load_priority_models commands, as_of_year."""

import io
import json
import os

import numpy as np
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from dividend.priorities.engine import IndicatorLibrary, compute, shipped_model
from dividend.priorities.models import PriorityModel, PriorityRun, UserDataset

pytestmark = pytest.mark.django_db

BAD_CSV = "iso3,year,value\nCOL,2020,1.5\n,2020,3\nXXQ,2020,1\nMEX,1850,2\nPER,2020,\"1,5\"\nCOL,2020,2\n"


def test_dataset_upload_page_is_all_or_nothing(client, policy, analyst):
    client.force_login(policy)
    response = client.post("/priorities/datasets/", {
        "name": "cases", "file": SimpleUploadedFile("cases.csv", BAD_CSV.encode())})
    assert response.status_code == 400
    html = response.content.decode()
    assert "5 problems, nothing was saved" in html
    for line, message in [(3, "iso3 is empty"), (4, "unknown country code &#x27;XXQ&#x27;"),
                          (5, "year 1850 is outside 1900-2100"),
                          (6, "value &#x27;1,5&#x27; is not a number (use a dot as decimal separator)"),
                          (7, "duplicate COL 2020 (first on line 2)")]:
        assert f"<tr><td>{line}</td><td><code>–</code></td><td>{message}</td></tr>" in html
    assert not UserDataset.objects.exists()

    workbook = openpyxl.Workbook()
    workbook.active.append(["iso3", "year", "value"])
    workbook.active.append(["COL", 2021, 7])
    workbook.active.append(["BRA", 2022, 2.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post("/priorities/datasets/", {
        "name": "cases", "description": "Cases at home", "file": SimpleUploadedFile("cases.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    dataset = UserDataset.objects.get()
    assert (dataset.row_count, dataset.rows) == (2, [["COL", 2021, 7.0], ["BRA", 2022, 2.5]])
    assert "<code>cases</code>" in client.get("/priorities/datasets/").content.decode()
    client.force_login(analyst)
    assert client.post("/priorities/datasets/", {"name": "x"}).status_code == 403


def test_rank_countries_to_xlsx_and_json(tmp_path, small_text, capsys):
    model_file = tmp_path / "small.yaml"
    model_file.write_text(small_text)
    out = tmp_path / "ranking.xlsx"
    call_command("rank_countries", model=str(model_file), home="NLD", mc=300, seed=3, out=str(out), top=3)
    run = PriorityRun.objects.get()
    assert (run.home_country, run.draws, run.seed, run.model_version.model.name) == ("NLD", 300, 3, "small")
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("Rank", "ISO3", "Country", "Score", "Criminal markets", "Fragility")
    assert len(rows) == 13 and rows[1][0] == 1
    assert rows[1][1] == run.countries.get(rank=1).iso3
    assert "12 countries ranked" in capsys.readouterr().out

    out_json = tmp_path / "ranking.json"
    call_command("rank_countries", model="small", year=2021, out=str(out_json), no_save=True, top=0)
    data = json.loads(out_json.read_text())
    assert (data["run"], data["year"], data["draws"], data["model"]) == (None, 2021, 0, "small")
    assert len(data["ranking"]) == 12 and data["ranking"][0]["rank"] == 1
    assert PriorityRun.objects.count() == 1  # --no-save stored nothing


def test_rank_countries_bad_input(tmp_path, small_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(small_text.replace("weight: 2\n", "weight: -2\n").replace("column: C1", "column: C9"))
    with pytest.raises(CommandError) as exc:
        call_command("rank_countries", model=str(bad))
    message = str(exc.value)
    assert "2 problem(s)" in message
    assert "line 14: index/markets: weight must be >= 0" in message
    assert "line 22: index/fragility/security: unknown column 'C9' in dataset 'fsi'" in message
    good = tmp_path / "small.yaml"
    good.write_text(small_text)
    with pytest.raises(CommandError, match="Unknown country 'XYZ'"):
        call_command("rank_countries", model=str(good), home="XYZ")
    with pytest.raises(CommandError, match="Unknown model 'nope'"):
        call_command("rank_countries", model="nope")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("rank_countries", model=str(tmp_path / "missing.yaml"))
    with pytest.raises(CommandError, match="directory .* does not exist"):
        call_command("rank_countries", model=str(good), out=str(tmp_path / "no" / "x.xlsx"))
    with pytest.raises(CommandError, match="must end in one of"):
        call_command("rank_countries", model=str(good), out=str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="Monte Carlo draws"):
        call_command("rank_countries", model=str(good), mc=20_001)
    with pytest.raises(CommandError, match="no data for any country: goci / Human trafficking up to 2015"):
        call_command("rank_countries", model=str(good), year=2015)
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(CommandError, match="permission denied"):
            call_command("rank_countries", model=str(good), out=str(locked / "x.csv"))
    assert not PriorityRun.objects.exists()
    assert not PriorityModel.objects.filter(name="small").exists()


def test_default_model_end_to_end_with_monte_carlo(tmp_path, capsys):
    call_command("load_priority_models")
    assert "internal_security_default: unchanged" in _run_load(capsys)
    out = tmp_path / "default.csv"
    call_command("rank_countries", home="BEL", mc=500, seed=1, out=str(out), no_progress=True, top=1)
    run = PriorityRun.objects.get()
    assert run.country_count == 192 and not run.countries.filter(iso3="BEL").exists()
    assert len(run.dimensions) == 6
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 193 and text[1].startswith("1,")
    assert run.countries.get(rank=1).median_rank is not None


def _run_load(capsys):
    capsys.readouterr()
    call_command("load_priority_models")
    return capsys.readouterr().out


def test_as_of_year_evaluates_another_edition():
    library = IndicatorLibrary()
    model_2021 = shipped_model("goci_2021", library)
    nominal = compute(model_2021, library)
    as_of_2023 = compute(model_2021, library, as_of_year=2023)
    assert set(np.unique(nominal.value_years["human_trafficking"])) <= {0, 2021}
    assert set(np.unique(as_of_2023.value_years["human_trafficking"])) <= {0, 2023}
    assert nominal.countries == as_of_2023.countries
    assert not np.allclose(nominal.score, as_of_2023.score, equal_nan=True)
    # Data published in 2023 are the same for a model evaluated as of 2024 (latest up to it).
    assert np.array_equal(compute(model_2021, library, as_of_year=2024).score, as_of_2023.score, equal_nan=True)
