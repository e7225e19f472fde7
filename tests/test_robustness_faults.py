"""The faults check's verdict (robustness/faults.py) on real database states: writes sent through the
API with Idempotency-Keys as the check's clients send them, then a row lost or a write done twice."""

import datetime as dt
import json

import pytest
from django.db import connection

from dividend.roster.models import Officer
from dividend.secondments.models import Secondment
from dividend.secondments.services import create_secondment
from robustness.faults import build_world, plan_writes, verdict

pytestmark = pytest.mark.django_db
PREFIX = "faults-test-"


def send(client, write, token):
    return client.post("/api/secondments", data=write.body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=write.key)


@pytest.fixture
def world():
    world = build_world(1)
    world["writes"] = plan_writes(4, clients=1, officers=world["officers"], position=world["position"],
                                  prefix=PREFIX)[0]
    return world


@pytest.fixture
def acknowledged(client, world):
    """Four writes acknowledged by the API: {marker: (key, id)}."""
    answers = {}
    for write in world["writes"]:
        response = send(client, write, world["tokens"][0])
        assert response.status_code == 201, response.content
        answers[write.marker] = (write.key, response.json()["id"])
    return answers


def check(acknowledged):
    with connection.cursor() as cursor:
        return verdict(cursor, acknowledged, PREFIX)


def test_writes_acknowledged_once_each_pass(acknowledged, client, world):
    # A retry with the same key is answered from the stored answer and writes nothing.
    retry = send(client, world["writes"][1], world["tokens"][0])
    assert (retry.status_code, retry["Idempotent-Replayed"], retry.json()["id"]) == (
        201, "true", acknowledged[f"{PREFIX}000001"][1])
    found = check(acknowledged)
    assert (found.acknowledged, found.rows, found.failures) == (4, 4, 0)


def test_a_lost_write_is_reported(acknowledged):
    marker = f"{PREFIX}000002"
    with connection.cursor() as cursor:  # as a crash that lost a committed row would leave it
        cursor.execute("DELETE FROM secondments_secondment WHERE id = %s", [acknowledged[marker][1]])
    found = check(acknowledged)
    assert (found.lost, found.duplicates, found.rows, found.failures) == ([marker], [], 3, 1)


def test_a_write_done_twice_is_reported(acknowledged):
    marker = f"{PREFIX}000001"
    first = Secondment.objects.get(pk=acknowledged[marker][1])
    coordinator = first.status_changed_by
    # The same request carried out a second time (on other dates, or the overlap check refuses it).
    create_secondment(actor=coordinator, officer=Officer.objects.get(pk=first.officer_id), position=first.position,
                      start_date=dt.date(2031, 1, 1), end_date=dt.date(2031, 1, 1), reason=marker)
    found = check(acknowledged)
    assert (found.lost, found.duplicates, found.rows, found.failures) == ([], [marker], 5, 1)


def test_a_write_acknowledged_under_another_id_is_lost(acknowledged):
    # The answer named a row that is not the one holding the marker: the acknowledged write is not there.
    marker = f"{PREFIX}000003"
    key, pk = acknowledged[marker]
    found = check(acknowledged | {marker: (key, pk + 1000)})
    assert (found.lost, found.duplicates, found.failures) == ([marker], [], 1)


def test_a_row_never_acknowledged_and_a_missing_stored_answer_are_reported(acknowledged):
    marker = f"{PREFIX}000000"
    unacknowledged = {m: v for m, v in acknowledged.items() if m != marker}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM common_idempotencyrecord WHERE key = %s", [acknowledged[f"{PREFIX}000001"][0]])
    found = check(unacknowledged)
    assert (found.unacknowledged, found.answers_missing, found.failures) == ([marker], [f"{PREFIX}000001"], 2)


def test_the_planned_writes_never_overlap_for_one_officer():
    plan = plan_writes(400, clients=4, officers=list(range(100)), position=1, prefix=PREFIX)
    seen = set()
    for client, writes in enumerate(plan):
        assert len(writes) == 100
        for write in writes:
            body = json.loads(write.body)
            assert body["officer"] in range(client * 25, client * 25 + 25)  # each client its own officers
            assert (body["officer"], body["start_date"]) not in seen
            seen.add((body["officer"], body["start_date"]))
            assert body["reason"] == write.marker and write.key.startswith(write.marker)
