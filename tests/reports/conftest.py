"""The reports tests share the world of tests/reports/test_reports.py and the second secondee of
tests/reports/test_search.py."""

from .test_reports import world  # noqa: F401
from .test_search import berg  # noqa: F401
