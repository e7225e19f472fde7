"""Throw-away servers for the faults check (robustness/faults.py): a PostgreSQL cluster of its own,
on a small tmpfs so that its disk can be filled, and gunicorn as deployed (deploy/gunicorn.conf.py).

Never the machine's PostgreSQL: the cluster is created by initdb in a temporary directory, listens
on a free port of 127.0.0.1 only, and is destroyed (with its tmpfs) at the end, whatever happened.
Processes are stopped by the ids this module started or found under them, never by name.
"""

import contextlib
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("DIVIDEND_PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "postgres"  # initdb refuses root: the cluster's files belong to this user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended; its parent has not reaped it yet


def kill_9(pids) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_gone(pids, seconds: float) -> list[int]:
    """Wait until the processes have ended; those still alive after `seconds`."""
    deadline = time.monotonic() + seconds
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [p for p in left if alive(p)]
    return left


def wait_port(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
        time.sleep(0.1)
    return False


class Cluster:
    """A PostgreSQL cluster in `base`, its data directory on a tmpfs of `disk_mb` megabytes."""

    def __init__(self, base: Path, *, disk_mb: int, database: str = "dividend"):
        self.base, self.disk_mb, self.database = base, disk_mb, database
        self.disk = base / "disk"  # the tmpfs
        self.data = self.disk / "pgdata"
        self.run_dir = base / "pg-run"  # socket and server log, writable by the owner
        self.ballast = self.disk / "ballast"
        self.port = free_port()
        self.mounted = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    @property
    def log(self) -> Path:
        return self.run_dir / "postgres.log"

    @staticmethod
    def possible() -> str | None:
        """Why the cluster cannot be made here, or None."""
        if not (PG_BIN / "initdb").exists():
            return f"no PostgreSQL server binaries in {PG_BIN} (set DIVIDEND_PG_BIN)"
        if not sys.platform.startswith("linux") or os.geteuid() != 0:
            return "mounting the tmpfs for the full disk needs root on Linux"
        if shutil.which("runuser") is None:
            return "runuser is missing (to run initdb as the postgres user)"
        return None

    def _as_owner(self, argv, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", OWNER, "--", *map(str, argv)], cwd="/", capture_output=True,
                              text=True, timeout=kwargs.pop("timeout", 120), **kwargs)

    def create(self) -> None:
        self.disk.mkdir(parents=True)
        self.run_dir.mkdir()
        self.base.chmod(0o755)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.disk_mb}m,mode=0755", "tmpfs", str(self.disk)],
                       check=True, capture_output=True, timeout=30)
        self.mounted = True
        shutil.chown(self.disk, OWNER, OWNER)
        shutil.chown(self.run_dir, OWNER, OWNER)
        done = self._as_owner([PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                               "--no-sync"])
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        self.start()
        done = self._as_owner([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                               self.database])
        if done.returncode:
            raise RuntimeError(f"createdb failed: {done.stderr.strip()}")

    def start(self) -> None:
        """Start the postmaster (after a kill: crash recovery) and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.run_dir} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB "
                   "-c max_connections=60 -c min_wal_size=32MB -c max_wal_size=64MB -c fsync=on")
        for attempt in range(20):
            done = self._as_owner([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60",
                                   "-o", options, "start"], timeout=90)
            if done.returncode == 0:
                return
            # E.g. old backends still attached to the shared memory after a kill: wait and try again.
            time.sleep(0.5 + attempt * 0.2)
        raise RuntimeError(f"PostgreSQL did not start: {done.stdout.strip()} {done.stderr.strip()} "
                           f"{self.log.read_text()[-2000:] if self.log.exists() else ''}")

    def postmaster(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if alive(pid) else None

    def running(self) -> bool:
        return self.postmaster() is not None

    def kill(self) -> None:
        """kill -9 of the postmaster, as the OOM killer would; its backends notice and end (any left
        after 10 s are killed too, so that the restart finds the shared memory free)."""
        pid = self.postmaster()
        if pid is None:
            return
        backends = children(pid)
        kill_9([pid])
        kill_9(wait_gone(backends, 10))
        wait_gone(backends + [pid], 10)

    def terminate_connections(self) -> int:
        """pg_terminate_backend of every connection to the database, from a superuser's: the number."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             connect_timeout=5, autocommit=True) as conn:
            return conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]).fetchone()[0]

    def fill_disk(self) -> int:
        """Fill the tmpfs with a ballast file until no byte is left; the megabytes written."""
        chunk = b"\0" * (1 << 20)
        written = 0
        with open(self.ballast, "wb", buffering=0) as ballast:
            while True:
                try:
                    written += ballast.write(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
            # The last partial megabyte: byte by byte would be slow, halves are enough.
            size = len(chunk) // 2
            while size:
                try:
                    written += ballast.write(chunk[:size])
                except OSError:
                    size //= 2
        return written >> 20

    def free_disk(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.ballast.unlink()

    def destroy(self) -> None:
        self.free_disk()
        if self.data.exists():
            if self.running():
                self._as_owner([PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"], timeout=60)
            self.kill()
        if self.mounted:
            done = subprocess.run(["umount", str(self.disk)], capture_output=True, timeout=30)
            if done.returncode:
                subprocess.run(["umount", "-l", str(self.disk)], capture_output=True, timeout=30)
            self.mounted = False
        shutil.rmtree(self.base, ignore_errors=True)


class AppServer:
    """gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, production settings from `env`."""

    def __init__(self, base: Path, env: dict, *, workers: int):
        self.base, self.env, self.workers = base, env, workers
        self.port = free_port()
        self.process = None
        self.error_log = base / "gunicorn-error.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.error_log, "a") as errors:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--access-logfile", "/dev/null", "dividend.wsgi"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        if not wait_port(self.port, 60):
            raise RuntimeError(f"gunicorn did not listen: {self.error_log.read_text()[-2000:]}")

    def kill(self) -> int:
        """kill -9 of the master and every worker at once; the number of processes killed."""
        if self.process is None:
            return 0
        pids = [self.process.pid, *children(self.process.pid)]
        kill_9(pids)
        self.process.wait(timeout=30)
        wait_gone(pids, 10)
        self.process = None
        return len(pids)

    def stop(self) -> None:
        if self.process is None:
            return
        pids = [self.process.pid, *children(self.process.pid)]
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_9(pids)
            self.process.wait(timeout=30)
        kill_9(wait_gone(pids, 5))
        self.process = None
