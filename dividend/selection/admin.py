"""Calls and nominations change only through the selection workflows (audited): the admin shows
them read-only, to superusers."""

from django.contrib import admin

from .models import Call, CallPosition, Nomination


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "organisation", "kind", "national_deadline", "organisation_deadline",
                    "status")
    list_filter = ("organisation", "kind", "status")


@admin.register(CallPosition)
class CallPositionAdmin(ReadOnlyAdmin):
    list_display = ("call", "position", "posts")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("call_position", "officer", "origin", "status", "nominated_at", "release_decided_at")
    list_filter = ("status", "origin")
