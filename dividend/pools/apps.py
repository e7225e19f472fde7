from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "dividend.pools"
    label = "pools"
