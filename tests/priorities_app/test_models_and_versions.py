"""Model files: versions, validation with path and line, theme weights, home country, shipped models."""

import pytest
from django.core.exceptions import ValidationError

from dividend.audit.models import AuditEntry
from dividend.priorities import services
from dividend.priorities.engine import THEMES, ModelFileError
from dividend.priorities.models import DEFAULT_MODEL, PriorityModel, PriorityModelVersion

pytestmark = pytest.mark.django_db


def test_saving_creates_an_immutable_version(small_model, policy, small_text):
    assert small_model.current_version.number == 1
    version = services.save_version(actor=policy, model=small_model, text=small_text.replace("weight: 2\n", "weight: 3\n"),
                                    comment="markets up")
    small_model.refresh_from_db()
    assert (version.number, version.author, version.comment) == (2, policy, "markets up")
    assert small_model.current_version == version
    assert small_model.versions.count() == 2
    # Same text again: no new version.
    assert services.save_version(actor=policy, model=small_model, text=version.text) == version
    assert small_model.versions.count() == 2
    with pytest.raises(ValidationError):
        version.comment = "rewritten"
        version.save()
    assert AuditEntry.objects.filter(object_type="priorities.prioritymodel", action="update").count() == 1


def test_invalid_text_on_the_page_is_400_with_path_and_line_and_saves_nothing(client, small_model, policy, small_text):
    client.force_login(policy)
    bad = small_text.replace("weight: 2\n", "weight: -2\n").replace("column: Heroin trade", "column: Heroin trad")
    response = client.post(f"/priorities/models/{small_model.name}/", {"text": bad, "comment": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 problems, nothing was saved" in html
    assert "<td>14</td><td><code>index/markets</code></td><td>weight must be &gt;= 0</td>" in html
    assert "<td>18</td><td><code>index/markets/heroin</code></td>" in html and "did you mean &#x27;Heroin trade&#x27;?" in html
    assert PriorityModelVersion.objects.filter(model=small_model).count() == 1


def test_valid_text_on_the_page_saves_a_version(client, small_model, policy, small_text):
    client.force_login(policy)
    response = client.post(f"/priorities/models/{small_model.name}/",
                           {"text": small_text.replace('version: "1"', 'version: "2"'), "comment": "v2"})
    assert response.status_code == 302
    assert small_model.versions.count() == 2
    page = client.get(f"/priorities/models/{small_model.name}/versions/")
    assert page.status_code == 200 and "v2" in page.content.decode()
    text = client.get(f"/priorities/models/{small_model.name}/versions/1/")
    assert text.content.decode() == small_text


def test_check_button_validates_without_saving(client, small_model, policy):
    client.force_login(policy)
    response = client.post(f"/priorities/models/{small_model.name}/check/", {"text": "format_version: 2\n"})
    assert response.status_code == 400
    assert "format_version must be 1" in response.content.decode()
    assert small_model.versions.count() == 1


def test_theme_weights_form_saves_a_new_version(client, small_model, policy):
    client.force_login(policy)
    data = {t: 0 for t in THEMES} | {"drugs": 4, "trafficking_in_human_beings": 1.5, "comment": "drugs first"}
    response = client.post(f"/priorities/models/{small_model.name}/themes/", data)
    assert response.status_code == 302
    small_model.refresh_from_db()
    assert small_model.current_version.number == 2
    weights = services.current_theme_weights(small_model)
    assert weights["drugs"] == 4 and weights["trafficking_in_human_beings"] == 1.5 and weights["cybercrime"] == 0
    assert "drugs: 4" in small_model.current_version.text
    # A weight for a theme without indicators is refused by the engine, with its line; nothing saved.
    response = client.post(f"/priorities/models/{small_model.name}/themes/", data | {"cybercrime": 2})
    assert response.status_code == 400
    assert "theme has a weight but no indicators" in response.content.decode()
    assert small_model.versions.count() == 2


def test_current_theme_weights_installs_the_default_model():
    assert not PriorityModel.objects.filter(name=DEFAULT_MODEL).exists()
    weights = services.current_theme_weights()
    assert weights["trafficking_in_human_beings"] == 3 and weights["environmental_crime"] == 1
    assert set(weights) == set(THEMES)
    assert PriorityModel.objects.get(name=DEFAULT_MODEL).shipped


def test_shipped_models_install_idempotently():
    first = services.install_shipped_models()
    assert first[DEFAULT_MODEL] == "created" and set(first.values()) == {"created"}
    assert set(services.install_shipped_models().values()) == {"unchanged"}
    assert PriorityModelVersion.objects.count() == len(first)


def test_home_country_setting(client, small_model, policy):
    client.force_login(policy)
    client.post(f"/priorities/models/{small_model.name}/home/", {"home_country": "nld"})
    small_model.refresh_from_db()
    assert small_model.home_country == "NLD"
    response = client.post(f"/priorities/models/{small_model.name}/home/", {"home_country": "XXX"}, follow=True)
    assert "Unknown country &#x27;XXX&#x27;" in response.content.decode()
    small_model.refresh_from_db()
    assert small_model.home_country == "NLD"


def test_model_error_lists_every_problem():
    with pytest.raises(ModelFileError) as exc:
        services.validate_model_text("format_version: 1\nid: 9x\nname: n\nversion: 1\n")
    assert {p.path for p in exc.value.errors} >= {"id", "index"}


def test_analyst_reads_the_model_page_but_cannot_edit(client, small_model, analyst, secondee, small_text):
    client.force_login(analyst)
    html = client.get(f"/priorities/models/{small_model.name}/").content.decode()
    assert "readonly" in html and "Save as new version" not in html
    assert client.post(f"/priorities/models/{small_model.name}/", {"text": small_text}).status_code == 403
    assert client.post(f"/priorities/models/{small_model.name}/themes/", {"drugs": 1}).status_code == 403
    assert client.post(f"/priorities/models/{small_model.name}/home/", {"home_country": "NLD"}).status_code == 403
    assert small_model.versions.count() == 1
    client.force_login(secondee)
    assert client.get(f"/priorities/models/{small_model.name}/").status_code == 403
