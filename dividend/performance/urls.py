from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("missions/<int:pk>/", views.mission_detail, name="mission"),
    path("missions/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("missions/<int:pk>/values.<str:fmt>", views.values_export, name="export"),
    path("missions/<int:pk>/border/", views.border, name="border"),
    path("missions/<int:pk>/border/new/", views.assessment_new, name="assessment_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/status/", views.indicator_status, name="indicator_status"),
    path("indicators/<int:pk>/values/", views.indicator_values, name="values"),
    path("indicators/<int:pk>/contributions/new/", views.contribution_new, name="contribution_new"),
    path("values/<int:pk>/edit/", views.value_edit, name="value_edit"),
    path("contributions/<int:pk>/remove/", views.contribution_remove, name="contribution_remove"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
]
