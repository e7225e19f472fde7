import pytest
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from dividend.reference.loading import load_reference_data

from .factories import complete_sign_in

# No wall-clock deadline per example: on a shared machine (two cores, CI and other work) a 200 ms
# deadline failed property tests that pass alone (priorities/test_properties under a full parallel
# run). Speed is measured by the benchmarks in bench/, not by tests.
hypothesis_settings.register_profile("dividend", deadline=None)
hypothesis_settings.load_profile("dividend")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data (countries, skills, ...) once per test database, as in every installation."""
    with django_db_blocker.unblock():
        load_reference_data()


def flushes_database(item) -> bool:
    """Browser tests and other transactional tests (backups: a second connection reads committed
    rows) empty the database after them, reference data included."""
    marker = item.get_closest_marker("django_db")
    return item.get_closest_marker("browser") is not None or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def reference_data_for_browser_tests(request):
    """A transactional test's database is flushed after it, reference data included: the next one reloads it."""
    if not flushes_database(request.node):
        return
    request.getfixturevalue("transactional_db")
    from dividend.reference.models import Rank

    if not Rank.objects.exists():
        load_reference_data()


def pytest_collection_modifyitems(config, items):
    # Browser tests use a live server, whose database flush (as any transactional test's) would
    # remove the reference data the other tests rely on: run them last.
    items.sort(key=flushes_database)


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request in another language (Accept-Language, the language cookie) leaves that language
    active in the thread: LocaleMiddleware activates it and nothing deactivates it. Each test starts
    in the default language, whatever the one before it asked for."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def reference_choices_forgotten():
    """A test's reference records roll back without a signal: the next test must not see them in
    the choices a form keeps (common.fields.LabelSortedIterator)."""
    from dividend.common.fields import forget_choices

    forget_choices()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_log_emptied_through_permit(request):
    """Between transactional tests pytest-django empties every table; on SQLite with DELETE, which
    the audit tables refuse without a retention permit (audit migration 0004). Empty them first
    through a permit, as retention does, so the flush finds nothing to refuse."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        yield
        return
    yield
    from django.db import connection

    from dividend.audit.models import RetentionPermit

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_retentionpermit (created_at, reason) VALUES (%s, %s)",
                       [timezone_now(), "test teardown"])
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_chainhead")
        cursor.execute(f"DELETE FROM {RetentionPermit._meta.db_table}")


def timezone_now():
    from django.utils import timezone

    return timezone.now()


class SignedInClient(Client):
    """Django's test client whose `force_login` stands for a complete sign-in (as it skips the
    password): the session's clock starts and, for a user whose roles need a second factor, the
    session is verified with an authenticator of theirs. Tests of the sign-in itself use `Client()`
    and log in."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        complete_sign_in(self, user)


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def admin_client(admin_user):
    client = SignedInClient()
    client.force_login(admin_user)
    return client
