"""While the database does not answer, pages and the API answer 503 with Retry-After (not a 500
with a traceback), and the next request after it is back is served (docs/operations.md)."""

import contextlib
import copy
import json
import socket

import pytest
from django.db import OperationalError, connection, connections
from django.db.utils import load_backend
from django.test import Client

from dividend.common.unavailable import is_unavailable
from dividend.pools.models import ApiToken, Role

from .factories import complete_sign_in, make_pool, make_user

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: nothing listens there


@contextlib.contextmanager
def database_down(tmp_path):
    """The app's connection points, for the requests made inside, at a database that cannot be
    reached: PostgreSQL on a port where nothing listens, SQLite in a folder that does not exist."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(unused_port()))
    else:
        settings_dict.update(NAME=str(tmp_path / "no-such-folder" / "dividend.sqlite3"))
    original = connections["default"]
    connections["default"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original


@pytest.fixture
def user():
    return make_user(Role.COORDINATOR, pools=[make_pool("alpha")])


@pytest.fixture
def browser(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    complete_sign_in(client, user)
    return client


@pytest.fixture
def token(user):
    return ApiToken.issue(user=user, name="sync")[1]


def test_a_page_answers_503_with_retry_after(browser, tmp_path):
    with database_down(tmp_path):
        answer = browser.get("/roster/")
    assert (answer.status_code, answer["Retry-After"], answer["Cache-Control"]) == (503, "5", "no-store")
    assert "The database does not answer at the moment." in answer.content.decode()


def test_an_api_read_answers_503_with_the_error_body(token, tmp_path):
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    with database_down(tmp_path):
        answer = client.get("/api/officers")
    assert (answer.status_code, answer["Retry-After"]) == (503, "5")
    assert answer.json() == {"detail": "The database is unavailable; try again in 5 seconds.", "errors": {},
                             "problems": []}


def test_an_api_write_with_an_idempotency_key_answers_503(token, tmp_path):
    # The key's record is the first thing the write touches, in middleware: handler500's path.
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    with database_down(tmp_path):
        answer = client.post("/api/secondments", json.dumps({"officer": 1, "position": 1, "start_date": "2027-01-01"}),
                             content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert (answer.status_code, answer["Retry-After"]) == (503, "5")


def test_the_first_request_after_the_database_is_back_is_served(browser, tmp_path):
    with database_down(tmp_path):
        assert browser.get("/roster/").status_code == 503
    assert browser.get("/roster/").status_code == 200


def test_retry_after_is_configurable(browser, tmp_path, settings):
    settings.DIVIDEND_RETRY_AFTER_SECONDS = 30
    with database_down(tmp_path):
        assert browser.get("/roster/")["Retry-After"] == "30"


def test_a_schema_mistake_is_not_unavailability():
    # SQLite reports a missing table as OperationalError: a bug to fix (500), not a reason to retry.
    assert is_unavailable(OperationalError("no such table: roster_officer")) is False
    assert is_unavailable(OperationalError("database is locked")) is True
