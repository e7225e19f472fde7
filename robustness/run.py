#!/usr/bin/env python3
"""Dividend's robustness suite: one command, one table (check, count, failures, time).

    python robustness/run.py            the full suite (figures of issue 8, section 7)
    python robustness/run.py --ci       a bounded subset (.ci/run calls it; well under 5 minutes)
    python robustness/run.py --only tampering,static-ruff

The faults check starts its own PostgreSQL cluster and gunicorn (robustness/faults.py).
Database checks run on a throw-away test database of the configured engine (SQLite by default,
PostgreSQL with DATABASE_URL), created and destroyed here as pytest-django would. Exit status 1
when any check has a failure; a check that could not be verified (e.g. no advisory source for
pip-audit on an offline machine) is shown as UNVERIFIED, never as passed.
See robustness/README.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from robustness.common import Result, print_table  # noqa: E402 - after the path is set


def _static_checks(mode):
    from robustness import static

    return [static.ruff_security, static.bandit, static.pip_audit]


def _database_checks(mode):
    from robustness import audit_reads, fuzzing, hostile, oracle, tampering

    return [tampering.check, audit_reads.check, hostile.check, fuzzing.check, oracle.check]


def _server_checks(mode):
    """Checks that start their own database (or database server) and app server, outside the test
    database: load (a database of its own on the server), faults (its own PostgreSQL cluster). Load
    runs first: its throughput verdict is the one a busy machine spoils."""
    from robustness import faults, load

    return [load.check, faults.check]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--full", action="store_const", dest="mode", const="full", help="the full suite (default)")
    group.add_argument("--ci", action="store_const", dest="mode", const="ci", help="the bounded CI subset")
    parser.add_argument("--only", default="", help="comma-separated check names (prefixes) to run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random checks (default 0)")
    args = parser.parse_args(argv)
    mode = args.mode or "full"
    wanted = [name for name in args.only.split(",") if name]

    def selected(name):
        return not wanted or any(name.startswith(prefix) for prefix in wanted)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    started = time.perf_counter()
    results: list[Result] = []
    for check in _static_checks(mode):
        if selected(check.name):
            results.append(check.run(mode=mode, seed=args.seed))
            print(results[-1].line(), flush=True)
    for check in _server_checks(mode):
        if selected(check.name):
            results.append(check.run(mode=mode, seed=args.seed))
            print(results[-1].line(), flush=True)
    database_checks = [c for c in _database_checks(mode) if selected(c.name)]
    if database_checks:
        from robustness.database import rolled_back, test_database

        with test_database():
            for check in database_checks:
                with rolled_back():  # each check starts from the same database, as a test does
                    results.append(check.run(mode=mode, seed=args.seed))
                print(results[-1].line(), flush=True)
    print()
    print_table(results, mode=mode, seconds=time.perf_counter() - started)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
