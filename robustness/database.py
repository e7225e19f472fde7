"""A throw-away test database for the checks that need one (as pytest-django makes for the tests),
with the reference data every installation has."""

import contextlib


@contextlib.contextmanager
def test_database():
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    django.setup()
    setup_test_environment(debug=False)  # as the test runner: DEBUG off, as in production
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    from django.conf import settings

    from dividend.reference.loading import load_reference_data

    load_reference_data()  # countries, ranks, skills...: as in every installation
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # throw-away users only
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


@contextlib.contextmanager
def rolled_back():
    """Run inside one transaction that is rolled back (requests served in-process join it)."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextlib.contextmanager
def served_in_transaction():
    """Serve requests in-process inside the check's transaction: Django closes the connection at the
    start and end of every request (`close_old_connections`), and inside a transaction it finds it
    obsolete (autocommit off): on PostgreSQL closing it ends the transaction and every later query
    fails ("the connection is closed", answered 503). Django's test client unhooks the two receivers
    while it serves a request (and hooks them again after); a check calling the WSGI application
    itself (schemathesis) wraps each request in this."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
