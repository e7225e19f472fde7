"""A small known dataset: three missions, five secondments with known dates (one cancelled), two pools."""

import datetime as dt

import pytest

from dividend.pools.models import Role
from dividend.secondments.models import Secondment
from tests.factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

TODAY = dt.date(2026, 12, 2)
Q3 = {"start": "2025-07-01", "end": "2025-09-30"}


@pytest.fixture
def known(db):
    alpha, beta = make_pool("alpha"), make_pool("beta")
    eu = make_mission("EUAM", countries=("UKR",), organisation="eu_csdp", themes=("border_management",),
                      name="EU Advisory Mission Ukraine")
    un = make_mission("UNMISS", countries=("SSD",), organisation="un", mandate_executive=True,
                      name="UN Mission in South Sudan")
    osce = make_mission("SMM", countries=("UKR", "MDA"), organisation="osce", mandate_monitoring=True,
                        name="Special Monitoring Mission")
    adviser, investigator, monitor = (make_position(eu, title="Police adviser"),
                                      make_position(un, title="Investigator"), make_position(osce, title="Monitor"))
    o1 = make_officer(alpha, gender="female", last_name="Aalto")
    o2 = make_officer(alpha, gender="male", last_name="Brandt")
    o3 = make_officer(beta, gender="female", last_name="Castro")
    o4 = make_officer(beta, gender="male", last_name="Dahl")
    o5 = make_officer(beta, gender="male", last_name="Ek")
    returned, deployed = Secondment.Status.RETURNED, Secondment.Status.DEPLOYED
    secondments = [
        make_secondment(o1, adviser, status=returned, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)),
        make_secondment(o2, adviser, status=returned, start=dt.date(2025, 8, 1), end=dt.date(2026, 7, 31)),
        make_secondment(o3, investigator, status=returned, start=dt.date(2024, 7, 16), end=dt.date(2025, 7, 15)),
        make_secondment(o4, monitor, status=deployed, start=dt.date(2025, 9, 1), end=None),
        make_secondment(o5, monitor, status=Secondment.Status.CANCELLED, start=dt.date(2025, 7, 1),
                        end=dt.date(2025, 12, 31)),
    ]
    users = {
        "policy": make_user(Role.POLICY_OFFICER, national=True),
        "coordinator_alpha": make_user(Role.COORDINATOR, pools=[alpha]),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True),
        "secondee": make_user(Role.SECONDEE, pools=[alpha]),
        "analyst": make_user(Role.ANALYST, national=True),
    }
    return {"pools": (alpha, beta), "missions": (eu, un, osce), "officers": (o1, o2, o3, o4, o5),
            "secondments": secondments, "users": users}
