from django.contrib import admin

from .models import (
    JobDescription,
    JobDescriptionLanguage,
    JobDescriptionSkill,
    Mission,
    Position,
    PositionLanguage,
    PositionSkill,
)


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "organisation", "status", "start_date", "end_date"]
    list_filter = ["organisation", "status", "mandate_strengthening", "mandate_executive", "mandate_monitoring"]
    search_fields = ["acronym", "name"]
    filter_horizontal = ["host_countries", "thematic_areas"]


class JobDescriptionSkillInline(admin.TabularInline):
    model = JobDescriptionSkill
    extra = 0


class JobDescriptionLanguageInline(admin.TabularInline):
    model = JobDescriptionLanguage
    extra = 0


@admin.register(JobDescription)
class JobDescriptionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "minimum_rank", "duration_months", "armed"]
    search_fields = ["code", "title"]
    inlines = [JobDescriptionSkillInline, JobDescriptionLanguageInline]
    filter_horizontal = ["required_qualifications", "thematic_tags"]


class PositionSkillInline(admin.TabularInline):
    model = PositionSkill
    extra = 0


class PositionLanguageInline(admin.TabularInline):
    model = PositionLanguage
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "duty_station", "burden", "strategic", "status"]
    list_filter = ["status", "strategic", "burden", "mission__organisation"]
    search_fields = ["title", "mission__acronym"]
    list_select_related = ["mission"]
    inlines = [PositionSkillInline, PositionLanguageInline]
    filter_horizontal = ["required_qualifications", "thematic_tags"]
