from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dividend.care"
    label = "care"
    verbose_name = "Duty of care"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dividend.secondments.hooks import register_secondment_page

        from . import access, retention, subject_access  # noqa: F401 - register the report part and retention rule

        register_secondment_page(_("Duty of care"), "care:secondment", access.can_see_care)
