#!/usr/bin/env python3
"""Dividend's two entry points, for a machine that has only Python 3.11+.

    python3 dev.py run     set up, migrate SQLite, load demo data, serve on http://127.0.0.1:8000
    python3 dev.py test    set up and run every test (SQLite; PostgreSQL too when DATABASE_URL is set)
    python3 dev.py code    the demo authenticator's current code (second factor of the demo users)

Both are idempotent: the virtualenv is (re)installed only when pyproject.toml changed.
"""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".dividend-installed"
DEMO_PASSWORD = "dividend-demo"
# The demo authenticator key (dividend/site/demo_generator.py): every demo user's roles need a second factor.
DEMO_TOTP_KEY = "MRUXM2LEMVXGILLEMVWW6LLUN52HAIJB"
DEMO_USERS = [  # role (scope): what the demo shows with it
    ("coordinator", "coordinator (pool bpol): sees bpol's restricted data"),
    ("coordinator_national", "coordinator (national): every pool, no restricted data"),
    ("panel", "selection panel member (national)"),
    ("analyst", "analyst (national): triage, flash and situation reports, the monthly mission report"),
    ("analyst2", "second analyst (national): approves what analyst composes"),
    ("secondee", "secondee (pool bpol): own record, field reports and the feedback on them"),
    ("hr", "HR / line manager (pool bpol): sees bpol's restricted data"),
    ("policy", "policy officer (national)"),
    ("admin", "administrator (national): grants roles, Django admin, no restricted data"),
    ("auditor", "auditor (national)"),
]


def demo_code(now=None) -> str:
    """RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of the demo key: what an authenticator app shows."""
    counter = int((time.time() if now is None else now) // 30)
    digest = hmac.new(base64.b32decode(DEMO_TOTP_KEY), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def run(*args, env=None, check=True):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("Dividend needs Python 3.11 or newer.")
    if not PYTHON.exists():
        run(sys.executable, "-m", "venv", VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
        STAMP.write_text(wanted)


def ensure_chromium():
    """The browser test drives Debian's chromium; install it when we can (root on Debian)."""
    if shutil.which("chromium") or os.environ.get("DIVIDEND_SKIP_BROWSER"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-qq", env=env, check=False)
        run("apt-get", "install", "-y", "-qq", "chromium", env=env, check=False)
    if not shutil.which("chromium"):
        print("chromium is not installed: the browser test will be skipped.", flush=True)


def manage(*args, env=None):
    run(PYTHON, "manage.py", *args, env=env)


def cmd_run():
    ensure_venv()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the main job runs on the embedded SQLite database
    manage("migrate", "--noinput", env=env)
    manage("demo_data", env=env)
    manage("demo_priorities", env=env)
    print("\nDividend is running at http://127.0.0.1:8000/", flush=True)
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, role in DEMO_USERS:
        print(f"  {username:22} {role}")
    print(f"Second factor (every demo user): add the key {DEMO_TOTP_KEY} to an authenticator app")
    print("(time-based, 6 digits), or run `python3 dev.py code` for the current code.")
    print("API: http://127.0.0.1:8000/api/docs  (schema: /api/openapi.json)\n", flush=True)
    os.execve(str(PYTHON), [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"],
              env | {"PYTHONUNBUFFERED": "1"})


def cmd_test(extra):
    ensure_venv()
    ensure_chromium()
    result = subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT)
    sys.exit(result.returncode)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "code"}:
        sys.exit(__doc__)
    if sys.argv[1] == "code":
        print(demo_code())
    elif sys.argv[1] == "run":
        cmd_run()
    else:
        cmd_test(sys.argv[2:])
