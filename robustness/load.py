"""Load (issue 8, §7.6): the production server under a steady request rate, with audit on.

gunicorn with deploy/gunicorn.conf.py and production settings (DIVIDEND_ENV=production, keys made
for the run, collected static files) serves a PostgreSQL database of its own (`dividend_load_<pid>`
on the server of DATABASE_URL, or 127.0.0.1:5432 as user postgres; created and dropped here) filled
with the demo data. Every demo role signs in as a person does (password, then the code of the demo
authenticator) and gets an API token; then an open-loop generator on 127.0.0.1 sends requests at a
fixed rate for a fixed time over the main pages (home, roster search, officer records, missions,
positions, secondments, priorities, audit log, the secondee's own record) and the API (officers,
officer records, missions, positions, secondments, pools, runs), and stops by itself.

Verdict: 0 errors (any answer other than the one the page gave when warming up, always 200, or no
answer) and, in the full run, p99 < 500 ms and an achieved rate of at least 100 requests/s.
The CI run is short and slow (a shared runner): it fails on errors only and reports the latencies.
"""

import contextlib
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from robustness.common import Check

ROOT = Path(__file__).resolve().parent.parent
# requests/s, seconds, demo officers, gunicorn workers (None: deploy/gunicorn.conf.py's default)
PLAN = {"full": {"rate": 120, "seconds": 60, "officers": 2000, "workers": None},
        "ci": {"rate": 20, "seconds": 10, "officers": 200, "workers": 2}}
TARGET_RATE, P99_LIMIT_MS = 100, 500
CLIENT_THREADS = 24  # concurrent requests at most: enough for 120/s at 200 ms each
TIMEOUT = 30  # seconds per request: an answer slower than this is an error
SETUP_TIMEOUT = 180  # seconds per request while signing in and warming up (a worker's first pages are slow)
LATE_LIMIT = 5  # seconds: a generator this far behind its schedule stops (the rate was not kept)
DEMO_PASSWORD = "dividend-demo"
# Signed in on the web (each completes the second factor); every one also gets a read-only token.
ROLES = ("coordinator", "coordinator_national", "panel", "analyst", "secondee", "hr", "policy", "auditor")
PAGES = ("/", "/roster/", "/roster/?q=a", "/missions/", "/missions/positions/", "/secondments/", "/priorities/",
         "/priorities/runs/", "/audit/", "/roster/me/", "/account/", "/selection/", "/selection/mine/",
         "/targets/", "/performance/", "/accountability/", "/accountability/scorecard/")
API = ("/api/officers?limit=20", "/api/missions?limit=20", "/api/positions?limit=20",
       "/api/secondments?limit=20", "/api/pools", "/api/priorities/runs", "/api/selection/calls?limit=20",
       "/api/selection/nominations?limit=20")


def _demo_code() -> str:
    sys.path.insert(0, str(ROOT))
    from dev import demo_code

    return demo_code()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_url() -> urllib.parse.SplitResult:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return urllib.parse.urlsplit(url)


@contextlib.contextmanager
def own_database():
    """A database of our own on the PostgreSQL server, dropped afterwards; yields its URL."""
    import psycopg

    server = _server_url()
    name = f"dividend_load_{os.getpid()}"
    admin = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # noqa: S608 - our own name, digits only # nosec B608
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Client:
    """One browser-like client of the server: its own cookies, as the TLS proxy in front would send
    (X-Forwarded-Proto: https), a new connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port: int, *, token: str = "", timeout: float = TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                        "Referer": self.origin + path}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def sign_in(self, username: str) -> None:
        """Password, then the demo authenticator's code, as the demo users do (dev.py code)."""
        self.request("GET", "/login/")
        status, _, _ = self.request("POST", "/login/", {"username": username, "password": DEMO_PASSWORD})
        if status != 302:
            raise RuntimeError(f"{username}: the login page answered {status}")
        if self.request("GET", "/account/second-factor/verify/")[0] == 200:  # roles that need it
            status, _, body = self.request("POST", "/account/second-factor/verify/", {"code": _demo_code()})
            if status != 302:
                raise RuntimeError(f"{username}: the second factor was refused ({status})")
        status, _, _ = self.request("GET", "/")
        if status != 200:
            raise RuntimeError(f"{username}: home page {status} after signing in")


def _manage(env, *args, timeout=600) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


ISSUE_TOKENS = """
import json
import math
from django.contrib.auth import get_user_model
from dividend.pools.models import ApiToken
from dividend.pools.services import issue_token
users = get_user_model().objects.filter(username__in={roles!r})
print(json.dumps({{u.username: issue_token(actor=None, user=u, name="load test", access=ApiToken.Access.READ,
                                          groups=[], days=1)[1] for u in users}}))
"""

COUNT_READS = """
from dividend.audit.models import AuditEntry
print(AuditEntry.objects.filter(action="read").count(), AuditEntry.objects.count())
"""


@contextlib.contextmanager
def production_server(database_url: str, *, officers: int, workers: int | None, workdir: Path):
    """gunicorn as deployed, on 127.0.0.1, with demo data: yields (port, env, the gunicorn master's process id)."""
    env = {**os.environ, "DIVIDEND_ENV": "production", "DIVIDEND_SECRET_KEY": secrets.token_urlsafe(50),
           "DIVIDEND_AUDIT_KEY": secrets.token_urlsafe(50), "DIVIDEND_ALLOWED_HOSTS": "127.0.0.1",
           "DIVIDEND_STATIC_ROOT": str(workdir / "static"), "DATABASE_URL": database_url,
           "DIVIDEND_LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "demo_data", "--officers", str(officers))
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        raise FileNotFoundError("gunicorn is not installed")
    port = _free_port()
    command = [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
               "--access-logfile", str(workdir / "access.log")]
    if workers:
        command += ["--workers", str(workers)]
    errors = open(workdir / "error.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([*command, "dividend.wsgi"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=errors)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Client(port).request("GET", "/login/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: " + (workdir / "error.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        yield port, env, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()


def build_mix(port: int, env: dict, rng: random.Random, result) -> list[tuple[str, Client, str]]:
    """(what, client, path) for every request kind: each role's pages and its token's API calls, with
    officer records it may open. Kept only where the warm-up answered 200 (a role without access to
    a page is not load); a warm-up 5xx is an error."""
    tokens = json.loads(_manage(env, "shell", "-c", ISSUE_TOKENS.format(roles=list(ROLES))).strip().splitlines()[-1])
    mix = []
    for role in ROLES:
        browser, api = Client(port, timeout=SETUP_TIMEOUT), Client(port, token=tokens[role], timeout=SETUP_TIMEOUT)
        browser.sign_in(role)
        status, _, body = api.request("GET", "/api/officers?limit=100")
        ids = [item["id"] for item in json.loads(body)["items"]] if status == 200 else []
        records = [str(i) for i in rng.sample(ids, min(5, len(ids)))]
        candidates = [("page", browser, p) for p in PAGES]
        candidates += [("page", browser, f"/roster/officers/{i}/") for i in records]
        candidates += [("api", api, p) for p in API] + [("api", api, f"/api/officers/{i}") for i in records]
        for kind, client, path in candidates:
            status = client.request("GET", path)[0]
            if status == 200:
                mix.append((f"{kind} {role}", client, path))
            elif status >= 500:
                result.failures += 1
                result.notes.append(f"warm-up: {role} GET {path} answered {status}")
    for _, client, _ in mix:
        client.timeout = TIMEOUT  # the load itself: an answer slower than this is an error
    return mix


def server_cpu(gunicorn_pid: int, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds (user + system) so far of gunicorn's master and workers and of the PostgreSQL
    backends serving `database`, by process id, read from Linux's /proc. A database on another
    machine has no backends here (an empty dict)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[str, dict[int, float]] = {"gunicorn": {}, "postgresql": {}}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)
        if int(entry.name) == gunicorn_pid or int(fields[1]) == gunicorn_pid:
            found["gunicorn"][int(entry.name)] = cpu
        elif title.startswith("postgres: ") and f" {database} " in title:  # a backend's process title
            found["postgresql"][int(entry.name)] = cpu
    return found


def cpu_per_request(before, after, requests: int) -> str:
    """The note: CPU milliseconds per answered request, by server, between two server_cpu() readings
    (a process that ended in between is not counted; one that started counts from zero)."""
    if not requests:
        return "no request answered: no CPU per request"
    parts = []
    for name in ("gunicorn", "postgresql"):
        used = sum(cpu - before[name].get(pid, 0.0) for pid, cpu in after[name].items())
        if after[name]:
            parts.append(f"{name} {1000 * used / requests:.1f} ms ({len(after[name])} processes)")
    return f"CPU per request during the load ({requests} requests, /proc): " + ", ".join(parts)


@dataclass
class Outcome:
    latencies: list[float]  # seconds, one per answered or failed request
    errors: list[str]
    wall: float  # seconds from the first due request to the last answer
    late: float  # how late (s) the most delayed request started after its due time
    unsent: int  # requests of the plan not sent: they could not start within LATE_LIMIT of their time
    slowest: list[str]  # the request kinds with the highest median


def drive(mix, *, rate: float, seconds: float, rng: random.Random) -> Outcome:
    """Open loop: request i is due at start + i/rate and taken by the first free client thread. A
    request that could not start within LATE_LIMIT of its due time is not sent (the server, or
    this machine, cannot keep the rate: the achieved rate shows it), so the run ends by itself
    after `seconds` + LATE_LIMIT + at most TIMEOUT. Latencies are from sending to the whole answer."""
    total = int(rate * seconds)
    plan = [rng.choice(mix) for _ in range(total)]
    latencies: list[float] = []
    errors: list[str] = []
    by_path: dict[str, list[float]] = {}
    lateness = [0.0]
    lock = threading.Lock()
    next_index = [0]
    start = time.perf_counter() + 0.5

    def worker():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= total:
                return
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif -delay > LATE_LIMIT:
                with lock:
                    next_index[0] = total  # too far behind: the run is over
                return
            what, client, path = plan[i]
            began = time.perf_counter()
            try:
                status = client.request("GET", path)[0]
                problem = None if status == 200 else f"{what} GET {path} answered {status}"
            except OSError as exc:
                problem = f"{what} GET {path}: {exc!r}"
            ended = time.perf_counter()
            with lock:
                latencies.append(ended - began)
                by_path.setdefault(re.sub(r"/\d+", "/<id>", path.split("?")[0]), []).append(ended - began)
                lateness[0] = max(lateness[0], began - due)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    hard_stop = start + seconds + LATE_LIMIT + TIMEOUT + 5
    for thread in threads:
        thread.join(timeout=max(0.0, hard_stop - time.perf_counter()))
    slowest = sorted(by_path.items(), key=lambda item: -percentile(item[1], 50))[:3]
    return Outcome(latencies, errors, time.perf_counter() - start, lateness[0], total - len(latencies),
                   [f"{path} {1000 * percentile(times, 50):.0f} ms" for path, times in slowest])


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


def _check(*, mode, seed, result):
    result.unit = "requests"
    plan = PLAN[mode]
    rng = random.Random(seed)
    try:
        database = own_database()
        database_url = database.__enter__()
    except Exception as exc:  # no PostgreSQL server to load: no verdict
        result.unverified = True
        result.notes.append(f"no PostgreSQL server reachable at {_server_url().netloc}: {exc!r}")
        return
    workdir = Path(tempfile.mkdtemp(prefix="dividend-load-"))
    started = time.perf_counter()
    try:
        with production_server(database_url, officers=plan["officers"], workers=plan["workers"],
                               workdir=workdir) as (port, env, gunicorn_pid):
            result.notes.append(f"database, demo data ({plan['officers']} officers), static files and "
                                f"gunicorn ready in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            mix = build_mix(port, env, rng, result)
            result.notes.append(f"{len(ROLES)} roles signed in (second factor done), tokens issued, "
                                f"{len(mix)} request kinds warmed up in {time.perf_counter() - started:.0f} s")
            reads_before = [int(n) for n in _manage(env, "shell", "-c", COUNT_READS).strip().splitlines()[-1].split()]
            db_name = database_url.rsplit("/", 1)[1]
            cpu_before, own_before = server_cpu(gunicorn_pid, db_name), time.process_time()
            outcome = drive(mix, rate=plan["rate"], seconds=plan["seconds"], rng=rng)
            cpu_after, own_after = server_cpu(gunicorn_pid, db_name), time.process_time()
            reads_after = [int(n) for n in _manage(env, "shell", "-c", COUNT_READS).strip().splitlines()[-1].split()]
            verified = subprocess.run([sys.executable, "manage.py", "verify_audit"], cwd=ROOT, env=env,
                                      capture_output=True, text=True, timeout=600)
        result.notes.append(f"{len(mix)} request kinds (pages and API, {len(ROLES)} roles); audit on: "
                            f"{reads_after[0] - reads_before[0]} read entries of {reads_after[1] - reads_before[1]} "
                            f"written during the load")
        report(result, mode=mode, outcome=outcome)
        result.notes.append(cpu_per_request(cpu_before, cpu_after, len(outcome.latencies)))
        if outcome.latencies:  # the generator shares the machine's processors with the servers
            result.notes.append(f"load generator (this process): {1000 * (own_after - own_before) / len(outcome.latencies):.1f}"
                                f" ms CPU per request; {os.cpu_count()} processors")
        if verified.returncode:
            result.failures += 1
            result.notes.append("the audit chain does not verify after the load: "
                                + (verified.stdout + verified.stderr).strip()[-300:])
    finally:
        database.__exit__(None, None, None)
        shutil.rmtree(workdir, ignore_errors=True)


def report(result, *, mode: str, outcome: Outcome) -> None:
    """The figures, and the verdict: errors always; p99 and achieved rate in the full run only."""
    latencies, errors = outcome.latencies, outcome.errors
    result.count = len(latencies)
    achieved = len(latencies) / outcome.wall if outcome.wall else 0.0
    ms = {p: 1000 * percentile(latencies, p) if latencies else 0.0 for p in (50, 95, 99)}
    result.notes.append(
        f"{len(latencies)} requests in {outcome.wall:.1f} s: rate {achieved:.1f}/s; latency p50 {ms[50]:.0f} ms, "
        f"p95 {ms[95]:.0f} ms, p99 {ms[99]:.0f} ms, max {1000 * max(latencies, default=0):.0f} ms; "
        f"{len(errors)} errors; start lag at most {1000 * outcome.late:.0f} ms"
        + (f"; {outcome.unsent} planned requests not sent (the generator fell {LATE_LIMIT} s behind)"
           if outcome.unsent else ""))
    if outcome.slowest:
        result.notes.append("slowest (median): " + ", ".join(outcome.slowest))
    result.failures += len(errors)
    for problem in sorted(set(errors))[:10]:
        result.notes.append(f"{errors.count(problem)} x {problem}")
    if mode != "full":
        result.notes.append("CI run: verdict on errors only (latency and rate are judged in the full run)")
        return
    if ms[99] >= P99_LIMIT_MS:
        result.failures += 1
        result.notes.append(f"p99 {ms[99]:.0f} ms is not under {P99_LIMIT_MS} ms")
    if achieved < TARGET_RATE:
        result.failures += 1
        result.notes.append(f"achieved {achieved:.1f} requests/s, under {TARGET_RATE}/s")


check = Check("load", _check)
