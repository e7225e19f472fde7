"""Reference names in the reader's language (issue 9): skills, languages, qualification types, ranks
and thematic areas through the project's catalogues, countries through pycountry's ISO 3166 ones; the
stored English names and codes do not change, and lists are sorted by the translated name."""

import csv

import pytest
from django.conf import settings
from django.utils import translation

from dividend.common.collation import sort_key
from dividend.pools.models import Role
from dividend.reference import names, taxonomy
from dividend.reference.models import Country, Language, QualificationType, Rank, Skill, ThematicArea
from dividend.roster.forms import OfficerForm, region_choices, search_reference_choices

from .factories import complete_sign_in, make_officer, make_pool, make_user
from .test_translations import LANGUAGES, LOCALE, read_po, translations

pytestmark = pytest.mark.django_db


def test_the_theme_names_marked_for_translation_are_the_data_files():
    with open(taxonomy.THEMATIC_AREAS_CSV, encoding="utf-8", newline="") as handle:
        in_file = [row["name"] for row in csv.DictReader(handle)]
    assert names.THEME_NAMES == in_file


def test_the_region_names_marked_for_translation_are_the_country_tables():
    with open(settings.DATA_DIR / "unhcr_countries.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    in_file = {row[key] for row in rows for key in ("unsd_region", "unsd_subregion")} - {""}
    assert sorted(names.REGION_NAMES) == sorted(in_file)


def test_the_region_filter_names_regions_in_the_language():
    with translation.override("fr"):
        choices = region_choices()
    assert ("Western Europe", "Europe occidentale") in choices
    labels = [label for _, label in choices[1:]]
    assert labels == sorted(labels, key=sort_key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reference_name_is_translated_in_each_catalogue(language):
    translated = {e["msgid"] for e in read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
                  if "msgctxt" not in e and all(translations(e))}
    shipped = ([n for _, n, _ in taxonomy.SKILLS] + [n for _, n in taxonomy.LANGUAGES]
               + [n for _, n, *_ in taxonomy.QUALIFICATION_TYPES] + [n for _, n, _ in taxonomy.RANKS]
               + names.THEME_NAMES + names.REGION_NAMES)
    assert [n for n in shipped if n not in translated] == []


@pytest.mark.parametrize(("language", "skill", "tongue", "qualification", "rank", "theme", "country"), [
    ("de", "Kriminalermittlung", "Französisch", "Dienstpass", "Polizeikommissar", "Menschenhandel", "Deutschland"),
    ("fr", "Enquête judiciaire", "Français", "Passeport de service", "Lieutenant", "Traite des êtres humains",
     "Allemagne"),
    ("nl", "Strafrechtelijk onderzoek", "Frans", "Dienstpaspoort", "Inspecteur", "Mensenhandel", "Duitsland"),
    ("en-gb", "Criminal investigation", "French", "Service passport", "Inspector", "Trafficking in human beings",
     "Germany"),
])
def test_a_record_is_named_in_the_current_language(language, skill, tongue, qualification, rank, theme, country):
    records = [Skill.objects.get(code="criminal_investigation"), Language.objects.get(code="fr"),
               QualificationType.objects.get(code="passport"), Rank.objects.get(code="inspector"),
               ThematicArea.objects.get(code="trafficking_in_human_beings"), Country.objects.get(iso3="DEU")]
    with translation.override(language):
        assert [str(r) for r in records] == [skill, tongue, qualification, rank, theme, country]
    assert records[0].name == "Criminal investigation" and records[-1].name == "Germany"  # stored in English


def test_form_choices_of_countries_sort_by_the_translated_name():
    with translation.override("de"):
        labels = [label for _, label in OfficerForm().fields["country_expertise"].choices]
    assert labels == sorted(labels, key=sort_key)
    assert labels.index("Ägypten") < labels.index("Albanien") < labels.index("Deutschland")


def test_the_search_forms_lists_are_named_and_sorted_in_the_language():
    with translation.override("de"):
        choices = search_reference_choices()
    skills = [label for _, label in choices["skill"]]
    assert skills == sorted(skills, key=sort_key) and "Kriminaltechnik" in skills
    assert [label for _, label in choices["rank"]][:3] == ["Polizeimeister", "Polizeiobermeister", "Polizeikommissar"]


def test_the_search_forms_lists_follow_the_language_each_time():
    """They are made once per language (roster.forms._grouped_choices): English after German stays English."""
    with translation.override("de"):
        german = search_reference_choices()
    with translation.override("en-gb"):
        english = search_reference_choices()
    with translation.override("de"):
        assert search_reference_choices() == german
    assert "Forensics" in [label for _, label in english["skill"]]
    assert "Kriminaltechnik" not in [label for _, label in english["skill"]]


def test_a_sorted_list_of_names_is_the_callers_own():
    """Adding to one list of sorted names (the region filter adds "any") changes no later one."""
    first = names.sorted_by_name([(2, "Germany"), (1, "Austria")], translate=names.country_name)
    first.insert(0, ("", "any"))
    assert names.sorted_by_name([(2, "Germany"), (1, "Austria")], translate=names.country_name) == [
        (1, "Austria"), (2, "Germany")]


def test_a_german_reader_sees_the_officer_page_in_german(client):
    pool = make_pool("bpol")
    officer = make_officer(pool, skills=[("forensics", 2)], languages=[("nl", 4, 4, 4)], countries=["AUT"],
                           themes=["cybercrime"])
    user = make_user(Role.COORDINATOR, pools=[pool])
    client.force_login(user)
    complete_sign_in(client, user)
    page = client.get(f"/roster/officers/{officer.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for shown in ("Kriminaltechnik", "Niederländisch", "Österreich", "Cyberkriminalität", "Polizeikommissar"):
        assert shown in page
    for english in ("Forensics", "Dutch", "Austria", "Cybercrime"):
        assert english not in page
