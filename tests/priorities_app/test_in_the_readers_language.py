"""The priorities pages in the reader's language (issue 9): the engine's problems translated by the app
(the engine writes English with the template and parameters kept), and headings naming the model by its
title and countries by name, not by their ids and ISO3 codes."""

import json
import re

import pytest

from dividend.priorities import services

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


# --- Every problem the engine writes is a Text (issue 9): formulas, compute, uploaded datasets --------

def test_a_formula_error_is_said_in_the_readers_language_with_its_position(client, small_model, small_text, policy):
    text = small_text.replace("  id: relevance\n", "  id: relevance\n  formula: \"markets + \"\n")
    page = check(signed_in(client, policy), small_model, text, "de")
    assert "Fehler in der Formel: unerwartet: Ende der Formel an Position 11" in page
    page = check(signed_in(client, policy), small_model, text, "fr")
    assert "erreur dans la formule : inattendu : fin de la formule à la position 11" in page


@pytest.mark.parametrize(("language", "said"), [
    ("de", "Vergleich &#x27;&gt;&#x27; mit einem Wert, der fehlen kann (markets); zuerst prüfen, z. B. "
           "not is_missing(markets) and ..."),
    ("nl", "vergelijking &#x27;&gt;&#x27; met een waarde die kan ontbreken (markets); test die eerst, bijv. "
           "not is_missing(markets) and ..."),
    ("en-gb", "comparison &#x27;&gt;&#x27; with a value that may be missing (markets); test it first, e.g. "
              "not is_missing(markets) and ..."),
])
def test_a_typed_formula_problem_keeps_its_hint_in_the_language(client, small_model, small_text, policy, language,
                                                                 said):
    text = small_text.replace("  id: relevance\n",
                              "  id: relevance\n  formula: \"if(markets > 1, markets, fragility)\"\n")
    assert said in check(signed_in(client, policy), small_model, text, language)


def test_an_upload_is_refused_row_by_row_in_the_readers_language(client, policy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "iso3,year,value\nCOL,2020,1\n,2020,2\nXXQ,2020,3\nMEX,1850,4\nPER,2020,\"1,5\"\nCOL,2020,6\n"
    html = signed_in(client, policy).post("/priorities/datasets/", {
        "name": "cases", "file": SimpleUploadedFile("cases.csv", csv.encode())},
        HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for line, message in [(3, "iso3 ist leer"), (4, "unbekannter Ländercode &#x27;XXQ&#x27;"),
                          (5, "Jahr 1850 liegt außerhalb von 1900–2100"),
                          (6, "Wert &#x27;1,5&#x27; ist keine Zahl (einen Punkt als Dezimaltrennzeichen verwenden)"),
                          (7, "COL 2020 doppelt (zuerst in Zeile 2)")]:
        assert f"<tr><td>{line}</td><td><code>–</code></td><td>{message}</td></tr>" in html


def test_the_api_says_a_problem_in_the_requested_language(client, small_model, small_text, policy):
    client.force_login(policy)
    response = client.post(f"/api/priorities/models/{small_model.name}/versions",
                           json.dumps({"text": small_text + "monte_carl: x\n"}), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert [p["message"] for p in response.json()["problems"]] == [
        "onbekende sleutel 'monte_carl' (bedoelde u 'monte_carlo'?)"]


# --- Countries by name, the ISO3 code muted beside it (compare table, tree preview) ------------------

def _country_cells(page: str) -> list[str]:
    return re.findall(r"<td>([^<>]*<span class=\"muted\">[A-Z]{3}</span>)</td>", page)


def test_the_compare_table_names_countries_with_the_code_muted(client, small_run, small_model, policy):
    other, _ = services.start_run(actor=policy, version=small_model.current_version, draws=0, label="other")
    page = signed_in(client, policy).get(f"/priorities/compare/?a={small_run.pk}&b={other.pk}",
                                         HTTP_ACCEPT_LANGUAGE="de").content.decode()
    cells = _country_cells(page)
    assert len(cells) == 12
    assert 'Albanien <span class="muted">ALB</span>' in cells and 'Marokko <span class="muted">MAR</span>' in cells


def test_the_tree_preview_names_countries_with_the_code_muted(client, small_model, policy):
    from .test_tree_editor import post_data

    page = signed_in(client, policy).post(f"/priorities/models/{small_model.name}/tree/",
                                          post_data(weight__markets="0", preview="1"),
                                          HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    preview = page[page.index('id="preview"'):]
    cells = _country_cells(preview)
    assert len(cells) == 12
    assert 'Albanie <span class="muted">ALB</span>' in cells and 'Maroc <span class="muted">MAR</span>' in cells


# --- Adopting a ranking, in the reader's language ---------------------------------------------------

def test_adopting_and_withdrawing_a_ranking_speaks_german(client, small_run, policy):
    signed_in(client, policy)
    url = f"/priorities/runs/{small_run.pk}/adopt/"
    response = client.post(url, {"agency": "", "reason": "Strategie 2027"}, HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert f"Lauf {small_run.pk} als die nationale Referenzrangfolge übernommen." in response.content.decode()
    page = client.get(f"/priorities/runs/{small_run.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<strong>Übernommen als die nationale Referenzrangfolge</strong>" in page
    again = client.post(url, {"agency": "", "reason": "Zweimal"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"Lauf {small_run.pk} ist bereits die nationale Referenzrangfolge." in again
    from dividend.priorities.models import Adoption

    adoption = Adoption.objects.get()
    response = client.post(f"/priorities/adopted/{adoption.pk}/withdraw/", {"reason": "Neue Strategie"},
                           HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "Le classement de référence national est retiré." in response.content.decode()


def test_the_adopted_ranking_says_in_the_language_when_none_is_adopted(small_run):
    from django.utils import translation

    from dividend.priorities.adoption import adopted_ranking

    with translation.override("nl"):
        assert adopted_ranking().message == ("Nationaal is geen landenrangorde vastgesteld: een beleidsmedewerker "
                                             "stelt een berekening vast op de pagina van de rangorde.")
    assert adopted_ranking().message == ("No country ranking is adopted nationally: a policy officer adopts a run on "
                                         "its ranking page.")


def test_run_options_are_refused_in_the_language():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.check_run_options(year=1800, draws=-1, method="x", seed=-5)
    assert refused.value.message_dict == {
        "year": [f"Das Jahr muss eine ganze Zahl zwischen {services.YEAR_RANGE[0]} und {services.YEAR_RANGE[1]} sein."],
        "draws": [f"Die Monte-Carlo-Ziehungen müssen eine ganze Zahl von 0 bis {services.MAX_DRAWS:,} sein."],
        "method": ["Die Methode muss eine von " + ", ".join(services.PriorityRun.Method.values) + " sein."],
        "seed": ["Der Startwert muss eine ganze Zahl >= 0 sein."]}
