from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the product: home page, navigation and the demo data generator (reads every app)."""

    name = "dividend.site"
    label = "site"
