"""A throw-away test database for the checks that need one (as pytest-django makes for the tests),
with the reference data every installation has."""

import contextlib


@contextlib.contextmanager
def test_database():
    import django
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    django.setup()
    setup_test_environment()
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
