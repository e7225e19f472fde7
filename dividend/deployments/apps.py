from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "dividend.deployments"
    label = "deployments"
