import datetime as dt

import pytest

from dividend.pools.models import Role

from ..factories import make_mission, make_officer, make_pool, make_position, make_user

TODAY = dt.date.today()
PASSPORT = ("passport", dt.date(2020, 1, 1), dt.date(2040, 1, 1))


def ready_officer(pool, **fields):
    """An officer the crisis query finds for organised crime within 14 days for 3 months."""
    return make_officer(pool, available_from=TODAY, max_duration_months=12, themes=["organised_crime"],
                        qualifications=[PASSPORT], **fields)


@pytest.fixture
def world():
    alpha, beta = make_pool("alpha", name="Alpha Police"), make_pool("beta", name="Beta Police")
    users = {"coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord"),
             "coordinator_beta": make_user(Role.COORDINATOR, pools=[beta], username="coordb"),
             "national": make_user(Role.COORDINATOR, national=True, username="natco"),
             "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hra"),
             "aalto": make_user(Role.SECONDEE, pools=[alpha], username="aalto"),
             "berg": make_user(Role.SECONDEE, pools=[alpha], username="berg"),
             "carlsson": make_user(Role.SECONDEE, pools=[beta], username="carl")}
    officers = {"aalto": ready_officer(alpha, user=users["aalto"], last_name="Aalto", first_name="Aino",
                                       email="aino.aalto@example.org"),
                "berg": ready_officer(alpha, user=users["berg"], last_name="Berg", first_name="Bo",
                                      email="bo.berg@example.org"),
                "dahl": ready_officer(alpha, last_name="Dahl", first_name="Dag", email=""),
                "carlsson": ready_officer(beta, user=users["carlsson"], last_name="Carlsson", first_name="Cai",
                                          email="cai@example.org")}
    position = make_position(make_mission("EUHURR", countries=("HTI",)), title="Disaster liaison officer")
    return {"pools": (alpha, beta), "users": users, "officers": officers, "position": position}
