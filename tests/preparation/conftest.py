import datetime as dt

import pytest

from dividend.pools.models import Role
from dividend.preparation.loading import load_templates
from dividend.secondments.models import Secondment

from ..factories import (
    complete_sign_in,
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_secondment,
    make_user,
)

DEPARTURE = dt.date(2027, 3, 1)


@pytest.fixture
def prep():
    """Pool alpha: Aalto (inspector, a secondee user) selected for EUCAP (Mali), leaving 2027-03-01;
    pool beta: Berg. Coordinators of alpha and beta, a national coordinator, an HR manager of alpha,
    a panel member of alpha."""
    load_templates()  # a flushed database has lost the migration's rows; otherwise this keeps them
    alpha, beta = make_pool("alpha", name="Alpha Police"), make_pool("beta", name="Beta Police")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aalto")
    officer = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino", rank_code="chief_inspector")
    berg = make_officer(beta, last_name="Berg", first_name="Bo")
    mission = make_mission("EUCAP", countries=("MLI",), themes=("border_management", "migrant_smuggling_irregular_migration"))
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.SELECTED,
                                 start=DEPARTURE, end=DEPARTURE + dt.timedelta(days=364))
    users = {"coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord"),
             "coordinator_beta": make_user(Role.COORDINATOR, pools=[beta], username="coordb"),
             "national": make_user(Role.COORDINATOR, national=True, username="natco"),
             "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
             "panel": make_user(Role.PANEL_MEMBER, pools=[alpha], username="panel"),
             "secondee": secondee}
    return {"pools": (alpha, beta), "officer": officer, "berg": berg, "mission": mission,
            "secondment": secondment, "users": users}


def signed_in(client, user):
    client.force_login(user)
    complete_sign_in(client, user)
    return client
