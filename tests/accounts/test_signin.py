"""Login throttling and lockout, session limits, log out everywhere, password change: each audited."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from dividend.accounts import services
from dividend.audit.models import AuditEntry
from dividend.pools.models import Role

from ..factories import make_pool, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-123"  # factories.make_user's


def analyst(username="ana"):
    # A role without a second factor: these tests are about the password step.
    return make_user(Role.ANALYST, pools=[make_pool()], username=username)


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def actions(*words):
    return list(AuditEntry.objects.filter(action__in=words).order_by("id").values_list("action", flat=True))


def test_a_right_password_logs_in_and_is_audited():
    user = analyst()
    response = attempt(Client(), "ana", PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login")
    assert (entry.actor_id, entry.object_id, entry.ip_address) == (user.pk, str(user.pk), "10.0.0.1")


def test_a_wrong_password_is_refused_with_400_and_audited():
    user = analyst()
    response = attempt(Client(), "ana", "wrong-password")
    assert response.status_code == 400
    entry = AuditEntry.objects.get(action="login_failed")
    assert (entry.actor_id, entry.actor_label, entry.object_id) == (None, "anonymous", str(user.pk))
    assert entry.detail == {"username": "ana", "failures": 1, "locked_out": False}


def test_the_fifth_wrong_password_locks_out_even_the_right_one():
    analyst()
    client = Client()
    statuses = [attempt(client, "ana", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = attempt(client, "ana", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_audited_once_after_four_failures():
    analyst()
    for n in range(5):
        attempt(Client(), "ana", f"wrong-{n}")
    assert actions("login_failed", "lockout") == ["login_failed"] * 4 + ["lockout"]


def test_a_lockout_holds_for_one_user_name_from_one_address_only():
    analyst()
    make_user(Role.ANALYST, pools=[make_pool()], username="bob")
    for n in range(5):
        attempt(Client(), "ana", f"wrong-{n}")
    assert attempt(Client(), "ana", PASSWORD, ip="10.0.0.2").status_code == 302
    assert attempt(Client(), "bob", PASSWORD).status_code == 302


def test_a_lockout_ends_after_the_cool_off_time(settings):
    analyst()
    for n in range(5):
        attempt(Client(), "ana", f"wrong-{n}")
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=0)
    assert attempt(Client(), "ana", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count():
    analyst()
    for n in range(4):
        attempt(Client(), "ana", f"wrong-{n}")
    assert attempt(Client(), "ana", PASSWORD).status_code == 302
    assert [attempt(Client(), "ana", f"again-{n}").status_code for n in range(4)] == [400] * 4


def test_unlock_login_command_lifts_the_lockout_and_is_audited():
    analyst()
    for n in range(5):
        attempt(Client(), "ana", f"wrong-{n}")
    out = StringIO()
    call_command("unlock_login", "ana", stdout=out)
    assert out.getvalue() == "1 lockout record(s) of ana removed.\n"
    assert attempt(Client(), "ana", PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="unlock")
    assert (entry.channel, entry.actor_label, entry.detail["username"]) == ("cli", "system", "ana")


def test_only_national_administrators_may_unlock():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.unlock_login(actor=make_user(Role.COORDINATOR, national=True), username="ana")
    assert services.unlock_login(actor=make_user(Role.ADMINISTRATOR, national=True), username="ana") == 0


def test_the_admin_login_page_is_the_sites():
    response = Client().get("/admin/login/?next=/admin/pools/pool/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Fpools%2Fpool%2F"


# --- Session limits ----------------------------------------------------------------------------

def signed_in_client(user):
    client = Client()
    assert attempt(client, user.username, PASSWORD).status_code == 302
    return client


def move_clock(client, *, started_ago, seen_ago):
    now = dt.datetime.now(dt.UTC).timestamp()
    session = client.session
    session[services.SIGNED_IN_AT] = now - started_ago.total_seconds()
    session[services.LAST_SEEN] = now - seen_ago.total_seconds()
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends():
    client = signed_in_client(analyst())
    move_clock(client, started_ago=dt.timedelta(minutes=31), seen_ago=dt.timedelta(minutes=31))
    response = client.get("/missions/", follow=True)
    assert response.redirect_chain[0] == ("/login/?next=/missions/", 302)
    assert "You were logged out after 30 minutes without activity." in response.content.decode()


def test_a_session_used_within_30_minutes_goes_on():
    client = signed_in_client(analyst())
    move_clock(client, started_ago=dt.timedelta(minutes=29), seen_ago=dt.timedelta(minutes=29))
    assert client.get("/missions/").status_code == 200
    # The request counted as activity: the clock restarted.
    assert dt.datetime.now(dt.UTC).timestamp() - client.session[services.LAST_SEEN] < 5


def test_a_session_ends_12_hours_after_login_however_active():
    client = signed_in_client(analyst())
    move_clock(client, started_ago=dt.timedelta(hours=12, minutes=1), seen_ago=dt.timedelta(minutes=1))
    response = client.get("/missions/", follow=True)
    assert response.redirect_chain[0] == ("/login/?next=/missions/", 302)
    assert "Your session reached its maximum length of 12 hours." in response.content.decode()


def test_the_idle_limit_is_a_setting(settings):
    settings.DIVIDEND_SESSION_IDLE = dt.timedelta(minutes=5)
    client = signed_in_client(analyst())
    move_clock(client, started_ago=dt.timedelta(minutes=6), seen_ago=dt.timedelta(minutes=6))
    assert client.get("/missions/").status_code == 302


def test_an_expired_api_session_answers_401():
    client = signed_in_client(analyst())
    move_clock(client, started_ago=dt.timedelta(minutes=31), seen_ago=dt.timedelta(minutes=31))
    assert client.get("/api/missions").status_code == 401


def test_log_out_everywhere_ends_every_session_of_the_user_only():
    user, other = analyst(), analyst("other")
    first, second, others = signed_in_client(user), signed_in_client(user), signed_in_client(other)
    response = first.post("/account/logout-everywhere/", follow=True)
    assert "You were logged out everywhere (2 sessions ended)." in response.content.decode()
    assert first.get("/missions/").status_code == 302
    assert second.get("/missions/").status_code == 302
    assert others.get("/missions/").status_code == 200
    assert AuditEntry.objects.get(action="logout_all").detail == {"sessions": 2}


def test_log_out_everywhere_takes_a_post_only():
    client = signed_in_client(analyst())
    assert client.get("/account/logout-everywhere/").status_code == 405


# --- Passwords ---------------------------------------------------------------------------------

def change(client, new, *, old=PASSWORD):
    return client.post("/account/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_shorter_than_12_characters_is_refused():
    client = signed_in_client(analyst())
    response = change(client, "Kx9#mQ2$vL7")  # 11 characters
    assert response.status_code == 400
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()


def test_a_common_password_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_password("password1234")
    assert refused.value.messages == ["This password is too common."]


def test_a_wrong_current_password_is_refused():
    client = signed_in_client(analyst())
    response = change(client, "a-Long-and-rare-pass-9", old="not-my-password")
    assert response.status_code == 400
    assert get_user_model().objects.get(username="ana").check_password(PASSWORD)


def test_a_password_change_keeps_this_session_ends_the_others_and_is_audited():
    user = analyst()
    client, elsewhere = signed_in_client(user), signed_in_client(user)
    response = change(client, "a-Long-and-rare-pass-9")
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/missions/").status_code == 200
    assert elsewhere.get("/missions/").status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-Long-and-rare-pass-9")
    assert AuditEntry.objects.get(action="password").detail == {"other_sessions_ended": 1}
    # This session is still the user's for a later "log out everywhere".
    assert client.post("/account/logout-everywhere/").status_code == 302
    assert client.get("/missions/").status_code == 302


def test_production_refuses_to_start_without_the_second_factor():
    import os
    import subprocess
    import sys

    env = dict(os.environ, DIVIDEND_ENV="production", DIVIDEND_SECRET_KEY="x" * 50, DIVIDEND_AUDIT_KEY="y" * 50,
               DIVIDEND_REQUIRE_OTP="0")
    result = subprocess.run([sys.executable, "-c", "import dividend.settings"], env=env, capture_output=True,
                            text=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert result.returncode == 1
    assert "DIVIDEND_REQUIRE_OTP cannot be turned off in production" in result.stderr
