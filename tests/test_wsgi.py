"""The production server's warm-up (dividend.wsgi.warm_up), run by gunicorn's master before it forks
its workers (deploy/gunicorn.conf.py)."""

from django.db import connections
from django.urls import clear_url_caches, get_resolver

from dividend.wsgi import warm_up


def test_the_warm_up_leaves_no_database_connection_to_share():
    """A connection opened before the fork would be shared by every worker."""
    warm_up()
    assert [alias for alias in connections if connections[alias].connection is not None] == []


def test_the_warm_up_loads_every_view_before_the_fork():
    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    warm_up()
    assert "url_patterns" in get_resolver().__dict__  # the cached property is filled: views imported
