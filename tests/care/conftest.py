import datetime as dt

import pytest
from django.utils import timezone

from dividend.pools.models import Role
from dividend.secondments.models import Secondment
from tests.factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

# The fixed clock of these tests: 20 November 2026, 09:00 local time.
NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))
TODAY = NOW.date()
START = dt.date(2026, 10, 1)


@pytest.fixture
def care():
    """Pool alpha: a deployed secondee (since 1 October 2026), their desk officer (a coordinator of
    the pool), an HR manager, the pool's duty officer and head of unit; a national coordinator; a
    coordinator of pool beta."""
    pool, other = make_pool("alpha"), make_pool("beta")
    secondee = make_user(Role.SECONDEE, pools=[pool], username="secondee")
    officer = make_officer(pool, user=secondee, last_name="Aalto", first_name="Aino")
    mission = make_mission("EUCARE")
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.DEPLOYED, start=START,
                                 end=dt.date(2027, 9, 30))
    return {
        "pool": pool, "other": other, "officer": officer, "secondment": secondment, "mission": mission,
        "secondee": secondee,
        "desk": make_user(Role.COORDINATOR, pools=[pool], username="desk", email="desk@example.org"),
        "hr": make_user(Role.HR_MANAGER, pools=[pool], username="hr"),
        "duty": make_user(None, username="duty", email="duty@example.org"),
        "head": make_user(None, username="head", email="head@example.org"),
        "national": make_user(Role.COORDINATOR, national=True, username="national"),
        "beta": make_user(Role.COORDINATOR, pools=[other], username="beta"),
    }
