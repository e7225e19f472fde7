"""Mission pages as people who staff missions see them."""

import pytest

from dividend.missions.loading import load_mission_registry
from dividend.missions.models import Mission
from dividend.pools.models import Role

from ..factories import make_mission, make_user

pytestmark = pytest.mark.django_db


def test_mission_list_opens_on_active_missions(client):
    make_mission("EUMM", status=Mission.Status.ACTIVE)
    make_mission("UNTAC", status=Mission.Status.CLOSED)
    client.force_login(make_user(Role.COORDINATOR, national=True))
    html = client.get("/missions/").content.decode()
    assert ">EUMM</a>" in html and ">UNTAC</a>" not in html
    assert '<option value="active" selected>Active</option>' in html
    closed = client.get("/missions/?status=closed").content.decode()
    assert ">UNTAC</a>" in closed and ">EUMM</a>" not in closed
    every = client.get("/missions/?status=all").content.decode()
    assert ">UNTAC</a>" in every and ">EUMM</a>" in every and '<option value="all" selected>all</option>' in every


def test_mission_pages_do_not_show_the_registry_cleaning_notes(client):
    load_mission_registry()
    client.force_login(make_user(Role.COORDINATOR, national=True))
    unscob = Mission.objects.get(acronym="UNSCOB")
    assert unscob.notes == ""
    assert "decimal commas" not in client.get(f"/missions/{unscob.pk}/").content.decode()
    unmit = Mission.objects.get(acronym="UNMIT")
    assert unmit.notes.startswith("UN police held interim law-enforcement responsibility")
    assert "decimal commas" not in unmit.notes


@pytest.mark.parametrize(("language", "host"), [("en-gb", "Austria, Germany"), ("de", "Deutschland, Österreich")])
def test_host_countries_follow_the_readers_language_and_order(client, language, host):
    mission = make_mission("EUBAM", countries=("DEU", "AUT"), status=Mission.Status.ACTIVE)
    client.force_login(make_user(Role.COORDINATOR, national=True))
    detail = client.get(f"/missions/{mission.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    listing = client.get("/missions/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<dd>{host}</dd>" in detail
    assert f"<td>{host}</td>" in listing
