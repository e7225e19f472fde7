from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="password"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("second-factor/", views.enrol, name="enrol"),
    path("second-factor/verify/", views.verify, name="verify"),
]
