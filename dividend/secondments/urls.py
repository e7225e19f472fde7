from django.urls import path

from . import views

app_name = "secondments"
urlpatterns = [
    path("", views.secondment_list, name="list"),
    path("<int:pk>/", views.secondment_detail, name="detail"),
    path("<int:pk>/move/", views.secondment_move, name="move"),
    path("<int:pk>/promotion/", views.promotion, name="promotion"),
    path("<int:pk>/handover/", views.handover, name="handover"),
    path("<int:pk>/edit/", views.edit_secondment, name="edit"),
    path("officers/<int:officer_id>/new/", views.record_secondment, name="record"),
]
