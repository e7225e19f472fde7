"""Role assignments in the Django admin: adding one grants it and deleting one withdraws it, through
the same audited workflows as everywhere else; an assignment is never edited in place."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from dividend.pools.access import can_manage_roles
from dividend.pools.models import RoleAssignment

from .services import check_grant, grant_role, withdraw_role


class RoleAssignmentForm(forms.ModelForm):
    actor = None  # set per request by RoleAssignmentAdmin.get_form

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "scope", "pools", "object_type", "object_id"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_grant(actor=self.actor, user=data["user"], role=data["role"], scope=data["scope"],
                        pools=data.get("pools") or [], object_type=data.get("object_type") or "",
                        object_id=data.get("object_id"))
        except ValidationError as error:
            self.add_error(None, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "scope", "where", "granted_at", "granted_by"]
    list_filter = ["role", "scope"]
    filter_horizontal = ["pools"]
    search_fields = ["user__username"]

    @admin.display(description="for")
    def where(self, obj):
        return obj.describe()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def has_module_permission(self, request):
        return can_manage_roles(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_roles(request.user)

    def has_add_permission(self, request):
        return can_manage_roles(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return can_manage_roles(request.user)

    def save_model(self, request, obj, form, change):
        pass  # the grant happens in save_related, once the pools are known

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        assignment = grant_role(actor=request.user, user=data["user"], role=data["role"], scope=data["scope"],
                                pools=data.get("pools") or [], object_type=data.get("object_type") or "",
                                object_id=data.get("object_id"))
        form.instance.pk = assignment.pk  # the admin's confirmation and history name the new assignment

    def delete_model(self, request, obj):
        withdraw_role(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user"):
            withdraw_role(actor=request.user, assignment=assignment)
