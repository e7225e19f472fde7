import pytest

from dividend.reference.loading import load_reference_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data (countries, skills, ...) once per test database, as in every installation."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def reference_data_for_browser_tests(request):
    """A browser test's database is flushed after it, reference data included: the next one reloads it."""
    if request.node.get_closest_marker("browser") is None:
        return
    request.getfixturevalue("transactional_db")
    from dividend.reference.models import Rank

    if not Rank.objects.exists():
        load_reference_data()


def pytest_collection_modifyitems(config, items):
    # Browser tests use a live server, whose database flush would remove the reference data the
    # other tests rely on: run them last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
