"""API fuzzing (issue 8, §7.1): schemathesis, from /api/openapi.json, in-process (WSGI), many roles.

Every operation of the published schema is fuzzed under every role below with valid (positive) and
invalid (negative) data. Each answer is checked for:

- a server error: any 5xx;
- a schema violation: status code, content type, headers or body not as the schema documents them
  (schemathesis' conformance checks);
- an authorisation failure, against a simple independent rule about a small world: without a valid
  token every answer is 401 (400 for a malformed header); a read-only token never changes anything (no 2xx to a change); no one
  scoped to pool alpha ever sees anything of pool beta's officer (its unique name); no one outside
  pool alpha's need-to-know sees the alpha officer's restricted emergency-contact phone, and no one
  at all sees pool beta's;
- a scope failure (explicit probes, `SCOPE_PROBES`): pool beta's officer, secondment and nomination answer 404 to
  everyone scoped to alpha, on reads and changes alike; alpha's answer 200 to every role (no false
  denial).

Each request is served in a savepoint of the check's one rolled-back transaction (`_isolated`): a
request that answers 5xx, or leaves the transaction unusable (a database error the app caught), is
rolled back to it, so the next request finds the database as it was and still answers as it would
(on PostgreSQL a failed statement aborts the whole transaction: without the savepoint every later
request would answer 503). Its effects are kept otherwise, so a change one request makes (a saved
model, a cancelled secondment) is seen by the later ones. A server error is reported with the first
request that caused it (role, method, path, query, body) and its cause: the exception Django
reported, else the first database error of the request with its SQL.

Later endpoints are picked up from the schema by themselves; a new role or kind of record belongs
in `build_world` and its rule in `_authorisation_problem` (docs/robustness.md).
"""

import contextlib
import logging
import random
import sys
from collections import Counter

from robustness.common import Check

# Examples drawn per (operation, role, positive/negative); parameterless operations give fewer.
EXAMPLES = {"full": 28, "ci": 3}
BETA_NAME = "Zzbetasecretname"  # pool beta's officer: no one scoped to pool alpha may see it
ALPHA_PHONE = "+32 2 111 11 11"  # the alpha officer's restricted emergency-contact phone
BETA_PHONE = "+32 2 999 99 99"  # pool beta officer's: no role of this world may see it
ALPHA_SCOPED = {"coordinator_pool", "hr_pool", "panel_pool", "analyst_pool", "secondee"}
ALPHA_PHONE_SEEN = {"coordinator_pool", "hr_pool", "secondee"}
SAFE = {"GET", "HEAD", "OPTIONS"}
# (alpha's id, beta's id) per kind of record of the world, for the scope probes.
SCOPE_IDS: dict[str, tuple[int, int]] = {}
# Each probe: method, path, kind, body. Alpha's record is seen by every role of the world (national
# ones, those scoped to alpha, the secondee: it is theirs); beta's is out of scope for ALPHA_SCOPED.
SCOPE_PROBES = [
    ("GET", "/api/officers/{}", "officer", None),
    ("GET", "/api/secondments/{}", "secondment", None),
    ("PUT", "/api/officers/{}", "officer", {"pool": 0, "service_number": "", "first_name": "", "last_name": "",
                                            "rank": 0, "gender": "x", "date_of_birth": "1990-01-01"}),
    ("POST", "/api/secondments/{}/moves", "secondment", {"move": "cancel", "reason": "fuzz"}),
    ("GET", "/api/selection/nominations/{}", "nomination", None),
    ("POST", "/api/selection/nominations/{}/release", "nomination", {"decision": "release"}),
]


def build_world():
    """Two pools, an officer in each, a mission with both seconded, an open call with both
    nominated, and one user per role with a token (read-write, except the national coordinator's:
    read-only), a priority model and run."""
    from dividend.pools.models import ApiToken, Role
    from dividend.priorities import services as priorities
    from dividend.roster.models import Officer
    from tests.factories import (
        make_mission,
        make_officer,
        make_pool,
        make_position,
        make_secondment,
        make_user,
    )
    from tests.priorities_app.conftest import SMALL_MODEL

    pool_a, pool_b = make_pool("alpha"), make_pool("beta")
    secondee = make_user(Role.SECONDEE, pools=[pool_a], username="fuzz_secondee")
    oa = make_officer(pool_a, user=secondee, last_name="Aalto", first_name="Aino")
    ob = make_officer(pool_b, last_name=BETA_NAME, first_name=BETA_NAME)
    Officer.objects.filter(pk=oa.pk).update(emergency_contact_phone=ALPHA_PHONE)
    Officer.objects.filter(pk=ob.pk).update(emergency_contact_phone=BETA_PHONE)
    position = make_position(make_mission("EUFUZZ"))
    sa, sb = make_secondment(oa, position), make_secondment(ob, position)
    SCOPE_IDS.update(officer=(oa.pk, ob.pk), secondment=(sa.pk, sb.pk))
    users = {
        "coordinator_pool": make_user(Role.COORDINATOR, pools=[pool_a]),
        "coordinator_national": make_user(Role.COORDINATOR, national=True),
        "panel_pool": make_user(Role.PANEL_MEMBER, pools=[pool_a]),
        "analyst_pool": make_user(Role.ANALYST, pools=[pool_a]),
        "secondee": secondee,
        "hr_pool": make_user(Role.HR_MANAGER, pools=[pool_a]),
        "policy_national": make_user(Role.POLICY_OFFICER, national=True),
        "admin_national": make_user(Role.ADMINISTRATOR, national=True),
        "auditor_national": make_user(Role.AUDITOR, national=True),
    }
    # An open call sent to both pools, both officers nominated to its position (beta's must stay hidden
    # from the roles scoped to alpha, by its name as everywhere).
    import datetime as dt

    from dividend.selection import services as selection

    national = make_user(Role.COORDINATOR, national=True)
    today = dt.date.today()
    call = selection.create_call(actor=national, pools=[pool_a, pool_b], organisation="eu_csdp", kind="regular",
                                 reference="EU-FUZZ", title="Fuzz call", published_on=today,
                                 organisation_deadline=today + dt.timedelta(days=30),
                                 national_deadline=today + dt.timedelta(days=20))
    call_position = selection.add_call_position(actor=national, call=call, position=position)
    selection.change_call_status(actor=national, call=call, status="open")
    na = selection.nominate(actor=national, call_position=call_position, officer=oa)
    nb = selection.nominate(actor=national, call_position=call_position, officer=ob)
    SCOPE_IDS.update(nomination=(na.pk, nb.pk))
    # A rapid deployment alert to both officers, Aalto's answer given: an alpha-scoped coordinator
    # sees it with Aalto's answer only, never Berg's name.
    from dividend.alerts import services as alerts

    alert = alerts.create_alert(actor=national, title="Fuzz alert", message="Go", start_date=today,
                                officers=[oa, ob], notify=False)
    alerts.reply(actor=secondee, recipient=alert.recipients.get(officer=oa), answer="available")
    policy = users["policy_national"]
    model = priorities.create_model(actor=policy, name="fuzzmodel", text=SMALL_MODEL, home_country="BEL")
    priorities.start_run(actor=policy, version=model.current_version, draws=20, seed=7, label="baseline")
    headers = {"anonymous": {}, "bad_token": {"Authorization": "Bearer not-a-token"}}
    for name, user in users.items():
        access = ApiToken.Access.READ if name == "coordinator_national" else ApiToken.Access.WRITE
        headers[name] = {"Authorization": f"Bearer {ApiToken.issue(user=user, name='fuzz', access=access)[1]}"}
    return headers


def _authorisation_problem(role: str, method: str, status: int, body: str) -> str | None:
    if role in ("anonymous", "bad_token"):
        # 401; or 400 when a request header is malformed (the Idempotency-Key middleware checks it
        # before authentication): neither reveals nor changes anything.
        return None if status in (400, 401) else f"{status} without a valid token (expected 401 or 400)"
    if role == "coordinator_national" and method not in SAFE and 200 <= status < 300:
        return f"a read-only token changed something ({status})"
    if role in ALPHA_SCOPED and BETA_NAME in body:
        return "pool beta's officer shown to a user scoped to pool alpha"
    if ALPHA_PHONE in body and role not in ALPHA_PHONE_SEEN:
        return "restricted data (alpha's emergency contact) shown outside need-to-know"
    if BETA_PHONE in body:
        return "restricted data (beta's emergency contact) shown outside need-to-know"
    return None


def scope_problem(role: str, method: str, record: str, status: int) -> str | None:
    """An out-of-scope id must answer 404 (not 403: that would confirm it exists), an in-scope one
    must be read (no false denial). Changes are sent for out-of-scope ids only."""
    if record == "beta" and role in ALPHA_SCOPED:
        return None if status == 404 else f"{status} for an object out of scope (expected 404)"
    if record == "alpha" and method in SAFE:
        return None if status == 200 else f"{status} for an object in scope (a false denial)"
    return None


class _Undo(Exception):
    """Raised inside a request's savepoint to roll it back."""


class _Causes:
    """What went wrong while one request was served: the exceptions Django reported
    (`got_request_exception`: a 500) and the database errors raised by its queries, with their SQL
    (a 503, or an error the app caught); the first of each is kept."""

    def __init__(self):
        self.exception = None
        self.database = None

    def reset(self):
        self.exception = self.database = None

    def on_exception(self, sender, request=None, **kwargs):
        if self.exception is None:
            self.exception = sys.exc_info()[1]

    def __call__(self, execute, sql, params, many, context):  # a connection.execute_wrapper
        try:
            return execute(sql, params, many, context)
        except Exception as exc:
            if self.database is None:
                self.database = (exc, sql)
            raise

    def describe(self) -> str:
        if self.exception is not None:
            return f"{type(self.exception).__name__}: {self.exception}"
        if self.database is not None:
            exc, sql = self.database
            return f"{type(exc).__name__}: {str(exc).strip()} (in: {' '.join(str(sql).split())[:160]})"
        return "no exception reported"


@contextlib.contextmanager
def _watched():
    """Record each request's causes of failure (the check's whole duration)."""
    from django.core.signals import got_request_exception
    from django.db import connection

    causes = _Causes()
    got_request_exception.connect(causes.on_exception)
    try:
        with connection.execute_wrapper(causes):
            yield causes
    finally:
        got_request_exception.disconnect(causes.on_exception)


def _transaction_problem() -> str | None:
    """Why the transaction cannot go on after a request (a database error it caught), or None."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"the request left the database transaction unusable ({type(exc).__name__}: {str(exc).strip()})"
    return None


def _isolated(send, causes):
    """Serve one request (`send()`) in a savepoint; roll it back when it answered 5xx or left the
    transaction unusable. Returns the response and, for such a request, what went wrong."""
    from django.db import transaction

    from robustness.database import served_in_transaction

    causes.reset()
    outcome = {}
    try:
        with transaction.atomic():
            with served_in_transaction():
                outcome["response"] = response = send()
            broken = _transaction_problem()
            if response.status_code >= 500 or broken:
                outcome["problem"] = f"server error {response.status_code}" if response.status_code >= 500 else broken
                outcome["cause"] = causes.describe()
                raise _Undo
    except _Undo:
        pass
    return outcome["response"], outcome.get("problem"), outcome.get("cause")


def _request_text(method, path, query=None, body=None) -> str:
    text = f"{method} {path}"
    if query:
        text += f" query={query!r}"
    if body is not None and type(body).__name__ != "NotSet":  # schemathesis' "no body"
        text += f" body={body!r}"
    return text[:400]


def _scope_probes(headers, problems, examples, result, causes):
    import json

    from django.test import Client

    client = Client()
    for role, header in headers.items():
        if role in ("anonymous", "bad_token"):
            continue
        for method, path, kind, body in SCOPE_PROBES:
            for record, pk in zip(("alpha", "beta"), SCOPE_IDS[kind], strict=True):
                if method not in SAFE and not (record == "beta" and role in ALPHA_SCOPED):
                    continue  # a change in scope would change the world the fuzzer relies on
                url = path.format(pk)
                response, failure, cause = _isolated(
                    lambda url=url, method=method, body=body, header=header: client.generic(
                        method, url, data=json.dumps(body) if body else "", content_type="application/json",
                        HTTP_AUTHORIZATION=header["Authorization"]), causes)
                result.count += 1
                if failure:
                    key = (f"{method} {path}", failure.split(" (")[0])
                    problems[key] += 1
                    examples.setdefault(key, f"{role} {_request_text(method, url, body=body)} -> "
                                             f"{response.status_code}: {failure}; cause: {cause}")
                problem = scope_problem(role, method, record, response.status_code)
                if problem:
                    key = (f"{method} {path}", f"scope: {problem}")
                    problems[key] += 1
                    examples.setdefault(key, f"{role} {method} {url} ({record}) -> {problem}")


def _check(*, mode, seed, result):
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode
    from schemathesis.specs.openapi import checks

    result.unit = "requests"
    headers = build_world()
    from robustness.database import served_in_transaction

    with served_in_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    # After get_wsgi_application, which configures logging anew: thousands of expected 4xx lines.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    operations = [op.ok() for op in schema.get_all_operations()]
    conformance = [checks.status_code_conformance, checks.content_type_conformance,
                   checks.response_headers_conformance, checks.response_schema_conformance]
    problems: Counter = Counter()
    statuses: Counter = Counter()
    examples = {}
    rng = random.Random(seed)

    def fuzz(operation, role, generation_mode):
        @settings(max_examples=EXAMPLES[mode], database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=generation_mode))
        def one(case):
            response, failure, cause = _isolated(lambda: case.call(headers=headers[role]), causes)
            result.count += 1
            statuses[response.status_code // 100] += 1
            where = f"{operation.method.upper()} {operation.path}"
            found = []
            if failure:
                key = (where, failure.split(" (")[0])
                problems[key] += 1
                examples.setdefault(key, f"{role} {_request_text(case.method.upper(), case.formatted_path, case.query, case.body)}"
                                         f" -> {response.status_code}: {failure}; cause: {cause}")
            try:
                case.validate_response(response, checks=conformance, headers=headers[role])
            except (Exception, BaseExceptionGroup) as exc:  # one failure, or a group of them
                found.append("schema violation: " + " / ".join(str(exc).split("\n")[:2])[:160])
            denied = _authorisation_problem(role, operation.method.upper(), response.status_code, response.text)
            if denied:
                found.append("authorisation: " + denied)
            for problem in found:
                key = (where, problem.split(":")[0] if problem.startswith("schema") else problem)
                problems[key] += 1
                examples.setdefault(key, f"{role} {where} -> {response.status_code}: {problem}")
        one._hypothesis_internal_use_seed = rng.getrandbits(64)  # reproducible with --seed
        one()

    with _watched() as causes:
        _scope_probes(headers, problems, examples, result, causes)  # first: the fuzzing's changes may move records
        for operation in operations:
            for role in headers:
                for generation_mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    fuzz(operation, role, generation_mode)
    result.failures = sum(problems.values())
    result.notes.append(f"{len(operations)} operations x {len(headers)} roles; answers: "
                        + ", ".join(f"{k}xx {v}" for k, v in sorted(statuses.items())))
    for key, n in problems.most_common(40):
        result.notes.append(f"{n} x {examples[key]}")


check = Check("api-fuzzing", _check)
