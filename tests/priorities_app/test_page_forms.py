"""Priorities pages that take input: a comparison linked with one run, the new-run form's draws."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dividend.audit.models import AuditEntry
from dividend.priorities import services
from dividend.priorities.models import PriorityRun
from dividend.priorities.services import SYNC_DRAWS

pytestmark = pytest.mark.django_db


def test_compare_linked_from_a_run_page_asks_for_the_second_run(client, small_run, analyst):
    client.force_login(analyst)
    response = client.get(f"/priorities/compare/?a={small_run.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="card" id="choose-b">Choose run B to compare with run {small_run.pk}' in html
    assert f'<option value="{small_run.pk}" selected>' in html  # run A kept
    assert '<option value="" selected>choose a run</option>' in html
    assert 'id="chart-slopes"' not in html


def test_compare_with_an_unreadable_run_is_a_clear_400(client, small_run, analyst):
    client.force_login(analyst)
    response = client.get(f"/priorities/compare/?a={small_run.pk}&b=x")
    assert response.status_code == 400
    assert "b: Enter a whole number." in response.content.decode()


def test_new_run_form_help_and_limit_agree(client, small_model, policy):
    client.force_login(policy)
    page = client.get("/priorities/runs/new/").content.decode()
    assert f"Monte Carlo draws, 0 to {SYNC_DRAWS:,} (0: no robustness analysis)." in page
    refused = client.post("/priorities/runs/new/", {"model": small_model.name, "draws": SYNC_DRAWS + 1,
                                                     "method": "dirichlet"})
    assert refused.status_code == 400
    assert f"At most {SYNC_DRAWS:,} draws here; for more use the command" in refused.content.decode()
    assert PriorityRun.objects.count() == 0


def test_new_run_accepts_the_limit_it_announces(client, small_model, policy):
    client.force_login(policy)
    response = client.post("/priorities/runs/new/", {"model": small_model.name, "draws": SYNC_DRAWS,
                                                      "method": "dirichlet", "seed": 7})
    run = PriorityRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/priorities/runs/{run.pk}/"
    assert run.draws == SYNC_DRAWS


@pytest.fixture
def dataset(policy):
    return services.upload_dataset(actor=policy, name="cases", content="iso3,year,value\nCOL,2023,4\nMEX,2023,7\n",
                                   filename="cases.csv", description="Cases per country")


def test_dataset_edit_changes_the_description_and_keeps_the_rows(client, dataset, policy):
    client.force_login(policy)
    url = f"/priorities/datasets/{dataset.name}/edit/"
    assert 'value="Cases per country"' in client.get(url).content.decode()
    response = client.post(url, {"description": "Cases per country, national statistics"})
    assert response.status_code == 302 and response["Location"] == "/priorities/datasets/"
    dataset.refresh_from_db()
    assert (dataset.description, dataset.rows, dataset.filename) == (
        "Cases per country, national statistics", [["COL", 2023, 4.0], ["MEX", 2023, 7.0]], "cases.csv")
    entry = AuditEntry.objects.filter(action="update").get()
    assert (entry.object_type, entry.fields) == ("priorities.userdataset", ["description"])


def test_dataset_edit_with_a_bad_file_lists_the_rows_and_changes_nothing(client, dataset, policy):
    client.force_login(policy)
    bad = SimpleUploadedFile("cases.csv", b"iso3,year,value\nCOL,2023,4\nXXX,2023,oops\n", content_type="text/csv")
    response = client.post(f"/priorities/datasets/{dataset.name}/edit/", {"description": "new", "file": bad})
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    dataset.refresh_from_db()
    assert (dataset.description, dataset.row_count) == ("Cases per country", 2)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_dataset_edit_is_for_editors(client, dataset, analyst):
    client.force_login(analyst)
    assert client.get(f"/priorities/datasets/{dataset.name}/edit/").status_code == 403


def test_model_file_sent_with_browser_line_endings_is_not_a_new_version(client, small_model, policy):
    client.force_login(policy)
    text = small_model.current_version.text
    response = client.post(f"/priorities/models/{small_model.name}/", {"text": text.replace("\n", "\r\n")})
    assert response.status_code == 302
    small_model.refresh_from_db()
    assert (small_model.current_version.number, small_model.versions.count()) == (1, 1)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_theme_weights_saved_unchanged_keep_the_file_as_it_is(client, small_model, policy):
    client.force_login(policy)
    form = client.get(f"/priorities/models/{small_model.name}/themes/").context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    assert client.post(f"/priorities/models/{small_model.name}/themes/", data).status_code == 302
    small_model.refresh_from_db()
    assert small_model.versions.count() == 1
    assert not AuditEntry.objects.filter(action="update").exists()
    data["drugs"] = 3
    client.post(f"/priorities/models/{small_model.name}/themes/", data)
    small_model.refresh_from_db()
    assert small_model.current_version.number == 2
    assert services.theme_weights_of(small_model.current_version.text)["drugs"] == 3.0
