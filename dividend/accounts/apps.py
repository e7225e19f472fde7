from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and staying signed in: login throttling and lockout (django-axes), the second
    factor (TOTP, django-otp), session limits, "log out everywhere", password change; each step
    written to the audit log."""

    name = "dividend.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import services, subject_access  # noqa: F401 - subject_access registers the accounts' part of the report

        # A failed password, wherever authenticate() was called with a request (the site's login; the
        # admin's login page sends people to it). Axes's own receiver runs first (installed earlier)
        # and leaves the failure count on the request.
        user_login_failed.connect(services.on_login_failed, dispatch_uid="dividend.accounts.login_failed")
