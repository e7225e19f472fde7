"""The production server's warm-up (dividend.wsgi.warm_up), run by gunicorn's master before it forks
its workers (deploy/gunicorn.conf.py)."""

import threading

from django.db.backends.signals import connection_created
from django.urls import clear_url_caches, get_resolver

from dividend.wsgi import warm_up


def test_the_warm_up_opens_no_database_connection():
    """A connection opened before the fork would be shared by every worker. Run in a thread of its own:
    the test run's connections are not the master's."""
    opened, failed = [], []

    def note(sender, connection, **kwargs):
        opened.append(connection.alias)

    def run():
        try:
            warm_up()
        except Exception as error:  # noqa: BLE001 - e.g. the test run's block on database access: a query
            failed.append(repr(error))

    connection_created.connect(note)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        connection_created.disconnect(note)
    assert (opened, failed) == ([], [])


def test_the_warm_up_loads_every_view_before_the_fork():
    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    warm_up()
    assert "url_patterns" in get_resolver().__dict__  # the cached property is filled: views imported
