from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the product: home page, navigation and the demo data generator (reads every app)."""

    name = "dividend.site"
    label = "site"

    def ready(self):
        from . import subject_access  # noqa: F401 - registers the kept API answers in the subject access report
