from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/move/", views.assignment_move, name="assignment_move"),
    path("assignments.<str:fmt>", views.assignments_export, name="assignments_export"),
    path("forums/", views.forum_list, name="forums"),
    path("forums/new/", views.forum_new, name="forum_new"),
    path("forums/<int:pk>/", views.forum_detail, name="forum"),
    path("forums/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("follow-ups/<int:pk>/move/", views.follow_up_move, name="follow_up_move"),
    path("budget/", views.budget, name="budget"),
    path("budget.<str:fmt>", views.budget_export, name="budget_export"),
    path("budget/lines/new/", views.line_new, name="line_new"),
    path("budget/lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("budget/costs/", views.cost_list, name="costs"),
    path("budget/costs/new/", views.cost_new, name="cost_new"),
    path("budget/costs/<int:pk>/edit/", views.cost_edit, name="cost_edit"),
]
