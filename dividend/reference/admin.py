from django.contrib import admin

from .models import Country, Language, QualificationType, Rank, Skill, ThematicArea


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso3", "iso2", "name", "region", "subregion"]
    list_filter = ["region"]
    search_fields = ["iso3", "iso2", "name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(QualificationType)
class QualificationTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "validity_months", "has_level", "restricted"]


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]
