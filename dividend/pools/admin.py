from django.contrib import admin

from .models import ApiToken, Pool, Profile


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "headcount"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "national"]
    list_filter = ["role", "national"]
    filter_horizontal = ["pools"]
    search_fields = ["user__username"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
