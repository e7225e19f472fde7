from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dividend.common"
    label = "common"

    def ready(self):
        from . import checks

        checks.register()
