from django.contrib import admin

from .access import can_read_audit_log
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries cannot be added, changed or deleted here, and only those who may read the
    audit log (the product's rule, not Django's model permissions) see them."""

    list_display = ["id", "timestamp", "actor_label", "action", "object_type", "object_id", "channel"]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["actor_label", "object_id", "object_repr"]

    def has_module_permission(self, request):
        return can_read_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return can_read_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
