from django.urls import path

from . import analytics_views, views

app_name = "selection"
urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("releases/", views.releases, name="releases"),
    path("analytics/", analytics_views.analytics, name="analytics"),
    path("analytics/<str:fmt>/", analytics_views.analytics_export, name="analytics_export"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/status/", views.call_status, name="call_status"),
    path("calls/<int:pk>/positions/new/", views.position_new, name="position_new"),
    path("calls/<int:pk>/positions/import/", views.position_import, name="position_import"),
    path("call-positions/<int:pk>/edit/", views.call_position_edit, name="call_position_edit"),
    path("call-positions/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("call-positions/<int:pk>/team/", views.nominate_team, name="nominate_team"),
    path("call-positions/<int:pk>/interest/", views.express_interest, name="interest"),
    path("nominations/<int:pk>/release/", views.release_decision, name="release"),
    path("nominations/<int:pk>/approve/", views.approve_without_release, name="approve"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("nominations/<int:pk>/score/", views.panel_score, name="panel_score"),
    path("calls/<int:pk>/panel/", views.panel_page, name="panel"),
    path("calls/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/review/", views.decision_review, name="decision_review"),
    path("calls/<int:pk>/assignment/", views.assignment, name="assignment"),
    path("assignment-runs/<int:pk>/", views.assignment_run, name="assignment_run"),
    path("calls/<int:pk>/report.<str:fmt>", views.report, name="report"),
]
