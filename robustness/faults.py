"""Faults: kill -9 of the app server and of PostgreSQL, dropped connections and a full disk during
thousands of concurrent API writes; no acknowledged write may be lost or done twice.

The check builds its own servers (robustness/servers.py): a throw-away PostgreSQL cluster on a small
tmpfs, migrated, with a coordinator and a read-write API token per client, and gunicorn as deployed
(deploy/gunicorn.conf.py, DIVIDEND_ENV=production with generated keys, 127.0.0.1 only). Client
threads record secondments through `POST /api/secondments`, each write with its own
Idempotency-Key and a unique marker in its reason; a write that got no answer (connection refused
or reset, timeout), a 503 or a 500 is sent again, same key, same body, until it is acknowledged
(201). Meanwhile a fault thread injects, in turn, every `writes / (faults + 1)` acknowledgements:

- app-kill: kill -9 of the gunicorn master and all its workers at once, then a new server;
- postgres-kill: kill -9 of the postmaster (its backends follow), then a restart (crash recovery);
- connections-dropped: pg_terminate_backend of every connection of the app, from a superuser's;
- disk-full: a ballast file fills the tmpfs holding the cluster until writes fail, then is removed.

Verdict (`verdict`, also tested on a real database state in tests/test_robustness_faults.py):
every acknowledged write is in the database exactly once, under the id it was acknowledged with;
no row without an acknowledgement; each write has its one stored answer (idempotency record) and
its one audit entry; no 500 and no other unexpected answer; `manage.py verify_audit` passes and
pg_amcheck finds the tables and indexes intact.
"""

import datetime as dt
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from robustness.common import Check
from robustness.servers import PG_BIN, ROOT, AppServer, Cluster

FAULTS = ("app-kill", "postgres-kill", "connections-dropped", "disk-full")
SIZES = {
    # writes, client threads, gunicorn workers, rounds of the four faults
    "full": {"writes": 10_000, "clients": 8, "workers": 3, "rounds": 5},
    "ci": {"writes": 500, "clients": 4, "workers": 2, "rounds": 1},
}
OFFICERS_PER_CLIENT = 25  # each client writes for its own officers: no two clients wait on one officer's lock
DISK_MB = 256
GIVE_UP_SECONDS = 300  # a write not acknowledged after this long is reported, not retried for ever


@dataclass
class Write:
    n: int
    marker: str
    key: str
    body: bytes
    acknowledged_id: int | None = None
    attempts: int = 0


@dataclass
class Verdict:
    acknowledged: int = 0
    rows: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged, not in the database (or another id)
    duplicates: list[str] = field(default_factory=list)  # one entry per extra row of a marker
    unacknowledged: list[str] = field(default_factory=list)  # in the database, never acknowledged
    answers_missing: list[str] = field(default_factory=list)  # key without exactly one stored 201 answer
    audit_missing: list[str] = field(default_factory=list)  # row without exactly one "create" entry

    @property
    def failures(self) -> int:
        return (len(self.lost) + len(self.duplicates) + len(self.unacknowledged) + len(self.answers_missing)
                + len(self.audit_missing))


def verdict(cursor, acknowledged: dict[str, tuple[str, int]], prefix: str) -> Verdict:
    """Compare the database with what was acknowledged: {marker: (idempotency key, secondment id)}.
    Markers and keys of this run start with `prefix`. `cursor` is any DB-API cursor using %s
    (psycopg's, or Django's on PostgreSQL or SQLite)."""
    result = Verdict(acknowledged=len(acknowledged))
    cursor.execute("SELECT status_reason, id FROM secondments_secondment WHERE status_reason LIKE %s",
                   [prefix + "%"])
    rows = defaultdict(list)
    for marker, pk in cursor.fetchall():
        rows[marker].append(pk)
    result.rows = sum(len(ids) for ids in rows.values())
    for marker, (_, pk) in sorted(acknowledged.items()):
        if pk not in rows.get(marker, []):
            result.lost.append(marker)
    for marker, ids in sorted(rows.items()):
        result.duplicates += [marker] * (len(ids) - 1)
        if marker not in acknowledged:
            result.unacknowledged.append(marker)
    cursor.execute("SELECT key, status FROM common_idempotencyrecord WHERE key LIKE %s", [prefix + "%"])
    answers = defaultdict(list)
    for key, status in cursor.fetchall():
        answers[key].append(status)
    result.answers_missing = sorted(marker for marker, (key, _) in acknowledged.items() if answers[key] != [201])
    cursor.execute("SELECT s.status_reason, count(a.id) FROM secondments_secondment s LEFT JOIN audit_auditentry a "
                   "ON a.object_id = CAST(s.id AS TEXT) AND a.action = 'create' "
                   "AND a.object_type = 'secondments.secondment' "
                   "WHERE s.status_reason LIKE %s GROUP BY s.id, s.status_reason", [prefix + "%"])
    result.audit_missing = sorted(marker for marker, entries in cursor.fetchall() if entries != 1)
    return result


def build_world(clients: int) -> dict:
    """In the new database (called in a subprocess with its settings): a pool with officers, a
    mission position, and for each client a coordinator of the pool with a read-write token (as
    several API clients would have; one token for all would queue every write on its row)."""
    from dividend.pools.models import ApiToken, Role
    from tests.factories import make_mission, make_officer, make_pool, make_position, make_user

    pool = make_pool("faults")
    position = make_position(make_mission("EUFAULT"))
    officers = [make_officer(pool).pk for _ in range(clients * OFFICERS_PER_CLIENT)]
    tokens = [ApiToken.issue(user=make_user(Role.COORDINATOR, pools=[pool], username=f"faults_client{c}"),
                             name="faults check", access=ApiToken.Access.WRITE)[1] for c in range(clients)]
    return {"tokens": tokens, "position": position.pk, "officers": officers}


def plan_writes(count: int, *, clients: int, officers: list[int], position: int, prefix: str) -> list[list[Write]]:
    """The writes of each client: one-day planned secondments, each officer's on distinct days."""
    plan = [[] for _ in range(clients)]
    for n in range(count):
        client = n % clients
        mine = officers[client * OFFICERS_PER_CLIENT:(client + 1) * OFFICERS_PER_CLIENT]
        turn = n // clients
        day = dt.date(2030, 1, 1) + dt.timedelta(days=2 * (turn // len(mine)))
        marker = f"{prefix}{n:06d}"
        body = {"officer": mine[turn % len(mine)], "position": position, "start_date": day.isoformat(),
                "end_date": day.isoformat(), "status": "selected", "reason": marker}
        plan[client].append(Write(n, marker, f"{marker}-{uuid.uuid4()}", json.dumps(body).encode()))
    return plan


class Campaign:
    """The client threads and the fault thread, and what they saw."""

    def __init__(self, *, server: AppServer, cluster: Cluster, tokens: list[str], plan: list[list[Write]],
                 rounds: int):
        self.server, self.cluster, self.tokens, self.plan = server, cluster, tokens, plan
        self.total = sum(len(writes) for writes in plan)
        self.schedule = [FAULTS[i % len(FAULTS)] for i in range(rounds * len(FAULTS))]
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.answers = Counter()  # status or error kind -> count, every attempt
        self.retries = 0
        self.replayed = 0
        self.faults = Counter()
        self.disk_full_answers = Counter()
        self.unexpected = []  # (marker, status, body) of answers that are neither 201, 503 nor no answer
        self.given_up = []
        self.recoveries = []  # [fault, seconds from its end to the next acknowledgement]
        self.fault_notes = defaultdict(list)  # fault -> what each one did, in a few words
        self.disk_full = False
        self.done = threading.Event()
        self.fault_error = None
        self._fault_ended = 0.0

    # The clients.

    def _post(self, write: Write, token: str):
        host, port = self.server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("POST", "/api/secondments", body=write.body, headers={
                "Authorization": f"Bearer {token}", "Idempotency-Key": write.key,
                "Content-Type": "application/json", "X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            return response.status, response.getheader("Idempotent-Replayed"), response.read()
        finally:
            connection.close()

    def _send(self, write: Write, token: str) -> None:
        started = time.monotonic()
        while True:
            write.attempts += 1
            try:
                status, replayed, body = self._post(write, token)
                kind = str(status)
            except (OSError, http.client.HTTPException) as error:
                status, replayed, body, kind = None, None, b"", type(error).__name__
            with self.lock:
                self.answers[kind] += 1
                if self.disk_full:
                    self.disk_full_answers[kind] += 1
                if write.attempts > 1:
                    self.retries += 1
            if status == 201:
                answer = json.loads(body)
                if answer.get("status_reason") != write.marker:
                    with self.lock:
                        self.unexpected.append((write.marker, status, body[:300]))
                write.acknowledged_id = answer["id"]
                with self.lock:
                    self.acknowledged += 1
                    self.replayed += replayed == "true"
                    if self.recoveries and self.recoveries[-1][1] is None:
                        self.recoveries[-1][1] = time.monotonic() - self._fault_ended
                return
            if status is not None and status != 503:
                with self.lock:
                    self.unexpected.append((write.marker, status, body[:300]))
                if status < 500:  # refused: sending it again changes nothing
                    return
            if time.monotonic() - started > GIVE_UP_SECONDS:
                with self.lock:
                    self.given_up.append(write.marker)
                return
            time.sleep(0.1 + random.random() * 0.3)  # noqa: S311 # nosec B311 - jitter, not a secret

    def _client(self, writes: list[Write], token: str) -> None:
        for write in writes:
            self._send(write, token)

    # The faults.

    def _wait_for_acknowledged(self, count: int) -> bool:
        while not self.done.is_set():
            with self.lock:
                if self.acknowledged >= count:
                    return True
            time.sleep(0.05)
        return False

    def _inject(self, fault: str) -> None:
        if fault == "app-kill":
            killed = self.server.kill()
            time.sleep(1)  # clients meet a closed port meanwhile
            self.server.start()
            self.fault_notes[fault].append(f"{killed} processes")
        elif fault == "postgres-kill":
            self.cluster.kill()
            down = time.monotonic()
            self.cluster.start()
            self.fault_notes[fault].append(f"restarted in {time.monotonic() - down:.1f} s")
        elif fault == "connections-dropped":
            self.fault_notes[fault].append(f"{self.cluster.terminate_connections()} backends")
        elif fault == "disk-full":
            with self.lock:
                self.disk_full = True
                before = self.refused_while_full()
            filled = self.cluster.fill_disk()
            # Writes go on into free space left in the tables' pages for a while: hold the disk full
            # until 10 requests were refused (or 20 s), and at least 2 s.
            held = time.monotonic()
            while time.monotonic() - held < 20:
                with self.lock:
                    refused = self.refused_while_full() - before
                if refused >= 10 and time.monotonic() - held > 2:
                    break
                time.sleep(0.1)
            self.cluster.free_disk()
            with self.lock:
                self.disk_full = False
            crashed = not self.cluster.running()
            if crashed:  # PostgreSQL stops when it cannot write its WAL (PANIC): start it again
                self.cluster.start()
            self.fault_notes[fault].append(f"{filled} MB ballast for {time.monotonic() - held:.1f} s"
                                           + (" (PostgreSQL stopped itself: restarted)" if crashed else ""))
        self.faults[fault] += 1

    def refused_while_full(self) -> int:
        return sum(n for kind, n in self.disk_full_answers.items() if kind != "201")

    def _fault_thread(self) -> None:
        try:
            step = self.total // (len(self.schedule) + 1)
            for i, fault in enumerate(self.schedule, start=1):
                if not self._wait_for_acknowledged(i * step):
                    return
                self._inject(fault)
                with self.lock:
                    self._fault_ended = time.monotonic()
                    self.recoveries.append([fault, None])
        except Exception as error:  # reported as a failure; the clients finish against what is left
            self.fault_error = repr(error)

    def run(self) -> None:
        threads = [threading.Thread(target=self._client, args=(writes, token), daemon=True)
                   for writes, token in zip(self.plan, self.tokens, strict=True)]
        faults = threading.Thread(target=self._fault_thread, daemon=True)
        for thread in [*threads, faults]:
            thread.start()
        for thread in threads:
            thread.join()
        self.done.set()
        faults.join(timeout=120)


def _environment(cluster: Cluster, base: Path) -> dict:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DIVIDEND_", "GUNICORN_", "DATABASE_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "dividend.settings",
        "DIVIDEND_ENV": "production",
        "DIVIDEND_SECRET_KEY": secrets.token_urlsafe(50),
        "DIVIDEND_AUDIT_KEY": secrets.token_urlsafe(50),
        "DIVIDEND_ALLOWED_HOSTS": "127.0.0.1",
        "DIVIDEND_STATIC_ROOT": str(base / "static"),
        "DATABASE_URL": cluster.url,
        "DIVIDEND_PG_CONNECT_TIMEOUT": "2",
        "PYTHONPATH": str(ROOT),
    }


def _python(env: dict, *args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _amcheck(cluster: Cluster) -> str | None:
    """pg_amcheck of every table and index (heap against index too); its complaint, or None."""
    done = subprocess.run([str(PG_BIN / "pg_amcheck"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                           "--install-missing", "--heapallindexed", "--database", cluster.database],
                          capture_output=True, text=True, timeout=600)
    return None if done.returncode == 0 else (done.stdout + done.stderr).strip()[-1000:]


def run(*, mode: str, seed: int, result) -> None:
    result.unit = "acknowledged writes"
    why_not = Cluster.possible()
    if why_not:
        result.unverified = True
        result.notes.append(f"not run: {why_not}")
        return
    random.seed(seed)
    size = SIZES[mode]
    begun = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="dividend-faults-"))
    cluster = Cluster(base, disk_mb=DISK_MB)
    server = None
    try:
        cluster.create()
        env = _environment(cluster, base)
        # As deploy/entrypoint.sh does (officers need the reference data), then the check's world.
        for args in (["manage.py", "migrate", "--noinput"], ["manage.py", "load_reference_data"],
                     ["-c", "import django, json, sys; django.setup(); from robustness.faults import build_world; "
                            f"print(json.dumps(build_world({size['clients']})))"]):
            done = _python(env, *args)
            if done.returncode:
                raise RuntimeError(f"{args[0]} failed: {done.stderr[-2000:]}")
        world = json.loads(done.stdout.strip().splitlines()[-1])
        server = AppServer(base, env, workers=size["workers"])
        server.start()
        prefix = f"faults-{uuid.uuid4().hex[:8]}-"
        plan = plan_writes(size["writes"], clients=size["clients"], officers=world["officers"],
                           position=world["position"], prefix=prefix)
        campaign = Campaign(server=server, cluster=cluster, tokens=world["tokens"], plan=plan, rounds=size["rounds"])
        started = time.monotonic()
        campaign.run()
        writing = time.monotonic() - started
        server.stop()
        server = None
        _report(result, campaign, cluster, env, prefix, writing)
        result.notes.insert(0, f"set-up (cluster, migrations, world, server) {started - begun:.0f} s, writes "
                               f"{writing:.0f} s, verdict {time.monotonic() - started - writing:.0f} s")
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()


def _report(result, campaign: Campaign, cluster: Cluster, env: dict, prefix: str, writing: float) -> None:
    import psycopg

    acknowledged = {w.marker: (w.key, w.acknowledged_id) for writes in campaign.plan for w in writes
                    if w.acknowledged_id is not None}
    if not cluster.running():
        cluster.start()
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://"), connect_timeout=10) as conn:
        found = verdict(conn.cursor(), acknowledged, prefix)
    result.count = found.acknowledged
    answers = campaign.answers
    server_errors = sum(n for kind, n in answers.items() if kind.isdigit() and int(kind) >= 500 and kind != "503")
    result.notes.append(
        f"{found.acknowledged} of {campaign.total} writes acknowledged in {writing:.0f} s by "
        f"{len(campaign.plan)} clients; {sum(answers.values())} requests, {campaign.retries} retries, "
        f"{campaign.replayed} answered from a stored answer (Idempotent-Replayed)")
    result.notes.append("answers: " + ", ".join(f"{kind} x{n}" for kind, n in sorted(answers.items())))
    result.notes.append("faults: " + ", ".join(f"{kind} x{campaign.faults[kind]}" for kind in FAULTS)
                        + "; while the disk was full: "
                        + (", ".join(f"{k} x{n}" for k, n in sorted(campaign.disk_full_answers.items())) or "no answer"))
    recoveries = defaultdict(list)
    for fault, seconds in campaign.recoveries:
        if seconds is not None:
            recoveries[fault].append(seconds)
    if recoveries:
        result.notes.append("first acknowledgement after the fault ended (restart done), at most: " + ", ".join(
            f"{fault} {max(recoveries[fault]):.1f} s" for fault in FAULTS if recoveries[fault]))
    result.notes.append(f"verdict: {found.rows} rows, {len(found.lost)} lost, {len(found.duplicates)} duplicates, "
                        f"{len(found.unacknowledged)} unacknowledged, {len(found.answers_missing)} without their "
                        f"stored answer, {len(found.audit_missing)} without one audit entry, "
                        f"{server_errors} server errors (5xx but 503)")
    problems = [f"{name}: {', '.join(items[:5])}" for name, items in (
        ("lost", found.lost), ("duplicated", found.duplicates), ("never acknowledged", found.unacknowledged),
        ("stored answer missing", found.answers_missing), ("audit entry missing", found.audit_missing))
        if items]
    result.failures += found.failures
    if campaign.unexpected:
        result.failures += len(campaign.unexpected)
        problems += [f"unexpected answer {status} to {marker}: {body!r}" for marker, status, body in campaign.unexpected[:5]]
    if campaign.given_up:
        result.failures += len(campaign.given_up)
        problems.append(f"not acknowledged after {GIVE_UP_SECONDS} s: {len(campaign.given_up)} writes")
    if campaign.fault_error:
        result.failures += 1
        problems.append(f"fault injection failed: {campaign.fault_error}")
    if campaign.faults["disk-full"] and not campaign.refused_while_full():
        result.unverified = True  # every write found room: the full disk was not met, nothing shown
        problems.append("no request was refused while the disk was full: raise the ballast or hold it longer")
    if sum(campaign.faults.values()) < len(campaign.schedule):
        result.failures += 1
        problems.append(f"only {sum(campaign.faults.values())} of {len(campaign.schedule)} faults were injected")
    audit = _python(env, "manage.py", "verify_audit")
    if audit.returncode:
        result.failures += 1
        problems.append(f"verify_audit: {(audit.stdout + audit.stderr).strip()[-500:]}")
    else:
        result.notes.append(audit.stdout.strip())
    complaint = _amcheck(cluster)
    if complaint:
        result.failures += 1
        problems.append(f"pg_amcheck: {complaint}")
    else:
        result.notes.append("pg_amcheck --heapallindexed: every table and index intact")
    result.notes += [f"{fault}: {'; '.join(campaign.fault_notes[fault])}" for fault in FAULTS
                     if campaign.fault_notes[fault]]
    result.notes += problems


check = Check("faults", run)
