from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class PoolsConfig(AppConfig):
    name = "dividend.pools"
    label = "pools"

    def ready(self):
        # A user's API tokens die with a new password or a deactivation, however these come about
        # (password page, Django admin, `changepassword`, a script): the user model's save is the
        # one place all of them pass.
        pre_save.connect(note_credential_change, sender=settings.AUTH_USER_MODEL,
                         dispatch_uid="pools.note_credential_change")
        post_save.connect(revoke_tokens_on_credential_change, sender=settings.AUTH_USER_MODEL,
                          dispatch_uid="pools.revoke_tokens_on_credential_change")


def note_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a user is saved: note whether the password was set (`set_password` since the last
    save; not Django's rehashing on login, which keeps the password) or the account deactivated."""
    instance.__dict__.pop("_dividend_token_revocation", None)
    if raw or instance._state.adding or instance.pk is None:
        return
    from .services import DEACTIVATED, PASSWORD_CHANGED

    fields = set(update_fields) if update_fields is not None else None
    if getattr(instance, "_password", None) is not None and (fields is None or "password" in fields):
        instance.__dict__["_dividend_token_revocation"] = PASSWORD_CHANGED
    elif not instance.is_active and (fields is None or "is_active" in fields):
        was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
        if was_active:
            instance.__dict__["_dividend_token_revocation"] = DEACTIVATED


def revoke_tokens_on_credential_change(sender, instance, created=False, raw=False, **kwargs):
    reason = instance.__dict__.pop("_dividend_token_revocation", None)
    if reason and not raw:
        from .services import revoke_tokens

        revoke_tokens(actor=None, user=instance, reason=reason)
