"""One theme vocabulary (the reference taxonomy) shared by the registry, the priority engine, the
forms and the database; loaders refuse codes outside it and name them."""

import datetime as dt
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from dividend.missions import registry
from dividend.missions.loading import UnknownCode, load_mission_registry
from dividend.missions.models import Mission, Position
from dividend.pools.models import Role
from dividend.priorities.engine import MODEL_DIR, SCHEMA_PATH, THEMES, shipped_model_names
from dividend.priorities.forms import ThemeWeightsForm
from dividend.reference import taxonomy
from dividend.reference.models import QualificationType, Rank, Skill, ThematicArea
from dividend.roster.facts import theme_token
from dividend.roster.forms import search_reference_choices
from dividend.secondments.services import create_secondment

from .factories import make_officer, make_pool, make_user

# Missions whose counter-terrorism or migration themes the registry loader used to drop.
RECOVERED_THEMES = {
    ("eu_csdp", "EUCAP Sahel Mali"): {"terrorism_violent_extremism"},
    ("eu_csdp", "EUCAP Sahel Niger"): {"terrorism_violent_extremism", "migrant_smuggling_irregular_migration"},
    ("eu_csdp", "EUBAM Libya"): {"terrorism_violent_extremism", "migrant_smuggling_irregular_migration"},
    ("eu_csdp", "EUAM Iraq"): {"terrorism_violent_extremism"},
    ("osce", "OSCE Bishkek"): {"terrorism_violent_extremism"},
    ("osce", "OSCE Dushanbe"): {"terrorism_violent_extremism"},
}


def test_registry_records_use_only_taxonomy_codes():
    missions = registry.load_all_missions()
    jobs = registry.load_job_descriptions()
    assert {t for m in missions for t in m["thematic_areas"]} <= set(taxonomy.THEME_CODES)
    assert {s for j in jobs for s in j["required_skills"]} <= set(taxonomy.SKILL_CODES)
    assert {q for j in jobs for q in j["qualifications"]} <= set(taxonomy.QUALIFICATION_CODES)
    assert {j["minimum_rank"] for j in jobs} <= set(taxonomy.RANK_CODES)
    assert {lang for j in jobs for lang in j["languages"]} <= set(taxonomy.LANGUAGE_CODES)


def test_engine_themes_are_the_taxonomy_priority_themes():
    assert THEMES == taxonomy.PRIORITY_THEMES
    assert set(THEMES) < set(taxonomy.THEME_CODES)


def test_published_schema_lists_the_engine_themes():
    assert json.loads(SCHEMA_PATH.read_text())["$defs"]["theme"]["enum"] == list(THEMES)


@pytest.mark.parametrize("name", shipped_model_names())
def test_shipped_model_files_weight_only_priority_themes(name):
    themes = yaml.safe_load((MODEL_DIR / f"{name}.yaml").read_text()).get("themes") or {}
    assert set(themes.get("weights", {})) | set(themes.get("indicators", {})) <= set(taxonomy.PRIORITY_THEMES)


def test_theme_weight_form_offers_the_priority_themes_under_their_taxonomy_names():
    form = ThemeWeightsForm()
    offered = [(name, field.label) for name, field in form.fields.items() if name != "comment"]
    assert offered == [(code, taxonomy.THEME_NAMES[code]) for code in taxonomy.PRIORITY_THEMES]


@pytest.mark.django_db
def test_reference_rows_are_the_taxonomy_after_loading():
    assert set(ThematicArea.objects.values_list("code", "name")) == set(taxonomy.THEMATIC_AREAS)
    assert set(Skill.objects.values_list("code", flat=True)) == set(taxonomy.SKILL_CODES)
    assert set(QualificationType.objects.values_list("code", flat=True)) == set(taxonomy.QUALIFICATION_CODES)
    assert set(Rank.objects.values_list("code", flat=True)) == set(taxonomy.RANK_CODES)


@pytest.mark.django_db
def test_roster_search_offers_every_taxonomy_theme():
    assert sorted(name for _, name in search_reference_choices()["theme"]) == sorted(
        name for _, name in taxonomy.THEMATIC_AREAS)


def test_registry_file_with_an_unknown_theme_is_refused_naming_code_and_mission(tmp_path):
    source = registry.EU_CSV.read_text(encoding="utf-8")
    path = tmp_path / "eu.csv"
    path.write_text(source.replace("border_management;organised_crime;terrorism_violent_extremism",
                                   "border_management;organised_crime;counter_terrorism", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^eu\.csv EUBAM Libya: unknown thematic area 'counter_terrorism' "):
        registry.load_eu_csdp_missions(path)


def test_taxonomy_file_with_a_repeated_code_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "thematic_areas.csv"
    path.write_text("code,name,priority_theme\ndrugs,Drugs,yes\ndrugs,Narcotics,yes\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^thematic_areas\.csv row 3: code 'drugs' appears twice$"):
        taxonomy._read_thematic_areas(path)


@pytest.mark.django_db
def test_registry_load_refuses_a_theme_missing_from_the_reference_data_and_keeps_nothing():
    ThematicArea.objects.filter(code="migrant_smuggling_irregular_migration").delete()
    with pytest.raises(UnknownCode, match=r"^mission EUCAP Sahel Niger \(.*\): unknown thematic area "
                                          r"'migrant_smuggling_irregular_migration'; it is not in the reference data"):
        load_mission_registry()
    assert Mission.objects.count() == 0


@pytest.mark.django_db
def test_load_missions_command_reports_the_unknown_code():
    ThematicArea.objects.filter(code="terrorism_violent_extremism").delete()
    with pytest.raises(CommandError, match="unknown thematic area 'terrorism_violent_extremism'"):
        call_command("load_missions")
    assert Mission.objects.count() == 0


@pytest.mark.django_db
def test_registry_load_keeps_counter_terrorism_and_migration_themes():
    load_mission_registry()
    for (organisation, acronym), expected in RECOVERED_THEMES.items():
        mission = Mission.objects.get(organisation=organisation, acronym=acronym)
        assert expected <= set(mission.thematic_areas.values_list("code", flat=True)), acronym


@pytest.mark.django_db
@pytest.mark.parametrize("acronym", ["EUBAM Libya", "EUCAP Sahel Niger"])
def test_officer_seconded_there_has_terrorism_and_migration_expertise_in_search_facts(acronym):
    load_mission_registry()
    pool = make_pool()
    officer = make_officer(pool)
    position = Position.objects.create(mission=Mission.objects.get(acronym=acronym), title="Border adviser")
    create_secondment(actor=make_user(Role.COORDINATOR, pools=[pool]), officer=officer, position=position,
                      start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 12, 31), status="returned")
    officer.refresh_from_db(fields=["search_facts"])
    tokens = set(officer.search_facts.split())
    themes = ThematicArea.objects.filter(code__in=["terrorism_violent_extremism",
                                                   "migrant_smuggling_irregular_migration"])
    assert {theme_token(t.pk) for t in themes} <= tokens
