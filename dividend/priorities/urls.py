from django.urls import path

from . import editor_views, views

app_name = "priorities"
urlpatterns = [
    path("", views.model_list, name="models"),
    path("models/<slug:name>/", views.model_detail, name="model"),
    path("models/<slug:name>/check/", views.check_model, name="check"),
    path("models/<slug:name>/home/", views.set_home, name="home"),
    path("models/<slug:name>/versions/", views.versions, name="versions"),
    path("models/<slug:name>/versions/<int:number>/", views.version_text, name="version"),
    path("models/<slug:name>/tree/", editor_views.model_tree, name="tree"),
    path("models/<slug:name>/versions/<int:number>/changes/", editor_views.version_diff, name="version_diff"),
    path("models/<slug:name>/themes/", views.theme_weights, name="themes"),
    path("datasets/", views.datasets, name="datasets"),
    path("datasets/<slug:name>/edit/", views.dataset_edit, name="dataset_edit"),
    path("runs/", views.run_list, name="runs"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/adopt/", views.run_adopt, name="run_adopt"),
    path("adopted/", views.adopted, name="adopted"),
    path("adopted/<int:adoption_id>/withdraw/", views.adoption_withdraw, name="adoption_withdraw"),
    path("runs/<int:pk>/ranking.<str:fmt>", views.run_export, name="run_export"),
    path("runs/<int:pk>/countries/<str:iso3>/", views.country, name="country"),
    path("runs/<int:pk>/robustness/", views.robustness, name="robustness"),
    path("runs/<int:pk>/robustness.<str:fmt>", views.robustness_export, name="robustness_export"),
    path("compare/", views.compare, name="compare"),
    path("compare.<str:fmt>", views.compare_export, name="compare_export"),
]
