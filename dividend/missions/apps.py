from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "dividend.missions"
    label = "missions"
