from django.contrib import admin, messages

from .models import ApiToken, Pool
from .services import revoke_token


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "headcount"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owners (tokens page, `create_api_token`) and revoked, never edited
    or deleted here: the admin lists them and revokes through the audited workflow."""

    list_display = ["name", "user", "access", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["access"]
    search_fields = ["name", "user__username"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(revoke_token(actor=request.user, token=token, reason="revoked by an administrator")
                      for token in queryset)
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
