from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_new, name="new"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/replies/", views.alert_replies, name="replies"),
    path("<int:pk>/deploy/", views.alert_deploy, name="deploy"),
    path("<int:pk>/stand-down/", views.alert_stand_down, name="stand_down"),
    path("<int:pk>/answer/", views.alert_answer, name="answer"),
]
