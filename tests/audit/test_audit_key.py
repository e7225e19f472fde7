"""The audit key: a secret of its own, required in production, where the development key is refused."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from dividend.audit.models import AuditEntry
from dividend.audit.services import record

OWN_KEY = "a-production-audit-key-of-its-own-0123456789"


def audit_errors():
    return [(m.id, m.msg) for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "audit.E001"]


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.SECRET_KEY = "a-production-secret-key-0123456789-abcdefghijklmnop"
    return settings


def test_manage_check_fails_in_production_without_audit_key():
    env = {k: v for k, v in os.environ.items() if k != "DIVIDEND_AUDIT_KEY"}
    env.update(DIVIDEND_ENV="production", DIVIDEND_SECRET_KEY="a-production-secret-key-0123456789-abcdefghijk",
               DIVIDEND_ALLOWED_HOSTS="dividend.example.org", PYTHONPATH=str(django_settings.BASE_DIR))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, "(audit.E001) DIVIDEND_AUDIT_KEY is not set" in result.stderr) == (1, True)


def test_check_refuses_development_key_in_production(production):
    production.DIVIDEND_AUDIT_KEY = django_settings.DIVIDEND_DEVELOPMENT_AUDIT_KEY
    assert audit_errors() == [("audit.E001", "DIVIDEND_AUDIT_KEY is the development key, which is refused in production.")]


def test_check_refuses_secret_key_as_audit_key(production):
    production.DIVIDEND_AUDIT_KEY = production.SECRET_KEY
    assert audit_errors() == [("audit.E001", "DIVIDEND_AUDIT_KEY must differ from DIVIDEND_SECRET_KEY.")]


def test_check_refuses_short_key_in_production(production):
    production.DIVIDEND_AUDIT_KEY = "short"
    assert audit_errors() == [("audit.E001", "DIVIDEND_AUDIT_KEY must be at least 32 characters long.")]


def test_check_passes_with_own_key_in_production(production):
    production.DIVIDEND_AUDIT_KEY = OWN_KEY
    assert audit_errors() == []


def test_development_uses_the_development_key_without_error():
    assert (django_settings.DIVIDEND_AUDIT_KEY, audit_errors()) == (django_settings.DIVIDEND_DEVELOPMENT_AUDIT_KEY, [])


@pytest.mark.django_db
def test_nothing_is_chained_with_the_development_key_in_production(production):
    production.DIVIDEND_AUDIT_KEY = django_settings.DIVIDEND_DEVELOPMENT_AUDIT_KEY
    with pytest.raises(ImproperlyConfigured, match="development key"):
        record(actor=None, action="read", object_type="roster.officer", object_id="1")
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_changing_secret_key_leaves_the_chain_verifiable(settings):
    from dividend.audit.services import verify_chain

    record(actor=None, action="read", object_type="roster.officer", object_id="1")
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-abcdefghijklmnop"
    assert verify_chain() == []


def test_check_refuses_development_secret_key_in_production(production):
    production.SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
    production.DIVIDEND_AUDIT_KEY = OWN_KEY
    assert [m.id for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "common.E001"] == ["common.E001"]
