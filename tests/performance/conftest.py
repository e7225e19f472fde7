import datetime as dt

import pytest

from dividend.performance import services
from dividend.performance.models import Area
from dividend.pools.models import Role

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user


@pytest.fixture
def perf_world():
    """EUBAM (border management, Libya): Aalto (pool alpha) back from it, Berg (pool beta) deployed
    there. EUCAP (organised crime): Berg deployed. EUPLAN: Berg only selected (the country does not
    contribute to it yet). The users: a national policy officer, an analyst and a coordinator of pool
    alpha, a national coordinator and administrator, the Ministry liaison, HR of pool alpha, Aalto."""
    alpha, beta = make_pool("alpha"), make_pool("beta")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aalto")
    aalto = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino")
    berg = make_officer(beta, last_name="Berg", first_name="Bo")
    eubam = make_mission("EUBAM", countries=("LBY",), themes=("border_management",), name="EUBAM Libya")
    eucap = make_mission("EUCAP", countries=("NER",), themes=("organised_crime",), name="EUCAP Sahel Niger")
    euplan = make_mission("EUPLAN", countries=("MLI",), themes=("border_management",))
    sa = make_secondment(aalto, make_position(eubam), status="returned", start=dt.date(2025, 1, 1),
                         end=dt.date(2025, 12, 31))
    sb = make_secondment(berg, make_position(eubam), status="deployed", start=dt.date(2026, 1, 1),
                         end=dt.date(2026, 12, 31))
    sc = make_secondment(berg, make_position(eucap), status="deployed", start=dt.date(2026, 1, 1),
                         end=dt.date(2026, 12, 31))
    make_secondment(berg, make_position(euplan), status="selected", start=dt.date(2027, 3, 1), end=dt.date(2028, 3, 1))
    users = {
        "policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "analyst": make_user(Role.ANALYST, pools=[alpha], username="analyst"),
        "admin": make_user(Role.ADMINISTRATOR, national=True, username="admin"),
        "coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord"),
        "coordinator_national": make_user(Role.COORDINATOR, national=True, username="natcoord"),
        "liaison": make_user(Role.MINISTRY_LIAISON, national=True, username="liaison"),
        "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
        "secondee": secondee,
    }
    return {"pools": (alpha, beta), "officers": (aalto, berg), "missions": (eubam, eucap, euplan),
            "secondments": (sa, sb, sc), "users": users}


INDICATOR = {"level": "outcome", "text": "Border crossing points applying risk analysis", "unit": "%",
             "direction": "increase", "baseline": 20, "baseline_date": dt.date(2025, 1, 1), "target": 60,
             "target_date": dt.date(2027, 12, 31)}


def make_indicator(world, mission=None, **fields):
    indicator, _ = services.save_indicator(actor=world["users"]["policy"], mission=mission or world["missions"][0],
                                           **(INDICATOR | fields))
    return indicator


def add_value(world, indicator, start, end, value, source="EUBAM CPAS report"):
    return services.save_value(actor=world["users"]["policy"], indicator=indicator, period_start=start,
                               period_end=end, value=value, source=source)[0]


BASELINE = {  # rating per area of the baseline (the nine areas)
    Area.LEGISLATIVE: 1, Area.INSTITUTIONAL: 2, Area.CAPACITY: 1, Area.OPERATIONAL: 2, Area.INFRASTRUCTURE: 0,
    Area.ABSORPTION: 2, Area.THREATS: 1, Area.STAKEHOLDERS: 3, Area.TRUST: 2,
}
LATER = {Area.LEGISLATIVE: 3, Area.CAPACITY: 2, Area.OPERATIONAL: 2, Area.INFRASTRUCTURE: 1, Area.TRUST: 1}


def ratings(values: dict) -> dict:
    return {str(area): (rating, f"Narrative on {area}", f"Needs assessment {area}") for area, rating in values.items()}


def assess(world, kind, on, values, mission=None):
    return services.save_assessment(actor=world["users"]["policy"], mission=mission or world["missions"][0], kind=kind,
                                    assessed_on=on, note="", ratings=ratings(values))[0]
