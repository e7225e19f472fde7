"""Static checks (issue 8, §7.7): ruff's security rules and bandit over dividend/, and pip-audit.

Each exception in the code is justified where it is: `# noqa: S... - why` for ruff and
`# nosec B...` for bandit on the same line. pip-audit needs an advisory source (PyPI's JSON API or
OSV); when none answers (an offline machine, CI) the check says UNVERIFIED, never passed.
"""

import json
import subprocess
import sys
from pathlib import Path

from robustness.common import Check

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> list[str]:
    """The tool from this interpreter's environment (the venv), else as a module."""
    path = BIN / name
    return [str(path)] if path.exists() else [sys.executable, "-m", name.replace("-", "_")]


def _run(args, timeout=600):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)  # noqa: S603 - fixed argv


def _ruff(*, mode, seed, result):
    result.unit = "files"
    proc = _run([*_tool("ruff"), "check", "--select", "S", "--output-format", "json", "dividend"])
    findings = json.loads(proc.stdout or "[]")
    files = _run([*_tool("ruff"), "check", "--select", "S", "--show-files", "dividend"])
    result.count = sum(1 for line in files.stdout.splitlines() if line.strip().endswith(".py"))
    result.failures = len(findings)
    for f in findings[:20]:
        result.notes.append(f"{f['filename']}:{f['location']['row']}: {f['code']} {f['message']}")


def _bandit(*, mode, seed, result):
    result.unit = "lines"
    proc = _run([*_tool("bandit"), "-q", "-r", "dividend", "-x", "*/migrations/*", "-f", "json"])
    report = json.loads(proc.stdout)
    result.count = report["metrics"]["_totals"]["loc"]
    result.failures = len(report["results"]) + len(report["errors"])
    for issue in report["results"][:20]:
        result.notes.append(f"{issue['filename']}:{issue['line_number']}: {issue['test_id']} {issue['issue_text']}")
    for error in report["errors"][:5]:
        result.notes.append(f"bandit could not scan {error['filename']}: {error['reason']}")


def _pip_audit(*, mode, seed, result):
    """Audit the installed environment. A vulnerability is a failure; a package that could not be
    looked up (no advisory source) makes the whole check UNVERIFIED."""
    result.unit = "packages"
    proc = _run([*_tool("pip-audit"), "--strict", "--progress-spinner", "off", "-f", "json"], timeout=300)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report = None
    if report is None:
        result.unverified = True
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        result.notes.append(f"no advisory source could be reached, nothing was verified: {reason[:200]}")
        return
    dependencies = report.get("dependencies", [])
    result.count = len(dependencies)
    vulnerable = [d for d in dependencies if d.get("vulns")]
    result.failures = len(vulnerable)
    for d in vulnerable:
        result.notes.append(f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}")
    if proc.returncode and not vulnerable:
        result.unverified = True
        result.notes.append("pip-audit did not finish its audit: " + proc.stderr.strip()[-200:])


ruff_security = Check("static-ruff-S", _ruff)
bandit = Check("static-bandit", _bandit)
pip_audit = Check("static-pip-audit", _pip_audit)
