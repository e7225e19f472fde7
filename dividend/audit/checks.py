"""System checks of the audit log's configuration (run by `manage.py check`, `check --deploy`,
`migrate` and the server's start)."""

from django.core import checks

from .models import audit_key_problem


def register():
    checks.register(audit_key_configured, checks.Tags.security)


def audit_key_configured(app_configs, **kwargs):
    """audit.E001: the audit key is missing, the development key in production, SECRET_KEY, or short."""
    problem = audit_key_problem()
    if not problem:
        return []
    return [checks.Error(problem, hint="Set DIVIDEND_AUDIT_KEY to a random secret of its own, e.g. "
                         "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'.", id="audit.E001")]
