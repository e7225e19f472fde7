"""The robustness suite's own checks report what they find (robustness/README.md)."""

import pytest

from robustness import fuzzing, tampering
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


@pytest.mark.parametrize(("role", "method", "status", "body", "problem"), [
    ("anonymous", "GET", 200, "[]", "200 without a valid token (expected 401)"),
    ("bad_token", "POST", 403, "{}", "403 without a valid token (expected 401)"),
    ("anonymous", "GET", 401, "{}", None),
    ("coordinator_national", "POST", 201, "{}", "a read-only token changed something (201)"),
    ("coordinator_national", "POST", 403, "{}", None),
    ("hr_pool", "GET", 200, f'{{"last_name": "{fuzzing.BETA_NAME}"}}',
     "pool beta's officer shown to a user scoped to pool alpha"),
    ("coordinator_national", "GET", 200, f'{{"last_name": "{fuzzing.BETA_NAME}"}}', None),
    ("auditor_national", "GET", 200, fuzzing.ALPHA_PHONE,
     "restricted data (alpha's emergency contact) shown outside need-to-know"),
    ("hr_pool", "GET", 200, fuzzing.ALPHA_PHONE, None),
])
def test_fuzzing_rule_flags_what_a_role_must_not_get(role, method, status, body, problem):
    assert fuzzing._authorisation_problem(role, method, status, body) == problem
