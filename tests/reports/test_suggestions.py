"""Theme and place suggestions with the words that triggered them (issue 12 §1, §4): the theme
vocabulary's names and trigger words, the gazetteer's whole-word, capitalised, longest-first rule
and its common-word guard; shown on the triage page and the filing form, never applied silently."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.missions.models import Mission
from dividend.reference.models import ThematicArea
from dividend.reports.suggestions import suggest, suggest_places, suggest_themes

from .test_reports import file, signed_in

pytestmark = pytest.mark.django_db


def themes(text):
    return [(s.key, s.triggers) for s in suggest_themes(text)]


def places(text, hosts=("MLI",)):
    return [(s.kind, s.name, s.country, s.triggers) for s in suggest_places(text, set(hosts))]


def test_a_theme_is_suggested_with_the_words_that_triggered_it():
    assert themes("Smugglers moved migrants north; one smuggler was arrested.") == [
        ("migrant_smuggling_irregular_migration", ["Smugglers", "migrants", "smuggler"])]


def test_a_theme_is_suggested_by_its_own_name():
    assert themes("A rise in organised crime around the port.") == [("organised_crime", ["organised crime"])]


def test_a_theme_added_to_the_vocabulary_is_suggested_by_its_name():
    ThematicArea.objects.create(code="wildlife", name="Wildlife protection")
    assert ("wildlife", ["wildlife protection"]) in themes("Talks on wildlife protection resumed.")


def test_words_inside_other_words_do_not_trigger_a_theme():
    assert themes("The bordereau was signed; drugstore prices rose.") == []


def test_themes_are_ordered_by_their_hits():
    found = themes("Cocaine and heroin seized at the border checkpoint; more cocaine expected.")
    assert [key for key, _words in found] == ["drugs", "border_management"]


def test_a_city_and_a_country_with_their_words():
    assert places("Convoy from Gao to Niamey; Libya's border closed.") == [
        ("city", "Gao", "MLI", ["Gao"]), ("city", "Niamey", "NER", ["Niamey"]), ("country", "Libya", "LBY", ["Libya"])]


def test_the_longest_name_wins_and_multi_word_names_match_with_or_without_hyphens():
    assert places("South Sudan and Sudan; Port-au-Prince, then Port au Prince.") == [
        ("country", "South Sudan", "SSD", ["South Sudan"]), ("country", "Sudan", "SDN", ["Sudan"]),
        ("city", "Port-au-Prince", "HTI", ["Port-au-Prince", "Port au Prince"])]


def test_a_name_in_lower_case_is_no_place():
    assert places("nice weather in nice; gao is a word here") == []


def test_a_common_word_city_outside_the_mission_countries_is_not_suggested():
    assert places("The Mission met the Police in Split. Of the reports, Reading matters.") == []


def test_a_common_word_city_in_a_country_the_text_names_is_suggested():
    assert places("In Croatia, the port of Split was closed.") == [
        ("country", "Croatia", "HRV", ["Croatia"]), ("city", "Split", "HRV", ["Split"])]


def test_a_small_town_elsewhere_is_left_out_but_in_the_mission_country_it_counts():
    assert places("Patrols reached Kidal.", hosts=()) == []
    assert places("Patrols reached Kidal.", hosts=("MLI",)) == [("city", "Kidal", "MLI", ["Kidal"])]


def test_an_alternate_name_finds_the_city():
    assert places("Tombouctou and Timbuktu", hosts=("MLI",)) == [
        ("city", "Timbuktu", "MLI", ["Tombouctou", "Timbuktu"])]


def test_a_country_alias_and_accents():
    assert places("Refugees from the DRC reached Côte d'Ivoire and Cote d'Ivoire.") == [
        ("country", "Congo, The Democratic Republic of the", "COD", ["DRC"]),
        ("country", "Côte d'Ivoire", "CIV", ["Côte d'Ivoire", "Cote d'Ivoire"])]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzé '-.,", max_size=300))
def test_text_without_capitals_never_suggests_a_place(text):
    assert suggest_places(text, {"MLI"}) == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gives_suggestions_without_failing(text):
    found = suggest(title=text[:200], body=text)
    assert all(s.triggers for group in found.values() for s in group)


def test_suggestions_already_chosen_are_marked(world):
    border = ThematicArea.objects.get(code="border_management")
    found = suggest(title="Border", body="Checkpoints near Gao", mission=Mission.objects.get(acronym="EUTEST"),
                    chosen_themes=[border], chosen_places=["gao"])
    assert [(s.key, s.chosen) for s in found["themes"]] == [("border_management", True)]
    assert [(s.name, s.chosen) for s in found["cities"]] == [("Gao", True)]


def test_the_triage_page_shows_suggestions_and_applies_none(client, world):
    report = file(world, title="Smugglers near Gao", body="Migrants crossed from Niger; checkpoints moved.",
                  places="")
    signed_in(client, world["users"]["analyst"])
    page = client.get(f"/reports/{report.pk}/triage/").content.decode()
    assert '<q class="trigger">Smugglers</q>' in page and '<q class="trigger">Gao</q>' in page
    assert 'data-input="id_places" data-value="Gao"' in page
    report.refresh_from_db()
    assert (list(report.themes.all()), list(report.countries.all()), report.places) == ([], [], "")


def test_the_filing_form_asks_for_suggestions(client, world):
    signed_in(client, world["users"]["secondee"])
    assert 'id="suggest-button"' in client.get("/reports/new/").content.decode()
    answer = client.post("/reports/suggest/", {"title": "Cocaine in Gao", "body": "", "mission": world["mission"].pk})
    assert answer.status_code == 200
    assert '<q class="trigger">Cocaine</q>' in answer.content.decode()
    assert 'data-select="id_themes"' in answer.content.decode()


def test_a_classified_text_gets_no_suggestions_and_is_not_kept(client, world):
    signed_in(client, world["users"]["secondee"])
    answer = client.post("/reports/suggest/", {"title": "", "body": "RESTREINT UE annex on Gao"})
    assert answer.status_code == 400
    assert "Classified content is not accepted" in answer.content.decode()


def test_suggestions_through_the_api(client, world):
    report = file(world, title="Weapons seized in Gao", body="Rifles and ammunition.")
    signed_in(client, world["users"]["analyst"])
    found = client.get(f"/api/reports/{report.pk}/suggestions").json()
    assert [(s["key"], s["triggers"]) for s in found["themes"]] == [
        ("arms_trafficking", ["Weapons", "Rifles", "ammunition"])]
    assert [(s["name"], s["chosen"]) for s in found["cities"]] == [("Gao", True)]
    draft = client.post("/api/reports/suggestions/draft", {"body": "Heroin found in Bamako."},
                        content_type="application/json").json()
    assert [s["key"] for s in draft["themes"]] == ["drugs"] and [s["name"] for s in draft["cities"]] == ["Bamako"]
