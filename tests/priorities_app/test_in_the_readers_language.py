"""The priorities pages in the reader's language (issue 9): the engine's problems translated by the app
(the engine writes English with the template and parameters kept), and headings naming the model by its
title and countries by name, not by their ids and ISO3 codes."""

import re

import pytest

from ..factories import complete_sign_in

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def check(client, model, text, language):
    return client.post(f"/priorities/models/{model.name}/check/", {"text": text},
                       HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(("language", "said"), [
    ("de", "unbekannter Schlüssel &#x27;monte_carl&#x27; (meinten Sie &#x27;monte_carlo&#x27;?)"),
    ("fr", "clé inconnue &#x27;monte_carl&#x27; (vouliez-vous dire &#x27;monte_carlo&#x27; ?)"),
    ("nl", "onbekende sleutel &#x27;monte_carl&#x27; (bedoelde u &#x27;monte_carlo&#x27;?)"),
    ("en-gb", "unknown key &#x27;monte_carl&#x27; (did you mean &#x27;monte_carlo&#x27;?)"),
])
def test_an_engine_problem_is_said_in_the_readers_language(client, small_model, small_text, policy, language, said):
    page = check(signed_in(client, policy), small_model, small_text + "monte_carl: x\n", language)
    assert said in page


def test_a_reference_to_an_unknown_node_is_translated_with_its_hint(client, small_model, small_text, policy):
    text = small_text.replace("{id: heroin, label: Heroin trade, dataset: goci, column: Heroin trade}",
                              "{id: heroin, ref: cocaine_}")
    page = check(signed_in(client, policy), small_model, text, "de")
    assert "ref &#x27;cocaine_&#x27;: unbekannte Knoten- oder Indikator-ID (meinten Sie &#x27;cocaine&#x27;?)" in page


def test_the_country_page_is_headed_by_names_in_the_language(client, small_run, policy):
    page = signed_in(client, policy).get(f"/priorities/runs/{small_run.pk}/countries/ALB/",
                                         HTTP_ACCEPT_LANGUAGE="de").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert heading == (f'Albanien <small class="muted">Small test model v1 · Belgien · Lauf {small_run.pk}</small>')


def test_the_ranking_names_countries_in_the_language(client, small_run, policy):
    page = signed_in(client, policy).get(f"/priorities/runs/{small_run.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert f"Small test model v1 · Belgique · calcul {small_run.pk}" in heading and "BEL" not in heading
    assert ">Albanie</a>" in page and ">Albania</a>" not in page


def test_the_model_page_is_headed_by_the_models_title_not_its_id(client, small_model, policy):
    page = signed_in(client, policy).get(f"/priorities/models/{small_model.name}/").content.decode()
    assert re.search(r"<h1>(.*?)</h1>", page, re.S).group(1) == 'Small test model <small class="muted">v1</small>'
    assert "<title>Small test model" in page


def test_a_fixed_engine_message_is_translated_too(client, small_model, policy):
    page = check(signed_in(client, policy), small_model, "- just a list\n", "nl")
    assert "het modelbestand moet een koppeling zijn met format_version, id, name, version en index" in page
