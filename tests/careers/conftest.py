import datetime as dt

import pytest

from dividend.pools.models import Role
from dividend.reference.models import Skill

from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def careers_world():
    """Aalto (pool alpha, a secondee with an account) back from EUCAP Sahel Niger on 2026-05-31;
    Berg (pool beta) back from EULEX Kosovo; the pool's coordinator and HR manager, a national
    coordinator and a national policy officer."""
    alpha, beta = make_pool("alpha"), make_pool("beta")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aalto")
    aalto = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino",
                         skills=[("criminal_investigation", 3)], languages=[("fr", 5, 5, 4)])
    berg = make_officer(beta, last_name="Berg", first_name="Bo", languages=[("en", 5, 5, 5)])
    sahel = make_mission("EUCAPSN", countries=("NER",), themes=("migrant_smuggling_irregular_migration",), name="EUCAP Sahel Niger")
    kosovo = make_mission("EULEX", countries=("SRB",), themes=("organised_crime",))
    sa = make_secondment(aalto, make_position(sahel), status="returned", start=dt.date(2025, 6, 1),
                         end=dt.date(2026, 5, 31))
    sb = make_secondment(berg, make_position(kosovo), status="returned", start=dt.date(2024, 1, 1),
                         end=dt.date(2024, 12, 31))
    users = {
        "secondee": secondee,
        "coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord"),
        "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
        "coordinator_national": make_user(Role.COORDINATOR, national=True, username="natcoord"),
        "policy": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "analyst": make_user(Role.ANALYST, pools=[alpha], username="analyst"),
    }
    skills = {code: Skill.objects.get(code=code) for code in ("criminal_investigation", "migrant_smuggling",
                                                              "leadership", "training", "cybercrime")}
    return {"pools": (alpha, beta), "officers": (aalto, berg), "secondments": (sa, sb), "users": users,
            "skills": skills, "missions": (sahel, kosovo)}


def objectives(world, *codes_levels):
    return [(world["skills"][code], level) for code, level in codes_levels]


THREE = (("criminal_investigation", 4), ("migrant_smuggling", 3), ("leadership", 3))
