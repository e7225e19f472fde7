from django.contrib import admin

from .models import ApiToken, Pool


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "headcount"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
