from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "dividend.commitments"
    label = "commitments"
    verbose_name = "Commitments and budget"
