from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import delete_user

# Authenticator secrets are nobody else's to read, and removing one is an audited workflow
# (`manage.py reset_second_factor`): django-otp's admin page for them is taken away.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin, except that deleting an account goes through `accounts.services.delete_user`
    (roles withdrawn through the audited workflow, the deletion recorded), one by one or in bulk."""

    def delete_model(self, request, obj):
        delete_user(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            delete_user(actor=request.user, user=user)
