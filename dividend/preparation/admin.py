"""The checklist templates and the daily costs per rank are reference data, edited here; the
models' validators refuse an item due after departure (days before departure < 0) or a negative cost.
Checklists and backfills change only through their workflows (the pages, the API)."""

from django.contrib import admin

from .models import ChecklistTemplate, DailyCost, TemplateItem


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0
    fields = ["order", "code", "kind", "title", "days_before", "description", "source"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name"]
    inlines = [TemplateItemInline]


@admin.register(DailyCost)
class DailyCostAdmin(admin.ModelAdmin):
    list_display = ["rank", "amount"]
    list_select_related = ["rank"]
