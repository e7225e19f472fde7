from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "dividend.roles"
    label = "roles"
    verbose_name = "Roles"
