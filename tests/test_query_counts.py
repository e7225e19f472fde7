"""N+1 guard: each list view runs a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dividend.audit.services import record
from dividend.pools.models import Role

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db


def populate(pool, n):
    mission = make_mission(countries=["SRB", "XKX"], themes=["organised_crime"])
    position = make_position(mission)
    for _ in range(n):
        officer = make_officer(pool, skills=[("training", 2)], languages=[("en", 4, 4, 4)],
                               qualifications=[("passport", None, None)])
        make_secondment(officer, position)
        record(actor=None, action="read", obj=officer)


LIST_URLS = ["/roster/", "/roster/?skill=1:1&gender=female", "/secondments/", "/missions/", "/missions/positions/",
             "/audit/", "/api/officers", "/api/secondments", "/api/missions", "/api/positions", "/api/audit",
             "/api/pools", "/roster/qualifications/pending/"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_view_queries_do_not_grow_with_rows(client, url):
    pool = make_pool()
    user = make_user(Role.COORDINATOR, national=True)
    auditor = make_user(Role.AUDITOR, national=True)
    viewer = auditor if "audit" in url else user
    client.force_login(viewer)
    populate(pool, 3)
    client.get(url)  # warm caches (region choices), so both measured requests are alike
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    populate(pool, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
