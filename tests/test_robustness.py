"""The robustness suite's own checks report what they find (robustness/README.md)."""

import http.server
import random
import threading
import time

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Pool
from robustness import access_pages, audit_reads, fuzzing, load, oracle, tampering
from robustness.common import Result, print_table
from tests.factories import make_pool

pytestmark = pytest.mark.django_db


def test_tampering_check_detects_every_tampering(monkeypatch):
    monkeypatch.setitem(tampering.ROUNDS, "ci", 25)
    result = tampering.check.run(mode="ci", seed=1)
    assert (result.count, result.failures) == (25, 0)


def test_tampering_check_counts_an_undetected_change_as_a_failure(monkeypatch):
    # A "tampering" that changes nothing cannot be detected: the check must say so, not pass.
    monkeypatch.setitem(tampering.ROUNDS, "ci", 3)
    monkeypatch.setattr(tampering, "KINDS", [lambda *args: "nothing"])
    result = tampering.check.run(mode="ci", seed=1)
    assert (result.count, result.failures, result.notes[-1]) == (3, 3, "NOT detected: nothing (3 of 3)")


def test_an_unverified_check_is_not_counted_as_passed(capsys):
    print_table([Result("a", count=1), Result("b", unverified=True)], mode="ci", seconds=1)
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed, 1 unverified"


@pytest.mark.parametrize(("role", "method", "status", "body", "problem"), [
    ("anonymous", "GET", 200, "[]", "200 without a valid token (expected 401 or 400)"),
    ("bad_token", "POST", 403, "{}", "403 without a valid token (expected 401 or 400)"),
    ("anonymous", "POST", 400, "{}", None),
    ("anonymous", "GET", 401, "{}", None),
    ("coordinator_national", "POST", 201, "{}", "a read-only token changed something (201)"),
    ("coordinator_national", "POST", 403, "{}", None),
    ("hr_pool", "GET", 200, f'{{"last_name": "{fuzzing.BETA_NAME}"}}',
     "pool beta's officer shown to a user scoped to pool alpha"),
    ("coordinator_national", "GET", 200, f'{{"last_name": "{fuzzing.BETA_NAME}"}}', None),
    ("auditor_national", "GET", 200, fuzzing.ALPHA_PHONE,
     "restricted data (alpha's emergency contact) shown outside need-to-know"),
    ("hr_pool", "GET", 200, fuzzing.ALPHA_PHONE, None),
])
def test_fuzzing_rule_flags_what_a_role_must_not_get(role, method, status, body, problem):
    assert fuzzing._authorisation_problem(role, method, status, body) == problem


class _Answers(http.server.BaseHTTPRequestHandler):
    """200 for /ok, 500 for /broken."""

    def do_GET(self):  # noqa: N802 - http.server's name
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def little_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_generator_keeps_its_rate_stops_by_itself_and_counts_every_error(little_server):
    client = load.Client(little_server)
    mix = [("page ok", client, "/ok"), ("api broken", client, "/broken")]
    started = time.monotonic()
    outcome = load.drive(mix, rate=40, seconds=1, rng=random.Random(3))
    assert time.monotonic() - started < 10
    assert len(outcome.latencies) == 40
    same_plan = random.Random(3)  # the generator's plan, drawn again
    broken = sum(same_plan.choice(mix)[2] == "/broken" for _ in range(40))
    assert outcome.errors == ["api broken GET /broken answered 500"] * broken
    assert 0 < broken < 40
    result = Result("load")
    load.report(result, mode="ci", outcome=outcome)
    assert (result.count, result.failures) == (40, len(outcome.errors))


def test_load_verdict_of_the_full_run_needs_rate_and_p99():
    fast = load.Outcome(latencies=[0.01] * 99 + [0.49], errors=[], wall=60, late=0, unsent=0, slowest=[])
    result = Result("load")
    load.report(result, mode="full", outcome=fast)  # 100 requests in 60 s: under 100/s
    assert (result.failures, result.notes[-1]) == (1, "achieved 1.7 requests/s, under 100/s")
    slow = load.Outcome(latencies=[0.01] * 98 + [0.5, 0.9], errors=[], wall=0.5, late=0, unsent=0, slowest=[])
    result = Result("load")
    load.report(result, mode="full", outcome=slow)
    assert (result.failures, result.notes[-1]) == (1, "p99 500 ms is not under 500 ms")
    result = Result("load")
    load.report(result, mode="ci", outcome=slow)
    assert result.failures == 0


def test_load_cpu_per_request_counts_what_each_server_used_since_the_first_reading():
    before = {"gunicorn": {10: 1.0, 11: 2.0, 12: 5.0}, "postgresql": {20: 0.5}}
    # 12 ended (not counted), 13 started (from zero), 21 is a new database backend.
    after = {"gunicorn": {10: 1.5, 11: 3.0, 13: 0.5}, "postgresql": {20: 0.8, 21: 0.1}}
    assert load.cpu_per_request(before, after, 100) == (
        "CPU per request during the load (100 requests, /proc): gunicorn 20.0 ms (3 processes), "
        "postgresql 4.0 ms (2 processes)")


def test_load_cpu_reading_finds_the_server_process_and_no_database_elsewhere():
    import os

    reading = load.server_cpu(os.getpid(), "no_such_database")
    assert os.getpid() in reading["gunicorn"]  # this process stands in for gunicorn's master
    assert reading["gunicorn"][os.getpid()] > 0
    assert reading["postgresql"] == {}


def test_percentile_is_the_nearest_rank():
    values = [v / 100 for v in range(1, 101)]
    assert [load.percentile(values, p) for p in (50, 95, 99, 100)] == [0.5, 0.95, 0.99, 1.0]
    assert load.percentile([0.3], 99) == 0.3


def test_audit_reads_oracle_wants_one_entry_per_record_shown():
    alpha, bravo = 7, 8
    ids = (alpha, bravo)
    read = AuditEntry(action="read", object_type="roster.officer", object_id="7", fields=["last_name"], detail={})
    listed = AuditEntry(action="list", object_type="roster.officer", detail={"ids": [7, 8]})
    body = f"{audit_reads.NAMES[0]} {audit_reads.NAMES[1]}".encode()
    assert audit_reads.problems_of([listed], body=body, shown={alpha, bravo}, ids=ids) == []
    assert audit_reads.problems_of([], body=body, shown={alpha}, ids=ids) == [
        f"{audit_reads.NAMES[0]} shown, 0 entries name the record"]
    assert audit_reads.problems_of([read, listed], body=body, shown={alpha, bravo}, ids=ids) == [
        f"{audit_reads.NAMES[0]} shown, 2 entries name the record"]
    assert audit_reads.problems_of([listed], body=body, shown={alpha}, ids=ids) == [
        f"{audit_reads.NAMES[1]} not shown, yet named by 1 entries"]
    assert audit_reads.problems_of([read], body=audit_reads.PHONE.encode(), shown={alpha}, ids=ids) == [
        f"{audit_reads.NAMES[0]}'s restricted phone shown, the entry does not name the field"]
    secondments = AuditEntry(action="list", object_type="secondments.secondment", detail={"ids": [1], "officer_ids": [8]})
    assert audit_reads.problems_of([secondments], body=b"", shown={bravo}, ids=ids) == []


# --- The access oracle (robustness/oracle.py) ----------------------------------------------------


def test_access_oracle_finds_nothing_wrong_in_a_few_worlds(monkeypatch):
    monkeypatch.setitem(oracle.WORLDS, "ci", 3)
    result = oracle.check.run(mode="ci", seed=1)
    assert (result.count, result.failures) == (3, 0), result.notes


def _two_pools():
    """Officer 0 in pool 0 (medical record), officer 1 in pool 1; the user coordinates pool 0."""
    world = oracle.World(pools=2, officers=(oracle.WOfficer(0, True, False, True, False),
                                            oracle.WOfficer(1, True, False, True, False)),
                         users=(oracle.WUser(roles=(("coordinator", frozenset({0})),)),))
    built = oracle.build(world)
    return world, built, oracle.Rule(world, world.users[0])


def _probe(built, rule, key, url):
    return next(p for p in access_pages.PAGES[key](built, 0, rule) if p[1] == url)


def test_access_oracle_flags_an_out_of_scope_officer_in_a_fabricated_list():
    world, built, rule = _two_pools()
    _, url, _, expect = _probe(built, rule, "roster/", "/roster/")
    right = f'<strong id="result-count">1 officer</strong> {oracle.marker("Zor", 0)}'
    leaked = f'<strong id="result-count">2 officers</strong> {oracle.marker("Zor", 0)} {oracle.marker("Zor", 1)}'
    assert oracle.judge(expect, 200, right, built) == []
    assert oracle.judge(expect, 200, leaked, built) == ["leak: officers [1] out of scope shown",
                                                        "count 2 stated, 1 in scope"]
    assert oracle.judge(expect, 200, '<strong id="result-count">0 officers</strong>', built) == [
        "false denial: officers [0] in scope missing", "count 0 stated, 1 in scope"]


def test_access_oracle_wants_404_for_an_out_of_scope_detail_and_need_to_know_for_restricted_data():
    world, built, rule = _two_pools()
    hidden = built.officers[1].pk
    _, _, _, expect = _probe(built, rule, "GET /api/officers/{officer_id}", f"/api/officers/{hidden}")
    assert oracle.judge(expect, 403, "{}", built) == ["not 404 for an object out of scope: 403, expected [404]"]
    assert oracle.judge(expect, 200, oracle.marker("Zor", 1), built) == [
        "not 404 for an object out of scope: 200, expected [404]", "leak: officers [1] out of scope shown"]
    own = built.officers[0].pk
    _, _, _, expect = _probe(built, rule, "GET /api/officers/{officer_id}", f"/api/officers/{own}")
    full = f'{oracle.marker("Zor", 0)} {oracle.marker("Kin", 0)} +99 700 310 "expires_on": "2071-01-11"'
    assert oracle.judge(expect, 200, full, built) == []
    assert oracle.judge(expect, 200, oracle.marker("Zor", 0), built) == [
        "false denial: restricted data of officers [0] missing for need-to-know"]
    # A national coordinator sees both officers, and neither's restricted data.
    national = oracle.Rule(world, oracle.WUser(roles=(("coordinator", oracle.NATIONAL),)))
    _, _, _, expect = _probe(built, national, "GET /api/officers/{officer_id}", f"/api/officers/{own}")
    assert oracle.judge(expect, 200, full, built) == [
        "restricted data of officers [0] shown outside need-to-know"]


def test_access_oracle_keeps_care_notes_from_their_officer_and_comments_between_analysts_from_the_author():
    """Officer 0 (pool 0) is the user's own record: their care page must not show the contact notes
    about them, their report's comments only those marked for them; a coordinator of pool 0 must
    see the notes, the leave debriefing and the misconduct case."""
    world = oracle.World(pools=1, officers=(oracle.WOfficer(0, False, False, True, False),),
                         users=(oracle.WUser(roles=(("secondee", frozenset({0})),), officer=0),
                                oracle.WUser(roles=(("coordinator", frozenset({0})),))))
    built = oracle.build(world)
    secondment, report = built.secondments[0].pk, built.reports[0].pk
    note, internal, for_author = (oracle.marker(k, 0) for k in ("Cno", "Cin", "Cfa"))
    own = oracle.Rule(world, world.users[0])
    _, _, _, expect = next(p for p in access_pages.PAGES["care/secondments/<int:pk>/"](built, 0, own))
    assert oracle.judge(expect, 200, oracle.marker("Zor", 0), built) == []
    assert oracle.judge(expect, 200, note, built) == ["restricted notes about officers [0] shown outside need-to-know"]
    _, _, _, expect = next(p for p in access_pages.PAGES["GET /api/reports/{report_id}/comments"](built, 0, own)
                           if p[1] == f"/api/reports/{report}/comments")
    assert oracle.judge(expect, 200, for_author, built) == []
    assert oracle.judge(expect, 200, f"{for_author} {internal}", built) == [f"leak: {internal} shown"]
    coordinator = oracle.Rule(world, world.users[1])
    _, url, _, expect = next(p for p in access_pages.PAGES["care/secondments/<int:pk>/"](built, 1, coordinator))
    assert url == f"/care/secondments/{secondment}/"
    leave, misconduct = oracle.marker("Lvd", 0), oracle.marker("Mis", 0)
    assert oracle.judge(expect, 200, f"{note} {leave} {misconduct}", built) == []
    assert oracle.judge(expect, 200, f"{note} {leave}", built) == [f"false denial: {misconduct} missing"]


def test_access_oracle_shrinks_a_failing_world_to_a_minimal_one():
    # A "page" whose expectation is wrong for any world (it wants the roster listed to everyone, with
    # no officer): what a leak or a false denial looks like to the oracle, without touching the product.
    wrong = {"roster/": lambda b, n, rule: [("GET", "/roster/", None, oracle.Expect({200}, officers=set()))]}
    tally = oracle.Tally()
    minimal = oracle.run_worlds(count=5, seed=3, tally=tally, pages=wrong)
    assert minimal.splitlines()[0] == "minimal world: 1 pools; officers ['#0 pool 0']; users ['[no role]']"
    assert tally.problems == [("user 0", "GET /roster/ (roster/)", "a false denial: 403, expected [200]")]


def test_every_route_is_covered_by_the_access_oracle_or_said_not_applicable():
    from tests.test_visibility import _api_operations, _web_patterns

    routes = set(_web_patterns()) | set(_api_operations())
    api_paths = {key.split(" ", 1)[1].lstrip("/") for key in _api_operations()}
    # A web pattern that is an API path (ninja's) is covered by its operations' keys.
    routes = {r for r in routes if r.replace("<", "{").replace(">", "}") not in api_paths}
    covered = set(access_pages.PAGES) | set(access_pages.NOT_APPLICABLE)
    assert sorted(r for r in routes if r not in covered and not r.startswith("admin/")) == []
    assert sorted(key for key in covered if key not in routes and key != "admin/") == []
    assert not set(access_pages.PAGES) & set(access_pages.NOT_APPLICABLE)
    assert set(access_pages.ROLE_GATES) <= set(access_pages.PAGES)


@pytest.mark.parametrize(("role", "method", "record", "status", "problem"), [
    ("hr_pool", "GET", "beta", 404, None),
    ("hr_pool", "GET", "beta", 403, "403 for an object out of scope (expected 404)"),
    ("panel_pool", "PUT", "beta", 400, "400 for an object out of scope (expected 404)"),
    ("coordinator_national", "GET", "beta", 200, None),
    ("secondee", "GET", "alpha", 404, "404 for an object in scope (a false denial)"),
    ("auditor_national", "GET", "alpha", 200, None),
])
def test_fuzzing_scope_rule(role, method, record, status, problem):
    assert fuzzing.scope_problem(role, method, record, status) == problem


def test_fuzzing_scope_probes_pass_on_the_fuzzers_world():
    from collections import Counter

    problems, examples = Counter(), {}
    result = Result("api-fuzzing")
    with fuzzing._watched() as causes:
        fuzzing._scope_probes(fuzzing.build_world(), problems, examples, result, causes)
    # 9 roles x (3 reads x 2 records) + the 5 roles scoped to alpha x 3 changes to beta's records.
    assert (result.count, dict(problems)) == (9 * 6 + 5 * 3, {})


def _fails_on_the_database(answer, *, savepoint=True):
    """A view that writes a pool, then runs a query that fails and catches the error."""
    from django.db import DatabaseError, connection, transaction
    from django.http import HttpResponse

    def view():
        make_pool("written")
        try:
            with transaction.atomic(savepoint=savepoint), connection.cursor() as cursor:
                cursor.execute("SELECT no_such_column FROM pools_pool")
        except DatabaseError:
            pass
        return HttpResponse(status=answer)
    return view


def _count_written():
    from django.http import HttpResponse

    return HttpResponse(str(Pool.objects.filter(code="written").count()))


def test_fuzzing_undoes_a_server_error_and_names_its_first_database_error():
    with fuzzing._watched() as causes:
        response, problem, cause = fuzzing._isolated(_fails_on_the_database(503), causes)
        later, later_problem, _ = fuzzing._isolated(_count_written, causes)
    assert (response.status_code, problem, cause.split(" (in: ")[-1]) == (
        503, "server error 503", "SELECT no_such_column FROM pools_pool)")
    assert (later.content, later_problem) == (b"0", None)


def test_fuzzing_reports_a_request_that_leaves_the_transaction_unusable_and_undoes_it():
    # The error was caught inside an atomic block without a savepoint: the transaction cannot go on
    # (on PostgreSQL any caught error does that); the answer (200) hid it.
    with fuzzing._watched() as causes:
        response, problem, _ = fuzzing._isolated(_fails_on_the_database(200, savepoint=False), causes)
        later, later_problem, _ = fuzzing._isolated(_count_written, causes)
    assert (response.status_code, problem) == (200, (
        "the request left the database transaction unusable (TransactionManagementError: An error "
        "occurred in the current transaction. You can't execute queries until the end of the 'atomic' block.)"))
    assert (later.content, later_problem) == (b"0", None)


def test_fuzzing_keeps_what_a_successful_request_wrote():
    from django.http import HttpResponse

    def view():
        make_pool("written")
        return HttpResponse(status=201)
    with fuzzing._watched() as causes:
        fuzzing._isolated(view, causes)
        later, _, _ = fuzzing._isolated(_count_written, causes)
    assert later.content == b"1"


def test_a_request_served_by_the_wsgi_application_keeps_the_checks_transaction():
    # Django closes the connection after each request it serves; inside the check's transaction that
    # ended the transaction on PostgreSQL (every later query: "the connection is closed").
    from django.core.wsgi import get_wsgi_application
    from werkzeug.test import Client as WsgiClient

    from robustness.database import served_in_transaction

    pool = make_pool("kept")
    with served_in_transaction():
        response = WsgiClient(get_wsgi_application()).get("/api/pools")
    assert (response.status_code, Pool.objects.filter(pk=pool.pk).count()) == (401, 1)


def test_access_oracle_lets_a_pool_analyst_read_the_monthly_report_only_when_it_reads_every_cited_report():
    """Reports of pools 0 and 1 are cited: the analyst of pool 0 gets 404, the analyst of both
    pools and the national one read it; the product answers as the rule says."""
    world = oracle.World(pools=2, officers=(oracle.WOfficer(0, False, False, True, False),
                                            oracle.WOfficer(1, False, False, True, False)),
                         users=(oracle.WUser(roles=(("analyst", frozenset({0})),)),
                                oracle.WUser(roles=(("analyst", frozenset({0, 1})),)),
                                oracle.WUser(roles=(("analyst", oracle.NATIONAL),))))
    assert [oracle.Rule(world, u, n).reads_monthly() for n, u in enumerate(world.users)] == [False, True, True]
    pages = {key: access_pages.PAGES[key] for key in ("reports/monthly/<int:pk>/", "GET /api/reports/monthly")}
    assert oracle.examine(world, oracle.Tally(), pages=pages) == []


def test_access_oracle_sends_a_product_only_to_the_lists_its_marking_may_reach():
    """Three users without a role: user 1 is on product 0's named list (AMBER: read), user 2 on
    product 1's organisation list (RED may not reach it), the draft reaches nobody; the product
    answers as the rule says."""
    world = oracle.World(pools=1, officers=(oracle.WOfficer(0, False, False, True, False),),
                         users=tuple(oracle.WUser(roles=()) for _ in range(3)))
    assert [[oracle.Rule(world, u, n).reads_product(k) for k in oracle.PRODUCTS] for n, u in enumerate(world.users)] \
        == [[False, False, False], [True, False, False], [False, False, False]]
    pages = {key: access_pages.PAGES[key] for key in ("reports/products/<int:pk>/", "GET /api/reports/products")}
    assert oracle.examine(world, oracle.Tally(), pages=pages) == []
