"""The demo is one country: DIVIDEND_HOME_COUNTRY, the demo's German pools and the priority models agree."""

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from dividend.missions.models import Mission
from dividend.priorities.engine import MODEL_DIR
from dividend.priorities.models import DEFAULT_MODEL, PriorityModel, PriorityRun
from dividend.priorities.services import install_shipped_models
from dividend.roster.models import Officer
from dividend.site.demo_catalogue import HOME_COUNTRY


def test_setting_default_demo_catalogue_and_default_model_file_name_one_country():
    default_file = yaml.safe_load((MODEL_DIR / f"{DEFAULT_MODEL}.yaml").read_text(encoding="utf-8"))
    assert (settings.DIVIDEND_HOME_COUNTRY, HOME_COUNTRY, default_file["home_country"]) == ("DEU", "DEU", "DEU")


def test_a_new_priority_model_defaults_to_the_setting(settings):
    settings.DIVIDEND_HOME_COUNTRY = "NLD"
    assert PriorityModel(name="x").home_country == "NLD"


@pytest.mark.django_db
def test_shipped_models_install_for_the_installation_home_country(settings):
    settings.DIVIDEND_HOME_COUNTRY = "SWE"
    install_shipped_models()
    assert set(PriorityModel.objects.values_list("home_country", flat=True)) == {"SWE"}


@pytest.mark.django_db
def test_demo_priorities_ranks_for_the_setting():
    call_command("demo_priorities", mc=0, stdout=None)
    run = PriorityRun.objects.get()
    assert run.home_country == settings.DIVIDEND_HOME_COUNTRY == "DEU"
    assert not run.countries.filter(iso3="DEU").exists()


@pytest.mark.django_db
def test_demo_data_refuses_another_home_country_and_changes_nothing(settings):
    settings.DIVIDEND_HOME_COUNTRY = "BEL"
    with pytest.raises(CommandError, match=r"^The demo data are DEU's \(German pools and officers\), but "
                                           r"DIVIDEND_HOME_COUNTRY is 'BEL': set it to DEU to load the demo\. "
                                           r"Nothing was changed\.$"):
        call_command("demo_data", officers=5)
    assert (Officer.objects.count(), Mission.objects.count()) == (0, 0)
