from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "dividend.reference"
    label = "reference"
