"""The production set-up (docs/operations.md, "Production server"): gunicorn with deploy/gunicorn.conf.py
serving the WSGI app with production settings from the environment, static files collected and
served by WhiteNoise, PostgreSQL; while the database is away it answers 503 with Retry-After and
serves again within 5 s of its return.

The database is reached through a small TCP relay on 127.0.0.1 that the test can cut and restore,
as a PostgreSQL restart or a network break would. On SQLite runs this is skipped: the server
needs a database another process can open, and production runs PostgreSQL.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the production server runs on PostgreSQL"),
    pytest.mark.skipif(shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None,
                       reason="gunicorn is not installed"),
]


class Relay:
    """Forwards TCP connections from a local port to the database; `cut()` closes the port and every
    open connection, `restore()` listens again on the same port."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(32)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone would not)
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, **headers):
    """(status, headers, body) of a GET as the TLS proxy in front would send it."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def relay(django_db_setup):
    settings = connection.settings_dict
    relay = Relay((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    relay.restore()
    yield relay
    relay.cut()


@pytest.fixture(scope="module")
def server(relay, tmp_path_factory):
    """gunicorn as deployed: production settings from the environment, static files collected."""
    tmp_path = tmp_path_factory.mktemp("server")
    settings = connection.settings_dict
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    env = {**os.environ,
           "DIVIDEND_ENV": "production",
           "DIVIDEND_SECRET_KEY": secrets.token_urlsafe(50),
           "DIVIDEND_AUDIT_KEY": secrets.token_urlsafe(50),
           "DIVIDEND_ALLOWED_HOSTS": "127.0.0.1",
           "DIVIDEND_STATIC_ROOT": str(tmp_path / "static"),
           "DATABASE_URL": f"postgres://{user}@127.0.0.1:{relay.port}/{settings['NAME']}",
           "DIVIDEND_PG_CONNECT_TIMEOUT": "2",
           "PYTHONPATH": str(ROOT)}
    bin_dir = Path(sys.executable).parent
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT,
                   env=env, check=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", str(tmp_path / "access.log"), "dividend.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "error.log", "w"))  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"{base}/login/")
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "error.log").read_text()
            time.sleep(0.2)
    print(f"collectstatic and gunicorn start: {time.monotonic() - started:.1f} s")
    try:
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_gunicorn_serves_pages_api_and_static_files(server):
    status, headers, body = get(f"{server}/login/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # hashed by collectstatic
    assert get(f"{server}{stylesheet}")[0] == 200
    status, headers, body = get(f"{server}/api/openapi.json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert b'"Idempotency-Key"' in body


def test_plain_http_is_redirected_to_https(server):
    request = urllib.request.Request(f"{server}/login/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert (answer.value.code, answer.value.headers["Location"]) == (301, f"https://127.0.0.1:{server.rsplit(':', 1)[1]}/login/")


def test_database_away_answers_503_and_back_within_5_seconds(server, relay):
    # A bearer token is looked up in the database: 401 for an unknown one while it answers.
    api = f"{server}/api/officers"
    assert get(api, Authorization="Bearer unknown")[0] == 401
    relay.cut()
    for _ in range(3):  # each worker, whatever connection it held
        status, headers, body = get(api, Authorization="Bearer unknown")
        assert (status, headers["Retry-After"]) == (503, "5"), body
    assert get(f"{server}/", Cookie="sessionid=" + "a" * 32)[0] == 503  # a page loading a session
    relay.restore()
    back = time.monotonic()
    while get(api, Authorization="Bearer unknown")[0] != 401:
        assert time.monotonic() - back < 5, "not serving 5 s after the database came back"
        time.sleep(0.1)
