"""The reports tests share the world of tests/reports/test_reports.py."""

from .test_reports import world  # noqa: F401
