"""System checks of the deployment's secrets that Django's own checks do not cover."""

from django.conf import settings
from django.core import checks

# Every development key shipped in the settings starts so (SECRET_KEY's, the audit key's).
DEVELOPMENT_KEY_PREFIX = "dev-only-"


def register():
    checks.register(no_development_secret_key, checks.Tags.security)


def no_development_secret_key(app_configs, **kwargs):
    """common.E001: a development SECRET_KEY in production (DIVIDEND_ENV=production)."""
    if getattr(settings, "PRODUCTION", False) and settings.SECRET_KEY.startswith(DEVELOPMENT_KEY_PREFIX):
        return [checks.Error("DIVIDEND_SECRET_KEY is a development key, which is refused in production.",
                             hint="Set DIVIDEND_SECRET_KEY to a random secret of its own.", id="common.E001")]
    return []
