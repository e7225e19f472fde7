"""gunicorn settings for Dividend in production (docs/operations.md, "Production server").

    gunicorn -c deploy/gunicorn.conf.py dividend.wsgi

Every value can be changed by the environment (GUNICORN_*), or on the command line, which wins.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: Django's ORM is synchronous; each worker holds one database connection (CONN_MAX_AGE).
# One per processor and one more: a request waits little on a local PostgreSQL (about 1 ms per query),
# so more workers only share the processors. On 2 processors with PostgreSQL on the same machine the
# load check (robustness/README.md) reached 94.0/s with 2 workers, 94.1 with 3, 84.9 with 4 and 75-86
# with gunicorn's usual 2 x processors + 1 = 5 (CPU per request 16.5, 17.0, 19.0 and 19-22 ms,
# 4 December). A database across a network makes requests wait longer: set GUNICORN_WORKERS higher.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# An officer import or a priority run may take a minute; past this the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Recycle workers now and then, so that a slow leak (e.g. in a PDF library) cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The TLS proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The application is loaded and warmed up once in the master (dividend.wsgi.warm_up), then forked: a
# worker's first request took about 2 s of CPU without it, at every start and every recycle.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no")


def when_ready(server):
    """After the master loaded the application (preload_app) and before it forks the workers."""
    if preload_app:
        from dividend.wsgi import warm_up

        warm_up()


# Heartbeat files in memory, not on a container's overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 # nosec B108 - heartbeat files, no data
