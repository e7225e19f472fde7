from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "dividend.priorities"
    label = "priorities"
