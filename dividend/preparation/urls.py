from django.urls import path

from . import views

app_name = "preparation"
urlpatterns = [
    path("", views.preparation_list, name="list"),
    path("secondments/<int:pk>/", views.checklist, name="checklist"),
    path("secondments/<int:pk>/start/", views.start_checklist, name="start"),
    path("secondments/<int:pk>/caveats/", views.edit_caveats, name="caveats"),
    path("secondments/<int:pk>/backfill/", views.edit_backfill, name="backfill"),
    path("items/<int:pk>/tick/", views.tick_item, name="tick"),
    path("items/<int:pk>/edit/", views.edit_item, name="item_edit"),
    path("backfill/", views.backfill_overview, name="backfill_overview"),
    path("backfill/pools/<int:pk>/", views.backfill_pool, name="backfill_pool"),
    path("backfill/pools/<int:pk>/roster/", views.roster_add, name="roster_add"),
    path("backfill/roster/<int:pk>/remove/", views.roster_remove, name="roster_remove"),
]
