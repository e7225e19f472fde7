"""The robustness suite's own checks report what they find (robustness/README.md)."""

import pytest

from robustness import tampering
from robustness.common import Result, print_table

pytestmark = pytest.mark.django_db


def test_tampering_check_detects_every_tampering(monkeypatch):
    monkeypatch.setitem(tampering.ROUNDS, "ci", 25)
    result = tampering.check.run(mode="ci", seed=1)
    assert (result.count, result.failures) == (25, 0)


def test_tampering_check_counts_an_undetected_change_as_a_failure(monkeypatch):
    # A "tampering" that changes nothing cannot be detected: the check must say so, not pass.
    monkeypatch.setitem(tampering.ROUNDS, "ci", 3)
    monkeypatch.setattr(tampering, "KINDS", [lambda *args: "nothing"])
    result = tampering.check.run(mode="ci", seed=1)
    assert (result.count, result.failures, result.notes[-1]) == (3, 3, "NOT detected: nothing (3 of 3)")


def test_an_unverified_check_is_not_counted_as_passed(capsys):
    print_table([Result("a", count=1), Result("b", unverified=True)], mode="ci", seconds=1)
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed, 1 unverified"
