from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "dividend.careers"
    label = "careers"
    verbose_name = "Careers"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dividend.secondments.hooks import register_secondment_page

        from . import access, subject_access  # noqa: F401 - registers the careers' part of the subject access report

        register_secondment_page(_("Career: objectives, debriefing, appraisal"), "careers:detail",
                                 access.can_see_career_of)
