"""Benchmark of the audit log: appending one by one, appending in bulk (imports), verifying.

For each engine, a child process on a fresh database (SQLite file `/tmp/dividend_bench_audit.sqlite3`,
PostgreSQL database `dividend_bench_audit` on `$BENCH_POSTGRES_URL`, default
`postgres://postgres@127.0.0.1:5432`): migrate, then time
- `record()` of 1,000 entries, one transaction each (a page view's cost);
- `record_many()` of 10,000 import-like entries (fields, old/new values) in one go; the import
  target (10,000 officers in < 10 s) leaves the audit part well under 2 s;
- `verify_chain()` over `--entries` entries (default 100,000).
Run: .venv/bin/python bench/audit.py [--engines sqlite,postgresql] [--entries 100000]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def import_like_entries(n: int, start: int = 0) -> list[dict]:
    return [{"action": "update", "object_type": "roster.officer", "object_id": start + i,
             "object_repr": f"Officer {start + i}", "fields": ["skills"],
             "changes": {"phone": ("+49 30 1234", "+49 30 5678"), "available_from": ("2027-01-01", "2027-03-01"),
                         "emergency_contact_phone": ("+49 1", "+49 2")},
             "restricted": ["emergency_contact_phone"]} for i in range(n)]


def worker(entries: int, result_file: str):
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dividend.audit.services import record, record_many, verify_chain

    call_command("migrate", verbosity=0)
    result = {}
    started = time.perf_counter()
    for i in range(1000):
        record(actor=None, action="read", object_type="roster.officer", object_id=i, fields=["phone"])
    result["record x1,000 (s)"] = time.perf_counter() - started
    batch = import_like_entries(10_000)
    started = time.perf_counter()
    record_many(actor=None, entries=batch)
    result["record_many 10,000 (s)"] = time.perf_counter() - started
    written = 11_000
    while written < entries:
        n = min(10_000, entries - written)
        record_many(actor=None, entries=import_like_entries(n, written))
        written += n
    started = time.perf_counter()
    problems = verify_chain()
    result[f"verify {written:,} (s)"] = time.perf_counter() - started
    assert problems == [], problems[:3]
    Path(result_file).write_text(json.dumps(result))


def run_engine(engine: str, entries: int) -> dict:
    env = dict(os.environ, DIVIDEND_DEBUG="0", DJANGO_SETTINGS_MODULE="dividend.settings")
    env.pop("DATABASE_URL", None)
    if engine == "sqlite":
        path = Path("/tmp/dividend_bench_audit.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DIVIDEND_SQLITE_PATH"] = str(path)
    elif engine == "postgresql":
        import psycopg

        base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "dividend_bench_audit" WITH (FORCE)')
            conn.execute('CREATE DATABASE "dividend_bench_audit"')
        env["DATABASE_URL"] = f"{base}/dividend_bench_audit"
    else:
        raise SystemExit(f"unknown engine {engine!r} (sqlite, postgresql)")
    result_file = f"/tmp/bench_audit_{engine}.json"
    subprocess.run([sys.executable, __file__, "--worker", "--entries", str(entries), "--result-file", result_file],
                   env=env, check=True, cwd=REPO)
    return json.loads(Path(result_file).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.entries < 11_000:
        parser.error("--entries: at least 11,000 (the append timings write that many)")
    if args.worker:
        worker(args.entries, args.result_file)
        return
    results = {engine: run_engine(engine, args.entries) for engine in args.engines.split(",")}
    rows = list(next(iter(results.values())))
    print(f"| measure | {' | '.join(results)} |")
    print(f"|---|{'---:|' * len(results)}")
    for row in rows:
        print(f"| {row} | {' | '.join(f'{r[row]:.2f}' for r in results.values())} |")


if __name__ == "__main__":
    main()
