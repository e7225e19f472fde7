from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.year_page, name="year"),
    path("export.<str:fmt>", views.year_export, name="export"),
    path("new/", views.target_new, name="new"),
    path("<int:pk>/edit/", views.target_edit, name="edit"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/recompute/", views.snapshot_recompute, name="recompute"),
]
