"""Idempotency-Key on API writes: a retry gets the first answer and nothing is done twice; the key
and the write are committed together (docs/operations.md, "API")."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from dividend.common.models import IdempotencyRecord
from dividend.pools.models import ApiToken, Role
from dividend.secondments.models import Secondment

from ..factories import complete_sign_in, make_mission, make_officer, make_pool, make_position, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pool = make_pool("alpha")
    officer = make_officer(pool)
    position = make_position(make_mission())
    coordinator = make_user(Role.COORDINATOR, pools=[pool], username="coord")
    return {"pool": pool, "officer": officer, "position": position, "coordinator": coordinator}


def body(world, year=2027):
    # Half a year: secondments of one officer must not overlap, so each year is another request.
    return {"officer": world["officer"].pk, "position": world["position"].pk, "start_date": f"{year}-01-01",
            "end_date": f"{year}-06-30"}


def post(client, data, key=None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/secondments", json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def api(client, world):
    client.force_login(world["coordinator"])
    return client


def test_three_posts_with_one_key_create_one_secondment(api, world):
    answers = [post(api, body(world), key="3f1c-retry") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[1].content == answers[2].content == answers[0].content
    assert [a.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]
    assert Secondment.objects.count() == 1


def test_without_a_key_a_retry_is_a_second_request(api, world):
    # The client whose first answer was lost is told its retry overlaps its own first secondment.
    assert [post(api, body(world)).status_code for _ in range(2)] == [201, 400]
    assert Secondment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, world):
    post(api, body(world), key="k1")
    answer = post(api, body(world, year=2028), key="k1")
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "This Idempotency-Key was used for another request.",
        "errors": {"Idempotency-Key": ["Used before for POST /api/secondments with another body; send a new key "
                                       "for a new request."]},
        "problems": []}
    assert list(Secondment.objects.values_list("start_date", flat=True)) == [dt.date(2027, 1, 1)]


def test_the_same_key_on_another_path_is_refused(api, world):
    secondment_id = post(api, body(world), key="k1").json()["id"]
    answer = api.post(f"/api/secondments/{secondment_id}/moves", json.dumps({"move": "cancel", "reason": "x"}),
                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert answer.status_code == 422
    assert Secondment.objects.get().status == "selected"


def test_keys_belong_to_their_user(client, world):
    other = make_user(Role.COORDINATOR, pools=[world["pool"]], username="other")
    client.force_login(world["coordinator"])
    post(client, body(world), key="shared")
    client.force_login(other)
    answer = post(client, body(world, year=2028), key="shared")
    assert (answer.status_code, answer.get("Idempotent-Replayed")) == (201, None)
    assert Secondment.objects.count() == 2


def test_a_bearer_token_retry_is_answered_from_the_first(world):
    _, key = ApiToken.issue(user=world["coordinator"], name="sync", access=ApiToken.Access.WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    first, second = post(client, body(world), key="tok-1"), post(client, body(world), key="tok-1")
    assert (first.status_code, second.status_code, second.get("Idempotent-Replayed")) == (201, 201, "true")
    assert Secondment.objects.count() == 1
    assert IdempotencyRecord.objects.get().user == world["coordinator"]


def test_an_error_answer_is_not_kept_and_the_key_serves_the_corrected_request(api, world):
    bad = post(api, {**body(world), "end_date": "2026-01-01"}, key="k2")
    assert bad.status_code == 400
    assert IdempotencyRecord.objects.count() == 0
    good = post(api, body(world), key="k2")
    assert (good.status_code, good.get("Idempotent-Replayed")) == (201, None)
    assert Secondment.objects.count() == 1


def test_a_malformed_key_is_refused_before_anything_is_done(api, world):
    answer = post(api, body(world), key="x" * 256)
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"Idempotency-Key": ["1 to 255 visible ASCII characters, e.g. a UUID."]}
    assert Secondment.objects.count() == 0


def test_without_credentials_the_key_changes_nothing(client, world):
    answer = post(client, body(world), key="anon")
    assert answer.status_code == 401
    assert IdempotencyRecord.objects.count() == 0


def test_without_credentials_a_malformed_key_still_answers_401(client, world):
    # Authentication comes first: the error contract's 401, not a 400 about the header.
    assert post(client, body(world), key="bad key with spaces").status_code == 401


def test_an_expired_key_is_a_new_request_and_the_purge_deletes_it(api, world, capsys):
    post(api, body(world), key="old")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    again = post(api, body(world, year=2028), key="old")
    assert (again.status_code, again.get("Idempotent-Replayed")) == (201, None)
    assert Secondment.objects.count() == 2
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    post(api, body(world, year=2029), key="fresh")
    call_command("purge_idempotency_keys")
    assert capsys.readouterr().out == "Deleted 1 expired idempotency keys.\n"
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


TRIGGER = {
    "sqlite": ["CREATE TRIGGER crash_on_key BEFORE UPDATE ON common_idempotencyrecord "
               "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END"],
    "postgresql": ["CREATE FUNCTION crash_on_key() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'simulated crash'; END; $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER crash_on_key BEFORE UPDATE ON common_idempotencyrecord "
                   "FOR EACH ROW EXECUTE FUNCTION crash_on_key()"],
}


def test_a_failure_storing_the_answer_undoes_the_write(world):
    """The database fails at the moment the answer is stored (after the secondment was written in
    the same request): neither is committed, so the client's retry does the write once."""
    client = Client(raise_request_exception=False)
    client.force_login(world["coordinator"])
    complete_sign_in(client, world["coordinator"])
    with connection.cursor() as cursor:
        for statement in TRIGGER[connection.vendor]:
            cursor.execute(statement)
    assert post(client, body(world), key="crash").status_code == 500
    assert (Secondment.objects.count(), IdempotencyRecord.objects.count()) == (0, 0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER crash_on_key" + (" ON common_idempotencyrecord" if connection.vendor != "sqlite" else ""))
    answers = [post(client, body(world), key="crash") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert Secondment.objects.count() == 1


def test_the_schema_documents_the_header_on_every_write(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    writes = [(path, method, operation) for path, operations in paths.items()
              for method, operation in operations.items() if method in {"post", "put", "patch", "delete"}]
    assert len(writes) == 74
    for path, method, operation in writes:
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], (method, path)
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}
    reads = [operation for operations in paths.values() for method, operation in operations.items() if method == "get"]
    assert all("Idempotency-Key" not in str(operation.get("parameters")) for operation in reads)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_secondment(world):
    """Two clients send the same request with the same key at the same moment (a retry racing its
    original): the later one waits for the first's transaction, then answers from it. (The test
    database of a SQLite run is in memory, where a busy writer gets a 503 at once rather than
    after the busy timeout: the client then does what Retry-After says, with the same key.)"""
    import threading
    import time

    from django.db import connections

    _, token = ApiToken.issue(user=world["coordinator"], name="race", access=ApiToken.Access.WRITE)
    barrier, answers = threading.Barrier(2), []

    def send():
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
            barrier.wait()
            for _ in range(100):
                answer = post(client, body(world), key="race")
                if answer.status_code != 503:
                    break
                time.sleep(0.05)
            answers.append(answer)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((a.status_code, a.get("Idempotent-Replayed") or "") for a in answers) == [(201, ""), (201, "true")]
    assert answers[0].content == answers[1].content
    assert Secondment.objects.count() == 1


def test_a_write_refused_to_a_read_only_token_keeps_no_key(world):
    _, key = ApiToken.issue(user=world["coordinator"], name="reader")
    answer = post(Client(HTTP_AUTHORIZATION=f"Bearer {key}"), body(world), key="ro")
    assert answer.status_code == 403
    assert (Secondment.objects.count(), IdempotencyRecord.objects.count()) == (0, 0)


def test_the_subject_access_report_lists_the_kept_writes_without_their_answers(api, world):
    from dividend.roster.subject_access import subject_access_report

    officer = make_officer(world["pool"], user=world["coordinator"])
    post(api, body(world), key="mine")
    sections = {s.title: s.rows for s in subject_access_report(actor=world["coordinator"], officer=officer).sections}
    ((_, request, status, _),) = sections["API writes kept for retries"]
    assert (request, status) == ("POST /api/secondments", 201)
