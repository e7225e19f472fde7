import datetime as dt

import pytest

from dividend.pools.models import Role
from dividend.selection import services
from dividend.selection.models import Call

from ..factories import make_mission, make_officer, make_pool, make_position, make_user

TODAY = dt.date.today()


@pytest.fixture
def sel():
    """Two pools; a coordinator and an HR manager of pool alpha, a national coordinator, a secondee
    officer in alpha and an officer in beta; an EU mission with a position; an open call sent to
    alpha with that position."""
    alpha, beta = make_pool("alpha", name="Alpha Police"), make_pool("beta", name="Beta Police")
    secondee = make_user(Role.SECONDEE, pools=[alpha], username="aalto")
    users = {
        "coordinator": make_user(Role.COORDINATOR, pools=[alpha], username="coord"),
        "coordinator_beta": make_user(Role.COORDINATOR, pools=[beta], username="coordb"),
        "national": make_user(Role.COORDINATOR, national=True, username="national"),
        "hr": make_user(Role.HR_MANAGER, pools=[alpha], username="hr"),
        "hr_beta": make_user(Role.HR_MANAGER, pools=[beta], username="hrb"),
        "secondee": secondee,
        "analyst_beta": make_user(Role.ANALYST, pools=[beta], username="analystb"),
        "nobody": make_user(None, username="nobody"),
    }
    aalto = make_officer(alpha, user=secondee, last_name="Aalto", first_name="Aino")
    berg = make_officer(beta, last_name="Berg", first_name="Bo")
    other_alpha = make_officer(alpha, last_name="Carlsson", first_name="Cai")
    mission = make_mission("EUTEST", organisation="eu_csdp")
    position = make_position(mission, title="Border adviser", reference="EUTEST-001", duration_months=12)
    call = services.create_call(actor=users["coordinator"], pools=[alpha], organisation="eu_csdp", kind="regular",
                                reference="EU-2027-01", title="EUTEST second rotation", published_on=TODAY,
                                organisation_deadline=TODAY + dt.timedelta(days=40),
                                national_deadline=TODAY + dt.timedelta(days=20))
    cp = services.add_call_position(actor=users["coordinator"], call=call, position=position, posts=2)
    services.change_call_status(actor=users["coordinator"], call=call, status=Call.Status.OPEN)
    call.refresh_from_db()
    return {"pools": (alpha, beta), "users": users, "aalto": aalto, "berg": berg, "carlsson": other_alpha,
            "mission": mission, "position": position, "call": call, "cp": cp}


def make_eligible(*officers):
    """Give officers what the shipped EU CSDP rules ask (clearance, CSDP course, passport, English C1,
    driving licence, HEAT, medical fitness), so that the position's ranking counts them eligible."""
    from dividend.reference.models import Language, QualificationType
    from dividend.roster.models import OfficerLanguage, Qualification

    far = TODAY + dt.timedelta(days=5 * 365)
    for officer in officers:
        OfficerLanguage.objects.update_or_create(officer=officer, language=Language.objects.get(code="en"),
                                                 defaults={"speaking": 5, "reading": 5, "writing": 5})
        for code, level in (("security_clearance", "secret"), ("pre_deployment_course", ""), ("passport", ""),
                            ("driving_licence", ""), ("heat", ""), ("medical_fitness", "")):
            Qualification.objects.create(officer=officer, qualification_type=QualificationType.objects.get(code=code),
                                         issued_on=TODAY - dt.timedelta(days=30), expires_on=far, level=level)
