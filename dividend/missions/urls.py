from django.urls import path

from . import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("positions/", views.position_list, name="positions"),
    path("positions/<int:pk>/", views.position_detail, name="position"),
]
