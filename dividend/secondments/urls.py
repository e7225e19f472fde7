from django.urls import path

from . import views

app_name = "secondments"
urlpatterns = [
    path("", views.secondment_list, name="list"),
    path("<int:pk>/status/", views.secondment_status, name="status"),
    path("<int:pk>/edit/", views.edit_secondment, name="edit"),
    path("officers/<int:officer_id>/new/", views.record_secondment, name="record"),
]
