from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dividend.care"
    label = "care"
    verbose_name = "Duty of care"

    def ready(self):
        from . import retention, subject_access  # noqa: F401 - register the care app's report part and retention rule
