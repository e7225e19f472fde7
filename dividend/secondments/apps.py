from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save


def _mission_places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A mission's host countries or thematic areas changed, from either side of the relation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .services import refresh_facts_of_secondees

    if not reverse:
        refresh_facts_of_secondees(mission_ids=[instance.pk])
    else:  # a country or theme gained or lost missions; after a clear, which ones is no longer known
        refresh_facts_of_secondees(mission_ids=pk_set)


def _position_saved(sender, instance, created, **kwargs):
    """A position moved to another mission changes the expertise its secondees' history implies."""
    if not created:
        from .services import refresh_facts_of_secondees

        refresh_facts_of_secondees(position_ids=[instance.pk])


class SecondmentsConfig(AppConfig):
    name = "dividend.secondments"
    label = "secondments"

    def ready(self):
        from dividend.roster.facts import register_mission_history

        from .models import mission_history_rows

        register_mission_history(mission_history_rows)
        # Search facts hold expertise derived from mission history (roster.facts); missions are
        # reference data edited in the admin or reloaded from the registry, outside any workflow.
        from dividend.missions.models import Mission, Position

        from . import subject_access  # noqa: F401 - registers the secondments' part of the subject access report

        for through in (Mission.host_countries.through, Mission.thematic_areas.through):
            m2m_changed.connect(_mission_places_changed, sender=through, dispatch_uid=f"facts-{through.__name__}")
        post_save.connect(_position_saved, sender=Position, dispatch_uid="facts-position")
