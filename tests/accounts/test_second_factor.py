"""The second factor (TOTP): who needs it, setting it up, proving it after the password."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.accounts.access import requires_second_factor
from dividend.audit.models import AuditEntry
from dividend.pools.models import Role

from ..factories import current_code, make_authenticator, make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-123"


def logged_in(user):
    """A browser that gave the right password (and nothing more yet)."""
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def needs(role=None, **kwargs):
    return requires_second_factor(make_user(role, **kwargs))


def test_who_needs_a_second_factor():
    pool = make_pool()
    got = {
        "administrator": needs(Role.ADMINISTRATOR, national=True),
        "auditor": needs(Role.AUDITOR, national=True),
        "hr_pool": needs(Role.HR_MANAGER, pools=[pool]),
        "coordinator_pool (need-to-know)": needs(Role.COORDINATOR, pools=[pool]),
        "analyst_national": needs(Role.ANALYST, national=True),
        "secondee (own restricted data)": needs(Role.SECONDEE, pools=[pool]),
        "analyst_pool": needs(Role.ANALYST, pools=[pool]),
        "panel_pool": needs(Role.PANEL_MEMBER, pools=[pool]),
        "policy_pool": needs(Role.POLICY_OFFICER, pools=[pool]),
        "no role": needs(None),
        "staff, no role": needs(None, is_staff=True),
        "superuser": needs(None, is_superuser=True),
    }
    assert got == {
        "administrator": True, "auditor": True, "hr_pool": True, "coordinator_pool (need-to-know)": True,
        "analyst_national": True, "secondee (own restricted data)": True, "analyst_pool": False,
        "panel_pool": False, "policy_pool": False, "no role": False, "staff, no role": True, "superuser": True,
    }


def test_nobody_needs_it_when_the_setting_is_off(settings):
    settings.DIVIDEND_REQUIRE_OTP = False
    assert needs(Role.ADMINISTRATOR, national=True) is False


def test_without_an_authenticator_the_password_leads_to_setting_one_up():
    client = logged_in(make_user(Role.AUDITOR, national=True))
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/account/second-factor/?next=%2Faudit%2F"


def test_with_an_authenticator_the_password_leads_to_the_code():
    user = make_user(Role.AUDITOR, national=True)
    make_authenticator(user)
    response = logged_in(user).get("/audit/")
    assert response["Location"] == "/account/second-factor/verify/?next=%2Faudit%2F"


def test_every_page_waits_for_the_code_and_the_api_answers_403():
    user = make_user(Role.COORDINATOR, pools=[make_pool()])
    make_authenticator(user)
    client = logged_in(user)
    for path in ("/", "/roster/", "/account/", "/account/password/", "/admin/"):
        assert client.get(path).status_code == 302, path
    response = client.get("/api/officers")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your role needs a second factor")


def test_a_role_without_the_requirement_goes_straight_in():
    client = logged_in(make_user(Role.ANALYST, pools=[make_pool()]))
    assert client.get("/missions/").status_code == 200


def test_the_right_code_opens_the_pages_for_this_session():
    user = make_user(Role.AUDITOR, national=True)
    device = make_authenticator(user)
    client = logged_in(user)
    response = client.post("/account/second-factor/verify/", {"code": current_code(device), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_a_wrong_code_is_refused_and_audited():
    user = make_user(Role.AUDITOR, national=True)
    device = make_authenticator(user)
    client = logged_in(user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/account/second-factor/verify/", {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    assert client.get("/audit/").status_code == 302
    entry = AuditEntry.objects.get(action="otp_failure")
    assert (entry.actor_id, entry.detail) == (user.pk, {"stage": "verification", "throttled": False})


def test_a_code_that_is_not_six_digits_is_a_form_error():
    user = make_user(Role.AUDITOR, national=True)
    make_authenticator(user)
    response = logged_in(user).post("/account/second-factor/verify/", {"code": "12ab56"})
    assert response.status_code == 400
    assert "Enter the 6 digits your app shows." in response.content.decode()
    assert not AuditEntry.objects.filter(action="otp_failure").exists()


def test_a_code_is_accepted_with_spaces():
    user = make_user(Role.AUDITOR, national=True)
    device = make_authenticator(user)
    code = current_code(device)
    response = logged_in(user).post("/account/second-factor/verify/", {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


def test_an_outside_next_address_is_not_followed():
    user = make_user(Role.AUDITOR, national=True)
    device = make_authenticator(user)
    response = logged_in(user).post("/account/second-factor/verify/",
                                    {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_setup_page_shows_a_qr_code_and_the_key_as_text():
    client = logged_in(make_user(Role.ADMINISTRATOR, national=True))
    body = client.get("/account/second-factor/").content.decode()
    assert re.search(r'<p class="qr" id="qr"><svg width="\d+" height="\d+" class="qr-code"><title>', body)
    assert re.search(r'<code id="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', body)


def test_the_setup_page_shows_the_same_key_until_confirmed():
    client = logged_in(make_user(Role.ADMINISTRATOR, national=True))
    first = re.search(r'id="secret">([^<]+)<', client.get("/account/second-factor/").content.decode())[1]
    second = re.search(r'id="secret">([^<]+)<', client.get("/account/second-factor/").content.decode())[1]
    assert first == second


def test_setting_up_with_a_right_code_confirms_and_verifies_and_is_audited():
    user = make_user(Role.ADMINISTRATOR, national=True)
    client = logged_in(user)
    client.get("/account/second-factor/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/account/second-factor/", {"code": current_code(device), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/audit/").status_code == 200
    assert AuditEntry.objects.get(action="otp_enrol").detail == {"replaced": 0}


def test_setting_up_with_a_wrong_code_confirms_nothing_and_is_audited():
    user = make_user(Role.ADMINISTRATOR, national=True)
    client = logged_in(user)
    client.get("/account/second-factor/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    assert client.post("/account/second-factor/", {"code": wrong}).status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEntry.objects.get(action="otp_failure").detail == {"stage": "enrolment", "throttled": False}


def test_a_password_alone_cannot_replace_an_authenticator():
    user = make_user(Role.ADMINISTRATOR, national=True)
    make_authenticator(user)
    response = logged_in(user).get("/account/second-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/second-factor/verify/")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_verified_user_replaces_the_authenticator():
    user = make_user(Role.ADMINISTRATOR, national=True)
    old = make_authenticator(user)
    client = logged_in(user)
    client.post("/account/second-factor/verify/", {"code": current_code(old)})
    client.get("/account/second-factor/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/second-factor/", {"code": current_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert AuditEntry.objects.get(action="otp_enrol").detail == {"replaced": 1}


def test_reset_second_factor_command_removes_it_and_ends_the_sessions():
    user = make_user(Role.ADMINISTRATOR, national=True)
    device = make_authenticator(user)
    client = logged_in(user)
    client.post("/account/second-factor/verify/", {"code": current_code(device)})
    out = StringIO()
    call_command("reset_second_factor", user.username, stdout=out)
    assert out.getvalue() == f"1 authenticator(s) of {user.username} removed.\n"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/audit/").status_code == 302
    assert client.get("/audit/")["Location"].startswith("/login/")
    assert AuditEntry.objects.get(action="otp_reset").object_id == str(user.pk)


def test_a_secondee_needs_it_to_open_their_own_record():
    pool = make_pool()
    user = make_user(Role.SECONDEE, pools=[pool])
    make_officer(pool, user=user)
    response = logged_in(user).get("/roster/me/")
    assert response["Location"] == "/account/second-factor/?next=%2Froster%2Fme%2F"


def test_a_right_code_right_after_a_wrong_one_waits_for_the_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the first wait: 60 s (1 s by default), longer than this test
    user = make_user(Role.AUDITOR, national=True)
    device = make_authenticator(user)
    client = logged_in(user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client.post("/account/second-factor/verify/", {"code": wrong})
    response = client.post("/account/second-factor/verify/", {"code": current_code(device)})
    assert response.status_code == 400
    assert re.search(r"Too many wrong codes: wait (59|60) seconds, then enter the code your app shows\.",
                     response.content.decode())
    assert list(AuditEntry.objects.filter(action="otp_failure").values_list("detail", flat=True)) == [
        {"stage": "verification", "throttled": True}, {"stage": "verification", "throttled": False}]


def test_the_admin_offers_no_authenticator_keys(admin_client):
    make_authenticator(make_user(Role.AUDITOR, national=True))
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_a_role_granted_during_a_session_asks_for_the_second_factor_at_the_next_request(admin_user):
    from dividend.pools.models import Scope
    from dividend.roles.services import grant_role

    user = make_user(Role.ANALYST, pools=[make_pool()])
    client = logged_in(user)
    assert client.get("/roster/").status_code == 200
    grant_role(actor=admin_user, user=user, role=Role.AUDITOR, scope=Scope.NATIONAL)
    assert client.get("/roster/")["Location"] == "/account/second-factor/?next=%2Froster%2F"
