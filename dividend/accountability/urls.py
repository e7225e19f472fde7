"""Accountability: dashboards, the report to parliament, the dividend scorecard and portfolio planning. Reads every lower app."""
from django.urls import path

from . import portfolio_views, scorecard_views, views

app_name = "accountability"
urlpatterns: list = [
    path("", views.dashboard_page, name="dashboard"),
    path("dashboard/<str:part>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/list/<str:kind>/", views.drill_down, name="drill"),
    path("parliament/", views.parliament_page, name="parliament"),
    path("parliament/report.<str:fmt>", views.parliament_download, name="parliament_download"),
    path("scorecard/", scorecard_views.scorecard_index, name="scorecard"),
    path("scorecard/missions/<int:pk>/", scorecard_views.mission_scorecard, name="mission_scorecard"),
    path("scorecard/years/<int:year>/", scorecard_views.year_scorecard, name="year_scorecard"),
    path("scorecard/secondments/<int:pk>/", scorecard_views.secondment_scorecard, name="secondment_scorecard"),
    path("scorecard/model/", scorecard_views.scorecard_model, name="scorecard_model"),
    path("scorecard/export.csv", scorecard_views.scorecard_export, name="scorecard_export"),
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("portfolio/runs/<int:pk>/", portfolio_views.portfolio_run, name="portfolio_run"),
]
