import datetime as dt

import pytest

from dividend.pools.models import Role

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

MARCH = dt.date(2026, 3, 1)
TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def small():
    """Three officers in two pools (alpha: headcount 1,000; beta: 500) and their secondments:

    - Aalto (alpha): a woman, superintendent (command level), French at C1: UN, 2026-01-15 to 2026-06-30;
    - Berg (alpha): a man, inspector, no French: EU, from 2026-02-01, open-ended (deployed);
    - Conti (beta): a woman, inspector, French at A2 only: OSCE, 2025-11-01 to 2026-03-10 (back before
      March's end), and a cancelled secondment in March that never took place.

    At the end of March 2026: 2 deployed nationally (Aalto, Berg), 1 woman, 1 at command level and she a
    woman, 1 UN, 1 EU, 0 OSCE, 1 French speaker; person-months 1 + 1 + 10/31 = 2.32.
    """
    alpha, beta = make_pool("alpha", headcount=1000), make_pool("beta", headcount=500)
    aalto = make_officer(alpha, last_name="Aalto", gender="female", rank_code="superintendent",
                         languages=[("fr", 5, 5, 5)])
    berg = make_officer(alpha, last_name="Berg", gender="male", rank_code="inspector")
    conti = make_officer(beta, last_name="Conti", gender="female", rank_code="inspector", languages=[("fr", 2, 2, 2)])
    un = make_mission("UNMISS", organisation="un", countries=("SSD",))
    eu = make_mission("EULEX", organisation="eu_csdp")
    osce = make_mission("OSCESMM", organisation="osce", countries=("UKR",))
    sa = make_secondment(aalto, make_position(un), status="returned", start=dt.date(2026, 1, 15),
                         end=dt.date(2026, 6, 30))
    sb = make_secondment(berg, make_position(eu), status="deployed", start=dt.date(2026, 2, 1), end=None)
    sc = make_secondment(conti, make_position(osce), status="returned", start=dt.date(2025, 11, 1),
                         end=dt.date(2026, 3, 10))
    make_secondment(conti, make_position(eu), status="cancelled", start=dt.date(2026, 3, 15), end=dt.date(2026, 9, 1))
    users = {
        "policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "policy_beta": make_user(Role.POLICY_OFFICER, pools=[beta], username="policy_beta"),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True, username="liaison"),
        "coordinator_alpha": make_user(Role.COORDINATOR, pools=[alpha], username="coord_alpha"),
        "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
    }
    return {"pools": (alpha, beta), "officers": (aalto, berg, conti), "secondments": (sa, sb, sc), "users": users,
            "missions": (un, eu, osce)}
