"""A writer that finds the database busy (another's long commit, e.g. a large import, holding the write
lock beyond the busy timeout) gets 503 with Retry-After, on pages and on the API, never a 500; nothing
is written."""

import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dividend.pools.models import ApiToken, Role
from dividend.priorities.models import UserDataset

from .factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one writer at a time"),
]

ROWS = b"iso3,year,value\nBEL,2020,1\n"


@pytest.fixture
def policy():
    return make_user(Role.POLICY_OFFICER, national=True)


@pytest.fixture
def client(client):
    # The lock is met while the middleware loads the user's roles: there the project's handler500
    # answers (as in production), which the test client would otherwise bypass by re-raising.
    client.raise_request_exception = False
    return client


def hold_write_lock():
    """Another connection to the same database takes the write lock and keeps it (until closed)."""
    name = connection.settings_dict["NAME"]
    holder = sqlite3.connect(name, uri=name.startswith("file:"), isolation_level=None, check_same_thread=False,
                             timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE pools_pool SET headcount = headcount")
    return holder


def test_a_page_write_while_another_commits_answers_503(client, policy):
    client.force_login(policy)
    holder = hold_write_lock()
    try:
        response = client.post("/priorities/datasets/", {"name": "busy", "file": SimpleUploadedFile("x.csv", ROWS)})
    finally:
        holder.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert not UserDataset.objects.exists()


def test_an_api_write_while_another_commits_answers_503(client, policy):
    _, key = ApiToken.issue(user=policy, name="t", access=ApiToken.Access.WRITE)
    holder = hold_write_lock()
    try:
        response = client.post("/api/priorities/datasets", {"name": "busy", "rows": [["BEL", 2020, 1]]},
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    finally:
        holder.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"] == "The database is unavailable; try again in 5 seconds."
    assert not UserDataset.objects.exists()
