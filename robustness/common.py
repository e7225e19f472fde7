"""What every check returns, and the one table the suite prints."""

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

PASSED, FAILED, UNVERIFIED = "passed", "FAILED", "UNVERIFIED"


@dataclass
class Result:
    check: str
    count: int = 0  # what was tried: requests sent, tamperings made, files scanned
    failures: int = 0
    seconds: float = 0.0
    unverified: bool = False  # the check could not run to a verdict (say why in notes)
    unit: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.failures:
            return FAILED
        return UNVERIFIED if self.unverified else PASSED

    def line(self) -> str:
        return f"[{self.status}] {self.check}: {self.count} {self.unit}, {self.failures} failures, {self.seconds:.1f} s"


@dataclass
class Check:
    """A named check: `function(mode=, seed=, result=)` fills the result; an exception is a failure."""
    name: str
    function: Callable

    def run(self, *, mode: str, seed: int) -> Result:
        result = Result(self.name)
        started = time.perf_counter()
        try:
            self.function(mode=mode, seed=seed, result=result)
        except Exception as exc:  # the suite reports a crashed check as failed and goes on
            result.failures += 1
            result.notes.append(f"the check crashed: {exc!r}")
            result.notes.extend(traceback.format_exc().splitlines()[-6:])
        result.seconds = time.perf_counter() - started
        return result


def print_table(results: list[Result], *, mode: str, seconds: float) -> None:
    header = ("check", "count", "failures", "time", "status")
    rows = [(r.check, f"{r.count} {r.unit}".strip(), str(r.failures), f"{r.seconds:.1f} s", r.status)
            for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    print(f"Dividend robustness suite ({mode}), {seconds:.0f} s")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(rule)
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(rule)
    for r in results:
        for note in r.notes:
            print(f"{r.check}: {note}")
    failed = [r.check for r in results if r.failures]
    unverified = [r.check for r in results if r.unverified and not r.failures]
    if unverified:
        print(f"unverified (no verdict could be reached: not passed): {', '.join(unverified)}")
    passed = len(results) - len(failed) - len(unverified)
    print(f"{passed} passed, {len(failed)} failed" + (f", {len(unverified)} unverified" if unverified else ""))
