from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "dividend.roster"
    label = "roster"
