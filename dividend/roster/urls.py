from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", views.export, name="export"),
    path("new/", views.edit, name="create"),
    path("officers/<int:pk>/", views.detail, name="detail"),
    path("officers/<int:pk>/edit/", views.edit, name="edit"),
    path("officers/<int:pk>/subject-access.<str:fmt>", views.subject_access, name="subject_access"),
    path("officers/<int:pk>/qualifications/", views.add_qualification, name="add_qualification"),
    path("me/", views.my_profile, name="my_profile"),
    path("qualifications/<int:pk>/edit/", views.edit_qualification, name="edit_qualification"),
    path("qualifications/pending/", views.pending_qualifications, name="pending"),
    path("qualifications/expiring/", views.expiring_qualifications, name="expiring"),
    path("qualifications/<int:pk>/decide/", views.decide_qualification, name="decide"),
    path("import/", views.import_view, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("crisis/", views.crisis, name="crisis"),
]
