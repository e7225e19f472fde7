"""Position requirements and job descriptions are edited as rows of selects (the admin's inline rows:
a skill and its minimum level, a language and its minimum CEFR level), never as encoded text; a
skill twice or a level no list offers is refused next to the rows and nothing is saved."""

import pytest

from dividend.missions.models import JobDescription, PositionSkill
from dividend.pools.models import Role
from dividend.reference.models import Skill

from ..factories import complete_sign_in, make_mission, make_position, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user(Role.ADMINISTRATOR, national=True, is_staff=True, is_superuser=True)
    client.force_login(user)
    complete_sign_in(client, user)
    return client


def position_data(position, skills):
    return {
        "mission": position.mission_id, "title": position.title, "reference": "", "duty_station": "",
        "description": "", "status": "open", "duration_months": 12,
        "required_skills-TOTAL_FORMS": len(skills), "required_skills-INITIAL_FORMS": 0,
        "required_skills-MIN_NUM_FORMS": 0, "required_skills-MAX_NUM_FORMS": 1000,
        **{f"required_skills-{i}-{key}": value for i, (skill, level) in enumerate(skills)
           for key, value in (("skill", skill), ("min_level", level))},
        "required_languages-TOTAL_FORMS": 0, "required_languages-INITIAL_FORMS": 0,
        "required_languages-MIN_NUM_FORMS": 0, "required_languages-MAX_NUM_FORMS": 1000,
    }


def test_position_requirements_are_rows_of_selects_and_bad_rows_save_nothing(admin_client):
    position = make_position(make_mission("EULEX"), title="Police adviser")
    url = f"/admin/missions/position/{position.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert '<select name="required_skills-__prefix__-skill"' in page
    assert '<select name="required_skills-__prefix__-min_level"' in page
    assert '<select name="required_languages-__prefix__-min_level"' in page
    training = Skill.objects.get(code="training").pk

    twice = admin_client.post(url, position_data(position, [(training, 2), (training, 3)]) | {"title": "Changed"})
    assert twice.status_code == 200
    assert "Please correct the duplicate data for skill." in twice.content.decode()
    out_of_range = admin_client.post(url, position_data(position, [(training, 7)]) | {"title": "Changed"})
    assert "Select a valid choice. 7 is not one of the available choices." in out_of_range.content.decode()
    position.refresh_from_db()
    assert position.title == "Police adviser" and not PositionSkill.objects.exists()

    saved = admin_client.post(url, position_data(position, [(training, 3)]))
    assert saved.status_code == 302
    assert list(position.required_skills.values_list("skill__code", "min_level")) == [("training", 3)]


def test_job_descriptions_have_the_same_rows(admin_client):
    job = JobDescription.objects.create(code="adviser", title="Adviser")
    page = admin_client.get(f"/admin/missions/jobdescription/{job.pk}/change/").content.decode()
    assert '<select name="required_skills-__prefix__-min_level"' in page
    assert '<select name="required_languages-__prefix__-language"' in page
